package gitsource

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// The repository being scanned may be hostile: its .git/config, its
// attributes and its refs are written by whoever handed it over. Every git
// process is started with these settings so that nothing in the repository
// can make git run a program or change which objects are read:
//
//   - core.fsmonitor: a program git runs when it reads the index;
//   - core.hooksPath: no command used here runs hooks, but a future one might;
//   - core.pager, pager.*, GIT_PAGER, --no-pager: a pager is a program;
//   - GIT_EXTERNAL_DIFF and --no-ext-diff (which overrides diff.external): external diff drivers,
//     including those selected by .gitattributes (diff.<driver>.command);
//   - --no-textconv: diff.<driver>.textconv programs;
//   - log.showSignature: would run gpg.program on every commit;
//   - protocol.allow=never, GIT_NO_LAZY_FETCH: a partial clone would fetch
//     missing objects over the network, through core.sshCommand and friends;
//   - core.useReplaceRefs=false, GIT_NO_REPLACE_OBJECTS: refs/replace/* would
//     let the repository show a clean object in place of the one it holds;
//   - core.quotePath=true, diff.noprefix, diff.mnemonicPrefix, color.ui,
//     diff.relative, diff.orderFile: they change the text this package parses.
//
// Filter drivers (filter.<driver>.clean/smudge/process) run only when content
// moves between the work tree and the object store; the commands used here
// read the object store and the index only, and cat-file runs without
// --filters or --textconv. Merge drivers run only on merges.
var gitSafeConfig = []string{
	"-c", "core.fsmonitor=false",
	"-c", "core.hooksPath=/dev/null",
	"-c", "core.pager=cat",
	"-c", "log.showSignature=false",
	"-c", "protocol.allow=never",
	"-c", "core.useReplaceRefs=false",
	"-c", "core.quotePath=true",
	"-c", "diff.noprefix=false",
	"-c", "diff.mnemonicPrefix=false",
	"-c", "diff.relative=false",
	"-c", "diff.orderFile=/dev/null",
	"-c", "color.ui=false",
}

// gitSafeEnv is added to the environment of every git process; the variables
// named in gitUnsafeEnv are removed first.
var gitSafeEnv = []string{
	"GIT_PAGER=cat",
	"PAGER=cat",
	"GIT_NO_REPLACE_OBJECTS=1",
	"GIT_NO_LAZY_FETCH=1",
	"GIT_TERMINAL_PROMPT=0",
	"GIT_OPTIONAL_LOCKS=0",
}

var gitUnsafeEnv = []string{"GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_DIFF_OPTS"}

// repoEnv are the variables that make git use another repository, index or
// work tree than the one it finds from its directory.
var repoEnv = []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES", "GIT_PREFIX"}

// Git runs git in one repository with the safety settings above. The zero
// value runs in the current directory.
//
// It deliberately keeps GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE from the
// environment: a pre-commit hook of "git commit <paths>" runs with
// GIT_INDEX_FILE pointing at a temporary index, and that index is what is
// about to be committed.
type Git struct {
	// Dir is the directory git runs in; "" for the current one.
	Dir string
	// Program is the git executable; "" means "git" from PATH.
	Program string
	// fromDir: the repository is the one git finds from Dir; the
	// variables of repoEnv are not passed on.
	fromDir bool
}

// ErrGitMissing is wrapped by the error returned when git cannot be run.
var ErrGitMissing = errors.New("git is not installed or not in PATH")

// GitError is a git command that failed. Its message holds git's own words;
// Hint says what to do about it.
type GitError struct {
	Args   []string // the git subcommand and its arguments (without the safety settings)
	Stderr string   // what git printed, trimmed
	Err    error    // the exit error
	Hint   string   // what the person running the tool can do
}

func (e *GitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), msg)
}

func (e *GitError) Unwrap() error { return e.Err }

// PartialCloneHint says how to get the blobs a partial clone left out; git
// runs here never fetches them itself.
const PartialCloneHint = "this is a partial clone and ghtoken never fetches: clone without --filter (in GitHub Actions, leave filter unset on actions/checkout), or fetch every blob: git config --unset remote.origin.partialclonefilter, then git fetch --refetch origin"

// CorruptObjectHint says what to do when an object the history needs is
// absent from a repository that is not a partial clone: it is lost or
// damaged, and git fsck says which.
const CorruptObjectHint = "an object the history needs is missing or corrupt: git fsck --full names it; restore it from a complete copy (git fetch from another clone) and scan again"

// IsPartialClone reports whether the repository is a partial clone, whose
// absent blobs are expected and fetched on demand by git (never here).
func (g *Git) IsPartialClone(ctx context.Context) bool {
	out, err := g.output(ctx, "config", "--get", "extensions.partialclone")
	return err == nil && strings.TrimSpace(string(out)) != ""
}

// hint picks the advice for a git failure from git's own message.
func gitHint(stderr string) string {
	switch {
	case strings.Contains(stderr, "dubious ownership"):
		return "the repository belongs to another user and git refuses to read it; if you trust it, run the git config command git suggests above, or run ghtoken as the repository's owner"
	case strings.Contains(stderr, "not a git repository"):
		return "run ghtoken inside a git repository (or a directory below one), or scan files with ghtoken scan PATH instead"
	case strings.Contains(stderr, "unknown revision"), strings.Contains(stderr, "bad revision"),
		strings.Contains(stderr, "Needed a single revision"), strings.Contains(stderr, "ambiguous argument"):
		return "check the revision name (git rev-parse --verify REV); in a shallow clone, fetch more history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
	case strings.Contains(stderr, "promisor remote"):
		return PartialCloneHint
	case strings.Contains(stderr, "does not have any commits yet"):
		return "make a first commit, or use ghtoken scan --staged for what is about to be committed"
	}
	return "see git's message above"
}

// command builds a git command with the safety settings.
func (g *Git) command(ctx context.Context, args ...string) *exec.Cmd {
	prog := g.Program
	if prog == "" {
		prog = "git"
	}
	full := append(append([]string{"--no-pager"}, gitSafeConfig...), args...)
	cmd := exec.CommandContext(ctx, prog, full...)
	cmd.Dir = g.Dir
	env := os.Environ()
	kept := env[:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		drop := slices.Contains(gitUnsafeEnv, name) || (g.fromDir && slices.Contains(repoEnv, name))
		if !drop {
			kept = append(kept, kv)
		}
	}
	cmd.Env = append(kept, gitSafeEnv...)
	return cmd
}

// wrapErr turns a failed command's error into a GitError or ErrGitMissing.
func (g *Git) wrapErr(args []string, err error, stderr string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Op == "chdir" {
		return fmt.Errorf("run git in %s: %w", g.Dir, err)
	}
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("run git: %w (install git, or scan files with ghtoken scan PATH)", ErrGitMissing)
	}
	return &GitError{Args: args, Stderr: strings.TrimSpace(stderr), Err: err, Hint: gitHint(stderr)}
}

// output runs git and returns its standard output.
func (g *Git) output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := g.command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, g.wrapErr(args, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// stream is a running git command whose standard output is read as it comes.
type stream struct {
	g      *Git
	args   []string
	cmd    *exec.Cmd
	out    io.ReadCloser
	stderr bytes.Buffer
}

// start runs git with its standard output piped; stdin may be nil.
func (g *Git) start(ctx context.Context, stdin io.Reader, args ...string) (*stream, error) {
	s, _, err := g.startWithInput(ctx, stdin, false, args...)
	return s, err
}

// startWithInput is start that can also return a pipe to git's standard
// input (when pipeIn is set; stdin is then ignored).
func (g *Git) startWithInput(ctx context.Context, stdin io.Reader, pipeIn bool, args ...string) (*stream, io.WriteCloser, error) {
	s := &stream{g: g, args: args, cmd: g.command(ctx, args...)}
	var in io.WriteCloser
	if pipeIn {
		var err error
		if in, err = s.cmd.StdinPipe(); err != nil {
			return nil, nil, err
		}
	} else {
		s.cmd.Stdin = stdin
	}
	s.cmd.Stderr = &limitedBuffer{buf: &s.stderr, max: 64 << 10}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	s.out = out
	if err := s.cmd.Start(); err != nil {
		return nil, nil, g.wrapErr(args, err, "")
	}
	return s, in, nil
}

// wait waits for the command; it must be called once the output was read
// (or abandoned: wait then kills nothing, the caller cancels ctx first).
func (s *stream) wait(ctx context.Context) error {
	err := s.cmd.Wait()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return s.g.wrapErr(s.args, err, s.stderr.String())
	}
	return nil
}

// limitedBuffer keeps the first max bytes written to it: a git process that
// floods its standard error must not grow memory.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// PathInGitDir returns git's path for name inside the repository's git directory
// (git rev-parse --git-path), which honours core.hooksPath for "hooks".
func (g *Git) PathInGitDir(ctx context.Context, name string) (string, error) {
	args := []string{"rev-parse", "--git-path", name}
	cmd := g.command(ctx, args...)
	// The hooks directory is asked for by the repository's owner, to
	// install a hook: here the repository's core.hooksPath must count.
	kept := cmd.Args[:1]
	for i := 1; i < len(cmd.Args); i++ {
		if cmd.Args[i] == "-c" && i+1 < len(cmd.Args) && strings.HasPrefix(cmd.Args[i+1], "core.hooksPath=") {
			i++
			continue
		}
		kept = append(kept, cmd.Args[i])
	}
	cmd.Args = kept
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", g.wrapErr(args, err, stderr.String())
	}
	return strings.TrimRight(stdout.String(), "\n"), nil
}

// resolveCommit returns the full object id of rev as a commit, or ok=false
// when it does not name a commit in the repository. It fails when git itself
// fails (not a repository).
func (g *Git) resolveCommit(ctx context.Context, rev string) (oid string, ok bool, err error) {
	if strings.HasPrefix(rev, "-") {
		return "", false, fmt.Errorf("revision %q: a revision cannot start with '-'", rev)
	}
	return g.resolve(ctx, rev, "commit")
}

// HasCommit reports whether HEAD names a commit: false on a repository's
// first commit (an unborn branch), where commands that need HEAD, such as
// git restore --staged, fail.
func (g *Git) HasCommit(ctx context.Context) (bool, error) {
	_, ok, err := g.resolveCommit(ctx, "HEAD")
	return ok, err
}

// resolve peels rev to an object of the given type ("commit", "tree") and
// returns its id, or ok=false when there is no such object; git failing
// otherwise is an error.
func (g *Git) resolve(ctx context.Context, rev, typ string) (oid string, ok bool, err error) {
	out, err := g.output(ctx, "rev-parse", "-q", "--verify", rev+"^{"+typ+"}")
	if err != nil {
		var ge *GitError
		if errors.As(err, &ge) && ge.Stderr == "" {
			return "", false, nil
		}
		return "", false, err
	}
	return strings.TrimSpace(string(out)), true, nil
}

// isShallow reports whether the repository is a shallow clone.
func (g *Git) isShallow(ctx context.Context) (bool, error) {
	out, err := g.output(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

// shallowCommits returns the commits whose parents a shallow clone cut off
// (the grafts listed in the git directory's "shallow" file), or nil when
// the repository is not shallow. info, when not nil, is what git already
// said about the repository.
func (g *Git) shallowCommits(ctx context.Context, info *repoInfo) (map[string]bool, error) {
	if info == nil {
		i, err := g.repoInfo(ctx)
		if err != nil {
			return nil, err
		}
		info = &i
	}
	if !info.shallow {
		return nil, nil
	}
	data, err := os.ReadFile(info.shallowFile)
	if err != nil {
		return nil, fmt.Errorf("read the list of shallow commits: %w", err)
	}
	set := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		set[l] = true
	}
	return set, nil
}

// repoInfo is what one git rev-parse tells about the repository.
type repoInfo struct {
	shallow     bool
	shallowFile string // the git directory's list of shallow commits
	top         string // the top of the work tree, links resolved; "" in a bare repository
}

// repoInfo asks git once whether the repository is shallow, where its
// shallow file is, and where the top of its work tree is.
func (g *Git) repoInfo(ctx context.Context) (repoInfo, error) {
	out, err := g.output(ctx, "rev-parse", "--is-bare-repository", "--is-shallow-repository", "--git-path", "shallow", "--show-cdup")
	if err != nil {
		return repoInfo{}, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) < 3 {
		return repoInfo{}, fmt.Errorf("git rev-parse: unexpected output %q", out)
	}
	abs := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(g.Dir, p)
		}
		if a, err := filepath.Abs(p); err == nil {
			p = a
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		return p
	}
	info := repoInfo{shallow: lines[1] == "true", shallowFile: lines[2]}
	if !filepath.IsAbs(info.shallowFile) {
		info.shallowFile = filepath.Join(g.Dir, info.shallowFile)
	}
	if lines[0] != "true" {
		cdup := ""
		if len(lines) > 3 {
			cdup = lines[3]
		}
		info.top = abs(cdup)
	}
	return info, nil
}

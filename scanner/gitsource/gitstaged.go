package gitsource

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Staged is the Source for what is about to be committed: the content of
// the index (not the work tree: a file staged with "git add -p" and edited
// since is judged by its staged version), compared with HEAD.
//
// Only the lines the commit adds are scanned unless AllLines is set: a token
// already in HEAD is not this commit's doing. In a repository with no commit
// yet every staged line is new. During a merge, a line counts as added only
// if it is new relative to every parent (HEAD and MERGE_HEAD), as in git's
// combined diff: what the merged branch already committed is not this
// commit's doing either. Renames are followed, so a renamed file reports
// only the lines changed with the rename. Deleted files add nothing;
// submodules are not entered (reported as skipped, like unresolved merge
// conflicts). Content that git shows as binary (which .gitattributes can
// claim for any file) is scanned whole, and skipped if it is binary to us.
//
// Paths are relative to the top of the work tree. Walk runs two or three
// short git commands, one diff and one cat-file, whatever the number of files.
type Staged struct {
	Git      Git
	AllLines bool
	// Files, when not empty, limits the scan to these paths (relative to
	// the directory git runs in), and scans whole each of them that has no
	// staged change: "pre-commit run --all-files" passes every tracked
	// file, and a token committed long ago must not pass it. A file with
	// staged changes is still judged by the lines it adds.
	Files []string
	// MaxBlobSize skips larger blobs without reading them; 0 = no limit.
	MaxBlobSize int64
}

// Walk implements Source.
//
// A hook pays for every git process: the diff against HEAD and cat-file
// (which also looks up MERGE_HEAD) run at the same time; only an unborn HEAD
// (the first commit) or a merge in progress costs more.
func (s *Staged) Walk(ctx context.Context, emit func(finding.Item) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// cat-file starts while the diff runs, and answers whether a merge is
	// in progress (MERGE_HEAD resolves) on the way: no third process.
	type started struct {
		cf        *catFile
		mergeTree string
		err       error
	}
	cfc := make(chan started, 1)
	go func() {
		cf, err := s.Git.startCatFile(ctx, nil)
		if err != nil {
			cfc <- started{err: err}
			return
		}
		st := started{cf: cf}
		if !s.AllLines {
			h, err := cf.request("MERGE_HEAD^{tree}")
			switch {
			case err != nil:
				st.err = err
			case !h.missing:
				st.mergeTree = h.oid
				st.err = cf.discard(h)
			}
		}
		cfc <- st
	}()
	var cf *catFile
	taken, closed := false, false
	defer func() {
		if !taken {
			cf = (<-cfc).cf
		}
		if cf != nil && !closed {
			cancel()
			cf.close(ctx)
		}
	}()

	changes, err := s.stagedChanges(ctx)
	if err != nil {
		return err
	}
	st := <-cfc
	taken, cf = true, st.cf
	if st.err != nil {
		return st.err
	}
	if st.mergeTree != "" {
		other, err := s.Git.diffIndex(ctx, st.mergeTree)
		if err != nil {
			return err
		}
		changes = intersectAdded(changes, other)
	}

	if len(s.Files) > 0 {
		if changes, err = s.withFiles(ctx, changes); err != nil {
			return err
		}
	}

	if err := s.emitChanges(cf, changes, emit); err != nil {
		return err
	}
	closed = true
	return cf.close(ctx)
}

// stagedChanges diffs the index against HEAD, or against the empty tree
// before the first commit.
func (s *Staged) stagedChanges(ctx context.Context) ([]fileChange, error) {
	changes, err := s.Git.diffIndex(ctx, "HEAD")
	if err == nil {
		return changes, nil
	}
	// The first commit: HEAD does not resolve yet. Anything else (not a
	// repository, say) is reported in git's words.
	if _, ok, rerr := s.Git.resolveTree(ctx, "HEAD"); rerr != nil || ok {
		return nil, err
	}
	empty, err := s.Git.emptyTree(ctx)
	if err != nil {
		return nil, err
	}
	return s.Git.diffIndex(ctx, empty)
}

// emitChanges turns each staged change into an item, its content read
// through cf: the added lines, the whole file, or a skip.
func (s *Staged) emitChanges(cf *catFile, changes []fileChange, emit func(finding.Item) error) error {
	bud := newBudget(defaultBudget)
	for i := range changes {
		c := &changes[i]
		it := finding.Item{Path: c.dstPath, Stage: rules.StageStaged, Size: -1}
		switch {
		case c.status == 'D':
			continue
		case c.status == 'U':
			it.Skip = &finding.Skipped{Path: it.Path, Reason: finding.SkipUnmerged, Detail: "merge conflict not resolved in the index; resolve it and git add the file"}
		case c.isGitlink():
			if c.srcMode == c.dstMode && c.srcOID == c.dstOID {
				continue
			}
			it.Skip = &finding.Skipped{Path: it.Path, Reason: finding.SkipSubmodule, Detail: "submodule at " + c.dstOID + " (not entered: scan it from inside)"}
		case c.binary || c.whole || s.AllLines:
			// Whole file.
		case c.added.Empty():
			continue // a pure rename, a mode change, or only deletions
		default:
			lines := c.added
			it.Lines = &lines
		}
		if it.Skip == nil {
			h, err := cf.request(c.dstOID)
			if err != nil {
				return err
			}
			it.Blob = c.dstOID
			if h.missing {
				it.Skip = &finding.Skipped{Path: it.Path, Reason: finding.SkipMissing, Detail: "object " + c.dstOID + " is not in the repository"}
			} else if it, err = cf.blob(h, it, s.MaxBlobSize, bud); err != nil {
				return err
			}
		}
		if err := emit(it); err != nil {
			return err
		}
	}
	return nil
}

// withFiles keeps the changes to s.Files and adds, to be scanned whole,
// the files of s.Files that the index holds with no staged change.
func (s *Staged) withFiles(ctx context.Context, changes []fileChange) ([]fileChange, error) {
	args := append([]string{"--literal-pathspecs", "ls-files", "-s", "-z", "--full-name", "--error-unmatch", "--"}, s.Files...)
	out, err := s.Git.output(ctx, args...)
	if err != nil {
		var ge *GitError
		if errors.As(err, &ge) && strings.Contains(ge.Stderr, "did not match any file") {
			ge.Hint = "name files that are in the index (git add FILE, or leave the file out)"
		}
		return nil, err
	}
	entries, names, err := parseLsFiles(out)
	if err != nil {
		return nil, err
	}
	// Every name counts, conflicted and submodule ones included: their
	// change from the diff is kept, so that they are listed as skipped.
	named := make(map[string]bool, len(names))
	for _, n := range names {
		named[n] = true
	}
	kept := changes[:0]
	for _, c := range changes {
		if named[c.dstPath] {
			kept = append(kept, c)
			delete(named, c.dstPath)
		}
	}
	for _, e := range entries {
		if named[e.dstPath] {
			kept = append(kept, e)
			delete(named, e.dstPath)
		}
	}
	return kept, nil
}

// parseLsFiles parses "git ls-files -s -z": "mode oid stage\tpath" records.
// names holds every path; entries the ones to read whole when they have no
// staged change. Conflicted entries (stage above 0) and submodules are not
// entries: the diff reports the former as unmerged and the latter as
// submodules, and they hold no content to read here.
func parseLsFiles(out []byte) (entries []fileChange, names []string, err error) {
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, path, ok := bytes.Cut(rec, []byte("\t"))
		f := bytes.Fields(meta)
		if !ok || len(f) != 3 || len(path) == 0 {
			return nil, nil, fmt.Errorf("%w: ls-files record %q", errDiffSyntax, rec)
		}
		p := string(path)
		names = append(names, p)
		if string(f[2]) != "0" || string(f[0]) == "160000" {
			continue
		}
		entries = append(entries, fileChange{status: 'M', srcMode: string(f[0]), dstMode: string(f[0]), dstOID: string(f[1]), srcPath: p, dstPath: p, whole: true})
	}
	return entries, names, nil
}

// resolveTree returns the tree of rev, or ok=false when rev does not exist
// (an unborn HEAD, no merge in progress).
func (g *Git) resolveTree(ctx context.Context, rev string) (string, bool, error) {
	return g.resolve(ctx, rev, "tree")
}

// emptyTree returns the id of the empty tree in the repository's hash.
func (g *Git) emptyTree(ctx context.Context) (string, error) {
	out, err := g.output(ctx, "hash-object", "-t", "tree", "--stdin")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// diffArgs are the options every patch-producing git command here uses.
var diffArgs = []string{
	"-z", "--raw", "-p", "-U0", "--no-abbrev", "--no-color", "--no-ext-diff", "--no-textconv",
	"--src-prefix=a/", "--dst-prefix=b/", "--submodule=short", "--ignore-submodules=none", "-M",
}

// diffIndex compares the index with tree and returns the changed files.
func (g *Git) diffIndex(ctx context.Context, tree string) ([]fileChange, error) {
	args := append(append([]string{"diff-index", "--cached"}, diffArgs...), tree, "--")
	s, err := g.start(ctx, nil, args...)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(s.out, 64<<10)
	changes, perr := parseRaw(r)
	if perr == nil {
		perr = parsePatch(r, changes, false)
	}
	io.Copy(io.Discard, r)
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	if perr != nil {
		return nil, fmt.Errorf("git diff-index: %w", perr)
	}
	return changes, nil
}

// intersectAdded keeps, for each change of a, the added lines that are also
// added in b's change of the same path. A path b does not list is identical
// to b's side, so it adds nothing.
func intersectAdded(a, b []fileChange) []fileChange {
	byPath := map[string]*fileChange{}
	for i := range b {
		byPath[b[i].dstPath] = &b[i]
	}
	for i := range a {
		c := &a[i]
		if c.status == 'U' || c.status == 'D' {
			continue
		}
		o, ok := byPath[c.dstPath]
		switch {
		case !ok || o.status == 'D':
			c.added, c.binary = finding.LineSet{}, false
		case c.binary || o.binary:
			// No line information on one side: keep the other's.
			if c.binary {
				c.added, c.binary = o.added, o.binary
			}
		default:
			c.added = c.added.Intersect(&o.added)
		}
	}
	return a
}

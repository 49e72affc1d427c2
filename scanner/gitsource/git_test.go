package gitsource

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// testRepo is a git repository in a temporary directory, driven by the real
// git. Tests that use it skip when git is not installed.
type testRepo struct {
	t   *testing.T
	dir string
}

// newRepo creates an empty repository with a fixed identity and no user or
// system configuration.
func newRepo(t *testing.T) *testRepo {
	t.Helper()
	rulestest.IsolateGit(t)
	t.Setenv("GIT_AUTHOR_DATE", "2024-03-01T12:00:00Z")
	t.Setenv("GIT_COMMITTER_DATE", "2024-03-01T12:00:00Z")
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

// git runs git in the repository and returns its output; it fails the test
// if git fails.
func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// write writes a file; text is expanded with rulestest.Expand.
func (r *testRepo) write(name, text string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(rulestest.Expand(text)), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *testRepo) g() Git { return Git{Dir: r.dir} }

// gitWhere is a finding reduced to what tests compare.
type gitWhere struct {
	Path   string
	Line   int
	Secret string
	Commit string
}

func gitWheres(res *finding.Result) []gitWhere {
	var out []gitWhere
	for _, f := range res.Findings {
		w := gitWhere{Path: f.Path, Line: f.Line, Secret: f.Secret}
		if f.Commit != nil {
			w.Commit = f.Commit.Hash
		}
		out = append(out, w)
	}
	return out
}

func tok(seed string) string { return rulestest.Token(rulestest.ClassicPAT, seed) }

func scanSrc(t *testing.T, src finding.Source) *finding.Result {
	t.Helper()
	res, err := scanner.Scan(context.Background(), src, scanner.Options{})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return res
}

func skips(res *finding.Result) map[string]finding.SkipReason {
	m := map[string]finding.SkipReason{}
	for _, s := range res.Skipped {
		m[s.Path] = s.Reason
	}
	return m
}

func TestStagedAddedLinesOfTheIndexOnly(t *testing.T) {
	r := newRepo(t)
	r.write("config.env", "OLD=${ghp:old}\nkeep=1\n")
	r.commit("first")
	// Staged: one new line with a token. Then the work tree gets another
	// token that is not staged: the index is what counts.
	r.write("config.env", "OLD=${ghp:old}\nkeep=1\nNEW=${ghp:new}\n")
	r.git("add", "config.env")
	r.write("config.env", "OLD=${ghp:old}\nkeep=1\nNEW=${ghp:new}\nWT=${ghp:worktree}\n")

	got := gitWheres(scanSrc(t, &Staged{Git: r.g()}))
	want := []gitWhere{{Path: "config.env", Line: 3, Secret: tok("new")}}
	if !slices.Equal(got, want) {
		t.Errorf("staged = %+v, want %+v", got, want)
	}
	got = gitWheres(scanSrc(t, &Staged{Git: r.g(), AllLines: true}))
	want = []gitWhere{{Path: "config.env", Line: 1, Secret: tok("old")}, {Path: "config.env", Line: 3, Secret: tok("new")}}
	if !slices.Equal(got, want) {
		t.Errorf("staged --all-lines = %+v, want %+v", got, want)
	}
}

func TestStagedFirstCommit(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "x\n${ghp:first}\n")
	r.git("add", "a.txt")
	got := gitWheres(scanSrc(t, &Staged{Git: r.g()}))
	want := []gitWhere{{Path: "a.txt", Line: 2, Secret: tok("first")}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestStagedOddFileNames(t *testing.T) {
	r := newRepo(t)
	names := []string{"with space.txt", `quote"d.txt`, "new\nline.txt", "tab\there.txt", "caf\xe9.txt", "del\x7f.txt", "back\\slash.txt", "ünï.txt", "-dash.txt"}
	r.write("base.txt", "base\n")
	r.commit("base")
	var want []gitWhere
	for i, n := range names {
		seed := string(rune('a' + i))
		r.write(n, "v=${ghp:"+seed+"}\n")
		want = append(want, gitWhere{Path: n, Line: 1, Secret: tok(seed)})
	}
	r.git("add", "-A")
	got := gitWheres(scanSrc(t, &Staged{Git: r.g()}))
	slices.SortFunc(want, func(a, b gitWhere) int { return strings.Compare(a.Path, b.Path) })
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestStagedRenamesDeletionsBinarySubmodules(t *testing.T) {
	r := newRepo(t)
	r.write("old/name.txt", "a\nT=${ghp:kept}\nb\nc\nd\ne\n")
	r.write("gone.txt", "G=${ghp:gone}\n")
	r.write("mode.sh", "M=${ghp:mode}\n")
	r.commit("base")
	// A rename with one new line: only that line is the commit's.
	r.git("mv", "old/name.txt", "new-name.txt")
	r.write("new-name.txt", "a\nT=${ghp:kept}\nb\nc\nd\ne\nR=${ghp:renamed}\n")
	r.git("rm", "-q", "gone.txt")
	if err := os.Chmod(filepath.Join(r.dir, "mode.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.write("blob.bin", "\x00\x01binary ${ghp:bin}\n")
	// A submodule (a gitlink in the index), not entered.
	sub := newRepoAt(t, filepath.Join(r.dir, "sub"))
	sub.write("s.txt", "S=${ghp:sub}\n")
	sub.commit("sub")
	r.git("add", "-A")

	res := scanSrc(t, &Staged{Git: r.g()})
	got := gitWheres(res)
	// A binary file is new content as a whole, searched for prefixed tokens.
	want := []gitWhere{{Path: "blob.bin", Line: 1, Secret: tok("bin")}, {Path: "new-name.txt", Line: 7, Secret: tok("renamed")}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	sk := skips(res)
	if sk["sub"] != finding.SkipSubmodule || len(sk) != 1 || !slices.Equal(res.BinaryFiles, []string{"blob.bin"}) {
		t.Errorf("skipped = %v, binary %v; want sub submodule, blob.bin binary", sk, res.BinaryFiles)
	}
}

// newRepoAt makes a repository in dir, with the environment newRepo set.
func newRepoAt(t *testing.T, dir string) *testRepo {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &testRepo{t: t, dir: dir}
	r.git("init", "-q", "-b", "main")
	return r
}

func TestStagedTextMarkedBinaryIsScannedWhole(t *testing.T) {
	r := newRepo(t)
	r.write(".gitattributes", "*.dat -diff\n")
	r.write("x.dat", "old\n")
	r.commit("base")
	r.write("x.dat", "old\nT=${ghp:attr}\n")
	r.git("add", "-A")
	got := gitWheres(scanSrc(t, &Staged{Git: r.g()}))
	want := []gitWhere{{Path: "x.dat", Line: 2, Secret: tok("attr")}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestStagedMerge(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "1\n2\n3\n")
	r.write("c.txt", "c\n")
	r.commit("base")
	r.git("checkout", "-q", "-b", "side")
	r.write("a.txt", "1\n2\n3\nSIDE=${ghp:side}\n")
	r.write("c.txt", "side\n")
	r.commit("side")
	r.git("checkout", "-q", "main")
	r.write("c.txt", "main\n")
	r.write("b.txt", "b\n")
	r.commit("main")
	cmd := exec.Command("git", "merge", "-q", "side")
	cmd.Dir = r.dir
	cmd.Run() // conflicts in c.txt: expected to fail

	res := scanSrc(t, &Staged{Git: r.g()})
	if sk := skips(res); sk["c.txt"] != finding.SkipUnmerged {
		t.Errorf("skipped = %v, want c.txt unmerged", sk)
	}
	if got := gitWheres(res); len(got) != 0 {
		t.Errorf("during the conflict: %+v, want nothing (the token was committed on side)", got)
	}
	// Resolve with a new token: only that is the merge's own.
	r.write("c.txt", "resolved ${ghp:resolution}\n")
	r.git("add", "c.txt")
	got := gitWheres(scanSrc(t, &Staged{Git: r.g()}))
	want := []gitWhere{{Path: "c.txt", Line: 1, Secret: tok("resolution")}}
	if !slices.Equal(got, want) {
		t.Errorf("resolved: %+v, want %+v", got, want)
	}
}

func TestRangeFindsTokensRemovedLater(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "a\n")
	base := r.commit("base")
	r.write("a.txt", "a\nT=${ghp:added}\n")
	added := r.commit("add a token")
	r.write("a.txt", "a\n")
	r.commit("remove it")
	r.write("b.txt", "${ghp:later}\n")
	later := r.commit("another")

	rg, err := SinceRange(context.Background(), r.g(), base)
	if err != nil {
		t.Fatal(err)
	}
	res := scanSrc(t, rg)
	got := gitWheres(res)
	want := []gitWhere{{Path: "a.txt", Line: 2, Secret: tok("added"), Commit: added}, {Path: "b.txt", Line: 1, Secret: tok("later"), Commit: later}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if rg.Commits != 3 {
		t.Errorf("commits = %d, want 3", rg.Commits)
	}
	if c := res.Findings[0].Commit; c.Author != "Ada <ada@example.com>" || c.Date.IsZero() {
		t.Errorf("commit = %+v, want author and date", c)
	}
}

func TestHistoryFirstPlaceAndOccurrences(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "x\nA=${ghp:shared}\n")
	first := r.commit("one")
	r.write("a.txt", "y\nx\nA=${ghp:shared}\n") // a new blob, same token
	r.write("copy.txt", "A=${ghp:shared}\n")
	r.commit("two")
	r.git("checkout", "-q", "-b", "topic")
	r.write("t.txt", "${ghp:topic}\n")
	topic := r.commit("topic")
	r.git("rm", "-q", "t.txt")
	r.commit("drop it")
	r.git("checkout", "-q", "main")

	h := &History{Git: r.g()}
	res, err := scanHistory(context.Background(), h, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := gitWheres(res)
	want := []gitWhere{{Path: "a.txt", Line: 2, Secret: tok("shared"), Commit: first}, {Path: "t.txt", Line: 1, Secret: tok("topic"), Commit: topic}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if n := res.Findings[0].Occurrences; n != 3 {
		t.Errorf("occurrences of the shared token = %d, want 3", n)
	}
	if res.Stats.Commits != 4 {
		t.Errorf("commits = %d, want 4", res.Stats.Commits)
	}
	// --branch main does not reach the topic branch.
	res, err = scanHistory(context.Background(), &History{Git: r.g(), Refs: []string{"main"}}, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := gitWheres(res); len(got) != 1 || got[0].Secret != tok("shared") {
		t.Errorf("--branch main: %+v, want only the shared token", got)
	}
}

func TestGitErrors(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "a\n")
	r.commit("one")
	ctx := context.Background()

	notRepo := Git{Dir: t.TempDir()}
	for name, src := range map[string]finding.Source{"staged": &Staged{Git: notRepo}, "history": &History{Git: notRepo}, "range": &Range{Git: notRepo}} {
		_, err := scanner.Scan(ctx, src, scanner.Options{})
		var ge *GitError
		if !errors.As(err, &ge) || !strings.Contains(ge.Stderr, "not a git repository") || ge.Hint == "" {
			t.Errorf("%s outside a repository: %v, want git's message and a hint", name, err)
		}
	}
	if _, err := SinceRange(ctx, r.g(), "no-such-rev"); err == nil || !strings.Contains(err.Error(), "no-such-rev") {
		t.Errorf("unknown revision: %v", err)
	}
	_, err := scanner.Scan(ctx, &Staged{Git: Git{Dir: r.dir, Program: filepath.Join(t.TempDir(), "no-git")}}, scanner.Options{})
	if !errors.Is(err, ErrGitMissing) {
		t.Errorf("git missing: %v, want ErrGitMissing", err)
	}
	// git's safe.directory check, as for a repository owned by someone else.
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
	_, err = scanner.Scan(ctx, &Staged{Git: r.g()}, scanner.Options{})
	var ge *GitError
	if !errors.As(err, &ge) || !strings.Contains(ge.Stderr, "dubious ownership") || !strings.Contains(ge.Hint, "another user") {
		t.Errorf("safe.directory: %v, want git's refusal and a hint", err)
	}
}

// TestHostileRepositoryConfig plants programs everywhere a repository's
// configuration can name one, then checks that no scan ran any of them,
// and that plain git does run them (so the trap is real).
func TestHostileRepositoryConfig(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "a\n")
	base := r.commit("base")
	r.write("a.txt", "a\nT=${ghp:one}\n")
	tokenCommit := r.commit("token")

	// A clean commit to stand in for the one with the token.
	r.git("checkout", "-q", "--orphan", "decoy")
	r.git("rm", "-q", "--cached", "-r", ".")
	decoy := r.git("commit-tree", "-p", base, "-m", "decoy", r.git("rev-parse", base+"^{tree}"))
	r.git("checkout", "-q", "-f", "main")
	r.write("a.txt", "a\nT=${ghp:one}\nU=${ghp:two}\n")
	r.git("add", "a.txt")

	marker := filepath.Join(t.TempDir(), "ran")
	payload := filepath.Join(t.TempDir(), "payload.sh")
	script := "#!/bin/sh\necho \"$0 $*\" >> '" + marker + "'\ncat \"$@\" 2>/dev/null\nexit 0\n"
	if err := os.WriteFile(payload, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("replace", tokenCommit, decoy)
	hooks := t.TempDir()
	for _, h := range []string{"pre-commit", "post-index-change", "reference-transaction", "post-checkout", "fsmonitor-watchman"} {
		if err := os.WriteFile(filepath.Join(hooks, h), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, kv := range [][2]string{
		{"core.fsmonitor", payload},
		{"core.hooksPath", hooks},
		{"core.pager", payload},
		{"pager.log", payload},
		{"diff.external", payload},
		{"diff.evil.textconv", payload},
		{"diff.evil.command", payload},
		{"filter.evil.clean", payload},
		{"filter.evil.smudge", payload},
		{"filter.evil.process", payload},
		{"log.showSignature", "true"},
		{"gpg.program", payload},
		{"core.sshCommand", payload},
		{"diff.noprefix", "true"},
		{"core.quotePath", "false"},
		{"diff.orderFile", payload},
		{"color.ui", "always"},
		{"log.diffMerges", "combined"},
	} {
		r.git("config", kv[0], kv[1])
	}
	if err := os.WriteFile(filepath.Join(r.dir, ".git", "info", "attributes"), []byte("* diff=evil filter=evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	staged := gitWheres(scanSrc(t, &Staged{Git: r.g()}))
	rg, err := SinceRange(ctx, r.g(), base)
	if err != nil {
		t.Fatal(err)
	}
	ranged := gitWheres(scanSrc(t, rg))
	hist, err := scanHistory(ctx, &History{Git: r.g()}, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(marker); err == nil {
		t.Fatalf("a program named by the repository ran:\n%s", data)
	}
	if want := []gitWhere{{Path: "a.txt", Line: 3, Secret: tok("two")}}; !slices.Equal(staged, want) {
		t.Errorf("staged = %+v, want %+v", staged, want)
	}
	// The replace ref must not hide the commit that holds the token.
	if want := []gitWhere{{Path: "a.txt", Line: 2, Secret: tok("one"), Commit: tokenCommit}}; !slices.Equal(ranged, want) {
		t.Errorf("range = %+v, want %+v", ranged, want)
	}
	if got := gitWheres(hist); len(got) != 1 || got[0].Commit != tokenCommit {
		t.Errorf("history = %+v, want the token in %s", got, tokenCommit)
	}

	// Plain git runs the payload: the trap would have worked.
	cmd := exec.Command("git", "diff", "--cached")
	cmd.Dir = r.dir
	cmd.Run()
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("plain git diff --cached did not run the payload: the test proves nothing")
	}
}

func TestRangeAndHistoryOddFileNames(t *testing.T) {
	r := newRepo(t)
	r.write("base.txt", "base\n")
	base := r.commit("base")
	names := []string{"new\nline.txt", "sp ace.txt", "caf\xe9.txt", `q"uote.txt`}
	var want []gitWhere
	for i, n := range names {
		seed := "odd" + string(rune('a'+i))
		r.write(n, "v=${ghp:"+seed+"}\n")
		c := r.commit("add " + seed)
		want = append(want, gitWhere{Path: n, Line: 1, Secret: tok(seed), Commit: c})
	}
	slices.SortFunc(want, func(a, b gitWhere) int { return strings.Compare(a.Path, b.Path) })
	rg, err := SinceRange(context.Background(), r.g(), base)
	if err != nil {
		t.Fatal(err)
	}
	if got := gitWheres(scanSrc(t, rg)); !slices.Equal(got, want) {
		t.Errorf("range: %+v\nwant %+v", got, want)
	}
	res, err := scanHistory(context.Background(), &History{Git: r.g()}, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := gitWheres(res); !slices.Equal(got, want) {
		t.Errorf("history: %+v\nwant %+v", got, want)
	}
}

func TestHistoryReadersAgree(t *testing.T) {
	r := newRepo(t)
	for i := range 12 {
		r.write("f.txt", strings.Repeat("x\n", i)+"${ghp:r"+string(rune('a'+i))+"}\n")
		r.write("bin.dat", "\x00\x00"+strings.Repeat("b", i))
		r.commit("c")
	}
	var got [][]gitWhere
	for _, n := range []int{1, 2, 3} {
		res, err := scanHistory(context.Background(), &History{Git: r.g(), Readers: n}, scanner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stats.FilesScanned != 24 || res.Stats.BinaryFiles != 12 {
			t.Errorf("readers=%d: %d scanned, %d binary; want 24 and 12", n, res.Stats.FilesScanned, res.Stats.BinaryFiles)
		}
		got = append(got, gitWheres(res))
	}
	if len(got[0]) != 12 || !slices.Equal(got[0], got[1]) || !slices.Equal(got[0], got[2]) {
		t.Errorf("results differ with the number of readers:\n%+v\n%+v\n%+v", got[0], got[1], got[2])
	}
}

func TestDefaultReaders(t *testing.T) {
	// Half the CPUs go to git, never none and never more than two.
	for procs, want := range map[int]int{1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 64: 2} {
		if got := defaultReaders(procs); got != want {
			t.Errorf("defaultReaders(%d) = %d, want %d", procs, got, want)
		}
	}
}

// scanHistory scans h and attributes its findings, as the command does.
func scanHistory(ctx context.Context, h *History, opt scanner.Options) (*finding.Result, error) {
	res, err := scanner.Scan(ctx, h, opt)
	if err != nil {
		return res, err
	}
	return res, h.Attribute(ctx, res)
}

// TestRangeEvilMerge: a merge committed with lines that are in none of its
// parents (merged with --no-commit, then edited) adds those lines itself;
// what it takes from either side was added by that side's commits.
func TestRangeEvilMerge(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "1\n2\n3\n")
	base := r.commit("base")
	r.git("checkout", "-q", "-b", "side")
	r.write("a.txt", "1\n2\n3\nSIDE=${ghp:side}\n")
	r.write("side.txt", "s\n")
	side := r.commit("side")
	r.git("checkout", "-q", "main")
	r.write("a.txt", "0\n1\n2\n3\n")
	r.commit("main")
	r.git("merge", "-q", "--no-commit", "side")
	r.write("a.txt", "0\n1\nEVIL=${ghp:evil}\n2\n3\nSIDE=${ghp:side}\n")
	r.write("new.txt", "NEW=${ghp:newfile}\n")
	merge := r.commit("merge")

	rg, err := SinceRange(context.Background(), r.g(), base)
	if err != nil {
		t.Fatal(err)
	}
	got := gitWheres(scanSrc(t, rg))
	want := []gitWhere{
		{Path: "a.txt", Line: 3, Secret: tok("evil"), Commit: merge},
		{Path: "a.txt", Line: 4, Secret: tok("side"), Commit: side},
		{Path: "new.txt", Line: 1, Secret: tok("newfile"), Commit: merge},
	}
	slices.SortFunc(got, func(a, b gitWhere) int { return strings.Compare(a.Path+a.Secret, b.Path+b.Secret) })
	slices.SortFunc(want, func(a, b gitWhere) int { return strings.Compare(a.Path+a.Secret, b.Path+b.Secret) })
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if rg.Commits != 3 {
		t.Errorf("commits = %d, want 3", rg.Commits)
	}
	// git's combined diff agrees on which lines are the merge's own.
	cc := r.git("diff-tree", "--cc", "-U0", merge)
	for _, s := range []string{"++EVIL=", "++NEW="} {
		if !strings.Contains(cc, s) {
			t.Errorf("git diff-tree --cc has no %q:\n%s", s, cc)
		}
	}
	if strings.Contains(cc, "SIDE=") {
		t.Errorf("git diff-tree --cc shows the side's line as the merge's:\n%s", cc)
	}
}

// TestRangeCleanMergeAddsNothing: a merge with no text of its own, with a
// side whose tree is the merge's, reports nothing for the merge.
func TestRangeCleanMergeAddsNothing(t *testing.T) {
	r := newRepo(t)
	r.write("a.txt", "a\n")
	base := r.commit("base")
	r.git("checkout", "-q", "-b", "side")
	r.write("b.txt", "${ghp:side}\n")
	side := r.commit("side")
	r.git("checkout", "-q", "main")
	r.git("merge", "-q", "--no-ff", "-m", "merge", "side")
	r.git("checkout", "-q", "-b", "other", base)
	r.write("c.txt", "c\n")
	r.commit("other")
	r.git("checkout", "-q", "main")
	r.git("merge", "-q", "-m", "merge 2", "other")

	rg, err := SinceRange(context.Background(), r.g(), base)
	if err != nil {
		t.Fatal(err)
	}
	got := gitWheres(scanSrc(t, rg))
	want := []gitWhere{{Path: "b.txt", Line: 1, Secret: tok("side"), Commit: side}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if rg.Commits != 4 {
		t.Errorf("commits = %d, want 4", rg.Commits)
	}
}

// TestStagedNamedFiles: the files pre-commit passes ("pre-commit run
// --all-files" passes every tracked file). A named file with no staged
// change is scanned whole; one with staged changes is still judged by the
// lines it adds; a staged file that is not named is left to the caller.
func TestStagedNamedFiles(t *testing.T) {
	r := newRepo(t)
	r.write("old.env", "T=${ghp:old}\n")
	r.write("sub/dir file.txt", "x\nT=${ghp:spaced}\n")
	r.write("edited.env", "T=${ghp:edited}\n")
	r.commit("tokens committed earlier")
	r.write("edited.env", "T=${ghp:edited}\nMORE=1\n")
	r.write("other.env", "T=${ghp:other}\n")
	r.git("add", "-A")

	src := &Staged{Git: r.g(), Files: []string{"old.env", "sub/dir file.txt", "edited.env"}}
	got := gitWheres(scanSrc(t, src))
	want := []gitWhere{{Path: "old.env", Line: 1, Secret: tok("old")}, {Path: "sub/dir file.txt", Line: 2, Secret: tok("spaced")}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// Paths are relative to the directory git runs in.
	sub := Git{Dir: filepath.Join(r.dir, "sub")}
	got = gitWheres(scanSrc(t, &Staged{Git: sub, Files: []string{"dir file.txt", "../old.env"}}))
	if len(got) != 2 || got[0].Path != "old.env" || got[1].Path != "sub/dir file.txt" {
		t.Errorf("from a subdirectory: %+v", got)
	}
	// A name that is not in the index is an error, not a silent pass.
	if _, err := scanner.Scan(context.Background(), &Staged{Git: r.g(), Files: []string{"nope.env"}}, scanner.Options{}); err == nil {
		t.Errorf("a file that is not in the index: no error")
	}
}

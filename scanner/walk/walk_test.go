package walk_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/internal/unprivileged"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func scan(t *testing.T, src finding.Source, opt scanner.Options) *finding.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := scanner.Scan(ctx, src, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func skipsByPath(res *finding.Result) map[string]finding.SkipReason {
	m := map[string]finding.SkipReason{}
	for _, s := range res.Skipped {
		m[s.Path] = s.Reason
	}
	return m
}

// TestSpecialFiles: FIFOs, sockets and symbolic links (to files, to
// directories outside the root, in loops) are skipped with a reason, never
// opened or followed, and the walk ends.
func TestSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	outside := t.TempDir()
	tok := rulestest.Token(rulestest.ClassicPAT, "special")
	write(t, filepath.Join(dir, "real.txt"), tok)
	write(t, filepath.Join(outside, "secret.txt"), tok)
	mkfifo(t, filepath.Join(dir, "fifo"))
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	must(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "link-out")))
	must(t, os.Symlink(outside, filepath.Join(dir, "dir-out")))
	must(t, os.Symlink("loop", filepath.Join(dir, "loop")))
	must(t, os.Symlink(".", filepath.Join(dir, "self")))
	must(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero")))

	res := scan(t, &walk.Paths{Args: []string{dir}}, scanner.Options{})
	if len(res.Findings) != 1 || !strings.HasSuffix(res.Findings[0].Path, "/real.txt") {
		t.Fatalf("findings = %+v, want only real.txt", res.Findings)
	}
	skips := skipsByPath(res)
	want := map[string]finding.SkipReason{
		"fifo": finding.SkipNotRegular, "sock": finding.SkipNotRegular,
		"link-out": finding.SkipSymlink, "dir-out": finding.SkipSymlink, "loop": finding.SkipSymlink,
		"self": finding.SkipSymlink, "zero": finding.SkipSymlink,
	}
	for name, reason := range want {
		if got := skips[filepath.ToSlash(filepath.Join(dir, name))]; got != reason {
			t.Errorf("%s: skip reason %q, want %q", name, got, reason)
		}
	}
	if res.Stats.FilesSeen() != 1+len(want) {
		t.Errorf("files seen = %d, want %d", res.Stats.FilesSeen(), 1+len(want))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestTooLargeAndBinary(t *testing.T) {
	dir := t.TempDir()
	tok := rulestest.Token(rulestest.ClassicPAT, "big")
	write(t, filepath.Join(dir, "big.txt"), strings.Repeat("a", 2000)+" "+tok)
	write(t, filepath.Join(dir, "small.txt"), tok)
	write(t, filepath.Join(dir, "bin.dat"), "\x00\x01"+tok)
	res := scan(t, &walk.Paths{Args: []string{dir}}, scanner.Options{MaxFileSize: 1000})
	skips := skipsByPath(res)
	if skips[filepath.ToSlash(dir)+"/big.txt"] != finding.SkipTooLarge || len(skips) != 1 {
		t.Errorf("skips = %v", skips)
	}
	// Binary content is scanned too.
	if len(res.Findings) != 2 || res.Stats.FilesScanned != 2 || res.Stats.BinaryFiles != 1 {
		t.Errorf("findings %d, scanned %d, binary %d; want 2, 2, 1", len(res.Findings), res.Stats.FilesScanned, res.Stats.BinaryFiles)
	}
	// 0 means no limit.
	res = scan(t, &walk.Paths{Args: []string{dir}}, scanner.Options{MaxFileSize: 0})
	if len(res.Findings) != 3 {
		t.Errorf("without a limit: %d findings, want 3", len(res.Findings))
	}
}

func TestUnreadable(t *testing.T) {
	if !unprivileged.Run(t) { // root reads files whatever their mode
		return
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "locked.txt")
	write(t, p, rulestest.Token(rulestest.ClassicPAT, "locked"))
	must(t, os.Chmod(p, 0))
	must(t, os.Mkdir(filepath.Join(dir, "lockeddir"), 0))
	defer os.Chmod(filepath.Join(dir, "lockeddir"), 0o755)
	res := scan(t, &walk.Paths{Args: []string{dir}}, scanner.Options{})
	if res.Stats.Skipped[finding.SkipUnreadable] != 2 {
		t.Errorf("skipped = %+v, want 2 unreadable", res.Skipped)
	}
}

func TestArgsStdinAndFiles(t *testing.T) {
	dir := t.TempDir()
	a := rulestest.Token(rulestest.OAuth, "a")
	b := rulestest.Token(rulestest.ClassicPAT, "b")
	write(t, filepath.Join(dir, "one.txt"), a)
	write(t, filepath.Join(dir, "sub", "two.txt"), "x\n"+b)
	src := &walk.Paths{
		Args:  []string{filepath.Join(dir, "one.txt"), "-", filepath.Join(dir, "sub")},
		Stdin: strings.NewReader("from stdin: " + b + "\n"),
	}
	res := scan(t, src, scanner.Options{})
	var got []string
	for _, f := range res.Findings {
		got = append(got, strings.TrimPrefix(f.Path, filepath.ToSlash(dir)+"/")+":"+f.Rule.ID)
	}
	want := "-:github-pat-classic one.txt:github-oauth-token sub/two.txt:github-pat-classic"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestMissingRootIsAnError(t *testing.T) {
	_, err := scanner.Scan(context.Background(), &walk.Paths{Args: []string{filepath.Join(t.TempDir(), "nope")}}, scanner.Options{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("err = %v, want an error naming the path", err)
	}
}

// TestDeterministic scans the same tree with 1 and 8 workers: the results
// must be identical.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	for i := range 200 {
		write(t, filepath.Join(dir, string(rune('a'+i%26)), strings.Repeat("f", 1+i%7)+".txt"),
			strings.Repeat("\n", i%5)+rulestest.Token(rulestest.Kinds[i%len(rulestest.Kinds)], string(rune(i))))
	}
	one := scan(t, &walk.Paths{Args: []string{dir}}, scanner.Options{Workers: 1, Lookalikes: true})
	many := scan(t, &walk.Paths{Args: []string{dir}}, scanner.Options{Workers: 8, Lookalikes: true})
	if len(one.Findings) == 0 || len(one.Findings) != len(many.Findings) {
		t.Fatalf("%d vs %d findings", len(one.Findings), len(many.Findings))
	}
	for i := range one.Findings {
		if one.Findings[i].Path != many.Findings[i].Path || one.Findings[i].Line != many.Findings[i].Line || one.Findings[i].Secret != many.Findings[i].Secret {
			t.Fatalf("finding %d differs", i)
		}
	}
}

// TestOuterIgnoreFiles scans a subdirectory of a repository: the .gitignore
// files above it and .git/info/exclude still apply, relative to where they
// are.
func TestOuterIgnoreFiles(t *testing.T) {
	repo := t.TempDir()
	gitInit(t, repo)
	tok := rulestest.Token(rulestest.ClassicPAT, "outer")
	write(t, filepath.Join(repo, ".git", "info", "exclude"), "*.excluded\n")
	write(t, filepath.Join(repo, ".gitignore"), "*.secret\nsub/deep/\n/sub/anchored.txt\n")
	write(t, filepath.Join(repo, "sub", ".gitignore"), "local.txt\n")
	for _, name := range []string{"a.secret", "b.excluded", "deep/x.txt", "anchored.txt", "local.txt", "kept.txt", "other/deep/y.txt"} {
		write(t, filepath.Join(repo, "sub", filepath.FromSlash(name)), tok)
	}
	res := scan(t, &walk.Paths{Args: []string{filepath.Join(repo, "sub")}}, scanner.Options{})
	var got []string
	for _, f := range res.Findings {
		got = append(got, strings.TrimPrefix(f.Path, filepath.ToSlash(repo)+"/sub/"))
	}
	if strings.Join(got, " ") != "kept.txt other/deep/y.txt" {
		t.Errorf("scanned %v, want kept.txt and other/deep/y.txt", got)
	}
}

// gitInit makes dir a repository, with no user or system configuration.
func gitInit(t *testing.T, dir string) {
	t.Helper()
	rulestest.IsolateGit(t)
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
}

// TestIgnoreLikeGitOutsideRepository: outside a repository the walk applies
// .gitignore files with git's meaning. Each pattern below is one the walk
// once got wrong; git's own answer for the same tree is checked too.
func TestIgnoreLikeGitOutsideRepository(t *testing.T) {
	dir := t.TempDir()
	tok := rulestest.Token(rulestest.ClassicPAT, "outside")
	write(t, filepath.Join(dir, ".gitignore"), "config/*\n!config/example.env\n"+
		"foo/**\n!foo/bar/\n!foo/bar/**\n"+
		"deep/**/\n"+
		"[!x]y.dat\n[^q]z.dat\n"+
		"\\#hash\n\\!bang\ntrailing   \nescaped\\ \n")
	write(t, filepath.Join(dir, "sub", ".gitignore"), "*.log\n!keep.log\n")
	for _, name := range []string{
		"config/example.env", "config/local.env",
		"foo/bar/a", "foo/bar/baz/b", "foo/other/c", "foo/x",
		"deep/f", "deep/d/g",
		"xy.dat", "ay.dat", "qz.dat", "rz.dat",
		"#hash", "!bang", "trailing", "trailing   ", "escaped ", "escaped",
		"sub/a.log", "sub/keep.log", "sub/d/b.log",
	} {
		write(t, filepath.Join(dir, filepath.FromSlash(name)), tok)
	}
	want := []string{".gitignore", "config/example.env", "deep/f", "escaped", "foo/bar/a", "foo/bar/baz/b",
		"qz.dat", "sub/.gitignore", "sub/keep.log", "trailing   ", "xy.dat"}
	got := walked(t, dir)
	if !slices.Equal(got, want) {
		t.Errorf("walked %q\nwant   %q", got, want)
	}
	if gitOthers := newGitLister(t); gitOthers != nil && !slices.Equal(gitOthers(t, dir), want) {
		t.Errorf("git lists %q\nthe test expects %q", gitOthers(t, dir), want)
	}
}

// walked returns the paths a walk of dir yields, relative to it and sorted.
func walked(t testing.TB, dir string) []string {
	t.Helper()
	var got []string
	err := (&walk.Paths{Args: []string{dir}}).Walk(context.Background(), func(it finding.Item) error {
		got = append(got, strings.TrimPrefix(it.Path, filepath.ToSlash(dir)+"/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

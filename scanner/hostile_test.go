//go:build unix

package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/internal/unprivileged"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// countingSource counts the items its Source emits, so a test can check that
// every one of them was scanned or skipped.
type countingSource struct {
	finding.Source
	items int
	// before, when set, runs on each item before it is handed to Scan.
	before func(*finding.Item)
}

func (c *countingSource) Walk(ctx context.Context, emit func(finding.Item) error) error {
	return c.Source.Walk(ctx, func(it finding.Item) error {
		c.items++
		if c.before != nil {
			c.before(&it)
		}
		return emit(it)
	})
}

// scanAll scans src with a deadline: a hang fails the test instead of
// stalling CI, and checks that nothing was lost.
func scanAll(t *testing.T, src finding.Source, opt Options) *finding.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs := &countingSource{Source: src}
	if c, ok := src.(*countingSource); ok {
		cs = c
	}
	res, err := Scan(ctx, cs, opt)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	if seen := res.Stats.FilesSeen(); seen != cs.items {
		t.Errorf("%d items emitted, %d seen (%d scanned, %v skipped)", cs.items, seen, res.Stats.FilesScanned, res.Stats.Skipped)
	}
	return res
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func skipOf(res *finding.Result, path string) *finding.Skipped {
	for i := range res.Skipped {
		if res.Skipped[i].Path == path {
			return &res.Skipped[i]
		}
	}
	return nil
}

func findingPaths(res *finding.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Path)
	}
	return out
}

// TestHostileTree puts every kind of awkward entry in one tree: none may
// block, crash or vanish from the report.
func TestHostileTree(t *testing.T) {
	dir := t.TempDir()
	ghp := rulestest.Token(rulestest.ClassicPAT, "hostile")
	names := []string{"new\nline.txt", "bad-\xff\xfe-utf8.txt", "-leading-dash.txt", "--format=json", " space .txt", "tab\there.txt"}
	for _, n := range names {
		write(t, filepath.Join(dir, n), "token = "+ghp+"\n")
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	outside := t.TempDir()
	write(t, filepath.Join(outside, "secret.txt"), ghp)
	links := map[string]string{
		"loop-a":  "loop-b",
		"loop-b":  "loop-a",
		"self":    "self",
		"zero":    "/dev/zero",
		"outside": filepath.Join(outside, "secret.txt"),
		"up":      "..",
		"dangle":  "does-not-exist",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	res := scanAll(t, &walk.Paths{Args: []string{dir}, NoIgnore: true}, Options{Workers: 3, ChunkSize: 64})
	rel := func(n string) string { return filepath.ToSlash(filepath.Join(dir, n)) }
	for _, n := range names {
		if !slices.Contains(findingPaths(res), rel(n)) {
			t.Errorf("no finding in %q", n)
		}
	}
	for _, n := range []string{"fifo", "sock"} {
		if s := skipOf(res, rel(n)); s == nil || s.Reason != finding.SkipNotRegular {
			t.Errorf("%s: skip %+v, want not-regular", n, s)
		}
	}
	for name := range links {
		if s := skipOf(res, rel(name)); s == nil || s.Reason != finding.SkipSymlink {
			t.Errorf("%s: skip %+v, want symlink", name, s)
		}
	}
	if n := len(res.Findings); n != len(names) {
		t.Errorf("%d findings, want %d (links must not be followed): %q", n, len(names), findingPaths(res))
	}
}

// Explicit arguments are followed, like find -H, and read whatever they are:
// a device named on the command line is read up to the size limit, a
// symlink loop is an error.
func TestHostileArguments(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	res := scanAll(t, &walk.Paths{Args: []string{zero, "/dev/zero", "/dev/null"}}, Options{MaxFileSize: 100 << 10})
	if len(res.Skipped) != 2 || res.Stats.FilesScanned != 1 {
		t.Errorf("got %+v, %d scanned", res.Skipped, res.Stats.FilesScanned)
	}
	for _, s := range res.Skipped {
		if s.Reason != finding.SkipTooLarge {
			t.Errorf("%s: %s, want too-large", s.Path, s.Reason)
		}
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(context.Background(), &walk.Paths{Args: []string{loop}}, Options{}); err == nil {
		t.Error("a symlink loop as the root is not an error")
	}
}

// A file replaced by a FIFO between the walk and the read is refused when
// opened, not read (which would block forever).
func TestReplacedByFIFO(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	write(t, p, "x")
	src := &countingSource{Source: &walk.Paths{Args: []string{dir}}, before: func(it *finding.Item) {
		if it.Open != nil {
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Error(err)
			}
		}
	}}
	res := scanAll(t, src, Options{})
	if s := skipOf(res, filepath.ToSlash(p)); s == nil || s.Reason != finding.SkipNotRegular {
		t.Errorf("skip = %+v", s)
	}
}

func TestDeletedBeforeRead(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		write(t, filepath.Join(dir, fmt.Sprintf("f%d", i)), "x")
	}
	src := &countingSource{Source: &walk.Paths{Args: []string{dir}}, before: func(it *finding.Item) {
		if strings.HasSuffix(it.Path, "f3") {
			os.Remove(filepath.Join(dir, "f3"))
		}
	}}
	res := scanAll(t, src, Options{})
	s := skipOf(res, filepath.ToSlash(filepath.Join(dir, "f3")))
	if s == nil || s.Reason != finding.SkipUnreadable || !strings.Contains(s.Detail, "no such file") {
		t.Errorf("skip = %+v", s)
	}
	if res.Stats.FilesScanned != 9 {
		t.Errorf("scanned %d, want 9", res.Stats.FilesScanned)
	}
}

func TestPermissionDenied(t *testing.T) {
	if !unprivileged.Run(t) { // permission bits do not stop root
		return
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "locked.txt"), "x")
	os.Chmod(filepath.Join(dir, "locked.txt"), 0)
	os.Mkdir(filepath.Join(dir, "closed"), 0o755)
	write(t, filepath.Join(dir, "closed", "inner.txt"), "x")
	os.Chmod(filepath.Join(dir, "closed"), 0)
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "closed"), 0o755) })
	res := scanAll(t, &walk.Paths{Args: []string{dir}}, Options{})
	for _, n := range []string{"locked.txt", "closed/"} {
		// Not filepath.Join: it would drop the slash that marks a directory.
		if s := skipOf(res, filepath.ToSlash(dir)+"/"+n); s == nil || s.Reason != finding.SkipUnreadable {
			t.Errorf("%s: skip %+v", n, s)
		}
	}
}

// changingReader changes the file under it after the first read.
type changingReader struct {
	io.ReadCloser
	reads  int
	change func()
}

func (c *changingReader) Read(p []byte) (int, error) {
	c.reads++
	if c.reads == 2 {
		c.change()
	}
	return c.ReadCloser.Read(p)
}

func TestGrowsAndShrinksWhileRead(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "grow")
	late := rulestest.Token(rulestest.OAuth, "grow")
	dir := t.TempDir()
	grow := filepath.Join(dir, "grow.log")
	shrink := filepath.Join(dir, "shrink.log")
	// The token lies past the first read (keep+ChunkSize bytes, and at
	// least binarySniffLen), so a file that shrinks before the second read
	// loses it.
	body := strings.Repeat("x", binarySniffLen+500) + " " + ghp + "\n"
	write(t, grow, body)
	write(t, shrink, body)
	for _, limit := range []int64{0, binarySniffLen + 1000} {
		write(t, grow, body)
		write(t, shrink, body)
		src := &countingSource{Source: &walk.Paths{Args: []string{dir}}, before: func(it *finding.Item) {
			open := it.Open
			name := filepath.Join(dir, filepath.Base(it.Path))
			it.Open = func() (io.ReadCloser, error) {
				rc, err := open()
				if err != nil {
					return nil, err
				}
				return &changingReader{ReadCloser: rc, change: func() {
					if strings.HasPrefix(filepath.Base(name), "grow") {
						f, _ := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
						f.WriteString(strings.Repeat("y", 3000) + " " + late + "\n")
						f.Close()
					} else {
						os.Truncate(name, 100)
					}
				}}, nil
			}
		}}
		res := scanAll(t, src, Options{ChunkSize: 512, MaxFileSize: limit})
		var got []string
		for _, f := range res.Findings {
			got = append(got, filepath.Base(f.Path)+":"+f.Rule.ID)
		}
		want := []string{"grow.log:github-pat-classic", "grow.log:github-oauth-token"}
		if limit > 0 {
			// The file grew past the limit: what was read is scanned and
			// the file is reported as too large.
			want = want[:1]
			if s := skipOf(res, filepath.ToSlash(grow)); s == nil || s.Reason != finding.SkipTooLarge {
				t.Errorf("limit %d: grow skip %+v", limit, s)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("limit %d: findings %v, want %v", limit, got, want)
		}
	}
}

// A long file with no newline is read in bounded chunks; the token at its
// very end is found on line 1 at the right column.
func TestLongLineNoNewline(t *testing.T) {
	const size = 8 << 20
	ghp := rulestest.Token(rulestest.ClassicPAT, "longline")
	dir := t.TempDir()
	p := filepath.Join(dir, "min.js")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat("var a=1;", 1024))
	for n := 0; n < size; n += len(chunk) {
		f.Write(chunk)
	}
	f.WriteString(ghp)
	f.Close()
	res := scanAll(t, &walk.Paths{Args: []string{p}}, Options{ChunkSize: 4096})
	if len(res.Findings) != 1 || res.Findings[0].Line != 1 || res.Findings[0].Column != size+1 {
		t.Fatalf("findings %+v", res.Findings)
	}
}

func TestManyFilesOneDirectory(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	dir := fastTempDir(t)
	ghp := rulestest.Token(rulestest.ClassicPAT, "many")
	for i := range n {
		content := "nothing here\n"
		if i%1000 == 999 {
			content = ghp
		}
		write(t, filepath.Join(dir, fmt.Sprintf("f%06d.txt", i)), content)
	}
	res := scanAll(t, &walk.Paths{Args: []string{dir}}, Options{})
	if res.Stats.FilesScanned != n || len(res.Findings) != n/1000 {
		t.Errorf("scanned %d, %d findings", res.Stats.FilesScanned, len(res.Findings))
	}
}

// fastTempDir is a temporary directory in memory when the system has one:
// creating thousands of directories on a journaling disk costs seconds.
func fastTempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("/dev/shm", "ghtoken-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// TestDeepNesting builds a tree five times deeper than the system's path
// length limit: the walk must reach the bottom, not merely list it.
func TestDeepNesting(t *testing.T) {
	const depth = 10000
	ghp := rulestest.Token(rulestest.ClassicPAT, "deep")
	dir := fastTempDir(t)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	cur := root
	for i := range depth {
		if i == 100 || i == depth-1 {
			if err := cur.WriteFile("t.txt", []byte(ghp), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := cur.Mkdir("d", 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := cur.OpenRoot("d")
		if err != nil {
			t.Fatal(err)
		}
		if cur != root {
			cur.Close()
		}
		cur = next
	}
	cur.Close()
	res := scanAll(t, &walk.Paths{Args: []string{dir}}, Options{})
	want := []string{strings.Repeat("d/", 100) + "t.txt", strings.Repeat("d/", depth-1) + "t.txt"}
	if len(res.Findings) != 2 || len(res.Skipped) != 0 {
		t.Fatalf("%d findings, %d skipped (%v)", len(res.Findings), len(res.Skipped), res.Stats.Skipped)
	}
	// Paths sort the deeper file first ("d/..." < "t.txt").
	for i, f := range res.Findings {
		if !strings.HasSuffix(f.Path, "/"+want[1-i]) || f.Line != 1 {
			t.Errorf("finding %d at %d levels (line %d), want %d", i, strings.Count(f.Path, "d/"), f.Line, strings.Count(want[1-i], "d/"))
		}
	}
}

// A huge, malformed or pathological .gitignore must not stop or stall the
// walk.
func TestPathologicalGitignore(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(strings.Repeat("a", 2<<20) + "\n") // one line longer than any buffer
	for i := range 2000 {
		fmt.Fprintf(&b, "%s/**/x%d*\n", strings.Repeat("**/", 20), i)
	}
	// A NUL ends a line's pattern, as in git: "\x00**" names nothing.
	b.WriteString("[\n\\\n!\n/\n\x00**\n" + strings.Repeat("*?", 500) + "\n")
	b.WriteString("ignored.txt\n")
	write(t, filepath.Join(dir, ".gitignore"), b.String())
	ghp := rulestest.Token(rulestest.ClassicPAT, "ign")
	for i := range 50 {
		write(t, filepath.Join(dir, fmt.Sprintf("keep%02d.txt", i)), "x")
	}
	write(t, filepath.Join(dir, "ignored.txt"), ghp)
	write(t, filepath.Join(dir, "kept.txt"), ghp)
	res := scanAll(t, &walk.Paths{Args: []string{dir}}, Options{})
	if got := findingPaths(res); len(got) != 1 || !strings.HasSuffix(got[0], "/kept.txt") {
		t.Errorf("findings %v: the pattern after the pathological ones must still apply", got)
	}
}

func TestCancelledScanStops(t *testing.T) {
	dir := t.TempDir()
	for i := range 100 {
		write(t, filepath.Join(dir, fmt.Sprint(i)), "x")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Scan(ctx, &walk.Paths{Args: []string{dir}}, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

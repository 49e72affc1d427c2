package ignore

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitCases are .gitignore contents, a path (a directory when it ends in
// "/") and whether git ignores it. Each is asked of git too when it is
// installed, so the table cannot drift from git.
var gitCases = []struct {
	gitignore, path string
	want            bool
}{
	// Sets.
	{"[!x]y.dat\n", "ay.dat", true},
	{"[!x]y.dat\n", "xy.dat", false},
	{"[^x]y.dat\n", "xy.dat", false},
	{"[^x]y.dat\n", "by.dat", true},
	{"[]]x\n", "]x", true},
	{"[!]]x\n", "]x", false},
	{"[a-c]x\n", "bx", true},
	{"[a-c]x\n", "dx", false},
	{"[a-]x\n", "-x", true},
	{"[[:digit:]]x\n", "7x", true},
	{"[[:digit:]]x\n", "ax", false},
	{"[[:space:]]x\n", "\vx", false},
	{"[[:punct:]]x\n", "_x", true},
	{"[[:nope:]]x\n", "nx", false},
	// Every class git knows, in and out.
	{"[[:alnum:]]x\n", "7x", true},
	{"[[:alnum:]]x\n", "-x", false},
	{"[[:alpha:]]x\n", "qx", true},
	{"[[:alpha:]]x\n", "7x", false},
	{"[[:blank:]]x\n", "\tx", true},
	{"[[:blank:]]x\n", "\rx", false},
	{"[[:cntrl:]]x\n", "\x01x", true},
	{"[[:cntrl:]]x\n", "ax", false},
	{"[[:graph:]]x\n", "~x", true},
	{"[[:graph:]]x\n", " x", false},
	{"[[:lower:]]x\n", "qx", true},
	{"[[:lower:]]x\n", "Qx", false},
	{"[[:print:]]x\n", " x", true},
	{"[[:print:]]x\n", "\x7fx", false},
	{"[[:space:]]x\n", "\rx", true},
	{"[[:upper:]]x\n", "Qx", true},
	{"[[:upper:]]x\n", "qx", false},
	{"[[:xdigit:]]x\n", "Fx", true},
	{"[[:xdigit:]]x\n", "gx", false},
	{"[[:digit:][:upper:]]x\n", "Qx", true},
	{"a[b\n", "a[b", false},
	{"[[:alpha:]\n", "[[:alpha:]", false},
	{"[\\]]x\n", "]x", true},
	// Stars.
	{"foo/**\n", "foo/", false},
	{"foo/**\n", "foo/x", true},
	{"**/foo\n", "a/b/foo", true},
	{"a/**/b\n", "a/b", true},
	{"a/**/b\n", "a/x/y/b", true},
	{"a**/b\n", "axy/z/b", true},
	{"x/a**b\n", "x/ac/db", false},
	{"a/*\n", "a/b/c", true},
	{"a/*/c\n", "a/b/c", true},
	{"a/*/c\n", "a/b/d/c", false},
	{"*.log\n", "deep/down/x.log", true},
	{"/*.log\n", "deep/x.log", false},
	{"d?\n", "d/", false},
	// Directory-only patterns.
	{"deep/**/\n", "deep/f", false},
	{"deep/**/\n", "deep/d/", true},
	{"build/\n", "build", false},
	{"build/\n", "build/", true},
	{"build/\n", "x/build/", true},
	// Anchoring: a slash at the start or in the middle anchors.
	{"doc/frotz\n", "a/doc/frotz", false},
	{"doc/frotz\n", "doc/frotz", true},
	{"/frotz\n", "a/frotz", false},
	// Escapes, comments, spaces, line ends.
	{"\\#hash\n", "#hash", true},
	{"#hash\n", "#hash", false},
	{"\\!bang\n", "!bang", true},
	{"trail   \n", "trail", true},
	{"trail\\ \n", "trail ", true},
	{"trail\\ \n", "trail", false},
	{" lead\n", " lead", true},
	{"crlf\r\n", "crlf", true},
	{"\xef\xbb\xbfbom\n", "bom", true},
	{"end\\\n", "end", false},
	{"nul\x00tail\n", "nul", true},
	// Negation: the last match wins, and nothing re-includes a file
	// below an excluded directory.
	{"*.log\n!keep.log\n", "keep.log", false},
	{"config/*\n!config/example.env\n", "config/example.env", false},
	{"config/*\n!config/example.env\n", "config/other", true},
	{"foo/**\n!foo/bar/\n!foo/bar/**\n", "foo/bar/a", false},
	{"foo/**\n!foo/bar/\n!foo/bar/**\n", "foo/baz/a", true},
	{"out/\n!out/keep\n", "out/keep", true},
	{"/\n", "x", false},
	{"!\n", "x", false},
}

func TestMatchesLikeGit(t *testing.T) {
	git := gitChecker(t)
	for _, c := range gitCases {
		rel, isDir := strings.CutSuffix(c.path, "/")
		f := Parse("", []byte(c.gitignore))
		got := f.MatchesPath(rel)
		if isDir {
			got = got || (Stack{f}).Ignored(rel, true)
		}
		if got != c.want {
			t.Errorf("%q, path %q: ignored = %v, want %v", c.gitignore, c.path, got, c.want)
		}
		if git != nil {
			if fromGit := git(c.gitignore, c.path); fromGit != c.want {
				t.Errorf("%q, path %q: git says ignored = %v, the table %v", c.gitignore, c.path, fromGit, c.want)
			}
		}
	}
}

// gitChecker returns a function that asks git check-ignore --no-index
// whether path is ignored by gitignore, or nil when git is not installed.
func gitChecker(t *testing.T) func(gitignore, path string) bool {
	if _, err := exec.LookPath("git"); err != nil {
		return nil
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	// One empty repository kept aside serves every case: each tree is a
	// plain directory used as its work tree.
	gitDir := filepath.Join(t.TempDir(), "repo.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", gitDir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	return func(gitignore, path string) bool {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(gitignore), 0o644); err != nil {
			t.Fatal(err)
		}
		// check-ignore reads the type of a path from the disk.
		rel, isDir := strings.CutSuffix(path, "/")
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if isDir {
			err := os.Mkdir(p, 0o755)
			if err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("git", "--git-dir="+gitDir, "--work-tree=.", "-c", "core.bare=false",
			"check-ignore", "-q", "--no-index", "--", rel)
		cmd.Dir = dir
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
			return false
		} else if err != nil {
			t.Fatalf("git check-ignore %q: %v", rel, err)
		}
		return true
	}
}

// FuzzWildmatch: no panic and no runaway time on any pattern and text.
func FuzzWildmatch(f *testing.F) {
	f.Add("a/**/b*[!x]?", "a/c/d/bxyz", true)
	f.Add("[[:alpha:]-z]\\", "q", false)
	f.Add(strings.Repeat("*a", 30)+"b", strings.Repeat("a", 60), true)
	f.Fuzz(func(t *testing.T, pattern, text string, pathname bool) {
		wildmatch(pattern, text, pathname)
		neverMatches(pattern)
	})
}

// TestWildmatchStaysPolynomial: git's matcher takes exponential time on
// these; a match must end, and when it is given up the path is scanned.
func TestWildmatchStaysPolynomial(t *testing.T) {
	for _, n := range []int{32, 100} {
		if m, complete := wildmatch(strings.Repeat("*a", n), strings.Repeat("a", n-1)+"0", false); m || !complete {
			t.Errorf("%d stars: matched %v, complete %v", n, m, complete)
		}
	}
	huge := strings.Repeat("*a", 400)
	text := strings.Repeat("a", 399) + "0"
	if _, complete := wildmatch(huge, text, false); complete {
		t.Errorf("400 stars against 400 characters: not given up")
	}
	excl := Stack{Parse("", []byte(huge+"\n"))}
	if excl.Ignored(text, false) {
		t.Errorf("an exclusion given up hides the file")
	}
	neg := Stack{Parse("", []byte("*\n!"+huge+"\n"))}
	if neg.Ignored(text, false) {
		t.Errorf("a negation given up hides the file")
	}
}

package walk_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzIgnoreMatchesGit writes a tree with random .gitignore files (at the top
// and in a/) and random paths into a directory outside any repository, walks
// it, and compares the files walked with the files git ls-files --others
// --exclude-standard lists for the same tree. Git is the reference: any
// difference is a bug in the walk's matcher. The directory is then made a
// repository and walked again, which must give git's list too (there the
// walk follows git's list and must enter every directory it names).
func FuzzIgnoreMatchesGit(f *testing.F) {
	gitOthers := newGitLister(f)
	if gitOthers == nil {
		f.Skip("git is not installed")
	}
	home := f.TempDir()
	f.Setenv("HOME", home)
	f.Setenv("XDG_CONFIG_HOME", home)
	f.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	paths := "config/example.env\nconfig/x\nfoo/bar/a\nfoo/bar/baz/b\nfoo/o/c\ndeep/f\ndeep/d/g\nxy.dat\nay.dat\na/b/c.log\na/keep.log\n#x\n!y\nt \n" +
		"p.go\np-x/a\np/q\np/r/s\n"
	f.Add([]byte("config/*\n!config/example.env\n"), []byte(""), paths)
	f.Add([]byte("foo/**\n!foo/bar/\n!foo/bar/**\n"), []byte("*.log\n!keep.log\n"), paths)
	f.Add([]byte("deep/**/\n[!x]y.dat\n"), []byte("/b/\n"), paths)
	f.Add([]byte("\\#x\n\\!y\nt\\ \n**/c.log\n"), []byte("b\n!b/c.log\n"), paths)
	f.Add([]byte("[[:alpha:]]y.dat\na/**/c*\n*/\n!deep/\n"), []byte("\xef\xbb\xbf*\r\n!*.log\n"), paths)
	f.Fuzz(func(t *testing.T, top, sub []byte, list string) {
		if len(top) > 256 || len(sub) > 256 || len(list) > 512 {
			t.Skip()
		}
		dir := t.TempDir()
		writeBytes(t, filepath.Join(dir, ".gitignore"), top)
		if len(sub) > 0 {
			writeBytes(t, filepath.Join(dir, "a", ".gitignore"), sub)
		}
		n := 0
		for p := range strings.SplitSeq(list, "\n") {
			if n == 32 || !usablePath(p) {
				continue
			}
			full := filepath.Join(dir, filepath.FromSlash(p))
			if os.MkdirAll(filepath.Dir(full), 0o755) != nil {
				continue // a file where a directory would go
			}
			if _, err := os.Lstat(full); err == nil {
				continue
			}
			if os.WriteFile(full, nil, 0o644) == nil {
				n++
			}
		}
		ours := walked(t, dir)
		theirs := gitOthers(t, dir)
		if !slices.Equal(ours, theirs) {
			t.Fatalf("top .gitignore %q, a/.gitignore %q:\nwalked %q\ngit    %q", top, sub, ours, theirs)
		}
		if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		if inRepo := walked(t, dir); !slices.Equal(inRepo, theirs) {
			t.Errorf("top .gitignore %q, a/.gitignore %q, in a repository:\nwalked %q\ngit    %q", top, sub, inRepo, theirs)
		}
	})
}

// usablePath reports whether p can be a file in both trees: relative,
// components neither empty nor "." or "..", no .git, no .gitignore (the
// test writes those).
func usablePath(p string) bool {
	if p == "" || strings.ContainsRune(p, 0) {
		return false
	}
	for c := range strings.SplitSeq(p, "/") {
		if c == "" || c == "." || c == ".." || c == ".git" || c == ".gitignore" || len(c) > 200 {
			return false
		}
	}
	return true
}

func writeBytes(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// newGitLister returns a function listing what git ls-files --others
// --exclude-standard gives for a directory used as the work tree of an empty
// repository kept elsewhere (so the directory stays outside any
// repository), sorted; nil when git is not installed.
func newGitLister(tb testing.TB) func(t testing.TB, dir string) []string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		return nil
	}
	gitDir := filepath.Join(tb.TempDir(), "repo.git")
	home := tb.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1")
	cmd := exec.Command("git", "init", "-q", "--bare", gitDir)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git init: %v\n%s", err, out)
	}
	return func(t testing.TB, dir string) []string {
		t.Helper()
		cmd := exec.Command("git", "--git-dir="+gitDir, "--work-tree=.", "-c", "core.bare=false",
			"ls-files", "-z", "--others", "--exclude-standard")
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git ls-files: %v", err)
		}
		var paths []string
		for p := range strings.SplitSeq(string(out), "\x00") {
			if p != "" {
				paths = append(paths, p)
			}
		}
		slices.Sort(paths)
		return paths
	}
}

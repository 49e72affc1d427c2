package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// gitTree makes a repository (as gitRepo) holding files, each a token
// unless given, and returns its top.
func gitTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := gitRepo(t)
	rulestest.WriteFiles(t, dir, files)
	return dir
}

// scannedPaths runs "ghtoken scan ARGS --format json" in dir and returns the
// paths of the findings, sorted.
func scannedPaths(t *testing.T, dir string, args ...string) (int, []string, string) {
	t.Helper()
	code, out, stderr := runIn(t, dir, nil, append(append([]string{"scan"}, args...), "--format", "json")...)
	var doc report.JSONDoc
	if code != exitError {
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
	}
	var paths []string
	for _, f := range doc.Findings {
		paths = append(paths, f.Path)
	}
	slices.Sort(paths)
	return code, slices.Compact(paths), stderr
}

// TestWalkScansWhatGitWouldCommit: inside a work tree, the files scanned are
// the files git would commit (git ls-files --cached --others
// --exclude-standard), each pattern below being one the walk's own
// .gitignore matcher got wrong, plus what only git knows: a tracked file that
// an ignore pattern matches, core.excludesFile, .git/info/exclude.
func TestWalkScansWhatGitWouldCommit(t *testing.T) {
	tok := "${ghp:walk}\n"
	dir := gitTree(t, map[string]string{
		".gitignore": "config/*\n!config/example.env\n" +
			"foo/**\n!foo/bar/\n!foo/bar/**\n" +
			"deep/**/\n" +
			"[!x]y.dat\n" +
			".env\n",
		"config/example.env": tok, "config/local.env": tok,
		"foo/bar/a": tok, "foo/bar/baz/b": tok, "foo/other/c": tok, "foo/x": tok,
		"deep/f": tok, "deep/d/g": tok,
		"xy.dat": tok, "ay.dat": tok,
		".env":            tok,
		"global-excluded": tok, "info-excluded": tok,
		"kept.txt": tok,
	})
	excludes := filepath.Join(t.TempDir(), "excludes")
	if err := os.WriteFile(excludes, []byte("global-excluded\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "config", "core.excludesFile", excludes)
	if err := os.WriteFile(filepath.Join(dir, ".git", "info", "exclude"), []byte("info-excluded\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "add", "-f", ".env") // tracked although ignored: committed content

	want := []string{".env", "config/example.env", "deep/f", "foo/bar/a", "foo/bar/baz/b", "kept.txt", "xy.dat"}
	code, got, stderr := scannedPaths(t, dir)
	if code != exitFindings || !slices.Equal(got, want) {
		t.Errorf("code %d, scanned %q, want %q\n%s", code, got, want, stderr)
	}
	// The same list from git itself, so the test says what it relies on.
	var fromGit []string
	for p := range strings.SplitSeq(gitIn(t, dir, "ls-files", "--cached", "--others", "--exclude-standard"), "\n") {
		if p != ".gitignore" {
			fromGit = append(fromGit, p)
		}
	}
	slices.Sort(fromGit)
	if !slices.Equal(fromGit, want) {
		t.Errorf("git ls-files lists %q, the test expects %q", fromGit, want)
	}

	// --no-ignore keeps its meaning: the ignored files too.
	_, all, _ := scannedPaths(t, dir, "--no-ignore")
	if len(all) != 14 {
		t.Errorf("--no-ignore scanned %d files (%q), want all 14", len(all), all)
	}
}

// TestWalkDirectoryWithSiblings: a directory is entered although names
// that sort between "pkg" and "pkg/" ("pkg.go", "pkg-x/") are listed too.
func TestWalkDirectoryWithSiblings(t *testing.T) {
	tok := "${ghp:sibling}\n"
	dir := gitTree(t, map[string]string{
		"pkg.go": tok, "pkg-x/a": tok, "pkg+y": tok, "pkg/inside.go": tok, "pkg/sub/deeper.go": tok,
	})
	gitIn(t, dir, "add", "-A")
	code, got, stderr := scannedPaths(t, dir)
	want := []string{"pkg+y", "pkg-x/a", "pkg.go", "pkg/inside.go", "pkg/sub/deeper.go"}
	if code != exitFindings || !slices.Equal(got, want) {
		t.Errorf("code %d, scanned %q, want %q\n%s", code, got, want, stderr)
	}
}

// TestWalkSubdirectoryOfRepository: a subdirectory is scanned with the rules
// git applies there, patterns of the top's .gitignore included.
func TestWalkSubdirectoryOfRepository(t *testing.T) {
	tok := "${ghp:sub}\n"
	dir := gitTree(t, map[string]string{
		".gitignore":   "sub/*.log\n/sub/anchored\n",
		"sub/a.log":    tok,
		"sub/anchored": tok,
		"sub/kept.txt": tok,
		"other.txt":    tok,
	})
	code, got, stderr := scannedPaths(t, filepath.Join(dir, "sub"), ".")
	if code != exitFindings || !slices.Equal(got, []string{"kept.txt"}) {
		t.Errorf("code %d, scanned %q, want kept.txt\n%s", code, got, stderr)
	}
}

// TestWalkNamedIgnoredDirectory: a directory that git ignores is scanned
// whole when it is named on the command line; the user asked for it.
func TestWalkNamedIgnoredDirectory(t *testing.T) {
	tok := "${ghp:named}\n"
	dir := gitTree(t, map[string]string{
		".gitignore":   "build/\n",
		"build/a.txt":  tok,
		"build/x/b.js": tok,
		"src.txt":      tok,
	})
	code, got, _ := scannedPaths(t, dir, "build")
	if code != exitFindings || !slices.Equal(got, []string{"build/a.txt", "build/x/b.js"}) {
		t.Errorf("code %d, scanned %q", code, got)
	}
	if _, got, _ = scannedPaths(t, dir); !slices.Equal(got, []string{"src.txt"}) {
		t.Errorf("walk of the top scanned %q, want src.txt", got)
	}
}

// TestWalkNestedRepository: a repository inside the tree (an untracked one,
// or a submodule) is scanned with its own ignore rules.
func TestWalkNestedRepository(t *testing.T) {
	tok := "${ghp:nested}\n"
	dir := gitTree(t, map[string]string{
		"top.txt":                 tok,
		"nested/.gitignore":       "*.tmp\n",
		"nested/in.txt":           tok,
		"nested/drop.tmp":         tok,
		"nested/tracked/dist.tmp": tok,
	})
	gitIn(t, filepath.Join(dir, "nested"), "init", "-q")
	gitIn(t, filepath.Join(dir, "nested"), "add", "-f", "tracked/dist.tmp")
	code, got, stderr := scannedPaths(t, dir)
	want := []string{"nested/in.txt", "nested/tracked/dist.tmp", "top.txt"}
	if code != exitFindings || !slices.Equal(got, want) {
		t.Errorf("code %d, scanned %q, want %q\n%s", code, got, want, stderr)
	}
}

// TestWalkGitFailureIsAnError: when git cannot say which files it would
// commit, the scan fails with git's reason; it never falls back to a guess,
// let alone to "clean".
func TestWalkGitFailureIsAnError(t *testing.T) {
	dir := gitTree(t, map[string]string{"a.txt": "${ghp:broken}\n"})
	if err := os.WriteFile(filepath.Join(dir, ".git", "config"), []byte("[core\nbroken"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runIn(t, dir, nil, "scan")
	if code != exitError || !strings.Contains(stderr, "bad config") {
		t.Errorf("code %d, stderr %q; want exit 2 with git's reason", code, stderr)
	}
	// --no-ignore does not need git.
	if code, _, stderr := runIn(t, dir, nil, "scan", "--no-ignore"); code != exitFindings {
		t.Errorf("--no-ignore: code %d, stderr %q", code, stderr)
	}
}

// A file on disk that git tracks under another spelling (here the case
// differs, with core.ignorecase as a repository copied from macOS or
// Windows has it; macOS's decomposed Unicode names are the same story) is
// scanned: the walk leaves out only what git says it ignores.
func TestWalkScansAFileGitSpellsDifferently(t *testing.T) {
	dir := gitTree(t, map[string]string{"Config.env": "T=${ghp:spelling}\n"})
	gitIn(t, dir, "add", "Config.env")
	gitIn(t, dir, "commit", "-qm", "config")
	if err := os.Rename(filepath.Join(dir, "Config.env"), filepath.Join(dir, "config.env")); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "config", "core.ignorecase", "true")
	code, paths, stderr := scannedPaths(t, dir, ".")
	if code != exitFindings || len(paths) != 1 || paths[0] != "config.env" {
		t.Errorf("exit %d, findings in %v, want 1 in config.env\n%s", code, paths, stderr)
	}
}

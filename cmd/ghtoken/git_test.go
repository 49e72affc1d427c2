package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/gitsource"
)

// TestHelperGhtoken is not a test: the hook tests run the test binary as
// "ghtoken" through a wrapper script, and this is its main.
func TestHelperGhtoken(t *testing.T) {
	if os.Getenv("GHTOKEN_HELPER") != "1" {
		t.Skip("helper process")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
}

// gitRepo makes a repository with no user or system configuration.
func gitRepo(t *testing.T) string {
	t.Helper()
	rulestest.IsolateGit(t)
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q", "-b", "main")
	return dir
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(rulestest.Expand(text)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runIn runs ghtoken with git commands in dir.
func runGitMode(t *testing.T, dir string, getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv, dir: dir}
	code = e.dispatch(args)
	return code, out.String(), errb.String()
}

func TestScanStagedExitCodesAndAdvice(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.txt", "a\n")
	gitIn(t, dir, "add", "a.txt")
	if code, _, stderr := runGitMode(t, dir, nil, "scan", "--staged"); code != exitClean {
		t.Fatalf("clean index: exit %d\n%s", code, stderr)
	}
	writeFile(t, dir, "a.txt", "a\nT=${ghp:staged}\n")
	gitIn(t, dir, "add", "a.txt")
	code, stdout, stderr := runGitMode(t, dir, nil, "scan", "--staged", "--format", "json")
	if code != exitFindings {
		t.Fatalf("token staged: exit %d, want 1\n%s", code, stderr)
	}
	// No commit yet: there is no HEAD for git restore --staged to use.
	if !strings.Contains(stderr, "(git rm --cached FILE)") || strings.Contains(stderr, "git restore --staged") || !strings.Contains(stderr, "gh auth login") {
		t.Errorf("no advice on how to proceed on a first commit:\n%s", stderr)
	}
	var doc struct {
		Findings []struct {
			Path, Blob string
			Line       int
			Secret     string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Line != 2 || doc.Findings[0].Blob == "" || strings.Contains(stdout, rulestest.Token("ghp", "staged")) {
		t.Errorf("findings = %+v (the token must be masked)", doc.Findings)
	}

	gitIn(t, dir, "commit", "--no-verify", "-qm", "first")
	writeFile(t, dir, "b.txt", "T=${ghp:staged2}\n")
	gitIn(t, dir, "add", "b.txt")
	if code, _, stderr := runGitMode(t, dir, nil, "scan", "--staged"); code != exitFindings || !strings.Contains(stderr, "(git restore --staged FILE)") {
		t.Errorf("a later commit: exit %d, want 1 with git restore --staged\n%s", code, stderr)
	}

	for _, args := range [][]string{
		{"scan", "--since", "no-such-rev"},
		{"scan", "--staged", "--history"},
		{"scan", "--all-lines"},
		{"scan", "--staged", "some/path"},
		{"scan", "--ci"},
	} {
		if code, _, stderr := runGitMode(t, dir, nil, args...); code != exitError || !strings.Contains(stderr, "ghtoken") {
			t.Errorf("%v: exit %d, want 2 with a message\n%s", args, code, stderr)
		}
	}
	if code, _, stderr := runGitMode(t, t.TempDir(), nil, "scan", "--staged"); code != exitError || !strings.Contains(stderr, "not a git repository") || !strings.Contains(stderr, "what to do") {
		t.Errorf("outside a repository: exit %d\n%s", code, stderr)
	}
}

func TestScanCISaysWhichRange(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.txt", "a\n")
	gitIn(t, dir, "add", "a.txt")
	gitIn(t, dir, "commit", "-qm", "one")
	base := gitIn(t, dir, "rev-parse", "HEAD")
	writeFile(t, dir, "b.txt", "${ghp:ci}\n")
	gitIn(t, dir, "add", "b.txt")
	gitIn(t, dir, "commit", "-qm", "two")
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"before":"`+base+`"}`), 0o644)
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event}
	code, stdout, stderr := runGitMode(t, dir, func(k string) string { return env[k] }, "scan", "--ci", "--no-color")
	if code != exitFindings || !strings.Contains(stderr, base+"..HEAD") || !strings.Contains(stdout, "b.txt:1:1") || !strings.Contains(stdout, "from 1 commit") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestInstallHook(t *testing.T) {
	dir := gitRepo(t)
	helperOnPath(t)
	hook := filepath.Join(dir, ".git", "hooks", "pre-commit")
	if code, _, stderr := runGitMode(t, dir, nil, "install-hook"); code != exitClean {
		t.Fatalf("install: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(hook)
	if err != nil || !bytes.Contains(data, []byte(hookMarker)) {
		t.Fatalf("hook not written: %v", err)
	}
	if info, _ := os.Stat(hook); info.Mode()&0o111 == 0 {
		t.Errorf("hook is not executable: %v", info.Mode())
	}
	// A hook that is not ours is neither replaced nor removed.
	os.WriteFile(hook, []byte("#!/bin/sh\necho mine\n"), 0o755)
	code, _, stderr := runGitMode(t, dir, nil, "install-hook")
	if code != exitError || !strings.Contains(stderr, "ghtoken scan --staged || exit 1") || !strings.Contains(stderr, "--force") {
		t.Errorf("foreign hook: exit %d\n%s", code, stderr)
	}
	if code, _, _ := runGitMode(t, dir, nil, "uninstall-hook"); code != exitError {
		t.Errorf("uninstall of a foreign hook: exit %d, want 2", code)
	}
	if data, _ := os.ReadFile(hook); string(data) != "#!/bin/sh\necho mine\n" {
		t.Errorf("foreign hook changed: %q", data)
	}
	if code, _, _ := runGitMode(t, dir, nil, "install-hook", "--force"); code != exitClean {
		t.Errorf("--force: exit %d", code)
	}
	if code, _, _ := runGitMode(t, dir, nil, "uninstall-hook"); code != exitClean {
		t.Errorf("uninstall: exit %d", code)
	}
	if _, err := os.Stat(hook); !os.IsNotExist(err) {
		t.Errorf("hook still there after uninstall: %v", err)
	}
	// core.hooksPath is honoured.
	gitIn(t, dir, "config", "core.hooksPath", "myhooks")
	if code, _, stderr := runGitMode(t, dir, nil, "install-hook"); code != exitClean {
		t.Fatalf("install with core.hooksPath: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "myhooks", "pre-commit")); err != nil {
		t.Errorf("core.hooksPath not honoured: %v", err)
	}
}

// TestHookStopsACommit runs a real git commit through the installed hook,
// with the test binary standing in for ghtoken in PATH.
// With no ghtoken on PATH, install-hook run from a temporary build (go run,
// or this test binary) refuses: the hook would name a binary that is about
// to be deleted and stop every commit.
func TestInstallHookRefusesATemporaryBuild(t *testing.T) {
	dir := gitRepo(t)
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	onlyGit := t.TempDir()
	if err := os.Symlink(gitPath, filepath.Join(onlyGit, "git")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", onlyGit)
	code, _, stderr := runGitMode(t, dir, nil, "install-hook")
	if code != exitError || !strings.Contains(stderr, "temporary build") || !strings.Contains(stderr, "go install") {
		t.Errorf("exit %d, want 2 saying why\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "hooks", "pre-commit")); !os.IsNotExist(err) {
		t.Errorf("a hook was written: %v", err)
	}
	for exe, want := range map[string]bool{
		"/tmp/go-build123/b001/exe/ghtoken":    true,
		"/tmp/go-build4/b001/ghtoken.test":     true,
		"/home/ada/go/bin/ghtoken":             false,
		"/usr/local/bin/ghtoken":               false,
		"/home/ada/src/go-builder/bin/ghtoken": false,
		"/home/ada/src/ghtoken/ghtoken":        false,
	} {
		if got := temporaryBuild(exe); got != want {
			t.Errorf("temporaryBuild(%q) = %v, want %v", exe, got, want)
		}
	}
}

// A hook for a binary that is not on PATH names it by its absolute path,
// quoted so that any directory name works.
func TestHookScriptForAPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "it's here")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "ghtoken")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho \"ran with $*\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	hook := filepath.Join(t.TempDir(), "pre-commit")
	if err := os.WriteFile(hook, []byte(hookScriptFor(bin)), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(hook).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ran with scan --staged" {
		t.Errorf("hook: %v\n%s", err, out)
	}
	os.Remove(bin)
	out, err = exec.Command(hook).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "is gone") {
		t.Errorf("hook with its binary gone: %v (want a failure)\n%s", err, out)
	}
}

func TestHookStopsACommit(t *testing.T) {
	dir := gitRepo(t)
	helperOnPath(t)
	if code, _, stderr := runGitMode(t, dir, nil, "install-hook"); code != exitClean {
		t.Fatalf("install: exit %d\n%s", code, stderr)
	}
	writeFile(t, dir, "ok.txt", "fine\n")
	gitIn(t, dir, "add", "ok.txt")
	gitIn(t, dir, "commit", "-qm", "clean")

	// "git commit -a" stages through a temporary index (GIT_INDEX_FILE):
	// the hook must read that one.
	writeFile(t, dir, "ok.txt", "fine\nT=${ghp:hook}\n")
	cmd := exec.Command("git", "commit", "-a", "-m", "leak")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the commit went through:\n%s", out)
	}
	if !strings.Contains(string(out), "ok.txt:2:") || !strings.Contains(string(out), "the commit was stopped") {
		t.Errorf("hook output:\n%s", out)
	}
	if n := gitIn(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
		t.Errorf("%s commits, want 1", n)
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := &progressLine{w: &b}
	p.update(gitsource.HistoryProgress{Blobs: 250, Bytes: 10 << 20, Elapsed: 2 * time.Second, TotalObjects: 1000})
	p.update(gitsource.HistoryProgress{Blobs: 1000, Bytes: 40 << 20, Elapsed: 8 * time.Second, Commits: 42, Done: true})
	out := b.String()
	for _, want := range []string{"\r", "250 blobs", "10.0 MiB", "5.0 MiB/s", "25%", "about 6s left", "1000 blobs", "42 commits\x1b[K\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output %q lacks %q", out, want)
		}
	}
	// Not a terminal: no progress at all.
	if isTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
}

func TestScanHistoryJSON(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.env", "T=${ghp:hist}\n")
	gitIn(t, dir, "add", "a.env")
	gitIn(t, dir, "commit", "-qm", "one")
	first := gitIn(t, dir, "rev-parse", "HEAD")
	writeFile(t, dir, "b.sh", "echo\nT=${ghp:hist}\n")
	gitIn(t, dir, "add", "b.sh")
	gitIn(t, dir, "commit", "-qm", "two")
	code, stdout, stderr := runGitMode(t, dir, nil, "scan", "--history", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			Path        string
			Occurrences int
			Blob        string
			Commit      string
			Author      string
			Date        string
		}
		Stats struct{ Commits int }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Path != "a.env" || doc.Findings[0].Occurrences != 2 ||
		doc.Findings[0].Commit != first || doc.Findings[0].Author == "" || doc.Findings[0].Date == "" || doc.Findings[0].Blob == "" || doc.Stats.Commits != 2 {
		t.Errorf("report = %+v", doc)
	}
}

func TestScanStagedHonoursAllowComments(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "fixture.sh", "T=${ghp:allowed} # ghtoken:allow test fixture, never issued\n")
	gitIn(t, dir, "add", "fixture.sh")
	if code, stdout, stderr := runGitMode(t, dir, nil, "scan", "--staged"); code != exitClean {
		t.Errorf("allowed token: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, _ := runGitMode(t, dir, nil, "scan", "--staged", "--no-inline"); code != exitFindings {
		t.Errorf("--no-inline: exit %d, want 1", code)
	}
}

// TestScanSinceEvilMerge: a token that a merge commit itself adds (merged
// with --no-commit, then edited) makes --since exit 1.
func TestScanSinceEvilMerge(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.txt", "a\nb\n")
	gitIn(t, dir, "add", "a.txt")
	gitIn(t, dir, "commit", "-qm", "base")
	base := gitIn(t, dir, "rev-parse", "HEAD")
	gitIn(t, dir, "checkout", "-q", "-b", "side")
	writeFile(t, dir, "b.txt", "b\n")
	gitIn(t, dir, "add", "b.txt")
	gitIn(t, dir, "commit", "-qm", "side")
	gitIn(t, dir, "checkout", "-q", "main")
	writeFile(t, dir, "c.txt", "c\n")
	gitIn(t, dir, "add", "c.txt")
	gitIn(t, dir, "commit", "-qm", "main")
	gitIn(t, dir, "merge", "-q", "--no-commit", "side")
	writeFile(t, dir, "a.txt", "a\nT=${ghp:evil}\nb\n")
	gitIn(t, dir, "commit", "-qam", "merge")
	merge := gitIn(t, dir, "rev-parse", "HEAD")
	code, stdout, stderr := runGitMode(t, dir, nil, "scan", "--since", base, "--format", "json")
	if code != exitFindings || !strings.Contains(stdout, merge) {
		t.Errorf("exit %d, want 1 with the merge %s as the commit\n%s\n%s", code, merge, stdout, stderr)
	}
}

// TestScanHistoryPartialCloneIsNotClean: --history in a clone without blobs
// lists each as missing and exits 2, never 0.
func TestScanHistoryPartialCloneIsNotClean(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.txt", "a\n")
	gitIn(t, dir, "add", "a.txt")
	gitIn(t, dir, "commit", "-qm", "one")
	gitIn(t, dir, "config", "uploadpack.allowFilter", "true")
	clone := filepath.Join(t.TempDir(), "clone")
	gitIn(t, dir, "clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+dir, clone)
	code, stdout, stderr := runGitMode(t, clone, nil, "scan", "--history", "--format", "json")
	if code != exitError || !strings.Contains(stdout, `"reason": "missing"`) || !strings.Contains(stdout, `"path": "a.txt"`) || !strings.Contains(stderr, "partial clone") {
		t.Errorf("exit %d, want 2 with a.txt missing\n%s\n%s", code, stdout, stderr)
	}
}

// TestScanSinceSuppressionsFromTheBase: the commits under review cannot
// switch their own scan off. Suppression files are read as they are at the
// base; what the range adds to them, and the allow directives it adds, are
// listed as suppression-added notices in every format.
func TestScanSinceSuppressionsFromTheBase(t *testing.T) {
	dir := gitRepo(t)
	os.MkdirAll(filepath.Join(dir, ".github"), 0o755)
	writeFile(t, dir, ".ghtokenignore", "# paths\nold/\n")
	writeFile(t, dir, "a.txt", "a\n")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-qm", "base")
	base := gitIn(t, dir, "rev-parse", "HEAD")
	writeFile(t, dir, ".ghtokenignore", "# paths\nold/\n*\n")
	writeFile(t, dir, ".github/secret_scanning.yml", "paths-ignore:\n  - \"**\"\n")
	writeFile(t, dir, "b.txt", "B=${ghp:pr}\n")
	writeFile(t, dir, "c.txt", "C=${ghp:foreign} # gitleaks:allow\n")
	writeFile(t, dir, "d.sh", "D=${ghp:fixture} # ghtoken:allow test fixture, never issued\n")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-qm", "pr")

	code, stdout, stderr := runGitMode(t, dir, nil, "scan", "--since", base, "--format", "json")
	var doc struct {
		Findings []struct{ Path string }
		Notices  []struct {
			Path, Code string
			Line       int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s\n%s", err, stdout, stderr)
	}
	if code != exitFindings || len(doc.Findings) != 1 || doc.Findings[0].Path != "b.txt" {
		t.Errorf("exit %d, findings %+v: want 1 with b.txt (the range's .ghtokenignore and secret_scanning.yml do not apply)\n%s", code, doc.Findings, stderr)
	}
	want := map[string]int{".ghtokenignore": 3, ".github/secret_scanning.yml": 1, "c.txt": 1, "d.sh": 1}
	for _, n := range doc.Notices {
		if n.Code == "suppression-added" && want[n.Path] == n.Line {
			delete(want, n.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("no suppression-added notice for %v; notices: %+v", want, doc.Notices)
	}
	_, stdout, _ = runGitMode(t, dir, nil, "scan", "--since", base, "--format", "github")
	if !strings.Contains(stdout, "::warning file=.ghtokenignore,line=3") || !strings.Contains(stdout, "suppression-added") {
		t.Errorf("github format: no annotation for the added suppression\n%s", stdout)
	}
	_, stdout, _ = runGitMode(t, dir, nil, "scan", "--since", base, "--format", "sarif")
	if !strings.Contains(stdout, "toolExecutionNotifications") || !strings.Contains(stdout, "suppression-added") {
		t.Errorf("sarif: no notification for the added suppression\n%s", stdout)
	}
	_, _, stderr = runGitMode(t, dir, nil, "scan", "--since", base)
	if !strings.Contains(stderr, ".ghtokenignore:3: ") || !strings.Contains(stderr, "[suppression-added]") {
		t.Errorf("text: no warning for the added suppression\n%s", stderr)
	}
	// The base's own suppressions still apply.
	writeFile(t, dir, ".ghtokenignore", "# paths\nold/\nb.txt\n")
	gitIn(t, dir, "commit", "-qam", "ignore b.txt")
	next := gitIn(t, dir, "rev-parse", "HEAD")
	writeFile(t, dir, "b.txt", "B=${ghp:pr}\nB2=${ghp:pr2}\n")
	gitIn(t, dir, "commit", "-qam", "more")
	if code, stdout, stderr := runGitMode(t, dir, nil, "scan", "--since", next); code != exitClean {
		t.Errorf("suppressed at the base: exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	// The same from a subdirectory: paths are the repository's.
	sub := filepath.Join(dir, "sub")
	os.MkdirAll(sub, 0o755)
	if code, stdout, stderr := runGitMode(t, sub, nil, "scan", "--since", next); code != exitClean {
		t.Errorf("from a subdirectory, suppressed at the base: exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	if _, _, stderr := runGitMode(t, sub, nil, "scan", "--since", base); !strings.Contains(stderr, ".ghtokenignore:3: ") {
		t.Errorf("from a subdirectory: no warning for the added suppression\n%s", stderr)
	}
}

// TestScanSinceInABareRepository: a server-side hook runs in a bare
// repository, which has no work tree for suppression files to be in.
func TestScanSinceInABareRepository(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.txt", "a\n")
	gitIn(t, dir, "add", "a.txt")
	gitIn(t, dir, "commit", "-qm", "base")
	base := gitIn(t, dir, "rev-parse", "HEAD")
	writeFile(t, dir, "b.txt", "B=${ghp:bare}\n")
	gitIn(t, dir, "add", "b.txt")
	gitIn(t, dir, "commit", "-qm", "token")
	bare := filepath.Join(t.TempDir(), "bare.git")
	gitIn(t, dir, "clone", "-q", "--bare", dir, bare)
	if code, stdout, stderr := runGitMode(t, bare, nil, "scan", "--since", base); code != exitFindings {
		t.Errorf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
}

// A history audit that meets a corrupt object exits 2, names the file, and
// says to run git fsck: the repository is not a partial clone, so the
// advice about fetching blobs would not help.
func TestScanHistoryCorruptObject(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "a.txt", "hello\n")
	writeFile(t, dir, "b.txt", "T=${ghp:corrupt}\n")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-qm", "two files")
	oid := gitIn(t, dir, "rev-parse", "HEAD:a.txt")
	obj := filepath.Join(dir, ".git", "objects", oid[:2], oid[2:])
	if err := os.Chmod(obj, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(obj, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runGitMode(t, dir, nil, "scan", "--history", "--no-color")
	if code != exitError || !strings.Contains(stderr, "a.txt") || !strings.Contains(stderr, "git fsck") || strings.Contains(stderr, "this is a partial clone") {
		t.Errorf("exit %d, want 2 naming a.txt with git fsck advice\n%s", code, stderr)
	}
}

// A conflicted file named to --staged (as pre-commit names it) is listed
// as unmerged, as without a name: it was dropped without a word.
func TestScanStagedNamedConflictIsListed(t *testing.T) {
	dir := gitRepo(t)
	writeFile(t, dir, "f.txt", "base\n")
	gitIn(t, dir, "add", "f.txt")
	gitIn(t, dir, "commit", "-qm", "base")
	gitIn(t, dir, "checkout", "-q", "-b", "side")
	writeFile(t, dir, "f.txt", "side\n")
	gitIn(t, dir, "commit", "-qam", "side")
	gitIn(t, dir, "checkout", "-q", "main")
	writeFile(t, dir, "f.txt", "main\n")
	gitIn(t, dir, "commit", "-qam", "main")
	cmd := exec.Command("git", "merge", "-q", "side")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("the merge did not conflict:\n%s", out)
	}
	for _, args := range [][]string{{"scan", "--staged"}, {"scan", "--staged", "f.txt"}} {
		_, _, stderr := runGitMode(t, dir, nil, args...)
		if !strings.Contains(stderr, "f.txt: unmerged") {
			t.Errorf("%v: the conflicted file is not listed\n%s", args, stderr)
		}
	}
}

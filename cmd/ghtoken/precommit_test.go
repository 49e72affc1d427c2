package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// helperOnPath puts a "ghtoken" on PATH that runs this test binary as the
// command (see TestHelperGhtoken), for tools that run ghtoken themselves.
func helperOnPath(t *testing.T) {
	t.Helper()
	bin := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nGHTOKEN_HELPER=1 exec '" + self + "' -test.run='^TestHelperGhtoken$' -- \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ghtoken"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// preCommitManifest returns the repository's .pre-commit-hooks.yaml as the
// installed pre-commit reads it. pre-commit before 3.2 knows the stages by
// their old names (commit, merge-commit, push), which 3.2 and later accept
// as aliases; the hooks declare the new names and a minimum version of
// 3.2.0, so for an older pre-commit (Debian's, here) the copy is translated.
func preCommitManifest(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	manifest := string(data)
	out, err := exec.Command("pre-commit", "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("pre-commit --version: %q", out)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < 3 || major == 3 && minor < 2 {
		manifest = strings.NewReplacer("pre-merge-commit", "merge-commit", "[pre-commit,", "[commit,",
			"[pre-push]", "[push]", "'3.2.0'", "'"+m[1]+"."+m[2]+".0'").Replace(manifest)
	}
	return manifest
}

// The hooks of .pre-commit-hooks.yaml, run by the real pre-commit framework
// as a user's configuration would: the system hooks (ghtoken on PATH) stop a
// commit that stages a token and a push whose commits add one, and let
// clean ones through. The golang hooks differ only in how pre-commit gets
// the binary (it builds it, which needs the network).
func TestPreCommitFramework(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		if os.Getenv("GHTOKEN_REQUIRE_SHELLS") != "" {
			t.Fatal("pre-commit is not installed")
		}
		t.Skip("pre-commit is not installed")
	}
	hooks := gitRepo(t)
	t.Setenv("PRE_COMMIT_HOME", t.TempDir())
	helperOnPath(t)
	if err := os.WriteFile(filepath.Join(hooks, ".pre-commit-hooks.yaml"), []byte(preCommitManifest(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, hooks, "add", ".")
	gitIn(t, hooks, "commit", "-qm", "hooks")
	rev := gitIn(t, hooks, "rev-parse", "HEAD")

	user := t.TempDir()
	gitIn(t, user, "init", "-q", "-b", "main")
	writeFile(t, user, ".pre-commit-config.yaml", "repos:\n  - repo: "+hooks+"\n    rev: "+rev+
		"\n    hooks:\n      - id: ghtoken-system\n        args: [--fail-on, high]\n      - id: ghtoken-pre-push-system\n        args: [--fail-on, high]\n")
	gitIn(t, user, "add", ".")
	gitIn(t, user, "commit", "-qm", "config")
	run := func(args ...string) (string, error) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = user
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("pre-commit", "install", "-t", "pre-commit", "-t", "pre-push"); err != nil {
		t.Fatalf("pre-commit install: %v\n%s", err, out)
	}

	// A staged token stops the commit; the clean commit goes through.
	writeFile(t, user, "app.env", "GITHUB_TOKEN=${ghp:precommit}\n")
	gitIn(t, user, "add", "app.env")
	if out, err := run("git", "commit", "-qm", "leak"); err == nil || !strings.Contains(out, "app.env:1:") {
		t.Fatalf("a commit staging a token: err %v\n%s", err, out)
	}
	writeFile(t, user, "app.env", "GITHUB_TOKEN=${GITHUB_TOKEN}\n")
	gitIn(t, user, "add", "app.env")
	if out, err := run("git", "commit", "-qm", "clean"); err != nil {
		t.Fatalf("a clean commit was stopped: %v\n%s", err, out)
	}

	// A push of commits that add a token stops; a clean push goes through.
	// The first push (the remote has none of the commits) scans every
	// commit the pushed ref reaches.
	remote := t.TempDir()
	gitIn(t, remote, "init", "-q", "--bare")
	if out, err := run("git", "push", "-q", remote, "main"); err != nil {
		t.Fatalf("a clean first push was stopped: %v\n%s", err, out)
	}
	// Both hooks pass their args to ghtoken: under --fail-on high a
	// medium-confidence token is a warning, for the commit and the push.
	writeFile(t, user, "medium.env", "GITHUB_TOKEN=${hex40:precommit}\n")
	gitIn(t, user, "add", "medium.env")
	if out, err := run("git", "commit", "-qm", "a warning"); err != nil {
		t.Fatalf("a commit with a warning under --fail-on high was stopped: %v\n%s", err, out)
	}
	if out, err := run("git", "push", "-q", remote, "main"); err != nil {
		t.Fatalf("a push with a warning under --fail-on high was stopped: %v\n%s", err, out)
	}
	writeFile(t, user, "late.env", "TOKEN=${ghp:prepush}\n")
	gitIn(t, user, "add", "late.env")
	gitIn(t, user, "commit", "--no-verify", "-qm", "skip the commit hook")
	writeFile(t, user, "late.env", "TOKEN=\n")
	gitIn(t, user, "commit", "--no-verify", "-qam", "removed again, still in the pushed history")
	out, err := run("git", "push", "-q", remote, "main")
	if err == nil || !strings.Contains(out, "late.env:1:") {
		t.Fatalf("a push adding a token: err %v\n%s", err, out)
	}
	if got := gitIn(t, remote, "rev-list", "--count", "main"); got != "3" {
		t.Errorf("the remote has %s commits, want the 3 without a token at or above --fail-on", got)
	}

	// "pre-commit run --all-files" (how CI runs pre-commit) passes every
	// tracked file: a token committed earlier, with nothing staged, stops it.
	if out, err := run("pre-commit", "run", "--all-files"); err != nil {
		t.Fatalf("--all-files on a clean tree: %v\n%s", err, out)
	}
	writeFile(t, user, "old.env", "GITHUB_TOKEN=${ghp:committed}\n")
	gitIn(t, user, "add", "old.env")
	gitIn(t, user, "commit", "--no-verify", "-qm", "skip the hook")
	if out, err := run("pre-commit", "run", "--all-files"); err == nil || !strings.Contains(out, "old.env:1:") {
		t.Fatalf("--all-files with a committed token: err %v\n%s", err, out)
	}
	// A normal commit still judges only the lines it adds.
	writeFile(t, user, "old.env", "GITHUB_TOKEN=${ghp:committed}\nMORE=1\n")
	gitIn(t, user, "add", "old.env")
	if out, err := run("git", "commit", "-qm", "a clean line in a file that holds an old token"); err != nil {
		t.Fatalf("a commit adding a clean line was stopped: %v\n%s", err, out)
	}
	writeFile(t, user, "old.env", "MORE=1\n")
	gitIn(t, user, "commit", "--no-verify", "-qam", "remove it")
}

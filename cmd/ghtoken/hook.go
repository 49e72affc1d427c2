package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/gitsource"
)

// hookMarker identifies the hook ghtoken installs; uninstall-hook removes a
// hook only when it carries it.
const hookMarker = "# ghtoken pre-commit hook: installed by ghtoken install-hook, removed by ghtoken uninstall-hook"

// hookScriptFor returns the hook that runs "scan --staged" with args (such
// as "--fail-on low") as bin: "ghtoken" when it is on PATH, else the
// absolute path of the binary that installed it. It fails closed: a
// missing ghtoken stops the commit with a message rather than letting
// tokens through unchecked.
func hookScriptFor(bin string, args ...string) string {
	run := strings.Join(append([]string{"scan", "--staged"}, args...), " ")
	if bin == "ghtoken" {
		return `#!/bin/sh
` + hookMarker + `
# Scans what is about to be committed (the index) for GitHub tokens.
if command -v ghtoken >/dev/null 2>&1; then
	exec ghtoken ` + run + `
fi
echo "ghtoken pre-commit hook: ghtoken is not in PATH; install it (go install github.com/ghtoken/ghtoken/cmd/ghtoken@latest)" >&2
echo "or skip this check once with git commit --no-verify." >&2
exit 1
`
	}
	q := "'" + strings.ReplaceAll(bin, "'", `'\''`) + "'"
	return `#!/bin/sh
` + hookMarker + `
# Scans what is about to be committed (the index) for GitHub tokens, with the
# ghtoken binary that installed this hook (ghtoken was not on PATH).
if [ -x ` + q + ` ]; then
	exec ` + q + ` ` + run + `
fi
echo "ghtoken pre-commit hook: "` + q + `" is gone; install ghtoken (go install github.com/ghtoken/ghtoken/cmd/ghtoken@latest) and run ghtoken install-hook --force" >&2
echo "or skip this check once with git commit --no-verify." >&2
exit 1
`
}

// hookBinary says how the hook will run ghtoken: by name when it is on PATH,
// else by the absolute path of this binary. A binary that go run or go test
// built lives in a temporary directory that is deleted when it exits: a
// hook naming it would stop every commit, so that is refused.
func hookBinary() (string, error) {
	if _, err := exec.LookPath("ghtoken"); err == nil {
		return "ghtoken", nil
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return "", fmt.Errorf("ghtoken is not on PATH and the path of this binary is unknown (%v); install it first: go install github.com/ghtoken/ghtoken/cmd/ghtoken@latest", err)
	}
	if temporaryBuild(exe) {
		return "", fmt.Errorf(`ghtoken is not on PATH, and this ghtoken is a temporary build (%s, made by go run or go test) that is deleted when it exits: a hook naming it would stop every commit.
Install ghtoken first, then run install-hook again:
    go install github.com/ghtoken/ghtoken/cmd/ghtoken@latest   # and put $(go env GOPATH)/bin on PATH`, exe)
	}
	return exe, nil
}

// temporaryBuild reports whether exe is in one of the go command's
// temporary build directories (go-build followed by digits, in $GOTMPDIR
// or the system's temporary directory).
func temporaryBuild(exe string) bool {
	for dir := filepath.Dir(exe); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if n, ok := strings.CutPrefix(filepath.Base(dir), "go-build"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// hookPath returns where the repository's pre-commit hook lives.
func (e *env) hookPath() (string, error) {
	g := gitsource.Git{Dir: e.dir}
	p, err := g.PathInGitDir(e.ctx, "hooks/pre-commit")
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(p) && e.dir != "" {
		p = filepath.Join(e.dir, p)
	}
	return p, nil
}

func (e *env) installHook(f *flagValues, _ []string) error {
	p, err := e.hookPath()
	if err != nil {
		return err
	}
	bin, err := hookBinary()
	if err != nil {
		return err
	}
	var args []string
	if lv := f.failOn.level(); lv != rules.Medium {
		args = append(args, "--fail-on", lv.String())
	}
	script := hookScriptFor(bin, args...)
	old, err := os.ReadFile(p)
	switch {
	case err == nil && bytes.Contains(old, []byte(hookMarker)) && bytes.Equal(old, []byte(script)):
		fmt.Fprintf(e.stdout, "ghtoken: the pre-commit hook is already installed at %s\n", p)
		return nil
	case err == nil && !bytes.Contains(old, []byte(hookMarker)) && !f.force:
		return fmt.Errorf(`%s already exists and was not installed by ghtoken; it was left alone.
To chain both, add this line to that hook (before any exec or exit at its end):
    ghtoken scan --staged || exit 1
or, with the pre-commit framework, husky or lefthook, add ghtoken there (see README.md).
To replace the hook instead: ghtoken install-hook --force`, p)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("read %s: %w", p, err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	// Written beside it and renamed, so that a failure leaves the old hook.
	if err := writeFileAtomic(p, []byte(script), 0o755); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ghtoken: installed the pre-commit hook at %s; each commit now runs %s\n", p, strings.Join(append([]string{bin, "scan", "--staged"}, args...), " "))
	return nil
}

func (e *env) uninstallHook(_ *flagValues, _ []string) error {
	p, err := e.hookPath()
	if err != nil {
		return err
	}
	old, err := os.ReadFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stdout, "ghtoken: no pre-commit hook at %s: nothing to remove\n", p)
		return nil
	case err != nil:
		return fmt.Errorf("read %s: %w", p, err)
	case !bytes.Contains(old, []byte(hookMarker)):
		return fmt.Errorf("%s was not installed by ghtoken; it was left alone (remove the ghtoken line from it by hand if you chained it)", p)
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ghtoken: removed the pre-commit hook at %s\n", p)
	return nil
}

package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ghtoken/ghtoken/scanner/gitsource"
)

// hookMarker identifies the hook ghtoken installs; uninstall-hook removes a
// hook only when it carries it.
const hookMarker = "# ghtoken pre-commit hook: installed by ghtoken install-hook, removed by ghtoken uninstall-hook"

// hookScript fails closed: a missing ghtoken stops the commit with a message
// rather than letting tokens through unchecked.
const hookScript = `#!/bin/sh
` + hookMarker + `
# Scans what is about to be committed (the index) for GitHub tokens.
if command -v ghtoken >/dev/null 2>&1; then
	exec ghtoken scan --staged
fi
echo "ghtoken pre-commit hook: ghtoken is not in PATH; install it (go install github.com/ghtoken/ghtoken/cmd/ghtoken@latest)" >&2
echo "or skip this check once with git commit --no-verify." >&2
exit 1
`

const hookUsage = `Usage: ghtoken install-hook [--force]
       ghtoken uninstall-hook

install-hook writes a pre-commit hook that runs "ghtoken scan --staged" into
the hooks directory of the repository of the current directory (core.hooksPath
when set, .git/hooks otherwise). It does not replace an existing hook unless
--force is given. uninstall-hook removes the hook only if ghtoken installed it.
`

// hookPath returns where the repository's pre-commit hook lives.
func (e *env) hookPath() (string, error) {
	g := gitsource.Git{Dir: e.dir}
	p, err := g.GitPath(e.ctx, "hooks/pre-commit")
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(p) && e.dir != "" {
		p = filepath.Join(e.dir, p)
	}
	return p, nil
}

func (e *env) installHook(args []string) int {
	flags := flag.NewFlagSet("install-hook", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	force := flags.Bool("force", false, "")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, hookUsage)
			return exitClean
		}
		fmt.Fprint(e.stderr, "ghtoken install-hook: unexpected arguments\n\n"+hookUsage)
		return exitError
	}
	p, err := e.hookPath()
	if err != nil {
		printError(e.stderr, err)
		return exitError
	}
	old, err := os.ReadFile(p)
	switch {
	case err == nil && bytes.Contains(old, []byte(hookMarker)) && bytes.Equal(old, []byte(hookScript)):
		fmt.Fprintf(e.stdout, "ghtoken: the pre-commit hook is already installed at %s\n", p)
		return exitClean
	case err == nil && !bytes.Contains(old, []byte(hookMarker)) && !*force:
		fmt.Fprintf(e.stderr, `ghtoken install-hook: %s already exists and was not installed by ghtoken; it was left alone.
To chain both, add this line to that hook (before any exec or exit at its end):
    ghtoken scan --staged || exit 1
or, with the pre-commit framework, husky or lefthook, add ghtoken there (see README.md).
To replace the hook instead: ghtoken install-hook --force
`, p)
		return exitError
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stderr, "ghtoken install-hook: read %s: %v\n", p, err)
		return exitError
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		fmt.Fprintf(e.stderr, "ghtoken install-hook: %v\n", err)
		return exitError
	}
	// Write beside it and rename, so that a failure leaves the old hook.
	tmp := p + ".ghtoken-tmp"
	if err := os.WriteFile(tmp, []byte(hookScript), 0o755); err != nil {
		fmt.Fprintf(e.stderr, "ghtoken install-hook: %v\n", err)
		return exitError
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		fmt.Fprintf(e.stderr, "ghtoken install-hook: %v\n", err)
		return exitError
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		fmt.Fprintf(e.stderr, "ghtoken install-hook: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "ghtoken: installed the pre-commit hook at %s; each commit now runs ghtoken scan --staged\n", p)
	return exitClean
}

func (e *env) uninstallHook(args []string) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			fmt.Fprint(e.stdout, hookUsage)
			return exitClean
		}
		fmt.Fprint(e.stderr, "ghtoken uninstall-hook: unexpected arguments\n\n"+hookUsage)
		return exitError
	}
	p, err := e.hookPath()
	if err != nil {
		printError(e.stderr, err)
		return exitError
	}
	old, err := os.ReadFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stdout, "ghtoken: no pre-commit hook at %s: nothing to remove\n", p)
		return exitClean
	case err != nil:
		fmt.Fprintf(e.stderr, "ghtoken uninstall-hook: read %s: %v\n", p, err)
		return exitError
	case !bytes.Contains(old, []byte(hookMarker)):
		fmt.Fprintf(e.stderr, "ghtoken uninstall-hook: %s was not installed by ghtoken; it was left alone (remove the ghtoken line from it by hand if you chained it)\n", p)
		return exitError
	}
	if err := os.Remove(p); err != nil {
		fmt.Fprintf(e.stderr, "ghtoken uninstall-hook: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "ghtoken: removed the pre-commit hook at %s\n", p)
	return exitClean
}

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

func (e *env) installHook(args []string) error {
	flags := flag.NewFlagSet("install-hook", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	force := flags.Bool("force", false, "")
	if err := flags.Parse(args); err != nil {
		return usageErr(err)
	}
	if flags.NArg() > 0 {
		return usageError("unexpected arguments %q", flags.Args())
	}
	p, err := e.hookPath()
	if err != nil {
		return err
	}
	old, err := os.ReadFile(p)
	switch {
	case err == nil && bytes.Contains(old, []byte(hookMarker)) && bytes.Equal(old, []byte(hookScript)):
		fmt.Fprintf(e.stdout, "ghtoken: the pre-commit hook is already installed at %s\n", p)
		return nil
	case err == nil && !bytes.Contains(old, []byte(hookMarker)) && !*force:
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
	if err := writeFileAtomic(p, []byte(hookScript), 0o755); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ghtoken: installed the pre-commit hook at %s; each commit now runs ghtoken scan --staged\n", p)
	return nil
}

func (e *env) uninstallHook(args []string) error {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			return usageErr(flag.ErrHelp)
		}
		return usageError("unexpected arguments %q", args)
	}
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

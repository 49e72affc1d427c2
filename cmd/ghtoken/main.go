// Command ghtoken finds leaked GitHub tokens in a checkout and says what to
// do about each one.
//
// Run "ghtoken help" for usage. Exit status: 0 no findings, 1 findings, 2 an
// error (never 0 when something went wrong).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/fatih/color"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a command may touch; tests replace every part of it.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// colour says whether text output may use colour; main decides from the
	// terminal, NO_COLOR and --no-color.
	colour bool
	getenv func(string) string
	// isTerminal says whether a reader is a terminal a person can answer a
	// confirmation on.
	isTerminal func(io.Reader) bool
	// dir is where git commands run; "" for the current directory.
	dir string
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, colour: !color.NoColor, getenv: os.Getenv, isTerminal: isTerminalFile}
	return e.dispatch(args)
}

// dispatch runs the command args name and returns its exit status.
func (e *env) dispatch(args []string) int {
	cmd, err := e.command(args)
	if errors.Is(err, flag.ErrHelp) { // -h, -help or --help after a command
		err = e.help(cmd)
	}
	return exitStatus(e.stderr, cmd, err)
}

// command runs the command args name; it returns the command's name, for
// messages, and its outcome.
func (e *env) command(args []string) (string, error) {
	if len(args) == 0 {
		return "scan", e.scan(nil)
	}
	switch args[0] {
	case "scan":
		return "scan", e.scan(args[1:])
	case "rules":
		return "rules", e.rules(args[1:])
	case "revoke":
		return "revoke", e.revoke(args[1:])
	case "baseline":
		return "baseline", e.baseline(args[1:])
	case "install-hook":
		return "install-hook", e.installHook(args[1:])
	case "uninstall-hook":
		return "uninstall-hook", e.uninstallHook(args[1:])
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return "", e.help(args[1])
		}
		fmt.Fprint(e.stdout, usage)
		return "", nil
	case "version", "--version":
		fmt.Fprintln(e.stdout, "ghtoken", version())
		return "", nil
	}
	if len(args[0]) > 0 && args[0][0] == '-' || isPathLike(args[0]) {
		// "ghtoken --format json" and "ghtoken ./dir" mean "ghtoken scan ...".
		return "scan", e.scan(args)
	}
	return "", usageError("unknown command %q", args[0])
}

func isPathLike(s string) bool {
	_, err := os.Lstat(s)
	return err == nil
}

func (e *env) help(topic string) error {
	switch topic {
	case "":
		fmt.Fprint(e.stdout, usage)
	case "scan":
		fmt.Fprint(e.stdout, scanUsage)
	case "rules":
		fmt.Fprint(e.stdout, rulesUsage)
	case "revoke":
		fmt.Fprint(e.stdout, revokeUsage)
	case "baseline":
		fmt.Fprint(e.stdout, baselineUsage)
	case "install-hook", "uninstall-hook":
		fmt.Fprint(e.stdout, hookUsage)
	default:
		return usageError("no help for %q", topic)
	}
	return nil
}

const usage = `ghtoken finds leaked GitHub tokens and says what to do about each one.

Usage:
  ghtoken [scan] [flags] [PATH...]     scan files and directories (default: .)
  ghtoken scan --staged                scan what is about to be committed (pre-commit)
  ghtoken scan --since REV | --ci      scan the commits of a range (CI)
  ghtoken scan --history               scan every commit of every ref once (audit)
  ghtoken baseline [flags] [PATH...]   record today's findings (fingerprints only)
  ghtoken install-hook [--force]       install a pre-commit hook running scan --staged
  ghtoken uninstall-hook               remove that hook
  ghtoken rules [--format json]        list the rules, what they match and their advice
  ghtoken revoke [flags] [PATH...]     revoke leaked tokens through GitHub's API
  ghtoken help [COMMAND]               show help
  ghtoken version                      print the version

Run "ghtoken help scan" for the scan flags (--verify checks tokens against
GitHub) and "ghtoken help revoke" for revocation.

Exit status: 0 no findings, 1 findings, 2 error.
`

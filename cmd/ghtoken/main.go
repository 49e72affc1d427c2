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
	"runtime/debug"

	"github.com/fatih/color"

	"github.com/ghtoken/ghtoken/rules"
)

func main() {
	tuneGC(os.Getenv)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// notifyInterrupt returns ctx cancelled by an interrupt (Ctrl-C): a scan
// then stops and exits 2 instead of the process being killed mid-report.
// Once it has, a second interrupt kills the process as it would any
// program: nothing can end a read that waits on a terminal or a pipe.
func notifyInterrupt(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

// scanGCPercent is the garbage collector's pacing for a scan: the heap may
// grow to 1.5 times what is alive before a collection, instead of twice
// that. What a scan keeps alive is bounded by design (a chunk buffer, one
// decoder window and one spool per worker: about 25 MB on two cores for a
// 1.2 GB tree with archives in it), and with the default pacing peak RSS
// was 62-87 MB there; with this one it is 50-51 MB, for the same CPU time.
//
// A pacing, not a memory limit: a soft limit near that bound held peak RSS
// as well, but a scan that keeps more alive (its findings, 200,000 of
// them in a tree of 2,000 files) went past the limit, and the collector
// then ran back to back: 4.2-5.6 s of CPU against 1.5-1.8 s without it.
// Pacing costs in proportion to what is alive, with no such cliff.
const scanGCPercent = 50

// tuneGC sets the scan's pacing unless the person running it set GOGC or
// GOMEMLIMIT: theirs wins.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(scanGCPercent)
}

// env is what a command may touch; tests replace every part of it.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// unmasked is stdout without the masking dispatch puts on stdout and
	// stderr: only a report whose whole tokens were asked for on the
	// command line (--show-secrets) is written to it.
	unmasked io.Writer
	// colour says whether text output may use colour; main decides from the
	// terminal, NO_COLOR and --no-color.
	colour bool
	getenv func(string) string
	// isTerminal says whether a reader is a terminal a person can answer a
	// confirmation on.
	isTerminal func(io.Reader) bool
	// stream writes jsonl finding lines during a scan; nil otherwise.
	stream *findingStream
	// dir is where git commands run; "" for the current directory.
	dir string
	// interrupt, when set, makes the context a command runs with: one an
	// interrupt cancels. Only commands that do work ask for it (see
	// command.printsOnly): catching signals starts goroutines, and threads
	// to run them, that a command which only prints does not need.
	interrupt func(context.Context) (context.Context, context.CancelFunc)
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newEnv(stdin, stdout, stderr).dispatch(args)
}

// newEnv is the environment of the process: its files, variables, terminal
// and interrupts.
func newEnv(stdin io.Reader, stdout, stderr io.Writer) *env {
	return &env{ctx: context.Background(), stdin: stdin, stdout: stdout, stderr: stderr, colour: !color.NoColor,
		getenv: os.Getenv, isTerminal: isTerminalFile, interrupt: notifyInterrupt}
}

// dispatch runs the command args name and returns its exit status.
//
// Everything written to stdout and stderr goes through a rules.MaskWriter:
// no code path, an error message quoting a malformed line included, can
// print a whole token. The one exception is a report made with
// --show-secrets, written to e.unmasked.
func (e *env) dispatch(args []string) int {
	stdout, stderr := rules.NewMaskWriter(e.stdout), rules.NewMaskWriter(e.stderr)
	e.unmasked, e.stdout, e.stderr = e.stdout, stdout, stderr
	cmd, err := e.command(args)
	name := ""
	if cmd != nil {
		name = cmd.name
	}
	if errors.Is(err, flag.ErrHelp) { // -h, -help or --help after a command
		writeHelp(e.stdout, cmd)
		err = nil
	}
	if ferr := stdout.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	code := exitStatus(stderr, name, err)
	stderr.Flush()
	return code
}

// command finds the command args name and runs it; it returns the command,
// nil when there is none, and its outcome.
func (e *env) command(args []string) (*command, error) {
	switch {
	case len(args) == 0:
		args = []string{"scan"}
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help":
		writeOverview(e.stdout)
		return nil, nil
	case args[0] == "--version" || args[0] == "-version" || args[0] == "-v":
		// -v is the version, as in most tools; it never means verbose.
		args = append([]string{"version"}, args[1:]...)
	}
	c := commandNamed(args[0])
	if c == nil {
		if len(args[0]) > 0 && args[0][0] == '-' || isPathLike(args[0]) {
			// "ghtoken --format json" and "ghtoken ./dir" mean "ghtoken scan ...".
			c, args = scanCommand, append([]string{"scan"}, args...)
		} else {
			return nil, usageError("unknown command %q", args[0])
		}
	}
	v, rest, err := c.parse(args[1:])
	if err != nil {
		return c, err
	}
	if e.interrupt != nil && !c.printsOnly {
		ctx, stop := e.interrupt(e.ctx)
		defer stop()
		e.ctx = ctx
	}
	return c, c.run(e, v, rest)
}

func isPathLike(s string) bool {
	_, err := os.Lstat(s)
	return err == nil
}

// helpCmd runs "ghtoken help [COMMAND]".
func (e *env) helpCmd(_ *flagValues, args []string) error {
	if len(args) == 0 {
		writeOverview(e.stdout)
		return nil
	}
	c := commandNamed(args[0])
	if c == nil {
		return usageError("no help for %q", args[0])
	}
	writeHelp(e.stdout, c)
	return nil
}

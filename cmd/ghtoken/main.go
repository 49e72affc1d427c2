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
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"

	"github.com/fatih/color"

	"github.com/ghtoken/ghtoken/rules"
)

func main() {
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

// tuneGC gives the garbage collector a soft memory limit that follows what
// a scan keeps alive, unless the person running it set GOGC or GOMEMLIMIT:
// theirs wins.
//
// What a scan keeps alive is bounded by design (a chunk buffer, one decoder
// window and one spool per worker): about 25 MB on two cores for a 1.2 GB
// tree with archives in it. With the default pacing the heap grew to twice
// that between collections, and peak RSS was 62-87 MB there; with the
// limit it is 47-53 MB, for the same CPU time. Pacing at GOGC=50 held
// memory as well but cost 4-5% more CPU on Go's src, whose bzip2 blocks
// each allocate a 3.6 MB table.
//
// A scan may keep more alive than that (its findings: 200,000 of them in a
// tree of 2,000 files), and past a fixed limit the collector ran back to
// back (4.2-5.6 s of CPU against 1.5-1.8 s). So after each collection the
// limit becomes twice what was found alive, when that is more: a
// collection then runs no more often than the default pacing would have
// it, and the limit comes back down when what is alive does.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	limit := memoryLimit(runtime.GOMAXPROCS(0))
	debug.SetMemoryLimit(limit)
	followLiveHeap(limit)
}

// gcTuning makes the process tune its collector once, for the first
// command that does work.
var gcTuning sync.Once

// memoryLimit is the soft heap limit for a scan with this many workers.
func memoryLimit(workers int) int64 {
	return 24<<20 + int64(workers)*(8<<20)
}

// followLiveHeap sets the soft memory limit after each garbage collection
// to twice what it found alive, or floor when that is more, until stop is
// called. A sentinel that nothing references has a cleanup, which the
// runtime runs once a collection has found it unreachable, and which sets
// up the next one.
func followLiveHeap(floor int64) (stop func()) {
	var stopped atomic.Bool
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var check func(int)
	check = func(int) {
		if stopped.Load() {
			return
		}
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(max(floor, 2*int64(live[0].Value.Uint64())))
		}
		runtime.AddCleanup(new(gcSentinel), check, 0)
	}
	runtime.AddCleanup(new(gcSentinel), check, 0)
	return func() { stopped.Store(true) }
}

// gcSentinel is 16 bytes so that it is not packed with other small objects
// (the tiny allocator), whose cleanups may never run.
type gcSentinel struct{ _ [16]byte }

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
	// tuneGC, when set, tunes the process's garbage collector for a scan
	// (see tuneGC); tests, which share one process, leave it unset.
	tuneGC func(getenv func(string) string)
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := newEnv(stdin, stdout, stderr)
	e.tuneGC = tuneGC
	return e.dispatch(args)
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
	if e.tuneGC != nil && !c.printsOnly {
		// Not for a command that only prints: it would start the
		// runtime's cleanup goroutine for nothing (0.2 ms of "version").
		gcTuning.Do(func() { e.tuneGC(e.getenv) })
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

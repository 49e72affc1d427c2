//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// interruptingStdin is standard input that interrupts the process (as
// Ctrl-C does) at its first read, and ends only once the interrupt has
// cancelled the command's context.
type interruptingStdin struct {
	t    *testing.T
	ctx  *context.Context // the context the command was given on interrupt
	once sync.Once
}

func (r *interruptingStdin) Read([]byte) (int, error) {
	r.once.Do(func() {
		if *r.ctx == nil {
			// Without a handler the signal would kill the test binary.
			r.t.Error("scan runs without its interrupt handling")
			return
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			r.t.Error(err)
			return
		}
		select {
		case <-(*r.ctx).Done():
		case <-time.After(time.Minute): // a watchdog, not a measurement
			r.t.Error("the interrupt did not cancel the scan")
		}
	})
	return 0, io.EOF
}

// An interrupt ends a scan the way it always has: the scan stops with the
// reason and exit status 2, and the process is not killed by the signal
// (which would end "go test" too). The real handler is used: the test only
// watches the context it makes.
func TestInterruptEndsScan(t *testing.T) {
	for _, name := range []string{"scan", "baseline"} {
		t.Run(name, func(t *testing.T) {
			var ctx context.Context
			var stdout, stderr bytes.Buffer
			e := newEnv(&interruptingStdin{t: t, ctx: &ctx}, &stdout, &stderr)
			e.getenv = func(string) string { return "" }
			e.interrupt = func(parent context.Context) (context.Context, context.CancelFunc) {
				c, stop := notifyInterrupt(parent)
				ctx = c
				return c, stop
			}
			code := e.dispatch([]string{name, "-"})
			if code != exitError {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitError, stderr.String())
			}
			if want := "ghtoken " + name + ": context canceled\n"; stderr.String() != want {
				t.Errorf("stderr %q, want %q", stderr.String(), want)
			}
		})
	}
}

// endlessStdin is standard input with no end in sight ("yes | ghtoken scan
// -"): it interrupts the process after interruptAt bytes, then gives up to
// afterLimit more before it ends, counting what it gave after the
// interrupt.
type endlessStdin struct {
	t           *testing.T
	interruptAt int
	afterLimit  int
	given       int
	after       int
}

func (r *endlessStdin) Read(p []byte) (int, error) {
	if r.given >= r.interruptAt {
		if r.after == 0 && r.given == r.interruptAt {
			if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
				r.t.Error(err)
			}
		}
		if r.after >= r.afterLimit {
			return 0, io.EOF
		}
	}
	n := min(len(p), 4096)
	for i := range n {
		p[i] = "y\n"[i%2]
	}
	if r.given >= r.interruptAt {
		r.after += n
	}
	r.given += n
	return n, nil
}

// An interrupt ends the scan of a stream that does not end: the scan stops
// reading it (before, a worker read every item to its end, and Ctrl-C did
// nothing to "yes | ghtoken scan -"), and a second interrupt would kill the
// process, as for any program.
func TestInterruptEndsEndlessStream(t *testing.T) {
	in := &endlessStdin{t: t, interruptAt: 1 << 20, afterLimit: 512 << 20}
	var stdout, stderr bytes.Buffer
	var ctx context.Context
	e := newEnv(in, &stdout, &stderr)
	e.getenv = func(string) string { return "" }
	e.interrupt = func(parent context.Context) (context.Context, context.CancelFunc) {
		c, stop := notifyInterrupt(parent)
		ctx = c
		return c, stop
	}
	code := e.dispatch([]string{"scan", "-"})
	if code != exitError {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitError, stderr.String())
	}
	// The signal is delivered asynchronously: a few chunks may be read
	// before the context is cancelled, not hundreds of MiB.
	if in.after >= 64<<20 {
		t.Errorf("%d bytes read after the interrupt: the scan did not stop reading", in.after)
	}
	if ctx == nil || ctx.Err() == nil {
		t.Fatal("the interrupt did not cancel the scan's context")
	}
}

// After the first interrupt has cancelled the context, a second one kills
// the process, as for any program: a read blocked on a terminal cannot be
// ended from inside. The process is this test binary run again, as a
// child that waits forever once cancelled.
func TestSecondInterruptKills(t *testing.T) {
	if os.Getenv("GHTOKEN_TEST_INTERRUPT_CHILD") == "1" {
		ctx, _ := notifyInterrupt(context.Background())
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
		os.Stdout.WriteString("cancelled\n")
		select {} // as a read that never returns
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondInterruptKills$")
	cmd.Env = append(os.Environ(), "GHTOKEN_TEST_INTERRUPT_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	expect := func(want string) {
		if !lines.Scan() || lines.Text() != want {
			cmd.Process.Kill()
			t.Fatalf("child said %q (%v), want %q", lines.Text(), lines.Err(), want)
		}
	}
	expect("ready")
	cmd.Process.Signal(os.Interrupt)
	expect("cancelled")
	// The handler is removed just after the context is cancelled: send
	// the second interrupt until it is the default one.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	watchdog := time.After(time.Minute) // a deadlock guard, not a measurement
	for {
		cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-done:
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
				t.Errorf("child ended with %v, want killed by SIGINT", err)
			}
			return
		case <-time.After(50 * time.Millisecond):
		case <-watchdog:
			cmd.Process.Kill()
			t.Fatal("a second interrupt did not kill the process")
		}
	}
}

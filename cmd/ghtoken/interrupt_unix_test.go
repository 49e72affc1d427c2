//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"os"
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

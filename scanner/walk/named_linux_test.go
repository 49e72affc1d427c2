package walk_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// A path named on the command line is read whatever it is: a FIFO, a pipe
// (what "ghtoken scan <(cmd)" and /dev/stdin name), a device; the size limit
// bounds what never ends. What cannot be opened is unreadable, not skipped
// by policy.
func TestNamedArguments(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "named")
	dir := t.TempDir()

	fifo := filepath.Join(dir, "fifo")
	mkfifo(t, fifo)
	go func() {
		// Opening for writing waits for the scan to open it for reading.
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			fmt.Fprintf(f, "T=%s\n", tok)
			f.Close()
		}
	}()
	t.Cleanup(func() {
		// Releases the writer if the scan never opened the FIFO.
		if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	res := scan(t, &walk.Paths{Args: []string{fifo}}, scanner.Options{})
	if len(res.Findings) != 1 || len(res.Skipped) != 0 {
		t.Errorf("FIFO: findings %+v, skipped %+v; want the token", res.Findings, res.Skipped)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		fmt.Fprintf(w, "T=%s\n", tok)
		w.Close()
	}()
	res = scan(t, &walk.Paths{Args: []string{fmt.Sprintf("/dev/fd/%d", r.Fd())}}, scanner.Options{})
	if len(res.Findings) != 1 || len(res.Skipped) != 0 {
		t.Errorf("pipe: findings %+v, skipped %+v; want the token", res.Findings, res.Skipped)
	}

	res = scan(t, &walk.Paths{Args: []string{"/dev/zero"}}, scanner.Options{MaxFileSize: 1 << 20})
	if s := skipsByPath(res)["/dev/zero"]; s != finding.SkipTooLarge || res.Stats.BytesScanned <= 1<<20 {
		t.Errorf("/dev/zero: skip %q after %d bytes; want too-large after the limit", s, res.Stats.BytesScanned)
	}

	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res = scan(t, &walk.Paths{Args: []string{filepath.Join(dir, "sock")}}, scanner.Options{})
	if len(res.Skipped) != 1 || res.Skipped[0].Reason != finding.SkipUnreadable || !strings.Contains(res.Skipped[0].Detail, "sock") {
		t.Errorf("socket: skipped %+v, want unreadable with its path", res.Skipped)
	}
}

// A FIFO named on the command line whose writer comes late is waited for
// (read before its writer, it would look empty and clean); one whose writer
// never comes does not hold the scan once it is cancelled.
func TestNamedFIFOWaits(t *testing.T) {
	tok := rulestest.Token(rulestest.OAuth, "late")
	dir := t.TempDir()
	late := filepath.Join(dir, "late")
	mkfifo(t, late)
	go func() {
		// Without a reader, a non-blocking open for writing fails: this
		// one succeeds once the scan has opened the FIFO. The writer then
		// lets the reader get ahead, as a slow command would.
		for {
			f, err := os.OpenFile(late, os.O_WRONLY|syscall.O_NONBLOCK, 0)
			if err == nil {
				time.Sleep(50 * time.Millisecond)
				fmt.Fprintf(f, "T=%s\n", tok)
				f.Close()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	res := scan(t, &walk.Paths{Args: []string{late}}, scanner.Options{})
	if len(res.Findings) != 1 {
		t.Errorf("late writer: findings %+v, skipped %+v", res.Findings, res.Skipped)
	}

	never := filepath.Join(dir, "never")
	mkfifo(t, never)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res, err := scanner.Scan(ctx, &walk.Paths{Args: []string{never}}, scanner.Options{})
	if err == nil && len(res.Skipped) == 0 {
		t.Errorf("cancelled wait: no error, nothing skipped")
	}
}

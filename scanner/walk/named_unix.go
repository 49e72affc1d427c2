//go:build unix

package walk

import (
	"context"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// openNamed opens a file that is not regular without blocking, waits for a
// FIFO's writer, and reads through the runtime's poller, so that ctx ends a
// wait that no writer ends (the file is closed under the read).
func openNamed(ctx context.Context, name string) (io.ReadCloser, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { f.Close() })
	nf := &namedFile{File: f, stop: stop}
	info, err := f.Stat()
	if err != nil {
		nf.Close()
		return nil, err
	}
	if info.Mode()&os.ModeNamedPipe != 0 {
		if err := waitForWriter(f); err != nil {
			nf.Close()
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return nil, &os.PathError{Op: "wait for a writer", Path: name, Err: err}
		}
	}
	return nf, nil
}

// waitForWriter returns once a FIFO opened without blocking has something to
// read, or had a writer that closed it: before any writer, a read returns
// end of file at once, and the poller reports nothing.
func waitForWriter(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var perr error
	err = rc.Read(func(fd uintptr) bool {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			n, err := unix.Poll(fds, 0)
			if err == unix.EINTR {
				continue
			}
			perr = err
			return err != nil || (n > 0 && fds[0].Revents != 0)
		}
	})
	if err == nil {
		err = perr
	}
	return err
}

// namedFile is an open named file whose cancellation hook is released on
// Close.
type namedFile struct {
	*os.File
	stop func() bool
}

func (f *namedFile) Close() error {
	f.stop()
	return f.File.Close()
}

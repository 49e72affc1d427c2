package gitsource

import (
	"io"
	"syscall"
)

// growPipe asks Linux for a 1 MiB pipe buffer on r, when r is a pipe: with
// the default 64 KiB, reading cat-file's output costs a system call and a
// context switch for every 64 KiB of blobs. Failure only costs speed.
func growPipe(r io.Reader) {
	sc, ok := r.(syscall.Conn)
	if !ok {
		return
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return
	}
	const fSetPipeSize = 1031 // F_SETPIPE_SZ
	raw.Control(func(fd uintptr) {
		syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, 1<<20)
	})
}

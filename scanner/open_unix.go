//go:build unix

package scanner

import (
	"os"
	"syscall"
)

// openNonBlocking opens name so that opening a FIFO never blocks.
func openNonBlocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// nonBlockingRead are the flags of openNonBlocking.
const nonBlockingRead = os.O_RDONLY | syscall.O_NONBLOCK

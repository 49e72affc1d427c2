//go:build !unix

package walk

import (
	"io"
	"os"
)

// openNonBlocking opens name; on systems without O_NONBLOCK the walk's own
// type checks are what keep FIFOs out.
func openNonBlocking(name string) (*os.File, error) { return os.Open(name) }

// nonBlockingRead are the flags of openNonBlocking.
const nonBlockingRead = os.O_RDONLY

// openRegular opens a file and refuses anything that is not a regular file
// by the time it is opened (it may have been replaced since it was listed).
func openRegular(name string) (io.ReadCloser, error) {
	f, err := openNonBlocking(name)
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}

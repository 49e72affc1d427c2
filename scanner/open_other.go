//go:build !unix

package scanner

import "os"

// openNonBlocking opens name; on systems without O_NONBLOCK the walk's own
// type checks are what keep FIFOs out.
func openNonBlocking(name string) (*os.File, error) { return os.Open(name) }

// nonBlockingRead are the flags of openNonBlocking.
const nonBlockingRead = os.O_RDONLY

//go:build unix

package walk

import (
	"io"
	"io/fs"
	"syscall"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// openRegular opens a file without blocking and refuses anything that is not
// a regular file by the time it is opened (it may have been replaced by a
// FIFO since it was listed).
//
// It works on the raw descriptor: an *os.File would register every file
// with the runtime's poller and set a finalizer, which costs several system
// calls per file and showed as a tenth of a whole-tree scan's time.
func openRegular(name string) (io.ReadCloser, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, &finding.SkipError{Reason: finding.SkipNotRegular, Detail: describeMode(modeType(uint32(st.Mode)))}
	}
	return &rawFile{fd: fd, name: name, size: st.Size}, nil
}

// modeType converts the file type bits of a stat mode.
func modeType(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}

// rawFile reads a regular file through its descriptor. Reads of a regular
// file never return EAGAIN, O_NONBLOCK or not.
//
// A read that returns less than asked and ends where fstat said the file
// ends is the end of the file: the next Read returns io.EOF without the
// system call that would return 0 (half the reads of a tree of small
// files). A file that grew since fstat is read on as usual, and so is one
// whose size says nothing (size 0, as in /proc).
type rawFile struct {
	fd   int
	name string
	size int64
	off  int64 // bytes read so far
	eof  bool
}

func (f *rawFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if f.eof {
		return 0, io.EOF
	}
	for {
		n, err := syscall.Read(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		f.off += int64(n)
		f.eof = n < len(p) && f.off == f.size
		return n, nil
	}
}

// ReadAt reads at an offset without moving the read position: an archive
// that needs random access (a zip) is read in place.
func (f *rawFile) ReadAt(p []byte, off int64) (int, error) {
	done := 0
	for done < len(p) {
		n, err := syscall.Pread(f.fd, p[done:], off+int64(done))
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return done, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return done, io.EOF
		}
		done += n
	}
	return done, nil
}

func (f *rawFile) Close() error { return syscall.Close(f.fd) }

// Size is the file's size when it was opened.
func (f *rawFile) Size() int64 { return f.size }

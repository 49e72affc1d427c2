//go:build unix

package walk

import (
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// deepDir is a directory held open by its file descriptor. Unlike os.Root,
// whose name grows with every level, it keeps no path: at 10,000 levels the
// paths alone would hold hundreds of MiB.
type deepDir struct{ f *os.File }

const openatFlags = unix.O_NOFOLLOW | unix.O_CLOEXEC

func openDeep(parentAbs, name string) (deepDir, error) {
	p, err := os.Open(parentAbs)
	if err != nil {
		return deepDir{}, err
	}
	defer p.Close()
	return deepDir{p}.child(name)
}

func (d deepDir) openat(name string, flags int) (*os.File, error) {
	fd, err := unix.Openat(int(d.f.Fd()), name, flags|openatFlags, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "openat", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), name), nil
}

func (d deepDir) child(name string) (deepDir, error) {
	f, err := d.openat(name, unix.O_RDONLY|unix.O_DIRECTORY)
	return deepDir{f}, err
}

func (d deepDir) close() {
	if d.f != nil {
		d.f.Close()
	}
}

func (d deepDir) readDir() ([]fs.DirEntry, error) { return d.f.ReadDir(-1) }

func (d deepDir) readFile(name string) ([]byte, error) {
	f, err := d.openat(name, unix.O_RDONLY|unix.O_NONBLOCK)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func (d deepDir) readlink(name string) (string, error) {
	buf := make([]byte, 4096)
	n, err := unix.Readlinkat(int(d.f.Fd()), name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

func (d deepDir) openFile(name string) (*os.File, error) {
	return d.openat(name, unix.O_RDONLY|unix.O_NONBLOCK)
}

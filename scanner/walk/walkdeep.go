package walk

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// A walk can go deeper than any path the system can open (PATH_MAX, 4096
// bytes on Linux): 10,000 nested directories named "d" make a 20,000-byte
// path. Below longPath bytes the walk opens directories and files by path;
// from there on it holds each directory open (an os.Root, opened relative to
// its parent) and opens what is in it relative to that, so the depth of a
// tree no longer limits what is scanned. Files in such directories are opened
// during the walk and handed to a worker open: there is no path to reopen
// them by. Each open directory costs one file descriptor while its subtree is
// walked; when the system runs out, the directory is reported as unreadable.
const longPath = 3 << 10

// dirRef reaches a directory by path (abs) or, deep down, by an open handle.
type dirRef struct {
	abs  string
	deep deepDir
}

func (d dirRef) close() {
	if d.abs == "" {
		d.deep.close()
	}
}

func (d dirRef) readDir() ([]fs.DirEntry, error) {
	if d.abs != "" {
		return os.ReadDir(d.abs)
	}
	return d.deep.readDir()
}

func (d dirRef) readFile(name string) ([]byte, error) {
	if d.abs != "" {
		return os.ReadFile(joinName(d.abs, name))
	}
	return d.deep.readFile(name)
}

func (d dirRef) readlink(name string) (string, error) {
	if d.abs != "" {
		return os.Readlink(joinName(d.abs, name))
	}
	return d.deep.readlink(name)
}

// child returns the subdirectory name. The caller closes it.
func (d dirRef) child(name string) (dirRef, error) {
	if d.abs == "" {
		c, err := d.deep.child(name)
		return dirRef{deep: c}, err
	}
	abs := joinName(d.abs, name)
	if len(abs) < longPath {
		return dirRef{abs: abs}, nil
	}
	c, err := openDeep(d.abs, name)
	return dirRef{deep: c}, err
}

// joinName is filepath.Join(dir, name) for a clean dir and a name listed in
// it (no separator, not "." or ".."), without Join's Clean: that pass over
// every path was about 1% of the CPU of a tree scan.
func joinName(dir, name string) string {
	switch {
	case dir == ".":
		return name
	case os.IsPathSeparator(dir[len(dir)-1]):
		return dir + name // the root, "/"
	}
	return dir + string(filepath.Separator) + name
}

// opener returns the Open function of the regular file name. For a deep
// directory the file is opened now; done must be called with false if the
// Item is not handed over, to close it.
func (d dirRef) opener(name string) (open func() (io.ReadCloser, error), done func(handed bool), err error) {
	if d.abs != "" {
		p := joinName(d.abs, name)
		return func() (io.ReadCloser, error) { return openRegular(p) }, func(bool) {}, nil
	}
	f, err := d.deep.openFile(name)
	if err != nil {
		return nil, nil, err
	}
	return func() (io.ReadCloser, error) { return checkRegular(f) }, func(handed bool) {
		if !handed {
			f.Close()
		}
	}, nil
}

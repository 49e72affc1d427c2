//go:build !unix

package walk

import (
	"io/fs"
	"os"
)

// deepDir is a directory held open as an os.Root where file descriptors and
// openat are not at hand.
type deepDir struct{ r *os.Root }

func openDeep(parentAbs, name string) (deepDir, error) {
	p, err := os.OpenRoot(parentAbs)
	if err != nil {
		return deepDir{}, err
	}
	defer p.Close()
	return deepDir{p}.child(name)
}

func (d deepDir) child(name string) (deepDir, error) {
	r, err := d.r.OpenRoot(name)
	return deepDir{r}, err
}

func (d deepDir) close() {
	if d.r != nil {
		d.r.Close()
	}
}

func (d deepDir) readDir() ([]fs.DirEntry, error) {
	f, err := d.r.Open(".")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

func (d deepDir) readFile(name string) ([]byte, error) { return d.r.ReadFile(name) }
func (d deepDir) readlink(name string) (string, error) { return d.r.Readlink(name) }
func (d deepDir) openFile(name string) (*os.File, error) {
	return d.r.OpenFile(name, nonBlockingRead, 0)
}

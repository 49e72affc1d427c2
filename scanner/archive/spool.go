package archive

import (
	"bytes"
	"errors"
	"io"
	"os"
)

// SpoolInMemory is how much of a stream Spool keeps in memory before it
// moves to a temporary file.
const SpoolInMemory = 4 << 20

// Spooled is a stream copied aside so that it can be read at any offset.
type Spooled struct {
	io.ReaderAt
	Size int64
	file *os.File
}

// Close removes the copy.
func (s *Spooled) Close() error {
	if s.file == nil {
		return nil
	}
	return removeTemp(s.file)
}

// removeTemp closes and removes a temporary file made for a copy; one
// already gone is not an error.
func removeTemp(f *os.File) error {
	name := f.Name()
	err := f.Close()
	if rerr := os.Remove(name); err == nil && !errors.Is(rerr, os.ErrNotExist) {
		err = rerr
	}
	return err
}

// Spool copies head and then r to memory, or to a temporary file once over
// SpoolInMemory bytes. Reads of r go through it as they are (so a budget
// reader's limit errors come back as they are).
func Spool(head []byte, r io.Reader) (*Spooled, error) {
	var mem bytes.Buffer
	mem.Write(head)
	_, err := io.Copy(&mem, io.LimitReader(r, int64(max(SpoolInMemory-len(head), 0))))
	if err != nil {
		return nil, err
	}
	if mem.Len() < SpoolInMemory {
		b := mem.Bytes()
		return &Spooled{ReaderAt: bytes.NewReader(b), Size: int64(len(b))}, nil
	}
	f, err := os.CreateTemp("", "ghtoken-archive-*")
	if err != nil {
		return nil, err
	}
	s := &Spooled{ReaderAt: f, file: f}
	if _, err := f.Write(mem.Bytes()); err != nil {
		s.Close()
		return nil, err
	}
	n, err := io.Copy(f, r)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Size = int64(mem.Len()) + n
	return s, nil
}

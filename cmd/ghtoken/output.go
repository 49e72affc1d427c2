package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ghtoken/ghtoken/rules"
)

// atomicFile is a report being written to a temporary file beside its final
// name; Commit renames it into place, so readers see the old file or the
// whole new one, and a failed run leaves no half report behind.
type atomicFile struct {
	*os.File
	final string
	perm  os.FileMode
	done  bool
}

// checkWritable fails when a report could not be created at name, so that
// the error comes before a long scan. It leaves nothing behind: a file
// created in the scanned tree would be scanned.
func checkWritable(name string) error {
	a, err := createAtomic(name, 0o644)
	if err != nil {
		return err
	}
	a.Abort()
	return nil
}

// createAtomic starts writing name.
func createAtomic(name string, perm os.FileMode) (*atomicFile, error) {
	if info, err := os.Stat(name); err == nil && info.IsDir() {
		return nil, fmt.Errorf("create %s: is a directory", name)
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name would only confuse
		}
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	return &atomicFile{File: f, final: name, perm: perm}, nil
}

// Commit flushes the file to disk and moves it to its final name.
func (a *atomicFile) Commit() error {
	a.done = true
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(a.Name(), a.perm)
	}
	if err == nil {
		err = os.Rename(a.Name(), a.final)
	}
	if err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("write %s: %w", a.final, err)
	}
	return nil
}

// Abort removes the temporary file unless Commit was called.
func (a *atomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.Close()
	os.Remove(a.Name())
}

// writeReport runs write on stdout, or, when name is set, on a new file that
// replaces name only once the whole report is written (errors name "-o").
// Tokens in a report file are masked unless unmasked is set (--show-secrets);
// stdout is masked or not by the caller's choice of writer. The report is
// buffered: the masking writer then looks at large pieces, not at each of
// the reporter's small writes.
func writeReport(stdout io.Writer, name string, perm os.FileMode, unmasked bool, write func(io.Writer) error) error {
	buffered := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if name == "" {
		if err := buffered(stdout); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return nil
	}
	a, err := createAtomic(name, perm)
	if err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	defer a.Abort() // a no-op once committed
	var w io.Writer = a
	mw := rules.NewMaskWriter(a)
	if !unmasked {
		w = mw
	}
	if err := buffered(w); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := mw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return a.Commit()
}

// writeFileAtomic replaces name with data, so that a failure leaves the old
// file as it was.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	a, err := createAtomic(name, perm)
	if err != nil {
		return err
	}
	defer a.Abort()
	if _, err := a.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return a.Commit()
}

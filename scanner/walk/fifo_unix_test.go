//go:build unix

package walk_test

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe for tests of files that must never be opened.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

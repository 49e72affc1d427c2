//go:build unix

package walk

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A file that grows while it is read is read to its new end: the size
// fstat gave at open time only spares the read that returns 0 when a short
// read ends exactly there.
func TestRawFileReadsWhatGrows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := openRegular(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	p := make([]byte, 8)
	if n, err := rc.Read(p); n != 8 || err != nil {
		t.Fatalf("first read: %d, %v", n, err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("abcde")
	f.Close()
	rest, err := io.ReadAll(rc)
	if err != nil || string(rest) != "89abcde" {
		t.Fatalf("rest = %q, %v; want %q", rest, err, "89abcde")
	}
}

// A short read that ends at the size is the end: Read says io.EOF at once.
func TestRawFileShortReadAtSizeIsTheEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := openRegular(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	p := make([]byte, 64)
	if n, err := rc.Read(p); n != 10 || err != nil {
		t.Fatalf("first read: %d, %v", n, err)
	}
	if n, err := rc.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("second read: %d, %v; want 0, EOF", n, err)
	}
	if !rc.(*rawFile).eof {
		t.Fatal("the end was found by a read system call, not by the size")
	}
}

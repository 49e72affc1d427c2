package scanner

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// notTextDecoded is notText with every character decoded, ASCII too.
func notTextDecoded(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if (r == utf8.RuneError && size == 1) || (r < 0x20 && !isSpaceControl(r)) || r == 0x7f {
			n++
		}
		b = b[size:]
	}
	return n
}

func TestNotText(t *testing.T) {
	var every []byte
	for c := range 256 {
		every = append(every, byte(c), 'a')
		if got, want := notText([]byte{byte(c)}), notTextDecoded([]byte{byte(c)}); got != want {
			t.Errorf("notText(%#x) = %d, want %d", c, got, want)
		}
	}
	for _, b := range [][]byte{every, []byte("tab\there\r\nnul\x00del\x7fé\xff\xc3"), []byte("h\x00e\x00l\x00l\x00o\x00")} {
		if got, want := notText(b), notTextDecoded(b); got != want {
			t.Errorf("notText(%q) = %d, want %d", b, got, want)
		}
	}
}

func FuzzNotText(f *testing.F) {
	f.Add([]byte("text\x00with\x7fcontrols\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := notText(b), notTextDecoded(b); got != want {
			t.Fatalf("notText(%q) = %d, want %d", b, got, want)
		}
	})
}

// BenchmarkSniffText is the look at each file's first bytes that tells
// UTF-16 from UTF-8: it runs once per file read.
func BenchmarkSniffText(b *testing.B) {
	head := bytes.Repeat([]byte("\tif err := w.Write(buf[:n]); err != nil { return err } // héllo\n"), 10)[:utf16SniffLen]
	b.SetBytes(int64(len(head)))
	for b.Loop() {
		if enc, _ := sniffText(head); enc != encUTF8 {
			b.Fatal(enc)
		}
	}
}

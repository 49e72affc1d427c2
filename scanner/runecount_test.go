package scanner

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "a", "abcdefgh", "abcdefghi", "héllo wörld, ascii after", "日本語のテキスト and ASCII",
		"\xff\xfe bad \xc3 bytes \xe2\x82", strings.Repeat("x", 17) + "é" + strings.Repeat("y", 9), "\xf0\x9f\x98\x80emoji"} {
		if got, want := runeCount([]byte(s)), utf8.RuneCount([]byte(s)); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzRuneCount(f *testing.F) {
	f.Add([]byte("plain ASCII text of some length"))
	f.Add([]byte("mixé\xff\xc3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := runeCount(b), utf8.RuneCount(b); got != want {
			t.Fatalf("runeCount(%q) = %d, want %d", b, got, want)
		}
	})
}

// BenchmarkLongLine reads 16 MiB of text with no line break, as minified
// code is: the column of what follows is counted over every byte.
func BenchmarkLongLine(b *testing.B) {
	data := bytes.Repeat([]byte(`function(a,b){return a.call(b,"x")};var c=1,d=[2,3];`), (16<<20)/52)
	b.SetBytes(int64(len(data)))
	var buf []byte
	for b.Loop() {
		_, buf, _ = scanStream(bytes.NewReader(data), "x.min.js", defaultChunkSize, buf, func(streamMatch) {})
	}
}

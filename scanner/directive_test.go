package scanner

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchText is this package's own Go source repeated to size bytes: real
// code, with colons, "allow" and "ignore" in it, but no directive.
func benchText(b *testing.B, size int) []byte {
	names, err := filepath.Glob("*.go")
	if err != nil || len(names) == 0 {
		b.Fatalf("no source to repeat: %v", err)
	}
	var src []byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		src = append(src, data...)
	}
	return bytes.Repeat(src, size/len(src)+1)[:size]
}

// BenchmarkScanStream compares reading with and without the directive
// search (go test -bench ScanStream -benchtime 20x ./scanner).
func BenchmarkScanStream(b *testing.B) {
	data := benchText(b, 8<<20)
	for _, mode := range []struct {
		name string
		sink func() *directiveSink
	}{
		{"no-directives", func() *directiveSink { return nil }},
		{"own-directives", func() *directiveSink { return &directiveSink{} }},
		{"all-directives", func() *directiveSink { return &directiveSink{foreign: true} }},
	} {
		b.Run(mode.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var buf []byte
			for b.Loop() {
				var err error
				_, buf, err = scanStreamDirectives(bytes.NewReader(data), "x.go", defaultChunkSize, buf, mode.sink(), func(streamMatch) {})
				if err != nil && err != io.EOF {
					b.Fatal(err)
				}
			}
		})
	}
}

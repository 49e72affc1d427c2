package scanner

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// The directives are spelled in two parts so that this file holds none.
const (
	allow     = "ghtoken" + ":allow"
	allowNext = "ghtoken" + ":allow-next-line"
)

func FuzzFindDirectives(f *testing.F) {
	for _, s := range []string{
		"x # " + allow + " reason\n",
		"# " + allowNext + "\nx\n",
		allow,
		"ghtoken:" + "allowed " + allow + "-next-line-x",
		"a # gitleaks:allow\nb # pragma: allowlist secret\n# pragma:allowlist nextline secret\nc // trufflehog:ignore\n",
		"<!-- " + allow + " é ü -->\r\n",
		"`" + allow + "` and \"" + allow + "\"",
		allow + " " + strings.Repeat("é", 150),
	} {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		whole := findDirectives(data, 0, len(data), true, nil)
		for i, d := range whole {
			if i > 0 && d.offset < whole[i-1].offset {
				t.Fatalf("directives out of order: %+v", whole)
			}
			if d.offset < 0 || d.offset >= len(data) || d.back > d.offset {
				t.Fatalf("directive outside the data: %+v", d)
			}
			if !utf8.ValidString(d.Reason) || len(d.Reason) > maxReasonLen || d.Reason != strings.TrimSpace(d.Reason) {
				t.Fatalf("bad reason %q", d.Reason)
			}
			if d.Foreign && d.Reason != "" {
				t.Fatalf("foreign directive with a reason: %+v", d)
			}
		}
		// Searching two regions finds what one search over both finds:
		// the chunked reader depends on it.
		k := int(split) % (len(data) + 1)
		parts := findDirectives(data, 0, k, true, nil)
		parts = findDirectives(data, k, len(data), true, parts)
		if len(parts) != len(whole) {
			t.Fatalf("split at %d: %d directives, whole: %d", k, len(parts), len(whole))
		}
		for i := range parts {
			if parts[i] != whole[i] {
				t.Fatalf("split at %d: %+v, whole: %+v", k, parts[i], whole[i])
			}
		}
		own := findDirectives(data, 0, len(data), false, nil)
		for _, d := range own {
			if d.Foreign {
				t.Fatalf("foreign directive found with foreign off: %+v", d)
			}
		}
	})
}

// benchText is this package's own Go source repeated to size bytes: real
// code, with colons, "allow" and "ignore" in it, but no directive.
func benchText(b *testing.B, size int) []byte {
	var src []byte
	for _, name := range []string{"scan.go", "walk.go", "read.go", "ignore.go", "finding.go"} {
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

// BenchmarkFindDirectives is the directive search alone, to compare with
// BenchmarkScanStream/no-directives (the rules' own pass over the bytes).
func BenchmarkFindDirectives(b *testing.B) {
	data := benchText(b, 8<<20)
	for _, foreign := range []bool{false, true} {
		name := "own"
		if foreign {
			name = "all"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var dst []directive
			for b.Loop() {
				dst = findDirectives(data, 0, len(data), foreign, dst[:0])
			}
		})
	}
}

package directive

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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
		whole := Find(data, 0, len(data), true, nil)
		for i, d := range whole {
			if i > 0 && d.Start < whole[i-1].Start {
				t.Fatalf("directives out of order: %+v", whole)
			}
			if d.Start < 0 || d.Start >= d.End || d.End > len(data) {
				t.Fatalf("directive outside the data: %+v", d)
			}
			if !utf8.ValidString(d.Reason) || len(d.Reason) > MaxReasonLen || d.Reason != strings.TrimSpace(d.Reason) {
				t.Fatalf("bad reason %q", d.Reason)
			}
			if d.Foreign && d.Reason != "" {
				t.Fatalf("foreign directive with a reason: %+v", d)
			}
		}
		// Searching two regions finds what one search over both finds:
		// the chunked reader depends on it.
		k := int(split) % (len(data) + 1)
		parts := Find(data, 0, k, true, nil)
		parts = Find(data, k, len(data), true, parts)
		if len(parts) != len(whole) {
			t.Fatalf("split at %d: %d directives, whole: %d", k, len(parts), len(whole))
		}
		for i := range parts {
			if parts[i] != whole[i] {
				t.Fatalf("split at %d: %+v, whole: %+v", k, parts[i], whole[i])
			}
		}
		own := Find(data, 0, len(data), false, nil)
		for _, d := range own {
			if d.Foreign {
				t.Fatalf("foreign directive found with foreign off: %+v", d)
			}
		}
	})
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
			var dst []Directive
			for b.Loop() {
				dst = Find(data, 0, len(data), foreign, dst[:0])
			}
		})
	}
}

// The directives are spelled in two parts so that this file holds none.
const (
	allow     = "ghtoken" + ":allow"
	allowNext = "ghtoken" + ":allow-next-line"
)

// benchText is the scanner's own Go source repeated to size bytes: real
// code, with colons, "allow" and "ignore" in it, but no directive.
func benchText(b *testing.B, size int) []byte {
	names, err := filepath.Glob("../*.go")
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

// FuzzEachMarker checks the search by one rare byte against a plain search
// for the whole marker: every occurrence that starts in the window, in
// order, whichever byte the search picked.
func FuzzEachMarker(f *testing.F) {
	f.Add([]byte("a:allow b:allowww :::allow www"), uint8(0), uint8(20))
	f.Add([]byte(strings.Repeat("w", 600)+":allow"+strings.Repeat(":", 600)+":allow"), uint8(1), uint8(255))
	f.Add([]byte("pragma: allowlist wlistwlist truffle"+"hog:ignore"), uint8(0), uint8(40))
	f.Fuzz(func(t *testing.T, data []byte, from, to uint8) {
		lo, hi := min(int(from), len(data)), min(int(to), len(data))
		for _, marker := range []string{":allow", "wlist", "hog:i"} {
			var got []int
			eachMarker(data, lo, hi, marker, nil, func(at int) (Directive, bool) {
				got = append(got, at)
				return Directive{}, false
			})
			var want []int
			end := min(len(data), hi+maxMarkerBack+len(marker)-1)
			for i := lo; i < end; i++ {
				if bytes.HasPrefix(data[i:end], []byte(marker)) {
					want = append(want, i)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("eachMarker(%q, %d, %d, %q) visits %v, want %v", data, lo, hi, marker, got, want)
			}
		}
	})
}

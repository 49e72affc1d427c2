package scanner

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/archive"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// oneItem is a source of one item held in memory, read in place (ReadAt,
// as a file or a git blob) or as a stream (as standard input).
type oneItem struct {
	data   []byte
	stream bool
}

func (s oneItem) Walk(_ context.Context, emit func(finding.Item) error) error {
	return emit(finding.Item{Path: "in", Size: -1, Open: func() (io.ReadCloser, error) {
		if s.stream {
			return io.NopCloser(bytes.NewReader(s.data)), nil
		}
		return sizedReader{bytes.NewReader(s.data)}, nil
	}})
}

// sizedReader is an in-memory file: it reads at any offset.
type sizedReader struct{ memFile }

type memFile interface {
	io.Reader
	io.ReaderAt
	Size() int64
}

func (sizedReader) Close() error { return nil }

// FuzzArchive feeds arbitrary bytes to the archive readers through the
// scanner: no panic, and the work is bounded by the input and the limits:
// what is scanned is at most the input's bytes plus the decompression
// budget, and the members at most the entry limit.
func FuzzArchive(f *testing.F) {
	tok := rulestest.Token(rulestest.ClassicPAT, "fuzz")
	env := member{"config/app.env", "T=" + tok + "\n"}
	plainTar := tarOf(f, env, member{"b/", ""}, member{"b/c.txt", "x\n"})
	inner := zipOf(f, zip.Deflate, env)
	f.Add(zipOf(f, zip.Deflate, env, member{"README", "hi\n"}))
	f.Add(zipOf(f, zip.Store, env))
	f.Add(plainTar)
	f.Add(gzipOf(f, "", plainTar))
	f.Add(gzipOf(f, "x.log", []byte(env.text)))
	f.Add(tarOf(f, member{"l/layer.tar", string(gzipOf(f, "", plainTar))}))
	f.Add(zipOf(f, zip.Deflate, member{"in.jar", string(inner)}))
	f.Add(nestZips(f, inner, 5))
	f.Add(overlapBomb(f, env, string(make([]byte, 64<<10)), 40))
	f.Add(zstdOf(f, plainTar))
	f.Add([]byte("BZh91AY&SY"))
	f.Add([]byte("PK\x03\x04"))
	lim := archive.Limits{MaxDepth: 4, MaxBytes: 1 << 20, MaxRatio: 50, MaxEntries: 200}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, stream := range []bool{false, true} {
			res, err := Scan(context.Background(), oneItem{data, stream}, Options{ArchiveLimits: lim, ChunkSize: 4096, MaxFileSize: 4 << 20, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if max := int64(len(data)) + lim.MaxBytes + 1; res.Stats.BytesScanned > max {
				t.Fatalf("stream %v: %d bytes scanned out of %d, over %d", stream, res.Stats.BytesScanned, len(data), max)
			}
			if n := res.Stats.FilesSeen(); n > lim.MaxEntries+2 {
				t.Fatalf("stream %v: %d files seen, over the %d-entry limit", stream, n, lim.MaxEntries)
			}
		}
	})
}

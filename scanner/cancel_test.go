package scanner

import (
	"context"
	"io"
	"testing"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// cancellingReader gives text without end; once it has given cancelAt
// bytes it cancels the scan's context, then counts what it gives after,
// up to limit bytes.
type cancellingReader struct {
	cancel          context.CancelFunc
	cancelAt, limit int
	given, after    int
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if r.given >= r.cancelAt {
		if r.after == 0 {
			r.cancel()
		}
		if r.after >= r.limit {
			return 0, io.EOF
		}
	}
	n := min(len(p), 4096)
	for i := range n {
		p[i] = "y\n"[i%2]
	}
	if r.given >= r.cancelAt {
		r.after += n
	}
	r.given += n
	return n, nil
}

// A cancelled scan stops reading an item within a read, with or without a
// size limit on it (the limit's reader once bypassed the cancellation).
func TestCancelStopsReading(t *testing.T) {
	for _, maxSize := range []int64{0, 1 << 30} {
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancellingReader{cancel: cancel, cancelAt: 1 << 20, limit: 256 << 20}
		src := funcSource(func(ctx context.Context, emit func(finding.Item) error) error {
			return emit(finding.Item{Path: "endless", Size: -1, Open: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }})
		})
		_, err := Scan(ctx, src, Options{MaxFileSize: maxSize, Workers: 1})
		if err == nil {
			t.Errorf("max size %d: a cancelled scan returned no error", maxSize)
		}
		if r.after >= 64<<20 {
			t.Errorf("max size %d: %d bytes read after the context was cancelled", maxSize, r.after)
		}
		cancel()
	}
}

type funcSource func(context.Context, func(finding.Item) error) error

func (f funcSource) Walk(ctx context.Context, emit func(finding.Item) error) error {
	return f(ctx, emit)
}

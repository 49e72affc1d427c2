package scanner

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// gatedSource yields items that, like a history's blobs, hold something
// its source waits to get back. With one worker busy with the first item
// (its Open waits for a gate), the second and third queue up; the source
// then opens the gate and waits for the third item to be opened before it
// goes on. An item kept back to fill a batch is never opened.
type gatedSource struct {
	n       int
	gate    chan struct{}
	thirdIn chan struct{}
}

func (s *gatedSource) Walk(ctx context.Context, emit func(finding.Item) error) error {
	for k := range s.n {
		open := func() (io.ReadCloser, error) {
			switch k {
			case 0:
				<-s.gate
			case 2:
				close(s.thirdIn)
			}
			return io.NopCloser(strings.NewReader("x")), nil
		}
		if err := emit(finding.Item{Path: fmt.Sprint(k), Size: 1, Open: open}); err != nil {
			return err
		}
		if k == 2 {
			close(s.gate)
			select {
			case <-s.thirdIn:
			case <-time.After(time.Minute): // a deadlock guard, not a measurement
				return fmt.Errorf("the third item was never opened: it waited in a batch")
			}
		}
	}
	return nil
}

// An item from a source that does not say its items hold nothing is handed
// over as soon as it is yielded, never kept to make a batch: the source
// may be waiting for what it holds.
func TestItemsOfAnEagerSourceAreNotBatched(t *testing.T) {
	src := &gatedSource{n: 40, gate: make(chan struct{}), thirdIn: make(chan struct{})}
	res, err := Scan(context.Background(), src, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.FilesScanned != src.n {
		t.Errorf("%d items scanned, want %d", res.Stats.FilesScanned, src.n)
	}
}

// lazySource yields n items that hold nothing, from one goroutine.
type lazySource struct{ n int }

func (lazySource) LazyItems() {}

func (s lazySource) Walk(ctx context.Context, emit func(finding.Item) error) error {
	for k := range s.n {
		open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("text")), nil }
		if err := emit(finding.Item{Path: fmt.Sprint(k), Size: -1, Open: open}); err != nil {
			return err
		}
	}
	return nil
}

// Batched items are each scanned once, whatever the number of workers, and
// a scan cut short by its context still ends.
func TestLazyItemsAreScannedOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		for _, n := range []int{0, 1, itemBatch - 1, itemBatch, itemBatch + 1, 1000} {
			res, err := Scan(context.Background(), lazySource{n: n}, Options{Workers: workers})
			if err != nil || res.Stats.FilesScanned != n {
				t.Errorf("%d workers, %d items: %d scanned, error %v", workers, n, res.Stats.FilesScanned, err)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Scan(ctx, lazySource{n: 1000}, Options{Workers: 2})
	if err == nil {
		t.Error("a cancelled scan returned no error")
	}
}

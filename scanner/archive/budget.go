package archive

import (
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Limits bound what one archive (everything inside one file, all levels
// together) may cost. Each limit hit is a skip with its own reason.
type Limits struct {
	// MaxDepth is how many archives or compressed streams may be nested,
	// the outermost counting as 1.
	MaxDepth int
	// MaxBytes bounds the bytes read out of members, all levels together
	// (what is scanned, and what is copied aside to read a nested zip).
	MaxBytes int64
	// MaxRatio bounds MaxBytes relative to the archive's own size, once
	// past RatioFloor bytes: a zip bomb stops within kilobytes of its
	// start, not after MaxBytes.
	MaxRatio int64
	// MaxEntries bounds the members, all levels together.
	MaxEntries int
}

// RatioFloor is how many bytes any archive may give whatever its ratio:
// small files compress well, and a few kilobytes cost nothing to scan.
const RatioFloor = 1 << 20

// DefaultLimits are generous for real archives (a docker save tarball is 3
// levels: tar, gzip, tar) and stop bombs early.
var DefaultLimits = Limits{MaxDepth: 8, MaxBytes: 4 << 30, MaxRatio: 1000, MaxEntries: 100_000}

// LimitError is a limit hit.
type LimitError struct {
	Reason finding.SkipReason
	Detail string
}

func (e *LimitError) Error() string { return e.Detail }

// Budget is what is left of the limits for one archive. It is used by one
// goroutine.
type Budget struct {
	lim     Limits
	in      func() int64 // the archive's size, or the bytes read of it so far
	out     int64
	entries int
}

// NewBudget starts the budget of an archive; in gives its size (or, for a
// stream of unknown size, how much of it has been read).
func NewBudget(lim Limits, in func() int64) *Budget { return &Budget{lim: lim, in: in} }

// Limits returns the limits the budget was made with.
func (b *Budget) Limits() Limits { return b.lim }

// Depth checks that a container at depth (the outermost is 1) may be
// opened.
func (b *Budget) Depth(depth int) error {
	if b.lim.MaxDepth > 0 && depth > b.lim.MaxDepth {
		return &LimitError{Reason: finding.SkipArchiveDepth, Detail: fmt.Sprintf("archive nested %d deep, over the limit of %d", depth, b.lim.MaxDepth)}
	}
	return nil
}

// Entry counts one member.
func (b *Budget) Entry() error {
	b.entries++
	if b.lim.MaxEntries > 0 && b.entries > b.lim.MaxEntries {
		return &LimitError{Reason: finding.SkipArchiveEntries, Detail: fmt.Sprintf("more than %d entries in the archive; the rest were not read", b.lim.MaxEntries)}
	}
	return nil
}

// Left is how many more bytes members may give.
func (b *Budget) Left() int64 {
	if b.lim.MaxBytes <= 0 {
		return 1 << 62
	}
	return b.lim.MaxBytes - b.out
}

// Reader counts what is read from r against the budget; a read past a
// limit fails with a *LimitError (what was read before it stands).
func (b *Budget) Reader(r io.Reader) io.Reader { return &budgetReader{r: r, b: b} }

func (b *Budget) take(n int) error {
	b.out += int64(n)
	if b.lim.MaxBytes > 0 && b.out > b.lim.MaxBytes {
		return &LimitError{Reason: finding.SkipArchiveSize, Detail: fmt.Sprintf("more than %d bytes uncompressed in the archive; the rest was not read", b.lim.MaxBytes)}
	}
	if b.lim.MaxRatio > 0 && b.out > RatioFloor {
		if in := max(b.in(), 1); b.out > b.lim.MaxRatio*in {
			return &LimitError{Reason: finding.SkipArchiveRatio, Detail: fmt.Sprintf("%d bytes uncompressed from %d, over %d times its size: a compression bomb? the rest was not read", b.out, in, b.lim.MaxRatio)}
		}
	}
	return nil
}

type budgetReader struct {
	r   io.Reader
	b   *Budget
	err error
}

func (r *budgetReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	// Never more than is left, so that the overrun is at most one byte.
	if left := r.b.Left() + 1; int64(len(p)) > left {
		p = p[:max(left, 1)]
	}
	n, err := r.r.Read(p)
	if lerr := r.b.take(n); lerr != nil {
		r.err = lerr
		return n, lerr
	}
	return n, err
}

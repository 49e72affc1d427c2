package finding

import (
	"context"
	"io"

	"github.com/ghtoken/ghtoken/rules"
)

// A Source yields the items to scan.
//
// Walk calls emit for each item, from a single goroutine, in a deterministic
// order; it stops and returns emit's error if emit fails, and ctx.Err() once
// ctx is done. Walk returns an error only when the source as a whole is
// unusable (a root that does not exist, git failing); a problem with one item
// is emitted as an Item whose Skip is set.
type Source interface {
	Walk(ctx context.Context, emit func(Item) error) error
}

// CommitCounter is implemented by sources that go through commits (a range,
// a history); Scan copies the count into Stats.Commits once Walk is done.
type CommitCounter interface {
	CommitsWalked() int
}

// LazySource is implemented by sources whose items hold no memory until
// they are opened (a file a walk found, to be opened by path): Scan may then
// hand them to its workers several at a time. An item that holds memory
// must not wait for others: its source may be waiting for that memory to
// come back before it yields the next one (a history's blob budget).
type LazySource interface {
	LazyItems()
}

// Item is one unit of content: a file, a blob, a stream.
type Item struct {
	// Path is what findings and skips report.
	Path string
	// Open returns the content. It is called at most once, from a worker.
	Open func() (io.ReadCloser, error)
	// Size is the content's size when known in advance, -1 otherwise.
	Size int64
	// Stage and Commit are copied to the item's findings.
	Stage  rules.Stage
	Commit *Commit
	// Blob is the git object id of the content, copied to findings.
	Blob string
	// Container is set by the scanner on the members of an archive: the
	// path of the item that holds the archive, copied to findings and
	// skips. Sources leave it empty.
	Container string
	// Lines, when not nil, restricts findings to these 1-based lines (the
	// lines a change adds).
	Lines *LineSet
	// Skip, when not nil, says the source already knows the item cannot be
	// scanned; Open is not called.
	Skip *Skipped
	// NoSizeLimit exempts the item from Options.MaxFileSize (standard input:
	// it is read in bounded chunks anyway, and was given on purpose).
	NoSizeLimit bool
}

// LineSet is a set of 1-based line numbers, kept as sorted, disjoint,
// half-open ranges.
type LineSet struct {
	ranges [][2]int
}

// Add adds lines [from, from+count).
func (s *LineSet) Add(from, count int) {
	if count <= 0 {
		return
	}
	r := [2]int{from, from + count}
	n := len(s.ranges)
	if n > 0 && s.ranges[n-1][1] >= r[0] && s.ranges[n-1][0] <= r[0] {
		s.ranges[n-1][1] = max(s.ranges[n-1][1], r[1])
		return
	}
	s.ranges = append(s.ranges, r)
	if n > 0 && s.ranges[n-1][0] > r[0] {
		s.normalize()
	}
}

func (s *LineSet) normalize() {
	rs := s.ranges
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j-1][0] > rs[j][0]; j-- {
			rs[j-1], rs[j] = rs[j], rs[j-1]
		}
	}
	out := rs[:0]
	for _, r := range rs {
		if k := len(out); k > 0 && out[k-1][1] >= r[0] {
			out[k-1][1] = max(out[k-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	s.ranges = out
}

// Contains reports whether line is in the set.
func (s *LineSet) Contains(line int) bool {
	lo, hi := 0, len(s.ranges)
	for lo < hi {
		m := (lo + hi) / 2
		switch r := s.ranges[m]; {
		case line < r[0]:
			hi = m
		case line >= r[1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// Empty reports whether the set holds no line.
func (s *LineSet) Empty() bool { return len(s.ranges) == 0 }

// Intersect returns the lines in both s and o.
func (s *LineSet) Intersect(o *LineSet) LineSet {
	var out LineSet
	i, j := 0, 0
	for i < len(s.ranges) && j < len(o.ranges) {
		a, b := s.ranges[i], o.ranges[j]
		lo, hi := max(a[0], b[0]), min(a[1], b[1])
		if lo < hi {
			out.ranges = append(out.ranges, [2]int{lo, hi})
		}
		if a[1] < b[1] {
			i++
		} else {
			j++
		}
	}
	return out
}

// Ranges returns the set as sorted, disjoint, half-open [from, to) ranges.
// The slice is the set's own: do not change it.
func (s *LineSet) Ranges() [][2]int { return s.ranges }

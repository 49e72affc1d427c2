package archive

import (
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// bz compresses data with the bzip2 command at level (1-9): the standard
// library has no encoder.
func bz(t testing.TB, level int, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("no bzip2 command to make test streams with")
	}
	cmd := exec.Command("bzip2", "-c", fmt.Sprintf("-%d", level))
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// text is n bytes of seeded text that compresses like source code (about
// 4:1), so that a level-1 block (100 kB before compression) is ~25 kB.
func text(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	words := strings.Fields("func return if else for range go defer select case struct interface map chan byte string error nil true false package import var const type switch default break continue")
	var b bytes.Buffer
	for b.Len() < n {
		switch rng.IntN(8) {
		case 0:
			b.WriteByte('\n')
			b.WriteString(strings.Repeat("\t", rng.IntN(4)))
		case 1:
			fmt.Fprintf(&b, "%d ", rng.Uint32())
		default:
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
	}
	return b.Bytes()[:n]
}

// readAll reads r in reads of size n (cycling through sizes when n is 0)
// up to limit bytes, and returns what it read and the error that ended
// it (io.EOF at the end, nil at the limit).
func readAll(r io.Reader, n, limit int) ([]byte, error) {
	var out []byte
	sizes := []int{1, 7, 4096, 100_000, 3}
	buf := make([]byte, max(n, 100_000))
	for i := 0; len(out) < limit; i++ {
		sz := n
		if sz == 0 {
			sz = sizes[i%len(sizes)]
		}
		k, err := r.Read(buf[:min(sz, limit-len(out))])
		out = append(out, buf[:k]...)
		if err != nil {
			return out, err
		}
		if k == 0 && i > 1_000_000 {
			return out, errors.New("no progress")
		}
	}
	return out, nil
}

// same checks that the parallel reader gives what compress/bzip2 gives:
// the same bytes, then the same error.
func same(t *testing.T, name string, in []byte, chunk, limit int) {
	t.Helper()
	want, werr := readAll(bzip2.NewReader(bytes.NewReader(in)), chunk, limit)
	for _, ahead := range []int{2, 5} {
		r := newBzip2Reader(bytes.NewReader(in), ahead)
		got, gerr := readAll(r, chunk, limit)
		if err := r.Close(); err != nil {
			t.Errorf("%s: close: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s (lookahead %d): %d bytes, want %d (first difference at %d)", name, ahead, len(got), len(want), firstDiff(got, want))
		}
		if gerr != werr {
			t.Fatalf("%s (lookahead %d): error %v (%T), want %v (%T)", name, ahead, gerr, gerr, werr, werr)
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// blockStarts returns the bit offsets of the block magics of a stream
// made by the bzip2 command (where no false magic is expected).
func blockStarts(in []byte) []int64 {
	s := bzScanner{src: bytes.NewReader(in)}
	var out []int64
	for from := int64(0); ; {
		q, end, ok := s.find(from)
		if !ok || end {
			return out
		}
		out = append(out, q)
		from = q + 1
	}
}

// The end magic has no period below 8: the proof that a piece which
// decodes was read as exactly one block rests on it (see bzip2par.go).
func TestBzip2EndMagicHasNoShortPeriod(t *testing.T) {
	for d := uint(1); d < 8; d++ {
		if bzEndMagic>>d == bzEndMagic&(1<<(48-d)-1) {
			t.Fatalf("the end magic has period %d", d)
		}
	}
}

func TestBzip2Parallel(t *testing.T) {
	multi := bz(t, 1, text(1, 900_000)) // 9 blocks
	concat := append(append(bz(t, 1, text(2, 250_000)), bz(t, 3, text(3, 10))...), bz(t, 1, text(4, 300_000))...)
	empty := bz(t, 9, nil)
	zeros := bz(t, 1, make([]byte, 12<<20)) // blocks of ~5 MB: over bzPieceOutMax
	starts := blockStarts(multi)
	if len(starts) < 7 {
		t.Fatalf("%d blocks in the multi-block stream, want more", len(starts))
	}
	cases := map[string][]byte{
		"multi":              multi,
		"concatenated":       concat,
		"empty":              empty,
		"empty twice":        append(append([]byte{}, empty...), empty...),
		"empty then multi":   append(append([]byte{}, empty...), multi...),
		"zeros":              zeros,
		"nothing":            nil,
		"trailing garbage":   append(append([]byte{}, multi...), "garbage"...),
		"trailing B":         append(append([]byte{}, multi...), 'B'),
		"trailing BZ":        append(append([]byte{}, multi...), "BZ"...),
		"trailing BZh0":      append(append([]byte{}, multi...), "BZh0"...),
		"trailing zero byte": append(append([]byte{}, multi...), 0),
		"bad level":          append([]byte("BZh0"), multi[4:]...),
		"level 1 as 9":       append([]byte("BZh9"), multi[4:]...),
		"level 1 as 2":       append([]byte("BZh2"), multi[4:]...),
		"not a header":       append([]byte("BZx1"), multi[4:]...),
	}
	for level := 1; level <= 9; level++ {
		cases[fmt.Sprintf("level %d", level)] = bz(t, level, text(uint64(level), 150_000*level))
		cases[fmt.Sprintf("level %d small", level)] = bz(t, level, text(uint64(level), 1000))
	}
	for _, cut := range []int{1, 3, 4, 9, 10, 11, len(multi) / 3, len(multi) / 2, len(multi) - 11, len(multi) - 10, len(multi) - 4, len(multi) - 1} {
		cases[fmt.Sprintf("cut at %d", cut)] = multi[:cut]
	}
	for _, cut := range starts[2:5] {
		for _, d := range []int64{-1, 0, 8, 48, 49, 81} {
			cases[fmt.Sprintf("cut at bit %d%+d", cut, d)] = multi[:(cut+d)/8]
		}
	}
	// Flipped bits: in headers, block CRCs, block data, the end magic and
	// the combined CRC.
	flips := []int64{0, 17, 31, 32, 33, 79, 80, 81, int64(len(multi))*8 - 1, int64(len(multi))*8 - 9, int64(len(multi))*8 - 20, int64(len(multi))*8 - 33, int64(len(multi))*8 - 40, int64(len(multi))*8 - 60}
	for _, s := range starts[1:4] {
		flips = append(flips, s, s+47, s+48, s+60, s+79, s+80, s+81, s+105, s+2000, s+20000)
	}
	for _, bit := range flips {
		c := append([]byte{}, multi...)
		c[bit/8] ^= 0x80 >> (bit % 8)
		cases[fmt.Sprintf("bit %d flipped", bit)] = c
	}
	// A block magic written into a block's data: the block is cut in
	// two there, neither piece decodes, and the serial decoder decides.
	for _, at := range []int64{starts[3] + 3000, starts[5] - 60, starts[5] - 48, starts[5] - 30} {
		c := append([]byte{}, multi...)
		putBits(c, at, 48, bzBlockMagic)
		cases[fmt.Sprintf("false block magic at %d", at)] = c
		c = append([]byte{}, multi...)
		putBits(c, at, 48, bzEndMagic)
		cases[fmt.Sprintf("false end magic at %d", at)] = c
	}
	t.Run("cases", func(t *testing.T) {
		for name, in := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				same(t, name, in, 0, 1<<30)
			})
		}
	})
	if n := bzPending.Load(); n != 0 {
		t.Fatalf("%d block slots still held after Close", n)
	}
	t.Run("whole reads", func(t *testing.T) { same(t, "multi", multi, 1<<20, 1<<30) })
}

// putBits writes the n low bits of v at bit offset pos.
func putBits(b []byte, pos int64, n uint, v uint64) {
	for i := range int64(n) {
		bit := pos + i
		mask := byte(0x80 >> (bit % 8))
		if v>>(int64(n)-1-i)&1 != 0 {
			b[bit/8] |= mask
		} else {
			b[bit/8] &^= mask
		}
	}
}

// A reader that stops early and closes leaves no goroutine and no slot.
func TestBzip2ParallelCloseEarly(t *testing.T) {
	multi := bz(t, 1, text(5, 1_000_000))
	for _, n := range []int{0, 1, 150_000} {
		r := newBzip2Reader(bytes.NewReader(multi), 4)
		if _, err := io.ReadFull(r, make([]byte, n)); err != nil {
			t.Fatal(err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if n := bzPending.Load(); n != 0 {
			t.Fatalf("%d block slots still held after Close", n)
		}
	}
}

// errAfter gives the bytes of b, then fails.
type errAfter struct {
	b   []byte
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	if len(e.b) == 0 {
		return 0, e.err
	}
	n := copy(p, e.b[:min(len(e.b), 5000)])
	e.b = e.b[n:]
	return n, nil
}

// A read error of the input comes out where the serial decoder gives it.
func TestBzip2ParallelReadError(t *testing.T) {
	multi := bz(t, 1, text(6, 800_000))
	boom := errors.New("boom")
	for _, at := range []int{0, 5, len(multi) / 2, len(multi) - 1, len(multi)} {
		want, werr := readAll(bzip2.NewReader(&errAfter{multi[:at], boom}), 0, 1<<30)
		r := newBzip2Reader(&errAfter{multi[:at], boom}, 3)
		got, gerr := readAll(r, 0, 1<<30)
		r.Close()
		if !bytes.Equal(got, want) || gerr != werr {
			t.Fatalf("error after %d bytes: %d bytes, %v; want %d bytes, %v", at, len(got), gerr, len(want), werr)
		}
		if n := bzPending.Load(); n != 0 {
			t.Fatalf("error after %d bytes: %d block slots still held after Close", at, n)
		}
	}
}

// The copy of the input for the serial decoder moves to a file past
// SpoolInMemory, and a fallback reads it from there.
func TestBzip2ParallelSpooledFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	noise := make([]byte, SpoolInMemory+SpoolInMemory/8)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	in := bz(t, 9, noise)
	in[len(in)-3] ^= 1 // the combined CRC
	r := newBzip2Reader(bytes.NewReader(in), 3)
	got, err := readAll(r, 0, 1<<30)
	f := r.(*bzip2Reader).sc.tape.file
	if f == nil {
		t.Fatal("the input was not spooled to a file")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.Name()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the spooled copy %s is still there after Close (%v)", f.Name(), err)
	}
	if n := bzPending.Load(); n != 0 {
		t.Fatalf("%d block slots still held after Close", n)
	}
	// Closed before the end, in the middle of a spooled stream.
	r = newBzip2Reader(bytes.NewReader(bz(t, 9, noise)), 3)
	if _, err := io.ReadFull(r, make([]byte, 4<<20)); err != nil {
		t.Fatal(err)
	}
	f = r.(*bzip2Reader).sc.tape.file
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if f == nil {
		t.Fatal("the input was not spooled to a file")
	}
	if _, err := os.Stat(f.Name()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the spooled copy %s is still there after Close (%v)", f.Name(), err)
	}
	if n := bzPending.Load(); n != 0 {
		t.Fatalf("%d block slots still held after Close", n)
	}
	want, werr := readAll(bzip2.NewReader(bytes.NewReader(in)), 0, 1<<30)
	if !bytes.Equal(got, want) || err != werr || werr == io.EOF {
		t.Fatalf("%d bytes, %v; want %d bytes, %v (a checksum error)", len(got), err, len(want), werr)
	}
}

// FuzzBzip2Parallel: on any input the parallel reader gives the bytes and
// the error that compress/bzip2 gives.
func FuzzBzip2Parallel(f *testing.F) {
	// Small seeds of several blocks: repeated text compresses to a few
	// hundred bytes a block.
	f.Add(bz(f, 1, bytes.Repeat(text(8, 1000), 300)))
	f.Add(append(bz(f, 1, bytes.Repeat(text(9, 500), 250)), bz(f, 2, text(10, 30))...))
	f.Add(bz(f, 9, nil))
	f.Add(bz(f, 1, text(12, 1000)))
	f.Add([]byte("BZh91AY&SY"))
	const limit = 1 << 20
	f.Fuzz(func(t *testing.T, in []byte) {
		want, werr := readAll(bzip2.NewReader(bytes.NewReader(in)), 0, limit)
		r := newBzip2Reader(bytes.NewReader(in), 3)
		got, gerr := readAll(r, 0, limit)
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%d bytes, want %d (first difference at %d)", len(got), len(want), firstDiff(got, want))
		}
		if gerr != werr {
			t.Fatalf("error %v, want %v", gerr, werr)
		}
	})
}

// BenchmarkBzip2 decodes a stream of 10 level-9 blocks with compress/bzip2
// alone and with the parallel reader.
func BenchmarkBzip2(b *testing.B) {
	plain := text(11, 9_000_000)
	in := bz(b, 9, plain)
	for _, bc := range []struct {
		name  string
		ahead int
	}{{"serial", 0}, {"parallel", runtime.GOMAXPROCS(0)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				r := newBzip2Reader(bytes.NewReader(in), bc.ahead)
				n, err := io.Copy(io.Discard, r)
				r.Close()
				if err != nil || n != int64(len(plain)) {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// countReader counts the bytes read from r.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// A block magic followed by megabytes with no magic after it is not a
// block: the scanner gives up within bzMaxBlockBytes, rather than holding
// all of it in memory before the first byte comes out.
func TestBzip2ParallelNoNextMagic(t *testing.T) {
	multi := bz(t, 1, text(13, 300_000))
	starts := blockStarts(multi)
	if len(starts) < 2 {
		t.Fatalf("%d blocks, want 2 or more", len(starts))
	}
	in := append(append([]byte{}, multi[:(starts[1]+48+7)/8]...), make([]byte, 32<<20)...)
	same(t, "no magic after a block magic", in, 0, 1<<30)
	src := &countReader{r: bytes.NewReader(in)}
	r := newBzip2Reader(src, 3)
	if _, err := r.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if src.n > 2*bzMaxBlockBytes {
		t.Errorf("%d bytes of input read before the first byte of output, want at most %d", src.n, 2*bzMaxBlockBytes)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if n := bzPending.Load(); n != 0 {
		t.Fatalf("%d block slots still held after Close", n)
	}
}

// Many streams of one tiny block each: every piece would cost a decoder
// (its table is 3.6 MB at level 9) for a byte of output, hundreds of
// times the serial decoder's work, so the reader goes serial.
func TestBzip2ParallelTinyBlocks(t *testing.T) {
	in := bytes.Repeat(bz(t, 9, []byte("x")), 200)
	same(t, "tiny blocks", in, 0, 1<<30)
	r := newBzip2Reader(bytes.NewReader(in), 3)
	got, err := readAll(r, 0, 1<<30)
	if err != io.EOF || len(got) != 200 {
		t.Fatalf("%d bytes, %v; want 200 bytes, EOF", len(got), err)
	}
	if r.(*bzip2Reader).serial == nil {
		t.Error("200 one-byte blocks were decoded as pieces, not serially")
	}
	r.Close()
	// Blocks of a whole level's size stay parallel.
	r = newBzip2Reader(bytes.NewReader(bz(t, 1, text(14, 1_000_000))), 3)
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	if r.(*bzip2Reader).serial != nil {
		t.Error("a stream of 10 full blocks went serial")
	}
	r.Close()
	if n := bzPending.Load(); n != 0 {
		t.Fatalf("%d block slots still held after Close", n)
	}
}

package archive

import (
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// A bzip2 stream is a header ("BZh" and a level) and blocks that each start
// with a 48-bit magic at any bit offset; an end-of-stream magic, the
// combined CRC of the blocks and padding to a byte close it, and another
// stream may follow. Blocks decode independently, so they can be decoded
// on several cores: each is cut out, at its own bit offset, into a stream
// of one block that compress/bzip2 decodes. The standard decoder stays the
// only code that interprets compressed data; this file only finds where
// blocks start and checks that the pieces agree with the whole.
//
// Why the output is exactly compress/bzip2's. A piece is the bits from one
// magic to the first magic (block or end) after it, followed by an end
// magic, the block's own CRC as the combined CRC (a one-block stream's
// combined CRC is its block CRC) and padding. If the piece decodes without
// error, the decoder read exactly those bits as one block. Had the block
// ended elsewhere, the next 48 bits would have to be a magic: not one
// wholly inside the piece (none starts there); not a block magic reaching
// past it (too few bits follow for a block); not an end magic reaching
// past it, for the input must end right after that magic's CRC and the
// padding (too few bits are left for another stream), which puts it
// within 7 bits of where the piece ends, and the end magic has no period
// below 8 (a test checks it), so it cannot overlap the one we wrote. The
// serial decoder, reading the same bits with the same level, then gives
// the same bytes for that block and next reads the magic that ends the
// piece. The stream headers, the stored combined CRCs and what
// follows each stream are checked here as the serial decoder checks them.
// Anything else (a piece that does not decode, a magic that turned up
// inside compressed data, a CRC, a header, a cut, a read error) ends the
// parallel decoding: the whole input is decoded again serially from its
// first byte, the bytes already returned are skipped, and the caller sees
// what bzip2.NewReader alone gives, bytes and error.

const (
	bzBlockMagic = 0x314159265359
	bzEndMagic   = 0x177245385090
	bzMask48     = 1<<48 - 1

	// bzPieceOutMax is the most a decoded block is held in memory; a
	// block that gives more (bzip2's run-length step lets 900 kB give
	// 45 MB) is checked by decoding it to nowhere and decoded again,
	// streamed, when its turn comes.
	bzPieceOutMax = 4 << 20

	bzReadChunk = 64 << 10

	// bzMaxBlockBytes is the farthest the scanner looks for the magic
	// after a block's. An encoder writes a block of 900 kB in at most
	// ~2.3 MB (20-bit codes); a longer one, or bytes that are no bzip2
	// at all after a magic, are left to the serial decoder rather than
	// held in memory whole.
	bzMaxBlockBytes = 4 << 20

	// bzMaxSmallPieces is how many pieces that give under a quarter of
	// their level's block size a reader decodes before it goes serial.
	bzMaxSmallPieces = 8
)

// bzBlockSize is the most a block of the level ('1' to '9') holds before
// its last run-length step.
func bzBlockSize(level byte) int { return int(level-'0') * 100_000 }

// bzPending counts the blocks of all readers being decoded or decoded
// and not yet read. Each holds at most bzPieceOutMax bytes of output and,
// while it decodes, the standard decoder's 3.6 MB table; their number is
// bounded package-wide by GOMAXPROCS. One more (a block ready while all
// cores decode) had three decoders time-share two cores, each with its own
// 3.6 MB table: more CPU for no less wall time (1.52 s against 1.45 s of
// CPU for a 64 MiB file, medians of 6). A reader that gets no slot decodes
// its next block itself, as the serial decoder would, so readers never
// wait for each other.
var bzPending atomic.Int64

func bzAcquire() bool {
	limit := int64(runtime.GOMAXPROCS(0))
	for {
		n := bzPending.Load()
		if n >= limit {
			return false
		}
		if bzPending.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func bzRelease() { bzPending.Add(-1) }

// bzBufs holds output buffers. They start at 1 MiB, which holds a block of
// text (up to 900 kB before the run-length step), and grow to
// bzPieceOutMax.
var bzBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

// newBzip2Reader returns the content of the bzip2 stream r, decoded with
// up to lookahead blocks in flight; below 2 it is bzip2.NewReader's.
func newBzip2Reader(r io.Reader, lookahead int) io.ReadCloser {
	if lookahead < 2 {
		return io.NopCloser(bzip2.NewReader(r))
	}
	return &bzip2Reader{sc: bzScanner{src: r, first: true}, lookahead: lookahead}
}

// bzip2Reader is the parallel reader. Read and Close are called from one
// goroutine; the blocks decode in goroutines of their own, each of which
// ends after its block (or sooner, once Close is called).
type bzip2Reader struct {
	sc        bzScanner
	lookahead int
	started   bool
	pending   []*bzJob // in stream order; the last may be the end or a failure
	cur       *bzJob   // the block being read out
	off       int
	curStream io.Reader // cur decoded again, when it was too large to hold
	delivered int64
	small     int       // pieces that gave under a quarter of a block
	serial    io.Reader // set once decoding went serial
	err       error
	stop      atomic.Bool
}

// bzJob is one item of the stream: a block to decode, the end of the
// input, or the point from which the input must be decoded serially.
type bzJob struct {
	stream  []byte // a one-block bzip2 stream; nil for the end or a failure
	end     bool
	done    chan struct{} // closed when decoded; nil if not started
	slot    bool          // holds one of bzPending's slots
	out     *[]byte
	big     bool // decoded and checked, but over bzPieceOutMax: decoded again when read
	failed  bool // did not decode: go serial
	stopped bool
}

func (r *bzip2Reader) Read(p []byte) (int, error) {
	if r.serial != nil {
		return r.serial.Read(p)
	}
	if r.err != nil {
		return 0, r.err
	}
	if !r.started {
		r.started = true
		r.start()
		if r.serial != nil {
			return r.serial.Read(p)
		}
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if r.cur != nil {
			if r.curStream != nil {
				n, err := r.curStream.Read(p)
				if n > 0 {
					r.delivered += int64(n)
					return n, nil
				}
				if err != io.EOF {
					// It decoded once; a decoder is not expected to
					// change its mind, but if it did, the serial
					// decoder decides.
					r.fallback()
					return r.serial.Read(p)
				}
			} else if r.off < len(*r.cur.out) {
				n := copy(p, (*r.cur.out)[r.off:])
				r.off += n
				r.delivered += int64(n)
				return n, nil
			}
			r.finish(r.cur)
			r.cur, r.curStream, r.off = nil, nil, 0
		}
		j := r.next()
		switch {
		case j.end:
			r.err = io.EOF
			return 0, io.EOF
		case j.stream == nil || j.failed:
			r.finish(j)
			r.fallback()
			return r.serial.Read(p)
		}
		r.cur = j
		if j.big {
			r.curStream = bzip2.NewReader(bytes.NewReader(j.stream))
		} else if len(*j.out) < bzBlockSize(j.stream[3])/4 {
			// Each piece costs a decoder whose table is sized for
			// the level's whole block (3.6 MB at 9); a piece that
			// gives far less (one per stream is usual: the last)
			// costs more than decoding it, and a stream of many
			// tiny blocks would cost hundreds of times the serial
			// decoder's work. Past a few, it goes serial.
			if r.small++; r.small > bzMaxSmallPieces {
				r.fallback()
				return r.serial.Read(p)
			}
		}
	}
}

// start reads the first two blocks: a stream of one block (or none, or
// one that fails at once) is decoded serially, with no goroutine.
func (r *bzip2Reader) start() {
	for blocks := 0; blocks < 2; {
		j := r.sc.item()
		r.pending = append(r.pending, j)
		if j.stream == nil {
			r.fallback()
			return
		}
		blocks++
	}
}

// next returns the next item, decoded, after starting the decoding of
// those after it.
func (r *bzip2Reader) next() *bzJob {
	r.topUp()
	if len(r.pending) == 0 {
		r.pending = append(r.pending, r.sc.item())
	}
	j := r.pending[0]
	r.pending[0] = nil
	r.pending = r.pending[1:]
	if j.stream != nil {
		if j.done == nil {
			j.decode(&r.stop)
		} else {
			<-j.done
		}
	}
	return j
}

// topUp starts decoding blocks ahead, within the lookahead and the
// package-wide slots.
func (r *bzip2Reader) topUp() {
	for _, j := range r.pending {
		if j.stream != nil && j.done == nil && !r.launch(j) {
			return
		}
	}
	for !r.sc.done && len(r.pending) < r.lookahead {
		if !bzAcquire() {
			return
		}
		j := r.sc.item()
		r.pending = append(r.pending, j)
		if j.stream == nil {
			bzRelease()
			return
		}
		j.slot = true
		r.run(j)
	}
}

func (r *bzip2Reader) launch(j *bzJob) bool {
	if !bzAcquire() {
		return false
	}
	j.slot = true
	r.run(j)
	return true
}

func (r *bzip2Reader) run(j *bzJob) {
	j.done = make(chan struct{})
	go func() {
		defer close(j.done)
		j.decode(&r.stop)
	}()
}

// decode decodes the piece, keeping its output if it fits.
func (j *bzJob) decode(stop *atomic.Bool) {
	d := bzip2.NewReader(bytes.NewReader(j.stream))
	j.out = bzBufs.Get().(*[]byte)
	buf := (*j.out)[:0]
	for {
		if stop.Load() {
			j.stopped, j.failed = true, true
			return
		}
		if len(buf) == cap(buf) {
			if cap(buf) >= bzPieceOutMax {
				break
			}
			b := make([]byte, len(buf), min(2*cap(buf), bzPieceOutMax))
			copy(b, buf)
			buf = b
		}
		n, err := d.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			*j.out = buf
			return
		}
		if err != nil {
			*j.out = buf[:0]
			j.failed = true
			return
		}
	}
	// Too large to hold: check that it decodes, and decode it again
	// when it is read.
	*j.out = buf[:0]
	for {
		if stop.Load() {
			j.stopped, j.failed = true, true
			return
		}
		_, err := d.Read(buf[:min(cap(buf), bzReadChunk)])
		if err == io.EOF {
			j.big = true
			return
		}
		if err != nil {
			j.failed = true
			return
		}
	}
}

// finish gives back what j holds; j must be decoded or never started.
func (r *bzip2Reader) finish(j *bzJob) {
	if j.done != nil {
		<-j.done
	}
	if j.slot {
		bzRelease()
		j.slot = false
	}
	if j.out != nil {
		*j.out = (*j.out)[:0]
		bzBufs.Put(j.out)
		j.out = nil
	}
}

func (r *bzip2Reader) drain() {
	r.stop.Store(true)
	for _, j := range r.pending {
		r.finish(j)
	}
	r.pending = nil
	if r.cur != nil {
		r.finish(r.cur)
		r.cur, r.curStream = nil, nil
	}
}

// fallback decodes the input again serially from its first byte and skips
// what was already returned.
func (r *bzip2Reader) fallback() {
	r.drain()
	r.sc.win = nil // the serial decoder reads the tape
	rd, err := r.sc.replay()
	if err != nil {
		r.serial = &bzFailed{err}
		return
	}
	s := bzip2.NewReader(rd)
	if r.delivered > 0 {
		if _, err := io.CopyN(io.Discard, s, r.delivered); err != nil {
			// The serial decoder gave less than the blocks did,
			// which the checks above rule out; its error stands.
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			r.serial = &bzFailed{err}
			return
		}
	}
	r.serial = s
}

// Close stops the decoding goroutines, waits for them (each finishes
// within the block it is on) and removes the spooled input.
func (r *bzip2Reader) Close() error {
	r.drain()
	if r.serial == nil {
		r.serial = &bzFailed{errors.New("bzip2: read after close")}
	}
	return r.sc.tape.close()
}

type bzFailed struct{ err error }

func (f *bzFailed) Read([]byte) (int, error) { return 0, f.err }

// bzScanner reads the compressed input and cuts it into pieces, one block
// each, keeping a copy of the input for the serial decoder.
type bzScanner struct {
	src        io.Reader
	srcErr     error  // the error that ended src (io.EOF at its end)
	tapeFailed bool   // the tape took the last bytes read, and takes no more
	win        []byte // input from byte offset base on
	base       int64
	keep       int64 // the byte offset before which win may be dropped
	tape       bzTape

	first    bool  // no stream header read yet
	inStream bool  // past a header: cur is a magic
	pos      int64 // bit offset of the next stream header (at a byte)
	cur      int64 // bit offset of the magic that starts the next item
	curEnd   bool  // that magic is the end-of-stream magic
	level    byte
	combined uint32
	done     bool // the end or a failure was returned
}

func (s *bzScanner) stopItem() *bzJob {
	s.done = true
	return &bzJob{}
}

// item returns the next item of the stream.
func (s *bzScanner) item() *bzJob {
	if s.done {
		return &bzJob{}
	}
	for {
		if !s.inStream {
			b, ok := s.bytes(s.pos/8, 4)
			if !ok {
				if !s.first && s.srcErr == io.EOF && s.base+int64(len(s.win)) == s.pos/8 {
					s.done = true
					return &bzJob{end: true}
				}
				return s.stopItem()
			}
			if b[0] != 'B' || b[1] != 'Z' || b[2] != 'h' || b[3] < '1' || b[3] > '9' {
				return s.stopItem()
			}
			s.first, s.level, s.combined = false, b[3], 0
			s.cur = s.pos + 32
			v, ok := s.bits(s.cur, 48)
			if !ok || (v != bzBlockMagic && v != bzEndMagic) {
				return s.stopItem()
			}
			s.curEnd, s.inStream = v == bzEndMagic, true
		}
		if s.curEnd {
			v, ok := s.bits(s.cur+48, 32)
			if !ok || uint32(v) != s.combined {
				return s.stopItem()
			}
			s.pos = (s.cur + 80 + 7) &^ 7
			s.inStream = false
			s.keep = s.pos / 8
			continue
		}
		q, end, ok := s.find(s.cur + 1)
		if !ok {
			return s.stopItem()
		}
		crc, ok := s.bits(s.cur+48, 32)
		if !ok {
			return s.stopItem()
		}
		s.combined = (s.combined<<1 | s.combined>>31) ^ uint32(crc)
		j := &bzJob{stream: s.piece(s.cur, q, uint32(crc))}
		s.cur, s.curEnd = q, end
		s.keep = q / 8
		return j
	}
}

// fill reads more input into win; false when there is no more.
func (s *bzScanner) fill() bool {
	if s.srcErr != nil || s.tapeFailed {
		return false
	}
	if drop := min(s.keep-s.base, int64(len(s.win))); drop > 0 && drop >= int64(len(s.win))/2 {
		n := copy(s.win, s.win[drop:])
		s.win = s.win[:n]
		s.base += drop
	}
	if cap(s.win)-len(s.win) < bzReadChunk {
		w := make([]byte, len(s.win), 2*cap(s.win)+bzReadChunk)
		copy(w, s.win)
		s.win = w
	}
	for range 100 {
		n, err := s.src.Read(s.win[len(s.win) : len(s.win)+bzReadChunk])
		if n > 0 {
			if !s.tape.write(s.win[len(s.win) : len(s.win)+n]) {
				// No copy of what follows can be kept: the serial
				// decoder takes over from here (the bytes are in
				// the tape, which stays in memory).
				s.tapeFailed = true
			}
			s.win = s.win[:len(s.win)+n]
		}
		if err != nil {
			s.srcErr = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
	s.srcErr = io.ErrNoProgress
	return false
}

// bytes returns n bytes at byte offset off, reading as needed.
func (s *bzScanner) bytes(off int64, n int) ([]byte, bool) {
	for off+int64(n) > s.base+int64(len(s.win)) {
		if !s.fill() {
			return nil, false
		}
	}
	i := off - s.base
	return s.win[i : i+int64(n)], true
}

// bits returns the n (at most 48) bits at bit offset pos.
func (s *bzScanner) bits(pos int64, n uint) (uint64, bool) {
	b, ok := s.bytes(pos/8, int((pos%8+int64(n)+7)/8))
	if !ok {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	v >>= uint(len(b))*8 - uint(pos%8) - n
	return v & (1<<n - 1), true
}

// bzCandidates maps the byte after a byte offset to the shifts (bits 0-7:
// block magic, bits 8-15: end magic) at which a magic starting in the
// byte at that offset would contain it.
var bzCandidates = func() (t [256]uint16) {
	for sh := range 8 {
		t[uint64(bzBlockMagic)>>(32+sh)&0xff] |= 1 << sh
		t[uint64(bzEndMagic)>>(32+sh)&0xff] |= 1 << (8 + sh)
	}
	return t
}()

// find returns the bit offset of the first magic at or after bit from,
// and whether it is the end magic.
func (s *bzScanner) find(from int64) (int64, bool, bool) {
	i := from / 8 // absolute byte offset
	limit := i + bzMaxBlockBytes
	for {
		w := s.win
		for end := min(s.base+int64(len(w))-7, limit); i < end; i++ {
			k := i - s.base
			m := bzCandidates[w[k+1]]
			if m == 0 {
				continue
			}
			if pos, end, ok := bzMatch(binary.BigEndian.Uint64(w[k:]), m, i, from); ok {
				return pos, end, true
			}
		}
		if i >= limit || !s.fill() {
			break
		}
	}
	if i >= limit {
		return 0, false, false
	}
	// The last 7 bytes or fewer: at most 55 bits, fewer magic positions.
	w := s.win
	for ; i-s.base+6 <= int64(len(w)); i++ {
		k := i - s.base
		var b [8]byte
		copy(b[:], w[k:])
		m := bzCandidates[b[1]]
		have := (int64(len(w)) - k) * 8
		for sh := int64(0); sh < 8 && sh+48 <= have; sh++ {
			if pos, end, ok := bzMatch(binary.BigEndian.Uint64(b[:]), m&(0x0101<<sh), i, from); ok {
				return pos, end, true
			}
		}
	}
	return 0, false, false
}

// bzMatch checks the candidate shifts m of the 8 bytes v at byte offset i.
func bzMatch(v uint64, m uint16, i, from int64) (int64, bool, bool) {
	for sh := range 8 {
		if m&(0x0101<<sh) == 0 {
			continue
		}
		pos := i*8 + int64(sh)
		if pos < from {
			continue
		}
		x := v >> (16 - sh) & bzMask48
		if m&(1<<sh) != 0 && x == bzBlockMagic {
			return pos, false, true
		}
		if m&(0x100<<sh) != 0 && x == bzEndMagic {
			return pos, true, true
		}
	}
	return 0, false, false
}

// piece builds the one-block stream of the bits [p, q): a header at the
// stream's level, the block, an end magic and the block's CRC as the
// combined CRC, padded to a byte.
func (s *bzScanner) piece(p, q int64, crc uint32) []byte {
	n := q - p
	out := make([]byte, 0, 4+n/8+12)
	out = append(out, 'B', 'Z', 'h', s.level)
	w := s.win[p/8-s.base:]
	full := n / 8
	if sh := uint(p % 8); sh == 0 {
		out = append(out, w[:full]...)
	} else {
		for k := range full {
			out = append(out, w[k]<<sh|w[k+1]>>(8-sh))
		}
	}
	rem := uint(n % 8)
	var acc uint64
	if rem > 0 {
		acc, _ = s.bits(p+full*8, rem)
	}
	acc = acc<<48 | bzEndMagic
	nb := rem + 48
	for nb >= 8 {
		nb -= 8
		out = append(out, byte(acc>>nb))
	}
	acc = acc<<32 | uint64(crc)
	nb += 32
	for nb >= 8 {
		nb -= 8
		out = append(out, byte(acc>>nb))
	}
	if nb > 0 {
		out = append(out, byte(acc<<(8-nb)))
	}
	return out
}

// replay returns the whole input again: the copy, then what was not read.
func (s *bzScanner) replay() (io.Reader, error) {
	head, err := s.tape.reader()
	if err != nil {
		return nil, err
	}
	switch s.srcErr {
	case nil:
		return io.MultiReader(head, s.src), nil
	case io.EOF:
		return head, nil
	}
	return io.MultiReader(head, &bzFailed{s.srcErr}), nil
}

// bzTape keeps a copy of the compressed input read so far, for the serial
// decoder: in memory up to SpoolInMemory bytes, past that in a temporary
// file, as zips are spooled. It is bounded by the input (which, inside an
// archive, the archive's budget bounds) and lives as long as the reader.
type bzTape struct {
	mem  []byte
	file *os.File
	size int64
	err  error // a write to the file failed: no copy to decode again
}

// write adds b. False means the file could not be made: the copy in
// memory is whole (b included) and nothing more should be added.
func (t *bzTape) write(b []byte) bool {
	t.size += int64(len(b))
	if t.file == nil {
		t.mem = append(t.mem, b...)
		if len(t.mem) <= SpoolInMemory {
			return true
		}
		f, err := os.CreateTemp("", "ghtoken-bzip2-*")
		if err != nil {
			return false
		}
		t.file = f
		if _, err := f.Write(t.mem); err != nil {
			t.err = err
		}
		t.mem = nil
		return true
	}
	if t.err == nil {
		if _, err := t.file.Write(b); err != nil {
			t.err = err
		}
	}
	return true
}

func (t *bzTape) reader() (io.Reader, error) {
	if t.err != nil {
		return nil, fmt.Errorf("bzip2: the stream cannot be read again to decode it serially: %w", t.err)
	}
	if t.file == nil {
		return bytes.NewReader(t.mem), nil
	}
	return io.NewSectionReader(t.file, 0, t.size), nil
}

func (t *bzTape) close() error {
	t.mem = nil
	if t.file == nil {
		return nil
	}
	err := removeTemp(t.file)
	t.file = nil
	return err
}

package scanner

import (
	"bytes"
	"io"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/archive"
)

// Reading is done in chunks so that memory is bounded whatever the input
// size. Each chunk keeps the tail of the previous one: rules.MaxContext bytes
// of context before the region whose matches are reported, and
// rules.MaxTokenLen+1 bytes so that a token straddling the boundary is seen
// whole. A match is reported by exactly one chunk: the one whose report
// region holds its start.
const (
	defaultChunkSize = 1 << 20
	overlap          = rules.MaxTokenLen + 1
	keep             = rules.MaxContext + overlap
	binarySniffLen   = 8 << 10
)

// position turns absolute byte offsets into 1-based line and column numbers
// (columns count code points). Offsets must be visited in increasing order,
// and the bytes between two visits must still be in the buffer.
type position struct {
	offset int64 // absolute offset of the position
	line   int
	col    int  // code points from the line start to offset
	crOnly bool // lines end in CR alone (see lineBreaks)
	prevCR bool // the byte before offset is a CR
}

// advance moves to absolute offset to; data holds the bytes from absolute
// offset base.
func (p *position) advance(data []byte, base, to int64) {
	if to <= p.offset {
		return
	}
	seg := data[p.offset-base : to-base]
	n, tail := lineBreaks(seg, p.crOnly, p.prevCR)
	p.line += n
	if len(tail) != len(seg) {
		p.col = 0
	}
	p.col += runeCount(tail)
	p.prevCR = seg[len(seg)-1] == '\r'
	p.offset = to
}

// streamMatch is a match with its absolute position.
type streamMatch struct {
	rules.Match
	offset    int64
	line, col int
	endCol    int
	secret    string
}

// streamInfo says how a stream was read.
type streamInfo struct {
	n int64 // bytes read from the input
	// binary is set when the content is not text (a NUL byte in its first
	// 8 KiB, and not UTF-16): it was scanned for prefixed tokens only.
	binary bool
	// lookalikesDropped counts the look-alikes in the raw bytes of UTF-16
	// text past the first maxLookalikesPerFile: counted, never emitted, so
	// that memory does not grow with them (see rawScan).
	lookalikesDropped int
}

// scanStreamDirectives reads r to the end in chunks of chunkSize bytes, using
// buf (grown as needed) as its only buffer, and calls emit for each match. It
// returns what it read. UTF-16 text is transcoded first, and its bytes are
// also searched as they are (see rawScan). Binary content is searched for
// prefixed tokens only (see rules.Options.PrefixedOnly). It also appends the
// inline directives it finds, with their positions, to dirs.found (dirs may
// be nil). Matches come in offset order, then those of the raw bytes of
// UTF-16 text.
func scanStreamDirectives(r io.Reader, path string, chunkSize int, buf []byte, dirs *directiveSink, emit func(streamMatch)) (info streamInfo, _ []byte, _ error) {
	raw := &countingReader{r: r}
	h, buf, err := readHead(raw, path, chunkSize, buf, false)
	return scanHead(raw, h, err, chunkSize, buf, dirs, emit)
}

// scanHead is scanStreamDirectives once readHead has read the start of the
// stream (with err, its error).
func scanHead(raw *countingReader, h streamHead, err error, chunkSize int, buf []byte, dirs *directiveSink, emit func(streamMatch)) (info streamInfo, _ []byte, _ error) {
	info = streamInfo{n: raw.n, binary: h.opt.PrefixedOnly}
	if err != nil {
		return info, buf, err
	}
	// A read error ends the stream once what was read before it is
	// scanned (a damaged archive member, a disk error).
	readErr := h.err
	if h.rawScan != nil {
		defer func() {
			for _, m := range h.rawScan.finish() {
				emit(m)
			}
			info.lookalikesDropped = h.rawScan.lookDropped
		}()
	}
	var (
		r2, enc, opt = h.r, h.enc, h.opt
		filled, eof  = h.filled, h.eof
		base         int64 // absolute offset of buf[0]
		emitFrom     = h.bom
		pos          = position{line: 1, offset: h.bom}
		matches      []rules.Match
		first        = true
		reread       = filled == 0 && !eof // nothing read yet: UTF-16 (an empty file is done)
	)
	for {
		if reread {
			if len(buf) < keep+chunkSize { // a head read into a small buffer (see readFull)
				grown := make([]byte, keep+chunkSize)
				copy(grown, buf[:filled])
				buf = grown
			}
			n, err := io.ReadFull(r2, buf[filled:keep+chunkSize])
			filled += n
			eof = false
			switch {
			case err == io.EOF || err == io.ErrUnexpectedEOF:
				eof = true
			case err != nil:
				eof, readErr = true, err
			}
		}
		reread = true
		info.n = raw.n
		data := buf[:filled]
		if first {
			first = false
			pos.crOnly = bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0
		}
		emitTo := base + int64(filled)
		if !eof {
			emitTo -= overlap
		}
		matches = rules.Find(data, opt, matches[:0])
		// Directives and matches are visited in offset order so that one
		// forward pass gives both their line numbers.
		next := dirs.scan(data, int(emitFrom-base), int(emitTo-base), len(matches) > 0)
		for _, m := range matches {
			abs := base + int64(m.Start)
			if abs < emitFrom || abs >= emitTo {
				continue
			}
			next = dirs.place(&pos, data, base, abs, next)
			pos.advance(data, base, abs)
			line, col := pos.line, pos.col+1
			endCol := col + runeCount(data[m.Start:m.End])
			secret := m.Text(data)
			if enc != encUTF8 {
				m.Encoding = joinEncoding(enc.String(), m.Encoding)
			}
			emit(streamMatch{Match: m, offset: abs, line: line, col: col, endCol: endCol, secret: secret})
		}
		dirs.place(&pos, data, base, emitTo, next)
		if eof {
			return info, buf, readErr
		}
		newBase := base + int64(filled) - keep
		pos.advance(data, base, newBase)
		copy(buf, data[filled-keep:])
		base, filled, emitFrom = newBase, keep, emitTo
	}
}

// streamHead is what the first read of a stream decided.
type streamHead struct {
	r       io.Reader // the rest of the content as text (UTF-16 is transcoded)
	enc     textEncoding
	bom     int64
	filled  int // bytes of the buffer that hold content; 0 when r re-reads them
	eof     bool
	err     error         // the read error that ended the stream at filled, if any
	opt     rules.Options // PrefixedOnly for binary content
	rawScan *rawScan      // the search of UTF-16 content's bytes as they are, or nil
	// archive is the format of an archive or compressed stream when
	// readHead was asked to look for one and found one; the stream is then
	// not set up for scanning: buf[:filled] is its start, raw the rest.
	archive archive.Format
}

// readHead reads the start of a stream into buf (grown as needed) and
// decides how the rest is read: as is, or through the UTF-16 transcoder; as
// text, or as binary; or, when archives is set, as an archive.
func readHead(raw *countingReader, path string, chunkSize int, buf []byte, archives bool) (streamHead, []byte, error) {
	// The first read is at least binarySniffLen bytes, so that what is
	// binary does not depend on the chunk size.
	size := max(keep+chunkSize, binarySniffLen)
	// The first read goes straight into buf: plain UTF-8, the common case,
	// costs no extra copy or system call. UTF-16 is detected on those bytes
	// and then re-read through a transcoder.
	filled, err := readFull(raw, &buf, size)
	eof := err == io.EOF || err == io.ErrUnexpectedEOF
	var readErr error
	if err != nil && !eof {
		// What came before the error is scanned as it is.
		eof, readErr = true, err
	}
	if archives {
		if f := archive.Detect(buf[:filled]); f != archive.None {
			return streamHead{filled: filled, eof: eof, err: readErr, archive: f}, buf, nil
		}
	}
	enc, bomLen := sniffText(buf[:filled])
	h := streamHead{r: raw, enc: enc, bom: int64(bomLen), filled: filled, eof: eof, err: readErr, opt: rules.Options{Lookalikes: true, Path: path}}
	switch {
	case enc != encUTF8:
		h.rawScan = newRawScan(chunkSize, h.opt)
		h.rawScan.Write(buf[:filled])
		head := bytes.Clone(buf[bomLen:filled])
		h.r = newUTF16Reader(io.MultiReader(bytes.NewReader(head), io.TeeReader(raw, h.rawScan)), enc)
		h.filled, h.eof, h.bom = 0, false, 0
	case bytes.IndexByte(buf[:min(filled, binarySniffLen)], 0) >= 0:
		h.opt.PrefixedOnly = true
	}
	return h, buf, nil
}

// headRead is what a worker's buffer holds until a stream needs more (see
// readFull).
const headRead = max(64<<10, binarySniffLen)

// readFull reads up to size bytes into *buf, as io.ReadFull(r, (*buf)[:size])
// does, except that it grows a buffer shorter than size to headRead bytes
// first, and to size only when a stream fills that: a worker's buffer stays
// small until it meets a large file. A whole chunk for each worker, 2 MiB
// on two cores, was most of the heap of a pre-commit scan of a few small
// files, enough to start the garbage collector in a run that otherwise
// needs none. *buf ends at least size long when the stream is not over.
func readFull(r io.Reader, buf *[]byte, size int) (int, error) {
	b := *buf
	if cap(b) >= size || size <= headRead {
		if cap(b) < size {
			b = make([]byte, size)
		}
		*buf = b[:size]
		return io.ReadFull(r, *buf)
	}
	if cap(b) < headRead {
		b = make([]byte, headRead)
	}
	b = b[:headRead]
	*buf = b
	filled, err := io.ReadFull(r, b)
	if err != nil {
		return filled, err
	}
	*buf = make([]byte, size)
	copy(*buf, b)
	n, err := io.ReadFull(r, (*buf)[filled:])
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // some bytes were read, as io.ReadFull says
	}
	return filled + n, err
}

// rawScan searches the bytes of a stream that is read through the UTF-16
// transcoder as they are, with every rule: a file that only looks like
// UTF-16 at its start (or is UTF-16 with plain bytes pasted in) must not hide
// a token written in ASCII. It is fed the stream's bytes as they are read,
// keeps the same overlap as scanStream, and gives positions in those bytes
// (lines count LF bytes, columns count bytes of valid UTF-8 as one). A real
// UTF-16 token has a NUL byte between its characters, so the two searches
// never find the same one.
type rawScan struct {
	// buf grows as the stream's bytes arrive, up to max: most files that
	// sniff as UTF-16 (archive members of fuzz corpora, say) are small, and
	// a full chunk for each of them kept tens of MiB of garbage alive.
	buf      []byte
	max      int
	filled   int
	base     int64 // absolute offset of buf[0]
	emitFrom int64
	pos      position
	opt      rules.Options
	matches  []rules.Match
	found    []streamMatch // kept until the text is done
	// Look-alikes past the first maxLookalikesPerFile are counted, not
	// kept: a file that only starts like UTF-16 may hold any number.
	looks, lookDropped int
}

func newRawScan(chunkSize int, opt rules.Options) *rawScan {
	// Every rule, the legacy one included: ASCII pasted after a byte order
	// mark is text, and its GITHUB_TOKEN=<40 hex> line is a finding.
	return &rawScan{max: keep + chunkSize, pos: position{line: 1}, opt: opt}
}

// grow makes room for at least want more bytes, within max.
func (s *rawScan) grow(want int) {
	size := min(s.max, max(2*len(s.buf), s.filled+want, 4<<10))
	buf := make([]byte, size)
	copy(buf, s.buf[:s.filled])
	s.buf = buf
}

// Write takes the next bytes of the stream; it never fails.
func (s *rawScan) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if s.filled == len(s.buf) {
			s.grow(len(p))
		}
		c := copy(s.buf[s.filled:], p)
		s.filled += c
		p = p[c:]
		if s.filled == s.max {
			s.scan(false)
		}
	}
	return n, nil
}

// finish scans what is left and returns every match found.
func (s *rawScan) finish() []streamMatch {
	s.scan(true)
	return s.found
}

func (s *rawScan) scan(eof bool) {
	data := s.buf[:s.filled]
	emitTo := s.base + int64(s.filled)
	if !eof {
		emitTo -= overlap
	}
	s.matches = rules.Find(data, s.opt, s.matches[:0])
	for _, m := range s.matches {
		abs := s.base + int64(m.Start)
		if abs < s.emitFrom || abs >= emitTo {
			continue
		}
		if m.Confidence == rules.Lookalike {
			if s.looks >= maxLookalikesPerFile {
				s.lookDropped++
				continue
			}
			s.looks++
		}
		s.pos.advance(data, s.base, abs)
		col := s.pos.col + 1
		s.found = append(s.found, streamMatch{Match: m, offset: abs, line: s.pos.line, col: col,
			endCol: col + runeCount(data[m.Start:m.End]), secret: m.Text(data)})
	}
	if eof {
		return
	}
	newBase := s.base + int64(s.filled) - keep
	s.pos.advance(data, s.base, newBase)
	copy(s.buf, data[s.filled-keep:])
	s.base, s.filled, s.emitFrom = newBase, keep, emitTo
}

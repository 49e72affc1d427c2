package scanner

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/ghtoken/ghtoken/rules"
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

// errBinary is returned by scanStream when the content is binary.
var errBinary = errors.New("binary content (NUL byte in the first 8 KiB)")

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
	p.col += utf8.RuneCount(tail)
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

// scanStream reads r to the end in chunks of chunkSize bytes, using buf
// (grown as needed) as its only buffer, and calls emit for each match in
// order. It returns the number of bytes read. UTF-16 text is transcoded
// first (see decodeText).
func scanStream(r io.Reader, path string, chunkSize int, buf []byte, emit func(streamMatch)) (int64, []byte, error) {
	return scanStreamDirectives(r, path, chunkSize, buf, nil, emit)
}

// scanStreamDirectives is scanStream that also appends the inline
// directives it finds, with their positions, to dirs.found (dirs may be nil).
func scanStreamDirectives(r io.Reader, path string, chunkSize int, buf []byte, dirs *directiveSink, emit func(streamMatch)) (int64, []byte, error) {
	raw := &countingReader{r: r}
	if need := keep + chunkSize; cap(buf) < need {
		buf = make([]byte, need)
	}
	buf = buf[:keep+chunkSize]
	// The first read goes straight into buf: plain UTF-8, the common case,
	// costs no extra copy or system call. UTF-16 is detected on those bytes
	// and then re-read through a transcoder.
	filled, err := io.ReadFull(raw, buf)
	eof := err == io.EOF || err == io.ErrUnexpectedEOF
	if err != nil && !eof {
		return raw.n, buf, err
	}
	enc, bomLen := sniffText(buf[:filled])
	bom := int64(bomLen)
	var r2 io.Reader = raw
	if enc != encUTF8 {
		r2 = newUTF16Reader(io.MultiReader(bytes.NewReader(bytes.Clone(buf[bomLen:filled])), raw), enc)
		filled, eof, bom = 0, false, 0
	}
	var (
		base     int64 // absolute offset of buf[0]
		emitFrom = bom
		pos      = position{line: 1, offset: bom}
		matches  []rules.Match
		first    = true
		reread   = filled == 0 // nothing read yet (UTF-16 or an empty file)
	)
	opt := rules.Options{Lookalikes: true, Path: path}
	for {
		if reread {
			n, err := io.ReadFull(r2, buf[filled:])
			filled += n
			eof = false
			switch {
			case err == io.EOF || err == io.ErrUnexpectedEOF:
				eof = true
			case err != nil:
				return raw.n, buf, err
			}
		}
		reread = true
		total := raw.n
		data := buf[:filled]
		if first {
			first = false
			if bytes.IndexByte(data[:min(len(data), binarySniffLen)], 0) >= 0 {
				return total, buf, errBinary
			}
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
			endCol := col + utf8.RuneCount(data[m.Start:m.End])
			secret := m.Text(data)
			if enc != encUTF8 {
				m.Encoding = joinEncoding(enc.String(), m.Encoding)
			}
			emit(streamMatch{Match: m, offset: abs, line: line, col: col, endCol: endCol, secret: secret})
		}
		dirs.place(&pos, data, base, emitTo, next)
		if eof {
			return total, buf, nil
		}
		newBase := base + int64(filled) - keep
		pos.advance(data, base, newBase)
		copy(buf, data[filled-keep:])
		base, filled, emitFrom = newBase, keep, emitTo
	}
}

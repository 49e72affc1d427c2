package scanner

import (
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// Text encodings. Windows tools write UTF-16 (PowerShell scripts, .reg
// exports) and UTF-8 with a byte order mark; every other byte of ASCII text
// in UTF-16 is NUL, so without this step such files would be skipped as
// binary, and with it they are transcoded to UTF-8 before the rules see them.

// textEncoding is how a file's text is stored.
type textEncoding int

const (
	encUTF8 textEncoding = iota // or anything that is not UTF-16
	encUTF16LE
	encUTF16BE
)

func (e textEncoding) String() string {
	switch e {
	case encUTF16LE:
		return "utf-16le"
	case encUTF16BE:
		return "utf-16be"
	}
	return ""
}

// utf16SniffLen is how much of a file without a byte order mark is looked at
// to decide whether it is UTF-16.
const utf16SniffLen = 512

// sniffText recognises the encoding of text from its first bytes (at most
// utf16SniffLen are looked at) and says how many bytes of byte order mark
// start it.
func sniffText(head []byte) (textEncoding, int) {
	head = head[:min(len(head), utf16SniffLen)]
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return encUTF8, 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) && nulAt(head[2:], 1):
		return encUTF16LE, 2
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}) && nulAt(head[2:], 0):
		return encUTF16BE, 2
	}
	return looksUTF16(head), 0
}

// newUTF16Reader returns a reader of src (UTF-16 in the given encoding) as
// UTF-8.
func newUTF16Reader(src io.Reader, enc textEncoding) io.Reader {
	var order binary.ByteOrder = binary.LittleEndian
	if enc == encUTF16BE {
		order = binary.BigEndian
	}
	return &utf16Reader{src: src, order: order}
}

// nulAt reports whether b, the text after a UTF-16 byte order mark, is
// plausibly UTF-16: empty, or with a NUL high byte (at parity 1 for little
// endian, 0 for big endian) somewhere in it, as any ASCII character has.
// Two bytes "\xff\xfe" before plain text (a Latin-1 "ÿþ", or a prefix
// meant to hide what follows) must not turn that text into garbage.
func nulAt(b []byte, parity int) bool {
	if len(b) == 0 {
		return true
	}
	for i := parity; i < len(b); i += 2 {
		if b[i] == 0 {
			return true
		}
	}
	return false
}

// looksUTF16 recognises UTF-16 text without a byte order mark. Read as
// UTF-8, such text is full of NUL bytes (the high byte of every ASCII
// character), control bytes (the 0x04 of Cyrillic) or bytes that are not
// UTF-8 (most CJK); read as UTF-16 in the right byte order, it is clean
// text. Both must hold: text with a stray NUL byte stays UTF-8 (and
// binary), and binary data seldom reads as clean UTF-16 (one random code
// unit in 32 is a surrogate). When both orders read clean, the one with more
// characters from the alphabetic scripts (ASCII, Latin, Greek, Cyrillic,
// Hebrew, Arabic) wins: swapped, those become CJK or unassigned code points.
func looksUTF16(head []byte) textEncoding {
	units := len(head) / 2
	if units < 2 || notText(head)*4 < units {
		return encUTF8
	}
	le, leAlpha := cleanUTF16(head, binary.LittleEndian)
	be, beAlpha := cleanUTF16(head, binary.BigEndian)
	switch {
	case le && (!be || leAlpha >= beAlpha):
		return encUTF16LE
	case be:
		return encUTF16BE
	}
	return encUTF8
}

// notText counts the bytes of b that cannot be UTF-8 text: NUL and other
// control characters (whitespace aside), and bytes that are not UTF-8.
func notText(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			// Eight ASCII bytes, most of any text: a table for each,
			// no branch and no decoding. It runs for every file.
			q := b[i : i+8 : i+8]
			n += int(asciiNotText[q[0]] + asciiNotText[q[1]] + asciiNotText[q[2]] + asciiNotText[q[3]] +
				asciiNotText[q[4]] + asciiNotText[q[5]] + asciiNotText[q[6]] + asciiNotText[q[7]])
			i += 8
			continue
		}
		if c := b[i]; c < utf8.RuneSelf {
			n += int(asciiNotText[c])
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || (r < 0x20 && !isSpaceControl(r)) || r == 0x7f {
			n++
		}
		i += size
	}
	return n
}

// asciiNotText is 1 for the ASCII bytes notText counts (controls other
// than whitespace, and DEL), 0 for the others; indexed by any byte so that
// a lookup needs no bounds check.
var asciiNotText = func() (t [256]uint8) {
	for c := range rune(utf8.RuneSelf) {
		if (c < 0x20 && !isSpaceControl(c)) || c == 0x7f {
			t[c] = 1
		}
	}
	return t
}()

func isSpaceControl(r rune) bool {
	return r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// cleanUTF16 reports whether b reads as UTF-16 text in the given order: no
// NUL or control character other than whitespace, no noncharacter U+FFFE or
// U+FFFF, every surrogate paired (the last one may be cut off by the end of
// b). It also counts the characters below U+0800.
func cleanUTF16(b []byte, order binary.ByteOrder) (ok bool, alpha int) {
	high := false // the previous unit was a high surrogate
	for i := 0; i+1 < len(b); i += 2 {
		c := rune(order.Uint16(b[i:]))
		isLow := 0xDC00 <= c && c <= 0xDFFF
		switch {
		case high != isLow:
			return false, 0
		case isLow:
			high = false
		case 0xD800 <= c && c <= 0xDBFF:
			high = true
		case (c < 0x20 && !isSpaceControl(c)) || (0x7f <= c && c <= 0x9f) || c >= 0xFFFE:
			return false, 0
		case c < 0x800:
			alpha++
		}
	}
	return true, alpha
}

// utf16Reader transcodes UTF-16 to UTF-8. Unpaired surrogates become
// U+FFFD; a trailing odd byte is dropped.
type utf16Reader struct {
	src     io.Reader
	order   binary.ByteOrder
	in      [4096]byte
	inLen   int
	out     []byte // transcoded, not yet returned
	pending rune   // a high surrogate waiting for its pair, or 0
	err     error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if u.pending != 0 {
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.pending = 0
				continue
			}
			return 0, u.err
		}
		n, err := u.src.Read(u.in[u.inLen:])
		u.inLen += n
		u.err = err
		i := 0
		for ; i+1 < u.inLen; i += 2 {
			c := rune(u.order.Uint16(u.in[i:]))
			switch {
			case u.pending != 0:
				if r := utf16.DecodeRune(u.pending, c); r != utf8.RuneError {
					u.out = utf8.AppendRune(u.out, r)
					u.pending = 0
					continue
				}
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.pending = 0
				if utf16.IsSurrogate(c) && c < 0xDC00 {
					u.pending = c
					continue
				}
				u.out = utf8.AppendRune(u.out, fixSurrogate(c))
			case utf16.IsSurrogate(c) && c < 0xDC00:
				u.pending = c
			default:
				u.out = utf8.AppendRune(u.out, fixSurrogate(c))
			}
		}
		u.inLen = copy(u.in[:], u.in[i:u.inLen])
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func fixSurrogate(c rune) rune {
	if utf16.IsSurrogate(c) {
		return utf8.RuneError
	}
	return c
}

// countingReader counts the bytes read through it: sizes and limits apply to
// the file's bytes, not to its transcoding.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// lineBreaks counts the line breaks in seg and returns the part of seg after
// the last one (all of seg when there is none). In a file whose lines end in
// CR alone (crOnly) a CR ends a line, and the LF of a CRLF pair does not end
// a second one; prevCR says whether the byte before seg was a CR.
func lineBreaks(seg []byte, crOnly, prevCR bool) (int, []byte) {
	n := bytes.Count(seg, []byte{'\n'})
	if n == 0 && !crOnly {
		// No line break: not through bytes.LastIndexByte, which goes
		// a byte at a time (a chunk of a line megabytes long).
		return 0, seg
	}
	if !crOnly || bytes.IndexByte(seg, '\r') < 0 {
		if crOnly && prevCR && len(seg) > 0 && seg[0] == '\n' {
			n--
		}
		if i := bytes.LastIndexByte(seg, '\n'); i >= 0 {
			return n, seg[i+1:]
		}
		return n, seg
	}
	n += bytes.Count(seg, []byte{'\r'}) - bytes.Count(seg, []byte("\r\n"))
	if prevCR && seg[0] == '\n' {
		n--
	}
	last := max(bytes.LastIndexByte(seg, '\n'), bytes.LastIndexByte(seg, '\r'))
	return n, seg[last+1:]
}

func joinEncoding(outer, inner string) string {
	if inner == "" {
		return outer
	}
	return outer + ">" + inner
}

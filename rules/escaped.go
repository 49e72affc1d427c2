package rules

import (
	"bytes"
	"math/bits"
	"slices"
	"sort"
)

// Tokens written character by character in an escape syntax, whole or in
// part: "\u0067hp_...", "%67%68%70%5F...", "&#x67;&#104;...", "\147\150...",
// "U+0067 U+0068 ...", or only the underscore escaped ("ghp%5F...").
//
// Candidates come from two places, so that ordinary text pays for no new
// pass over its bytes:
//
//   - the "gh"/"gi" search: a token prefix followed by an escape
//     ("ghp%5F", "gh\u0070_", "github\x5fpat") or a token whose
//     characters stop at an escape ("ghp_abc%41...") starts a candidate;
//   - the probe grid of findRuns: a run of minGridEscapedLen or more clsEsc
//     bytes (token characters and the escape syntax's) that holds an escape
//     introducer, or a run of clsCodepoint bytes (code points separated by
//     spaces); in it a plain 'g' or an escape that decodes to 'g' starts a
//     candidate.
//
// So a token escaped from its first letter on is found when its encoded
// text is at least minGridEscapedLen bytes long (a whole token in \uXXXX,
// %XX, &#NN; or U+XXXX, or a refresh or fine-grained token with only its
// first letter escaped); a 40-character token with only its first letter
// escaped is not (looking for those would cost every identifier in code).
//
// A candidate decodes the run of token characters, plain or escaped, that
// starts there, once for all the candidates in it (see escapeRun), and keeps
// the tokens in it that hold an escape (the plain search finds the others).

// Encoding names of the escape families, as reported in Match.Encoding. A
// token written in several families reports them joined by "+", in this
// order: percent, backslash-escape, html-entity, unicode-codepoint.
const (
	EncodingEntity    = "html-entity"
	EncodingCodepoint = "unicode-codepoint"
)

// Escape families, as bits: escapeRun.kind holds one per decoded byte.
const (
	escPercent   uint8 = 1 << iota // %XX, %uXXXX
	escBackslash                   // \uXXXX, \u{X..}, \UXXXXXXXX, \xXX, \x{X..}, \NNN, \/ \" \' \\
	escEntity                      // &#xXX; &#NN;
	escCodepoint                   // U+XXXX
)

// escapeIntro marks the bytes an escape starts with.
var escapeIntro = [256]bool{'%': true, '\\': true, '&': true, 'U': true}

var escapeNames = [...]string{EncodingPercent, EncodingEscape, EncodingEntity, EncodingCodepoint}

// escapeEncoding names the families in kinds.
func escapeEncoding(kinds uint8) string {
	out := ""
	for i, name := range escapeNames {
		if kinds&(1<<i) != 0 {
			if out != "" {
				out += "+"
			}
			out += name
		}
	}
	return out
}

// minTokenLen is the length of the shortest token (a classic PAT's).
const minTokenLen = 40

// minGridEscapedLen is the shortest run of escaped characters the probe
// grid is sure to find: it holds two whole windows in a row. A token whose
// first two letters are written as is ("gh") is found from the 'g' search
// whatever its length; one escaped from its first letter on needs a run
// that long (a classic PAT with every other character written as \xXX).
const minGridEscapedLen = 3*base64Probe + 1

// maxEscapeLen is the longest escape of one character ("&#x00000067;",
// "\x{00000067}") and a space before it (spaced code points).
const maxEscapeLen = 13

// escapeWindow handles two probe windows in a row, from a, whose samples
// are all clsEsc: it reads the run of clsEsc bytes there and looks for
// escaped tokens in it when it is at least minGridEscapedLen long and holds
// an escape introducer. It returns where the run it read ends: windows
// before that are done.
func (f *finder) escapeWindow(a int) int {
	buf := f.buf
	s, e := a+base64Probe, a+base64Probe
	var kinds uint8
	// Four bytes a step, without a branch each, while they are all in
	// the run; then one at a time.
	for e+4 <= len(buf) {
		k0, k1, k2, k3 := probeCls[buf[e]], probeCls[buf[e+1]], probeCls[buf[e+2]], probeCls[buf[e+3]]
		if k0&k1&k2&k3&clsEsc == 0 {
			break
		}
		kinds |= k0 | k1 | k2 | k3
		e += 4
	}
	for e < len(buf) && probeCls[buf[e]]&clsEsc != 0 {
		kinds |= probeCls[buf[e]]
		e++
	}
	// The run starts after the end of the previous one read, so each
	// byte is read once.
	for s >= 4 {
		k0, k1, k2, k3 := probeCls[buf[s-1]], probeCls[buf[s-2]], probeCls[buf[s-3]], probeCls[buf[s-4]]
		if k0&k1&k2&k3&clsEsc == 0 {
			break
		}
		kinds |= k0 | k1 | k2 | k3
		s -= 4
	}
	for s > 0 && probeCls[buf[s-1]]&clsEsc != 0 {
		kinds |= probeCls[buf[s-1]]
		s--
	}
	f.probes += e - s + 1
	if e-s >= minGridEscapedLen && kinds&clsIntro != 0 {
		f.escapeCandidates(s, e, false)
	}
	return e
}

// codepointWindow handles a probe window at a whose samples are all
// clsCodepoint: code points separated by spaces ("U+0067 U+0068 ...").
func (f *finder) codepointWindow(a int) int {
	buf := f.buf
	f.probes += base64Probe + 1
	if !bytes.Contains(buf[a:a+base64Probe+1], []byte("U+")) {
		return a
	}
	cp := func(c byte) bool { return probeCls[c]&clsCodepoint != 0 }
	s, e := a, a
	for e < len(buf) && cp(buf[e]) {
		e++
	}
	for s > 0 && cp(buf[s-1]) {
		s--
	}
	f.probes += e - s
	f.escapeCandidates(s, e, true)
	return e
}

// escapeCandidates starts a candidate at each plain 'g' and each escape that
// decodes to 'g' in the run buf[s:e], which holds an escape introducer.
// Code point runs (spaced) hold no plain token character but 'U' escapes.
func (f *finder) escapeCandidates(s, e int, codepoints bool) {
	buf := f.buf
	run := buf[s:e]
	f.probes += len(run)
	if codepoints {
		for q := 0; ; q++ {
			i := bytes.Index(run[q:], []byte("U+"))
			if i < 0 {
				return
			}
			q += i
			if c, _, _ := unescape(run[q:]); c == 'g' {
				f.escapedAt(s + q)
			}
		}
	}
	for q := 0; q < len(run); q++ {
		switch c := run[q]; c {
		case 'g':
			f.escapedAt(s + q)
		case '\\', '%', '&', 'U':
			if !mayBeEscapedG(run[q:]) {
				// The escape's own bytes ("x89" of "\x89") start no
				// candidate: step over them at once.
				for q+1 < len(run) && !startsEscapedG(run[q+1]) {
					q++
				}
				continue
			}
			if d, n, _ := unescape(run[q:]); d == 'g' {
				f.escapedAt(s + q)
				q += n - 1
			}
		}
	}
}

// mayBeEscapedG rules out, from a byte or two, most backslash and percent
// escapes that do not decode to 'g', before unescape parses them. Text that
// embeds binary data as a string literal ("\x89PNG\r\n...") has an escape
// every fourth byte, and parsing each one took most of the time spent on
// such text. It is true for every text unescape decodes to 'g', and for
// the forms it does not look into (braced, entities, code points);
// TestMayBeEscapedG and FuzzMayBeEscapedG hold it to that.
func mayBeEscapedG(b []byte) bool {
	if len(b) < 2 {
		return true
	}
	switch b[0] {
	case '\\':
		switch b[1] {
		case 'x': // \x67, or braced
			return len(b) > 3 && (b[2] == '{' || b[2] == '6' && b[3] == '7')
		case 'u': // \u0067, or braced
			return len(b) > 3 && b[2] == '{' || bytes.HasPrefix(b[2:], []byte("0067"))
		case 'U':
			return bytes.HasPrefix(b[2:], []byte("00000067"))
		case '1': // octal: no other digits make 'g'
			return bytes.HasPrefix(b[1:], []byte("147"))
		}
		return false // \/ \" \' \\, other octal values, or no escape
	case '%': // %67 or %u0067
		return len(b) > 2 && b[1] == '6' && b[2] == '7' ||
			(b[1] == 'u' || b[1] == 'U') && bytes.HasPrefix(b[2:], []byte("0067"))
	}
	return true
}

// startsEscapedG reports whether escapeCandidates looks at c: a plain 'g',
// or the first byte of an escape that may decode to one.
func startsEscapedG(c byte) bool {
	return c == 'g' || c == '\\' || c == '%' || c == '&' || c == 'U'
}

// escapeRun is the decoded text of a run of escaped or plain token
// characters, shared by the candidates in it: "ghp%5Fghp%5F..." is decoded
// and searched once, not once per candidate.
type escapeRun struct {
	start, stop int     // buf[start:stop] was decoded
	dec         []byte  // the decoded text
	kind        []uint8 // kind[k] is the escape family of decoded byte k, 0 when plain
	src         []int32 // src[k] is where decoded byte k starts in buf; src[len(dec)] == stop
	matches     []Match // the inner finder's matches, by start
}

// escapedAt handles a candidate at p: a plain 'g' with an escape after it, or
// an escape of 'g'.
func (f *finder) escapedAt(p int) {
	if f.depth == 0 {
		return
	}
	r := &f.esc
	if p < r.start || p >= r.stop {
		f.decodeEscapes(p)
	}
	// Calls from the grid may come back before earlier ones: a search,
	// not a walk from the last position.
	k := sort.Search(len(r.src), func(i int) bool { return int(r.src[i]) >= p })
	f.probes += bits.Len(uint(len(r.src)))
	if k == len(r.src) || int(r.src[k]) != p {
		return // p is inside an escape: not a candidate
	}
	i := sort.Search(len(r.matches), func(i int) bool { return r.matches[i].Start >= k })
	for ; i < len(r.matches) && r.matches[i].Start == k; i++ {
		m := r.matches[i]
		if f.escapedMatch(p, &m) {
			f.dst = append(f.dst, m)
		}
	}
}

// decodeEscapes decodes the run of token characters, plain or escaped, that
// starts at p, up to and including the first byte no token holds, and finds
// the tokens in it.
func (f *finder) decodeEscapes(p int) {
	buf := f.buf
	r := &f.esc
	dec, kind, src := r.dec[:0], r.kind[:0], r.src[:0]
	i := p
	for i < len(buf) {
		at := i
		if buf[i] == ' ' && len(kind) > 0 && kind[len(kind)-1] == escCodepoint && bytes.HasPrefix(buf[i+1:], []byte("U+")) {
			at++ // spaced code points: the space belongs to no character
		}
		c, n, k := unescape(buf[at:])
		if n == 0 || (at > i && k != escCodepoint) {
			break
		}
		dec, kind, src = append(dec, c), append(kind, k), append(src, int32(at))
		i = at + n
		if !base64URL[c] && c != '.' {
			break
		}
	}
	f.probes += i - p + 1
	src = append(src, int32(i))
	r.start, r.stop = p, max(i, p+1)
	// Reused by the next run: matches keep no reference to them.
	r.dec, r.kind, r.src = dec, kind, src
	r.matches = r.matches[:0]
	if len(dec) < minTokenLen {
		return // too short to hold a token: "ghp%5F" and a space
	}
	inner := newFinder(finderInit{buf: dec, opt: f.opt, lockfile: f.lockfile, depth: f.depth - 1, dst: r.matches})
	inner.run()
	f.probes += inner.probes
	r.matches = inner.dst
	inner.release()
	for k := range r.matches {
		if m := &r.matches[k]; m.Encoding == "" {
			m.Decoded = string(dec[m.Start:m.End])
		}
	}
	slices.SortFunc(r.matches, func(a, b Match) int { return a.Start - b.Start })
}

// escapedMatch maps m, found at decoded offset k where buf[p] was decoded, back
// to buf, and reports whether to keep it: only a token with an escape in it
// (the plain search found the others), decided by bytes within decodeWindow of
// p. A token glued to a word before it is kept only when its checksum holds,
// as in plain text.
func (f *finder) escapedMatch(p int, m *Match) bool {
	buf := f.buf
	r := &f.esc
	var kinds uint8
	for _, k := range r.kind[m.Start:m.End] {
		kinds |= k
	}
	if kinds == 0 {
		return false
	}
	if m.Start == 0 && !boundaryBefore(buf, p) {
		if m.Confidence != High {
			return false
		}
		m.Glued = true
	}
	s, e := int(r.src[m.Start]), int(r.src[m.End])
	for e > s && buf[e-1] == ' ' {
		e-- // the space before the next code point
	}
	// The byte after the match decides where it ends: it must have been
	// decoded within the window too.
	after := int(r.src[m.End])
	if m.End+1 < len(r.src) {
		after = int(r.src[m.End+1])
	} else if after < len(buf) {
		after += maxEscapeLen // the longest escape, which did not decode
	}
	if after-p > decodeWindow {
		return false
	}
	m.Start, m.End = s, e
	m.Encoding = joinEncoding(escapeEncoding(kinds), m.Encoding)
	return true
}

// unescape decodes one ASCII character at the start of b: an escape of any
// family, or a plain byte. n is 0 when b starts with a broken backslash or
// percent escape. A '&' or 'U' that starts no escape is a plain byte.
func unescape(b []byte) (c byte, n int, kind uint8) {
	switch b[0] {
	case '%':
		if len(b) >= 3 {
			if v, ok := hexByte(b[1], b[2]); ok && v < 0x80 {
				return v, 3, escPercent
			}
		}
		if len(b) >= 6 && (b[1] == 'u' || b[1] == 'U') {
			if v, d := hexDigits(b[2:], 4); d == 4 && v < 0x80 {
				return byte(v), 6, escPercent
			}
		}
		return 0, 0, 0
	case '\\':
		if c, n := unbackslash(b); n > 0 {
			return c, n, escBackslash
		}
		return 0, 0, 0
	case '&':
		if c, n := unentity(b); n > 0 {
			return c, n, escEntity
		}
	case 'U':
		if len(b) >= 6 && b[1] == '+' {
			if v, d := hexDigits(b[2:], 4); d == 4 && v < 0x80 {
				return byte(v), 6, escCodepoint
			}
		}
	}
	return b[0], 1, 0
}

// unbackslash decodes a backslash escape of an ASCII character: \uXXXX,
// \u{X..}, \UXXXXXXXX, \xXX, \x{X..}, octal \N to \NNN, or \/ \" \' \\.
func unbackslash(b []byte) (byte, int) {
	if len(b) < 2 {
		return 0, 0
	}
	v, n := uint32(0), 0
	switch b[1] {
	case 'u', 'x':
		if len(b) > 2 && b[2] == '{' {
			v, n = braced(b[3:])
			n += 3
			break
		}
		want := 4
		if b[1] == 'x' {
			want = 2
		}
		if x, d := hexDigits(b[2:], want); d == want {
			v, n = x, 2+want
		}
	case 'U':
		if x, d := hexDigits(b[2:], 8); d == 8 {
			v, n = x, 10
		}
	case '0', '1', '2', '3', '4', '5', '6', '7':
		d := 1
		for d < 3 && 1+d < len(b) && b[1+d] >= '0' && b[1+d] <= '7' {
			d++
		}
		for _, c := range b[1 : 1+d] {
			v = v<<3 | uint32(c-'0')
		}
		n = 1 + d
	case '/', '"', '\'', '\\':
		v, n = uint32(b[1]), 2
	}
	if n == 0 || v >= 0x80 {
		return 0, 0
	}
	return byte(v), n
}

// braced decodes "X..}" (1 to 8 hex digits and a closing brace) and returns
// its value and length; n is 0 when it is not that.
func braced(b []byte) (v uint32, n int) {
	v, d := hexDigits(b, 8)
	if d == 0 || d >= len(b) || b[d] != '}' {
		return 0, 0
	}
	return v, d + 1
}

// unentity decodes an HTML numeric character reference of an ASCII
// character: &#xXX; (any case, up to 8 digits) or &#NN; (up to 8 digits).
func unentity(b []byte) (byte, int) {
	if len(b) < 4 || b[1] != '#' {
		return 0, 0
	}
	var v uint32
	var d, at int
	if b[2] == 'x' || b[2] == 'X' {
		at = 3
		v, d = hexDigits(b[at:], 8)
	} else {
		at = 2
		for d < 8 && at+d < len(b) && b[at+d] >= '0' && b[at+d] <= '9' {
			v = v*10 + uint32(b[at+d]-'0')
			d++
		}
	}
	end := at + d
	if d == 0 || end >= len(b) || b[end] != ';' || v >= 0x80 {
		return 0, 0
	}
	return byte(v), end + 1
}

// hexDigits reads up to max hex digits at the start of b.
func hexDigits(b []byte, max int) (v uint32, n int) {
	for n < max && n < len(b) {
		x, ok := hexVal(b[n])
		if !ok {
			break
		}
		v = v<<4 | uint32(x)
		n++
	}
	return v, n
}

func hexByte(a, b byte) (byte, bool) {
	x, ok1 := hexVal(a)
	y, ok2 := hexVal(b)
	return x<<4 | y, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

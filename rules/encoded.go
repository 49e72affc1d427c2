package rules

import (
	"bytes"
	"slices"
)

// Tokens also hide in encoded text: base64 (Kubernetes Secret manifests,
// .dockerconfigjson, basic-auth headers), percent-encoding ("%5F" for "_")
// and backslash escapes ("\u005f", "\x5f", "\/"). Decoding everything would
// cost a pass over every byte and let hostile input blow up time and memory,
// so decoding is confined to candidate spans found by literal searches:
//
//   - base64 of a token prefix ("ghp_", "github_pat_", ...) starting at byte
//     0, 1 or 2 of a 3-byte group always contains the same few characters
//     ("Z2hwX" for "ghp_" at 0). Those characters are the needles; the
//     same trick one level up (the base64 of those needles) finds base64
//     inside base64, as in a Secret holding a .dockerconfigjson.
//   - an escape right after a literal "gh?" or "github" (the prefix of a
//     token whose "_" was escaped) starts an escaped candidate.
//
// Each candidate decodes at most decodeWindow bytes of input, at most
// maxDecodeDepth levels deep, and only a match that starts where its needle
// says is kept, so the locality guarantee of Find holds for decoded matches
// too: they depend only on bytes from a few bytes before Start to at most
// MaxTokenLen bytes after it.
const (
	maxDecodeDepth = 2
	// decodeWindow is how many encoded bytes one candidate decodes. It
	// leaves room for the one quad before the needle's quad and the byte
	// after the window (is the encoded run over?) within MaxTokenLen.
	decodeWindow = MaxTokenLen - 8
)

// Encoding names, as reported in Match.Encoding.
const (
	EncodingBase64    = "base64"
	EncodingBase64URL = "base64url"
	EncodingPercent   = "percent"
	EncodingEscape    = "backslash-escape"
)

// tokenPrefixes are the literals every prefixed token starts with, from the
// rule table.
var tokenPrefixes = prefixesOf(all)

func prefixesOf(rules []*Rule) []string {
	var out []string
	for _, r := range rules {
		if r.Prefix != "" && !slices.Contains(out, r.Prefix) {
			out = append(out, r.Prefix)
		}
	}
	return out
}

const (
	stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// b64val maps both base64 alphabets to 6-bit values; 0xff is not base64.
// isB64 is 1 for a base64 character of either alphabet, 0 otherwise.
var b64val, isB64 [256]byte

// needle is a run of base64 characters that the encoding of a literal always
// contains. off is the needle's position in its 4-character quad.
type needle struct {
	text string
	off  int
}

// base64Needles (in needles_table.go) are the needles of tokens encoded
// once (depth 1) and twice (depth 2), sorted by their first two characters;
// needleHead maps those two characters to the index+1 of the first needle
// that starts with them.
//
// The needles are worked out from the token prefixes by
// TestBase64NeedlesTable, which writes them with -update and fails when the
// table is not what the prefixes give: computed at start-up they cost every
// run of the program 240 allocations, "ghtoken version" included.
//
//go:generate go test -run ^TestBase64NeedlesTable$ -update .
var needleHead [1 << 16]uint8

type depthNeedle struct {
	needle
	depth int
}

// minBase64Run is the shortest run of base64 characters that can hold an
// encoded token (40 bytes encode to 54 characters), and base64Probe the
// stride at which runs are probed: every run that long holds two
// consecutive probes.
const (
	minBase64Run = 54
	base64Probe  = minBase64Run / 2
)

func init() {
	for i := range b64val {
		b64val[i] = 0xff
	}
	for i := range 64 {
		b64val[stdAlphabet[i]] = byte(i)
		b64val[urlAlphabet[i]] = byte(i)
		isB64[stdAlphabet[i]], isB64[urlAlphabet[i]] = 1, 1
	}
	for i := len(base64Needles) - 1; i >= 0; i-- {
		n := base64Needles[i].text
		needleHead[int(n[0])<<8|int(n[1])] = uint8(i + 1)
	}
}

// Classes of the bytes the probe grid of findRuns looks at.
const (
	clsB64       uint8 = 1 << iota // base64, either alphabet
	clsEsc                         // in an escaped token: [0-9A-Za-z_] and \ % & # ; { } +
	clsCodepoint                   // in spaced code points: hex digits, 'U', '+' and ' '
	clsIntro                       // starts an escape: \ % & and the '+' of "U+"
)

var probeCls [256]uint8

func init() {
	for c := range 256 {
		b := byte(c)
		if isB64[b] != 0 {
			probeCls[b] |= clsB64
		}
		// wordChar is not set yet: find.go's init runs after this one.
		word := '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_'
		if word || bytes.IndexByte([]byte(`\%&#;{}+`), b) >= 0 {
			probeCls[b] |= clsEsc
		}
		if b == '\\' || b == '%' || b == '&' || b == '+' {
			probeCls[b] |= clsIntro
		}
		if _, ok := hexVal(b); ok || b == 'U' || b == '+' || b == ' ' {
			probeCls[b] |= clsCodepoint
		}
	}
}

// findRuns looks for the long runs that encoded tokens make: base64 (up to
// f.depth levels deep) and escaped characters (see escapeWindow). It probes
// a grid of windows base64Probe+1 bytes wide and looks at every third byte
// of a window, without a branch each: in prose and code one is nearly
// always a separator, so prose and code cost a few table lookups per
// base64Probe bytes. A window whose samples are all of one class is read
// further by that class's handler, which returns where the run it read ends;
// windows before that are done for the class.
//
// Base64 needles are looked for only inside runs of base64 characters long
// enough to hold a token. Such a run holds two consecutive probes
// base64Probe apart and every byte between them.
func (f *finder) findRuns() {
	buf := f.buf
	b64Done, escDone, cpDone := 0, 0, 0
	var prev uint8 // the previous window's classes
	// The probes are counted at the end: f.probes is in memory, and an
	// increment there each round chained the rounds through a store and
	// a load.
	rounds := 0
	for i := base64Probe; i < len(buf); i += base64Probe {
		rounds++
		a := i - base64Probe
		w := (*[base64Probe + 1]byte)(buf[a : i+1])
		all := probeCls[w[0]] & probeCls[w[3]] & probeCls[w[6]] & probeCls[w[9]] & probeCls[w[12]] &
			probeCls[w[15]] & probeCls[w[18]] & probeCls[w[21]] & probeCls[w[24]] & probeCls[w[27]]
		// Escaped characters: two windows in a row, which identifiers
		// seldom fill (one would let every long identifier in).
		esc := all & prev & clsEsc
		prev = all
		if all&^clsEsc|esc == 0 {
			continue
		}
		if esc != 0 && a-base64Probe >= escDone {
			escDone = f.escapeWindow(a - base64Probe)
		}
		if all&clsCodepoint != 0 && a >= cpDone {
			cpDone = f.codepointWindow(a)
		}
		if all&clsB64 != 0 && a >= b64Done {
			b64Done = f.base64Window(i)
		}
	}
	f.probes += rounds
}

// base64Window reads the run of base64 characters around the probe at i
// when the window before it is one, and returns where that run ends.
func (f *finder) base64Window(i int) int {
	buf := f.buf
	j := i - 1
	for j > i-base64Probe && isB64[buf[j]] != 0 {
		j--
	}
	f.probes += i - j
	if j > i-base64Probe {
		return j // a separator between the probes
	}
	s, e := j, i+1
	for s > 0 && isB64[buf[s-1]] != 0 {
		s--
	}
	for e < len(buf) && isB64[buf[e]] != 0 {
		e++
	}
	f.probes += e - s
	if e-s >= minBase64Run {
		f.reversedIn(s, e)         // reversed.go
		e = f.needlesInLines(s, e) // and the lines it is wrapped with (wrapped.go)
	}
	return e
}

// needlesIn looks for needles in the base64 run buf[s:e]. Each 4-character
// alignment of the run that a needle points at is decoded once, and the
// decoded text searched once: needles are dense in hostile runs, and
// decoding a window per needle would cost the window's length per needle.
func (f *finder) needlesIn(s, e int) {
	buf := f.buf
	var aligned [4]bool
	f.probes += max(0, e-1-s) // a probe a byte, counted once (see findRuns)
	for p := s; p+1 < e; p++ {
		h := needleHead[int(buf[p])<<8|int(buf[p+1])]
		if h == 0 {
			continue
		}
		head := base64Needles[h-1].text[:2]
		for _, n := range base64Needles[h-1:] {
			if n.text[:2] != head {
				break
			}
			f.probes++
			if n.depth <= f.depth && p-n.off >= s && bytes.HasPrefix(buf[p:e], []byte(n.text)) {
				aligned[(p-n.off-s)%4] = true
			}
		}
	}
	for c, ok := range aligned {
		if ok {
			f.base64Run(s+c, e)
		}
	}
}

// base64Run decodes the base64 run buf[start:e], whose quads start at start,
// and keeps the tokens found in it that lie within decodeWindow characters of
// their start (so that a match depends on no more than that, as Find
// promises). Legacy matches are left out: they depend on context far before
// them, and the rule needs its keyword in the same text anyway.
func (f *finder) base64Run(start, e int) {
	buf := f.buf
	dec := decodeBase64(buf[start:e])
	f.probes += e - start
	f.sub(dec, func(m *Match) bool {
		if m.Rule == Legacy {
			return false
		}
		s := start + m.Start/3*4
		// The byte after the match (which decides its end) is decoded
		// from at most the quad that follows.
		after := min(e, start+(m.End+1+2)/3*4)
		if after-s > decodeWindow {
			return false
		}
		m.Start, m.End = s, min(e, start+(m.End+2)/3*4)
		enc := EncodingBase64
		if bytes.ContainsAny(buf[m.Start:m.End], "-_") {
			enc = EncodingBase64URL
		}
		m.Encoding = joinEncoding(enc, m.Encoding)
		return true
	})
}

// decodeBase64 decodes a run of base64 characters of either alphabet,
// ignoring a trailing partial character.
func decodeBase64(src []byte) []byte {
	out := make([]byte, 0, len(src)*3/4+2)
	var acc uint32
	n := 0
	for _, c := range src {
		acc = acc<<6 | uint32(b64val[c])
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

// sub runs the finder one level deeper on decoded text and adds the matches
// keep accepts (keep maps them back to f.buf's offsets).
func (f *finder) sub(dec []byte, keep func(*Match) bool) {
	inner := newFinder(finderInit{buf: dec, opt: f.opt, lockfile: f.lockfile, depth: f.depth - 1})
	defer inner.release()
	inner.run()
	f.probes += inner.probes
	for _, m := range inner.dst {
		if m.Encoding == "" {
			m.Decoded = string(dec[m.Start:m.End])
		}
		if keep(&m) {
			f.dst = append(f.dst, m)
		}
	}
}

func joinEncoding(outer, inner string) string {
	if inner == "" {
		return outer
	}
	return outer + ">" + inner
}

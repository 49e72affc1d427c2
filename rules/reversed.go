package rules

import (
	"bytes"
	"strings"
)

// EncodingReversed is the Match.Encoding of a token written backwards
// ("..._phg", reversed again by the code that uses it, as in Python's
// "..."[::-1]): a way to slip a token past push protection.
const EncodingReversed = "reversed"

// reversedIn looks for reversed tokens in the run of base64 characters
// buf[s:e] (token characters are base64 characters, so the probe grid that
// finds base64 finds them too, in runs of minBase64Run or more: refresh and
// fine-grained tokens always, 40-character ones when the run around them is
// that long). A run that holds a reversed prefix ("_phg", "_tap_buhtig") is
// reversed whole and searched once; only tokens whose checksum holds are
// kept.
func (f *finder) reversedIn(s, e int) {
	run := f.buf[s:e]
	f.probes += len(run)
	if !hasReversedPrefix(run) {
		return
	}
	rev := make([]byte, len(run))
	for i, c := range run {
		rev[len(run)-1-i] = c
	}
	f.sub(rev, func(m *Match) bool {
		if m.Confidence != High || m.Rule == Legacy || m.Encoding != "" {
			return false
		}
		m.Start, m.End = e-m.End, e-m.Start
		m.Encoding = EncodingReversed
		return true
	})
}

// hasReversedPrefix reports whether run holds a token prefix written
// backwards: "_" + one of p, o, u, s, r + "hg", or "_tap_buhtig".
func hasReversedPrefix(run []byte) bool {
	for q := 0; ; q++ {
		i := bytes.Index(run[q:], []byte("hg"))
		if i < 0 {
			break
		}
		q += i
		if q >= 2 && run[q-2] == '_' && bytes.IndexByte([]byte("pousr"), run[q-1]) >= 0 {
			return true
		}
	}
	return bytes.Contains(run, []byte("_tap_buhtig"))
}

// reversedAt checks for a 40-character token written backwards that ends
// with the "hg" at p ("_phg"), found by the pair search: its checksum
// decides, as for a glued token. Longer tokens, and 40-character ones in a
// longer run, are reached by the base64 probe grid too (see reversedIn);
// Find merges the duplicates.
func (f *finder) reversedAt(p int) {
	buf := f.buf
	const n = 40
	e := p + 2
	if e < n || buf[p-2] != '_' || strings.IndexByte("pous", buf[p-1]) < 0 {
		return
	}
	s := e - n
	f.probes += n
	var rev [n]byte
	for i := range n {
		rev[i] = buf[e-1-i]
	}
	for _, c := range rev[4:] {
		if !alnum[c] {
			return
		}
	}
	for _, r := range byThirdByte[rev[2]] {
		if r.MaxLen == n && checksum62Valid(rev[:], 4) {
			f.dst = append(f.dst, Match{Rule: r, Start: s, End: e, Confidence: High, Glued: !boundaryBefore(buf, s) || !boundaryAfter(buf, e),
				Encoding: EncodingReversed, Decoded: string(rev[:])})
			return
		}
	}
}

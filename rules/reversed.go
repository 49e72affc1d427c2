package rules

import "bytes"

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

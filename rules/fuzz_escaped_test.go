package rules

import (
	"fmt"
	"strings"
	"testing"
)

// fuzzEscapes write one character in one escape family; fuzzEscapeFamily
// names the family each belongs to (index 0 writes the character as is).
var fuzzEscapes = []func(c byte) string{
	func(c byte) string { return string(c) },
	func(c byte) string { return fmt.Sprintf(`\u%04x`, c) },
	func(c byte) string { return fmt.Sprintf(`\u{%X}`, c) },
	func(c byte) string { return fmt.Sprintf(`\U%08x`, c) },
	func(c byte) string { return fmt.Sprintf(`\x%02X`, c) },
	func(c byte) string { return fmt.Sprintf(`\x{%x}`, c) },
	func(c byte) string { return fmt.Sprintf(`\%03o`, c) },
	func(c byte) string { return fmt.Sprintf(`&#x%x;`, c) },
	func(c byte) string { return fmt.Sprintf(`&#%d;`, c) },
	func(c byte) string { return fmt.Sprintf(`%%%02x`, c) },
	func(c byte) string { return fmt.Sprintf(`%%u%04X`, c) },
	func(c byte) string { return fmt.Sprintf(`U+%04X`, c) },
}

var fuzzEscapeFamily = []uint8{0, escBackslash, escBackslash, escBackslash, escBackslash, escBackslash, escBackslash,
	escEntity, escEntity, escPercent, escPercent, escCodepoint}

// fuzzEscapedToken returns a checksum-valid token made from seed: a classic PAT, a
// refresh token or a fine-grained PAT.
func fuzzEscapedToken(seed string) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	payload := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			h := uint32(2166136261)
			for _, c := range []byte(fmt.Sprintf("%s/%d", seed, i)) {
				h = (h ^ uint32(c)) * 16777619
			}
			b[i] = alnum[h%62]
		}
		return string(b)
	}
	switch len(seed) % 3 {
	case 0:
		p := payload(30)
		sum := Checksum62([]byte(p))
		return "ghp_" + p + string(sum[:])
	case 1:
		p := payload(70)
		sum := Checksum62([]byte(p))
		return "ghr_" + p + string(sum[:])
	}
	head := "github_pat_11AAAAAAA0" + payload(12) + "_" + payload(43)
	sum := FineGrainedChecksum([]byte(head))
	return head + string(sum[:]) + payload(8)
}

// FuzzFindEscaped checks the escape decoder on arbitrary bytes:
//   - Find's work stays within maxProbesPerByte per input byte;
//   - the bytes alone never hold a checksum-valid token (the fuzzer does not
//     forge CRC32s, so one would be a decoding bug that invents tokens);
//   - a token planted in them with each character written in the escape
//     family mix picks (or as is) is found exactly once, with the planted
//     text as its span, the families it used as its encoding, and the same
//     result when the input is cut to the bytes the match may depend on.
func FuzzFindEscaped(f *testing.F) {
	f.Add([]byte("hello world"), uint16(3), []byte{1}, "seed")
	f.Add([]byte(`{"t":""}`), uint16(6), []byte{1, 0, 0, 0, 0, 0, 0, 0}, "json")
	f.Add([]byte("&#&#&#%u%u\\u{"), uint16(5), []byte{7, 8, 0, 9}, "mix")
	f.Add([]byte("U+0067 U+0068 \\147"), uint16(0), []byte{11, 6, 10, 3, 2, 4, 5}, "all")
	f.Add([]byte("ghp_ gh%70 g\\x68"), uint16(2), []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}, "late")
	f.Fuzz(func(t *testing.T, data []byte, at uint16, mix []byte, seed string) {
		ms, probes := find(data, Options{Lookalikes: true}, nil)
		if limit := maxProbesPerByte*len(data) + probeSlack; probes > limit {
			t.Fatalf("%d probes for %d bytes", probes, len(data))
		}
		for _, m := range ms {
			if m.Confidence == High {
				t.Fatalf("unplanted input yields %s %q at %d (%q)", m.Rule.ID, m.Text(data), m.Start, m.Encoding)
			}
		}
		if len(mix) == 0 {
			return
		}
		tok := fuzzEscapedToken(seed)
		var enc strings.Builder
		var kinds uint8
		for i := range len(tok) {
			k := int(mix[i%len(mix)]) % len(fuzzEscapes)
			enc.WriteString(fuzzEscapes[k](tok[i]))
			kinds |= fuzzEscapeFamily[k]
		}
		text, wantEnc := enc.String(), escapeEncoding(kinds)
		plainStart := int(mix[0])%len(fuzzEscapes) == 0 && int(mix[1%len(mix)])%len(fuzzEscapes) == 0
		if !plainStart && len(text) < minGridEscapedLen {
			return // not looked for (see minGridEscapedLen)
		}
		p := int(at) % (len(data) + 1)
		in := []byte(string(data[:p]) + "\n" + text + "\n" + string(data[p:]))
		start, end := p+1, p+1+len(text)
		var hits []Match
		for _, m := range Find(in, Options{}, nil) {
			if m.Text(in) == tok {
				hits = append(hits, m)
			}
		}
		if len(hits) != 1 {
			t.Fatalf("planted %q (%s) at %d: found %d times: %+v", text, wantEnc, start, len(hits), hits)
		}
		m := hits[0]
		if m.Encoding != wantEnc || m.Start != start || m.End != end || m.Glued {
			t.Fatalf("planted [%d:%d] %q, got [%d:%d] %q glued=%v", start, end, wantEnc, m.Start, m.End, m.Encoding, m.Glued)
		}
		lo, hi := max(0, m.Start-MaxContext), min(len(in), m.Start+MaxTokenLen+1)
		same := false
		for _, a := range Find(in[lo:hi], Options{}, nil) {
			same = same || a.Start+lo == m.Start && a.End+lo == m.End && a.Rule == m.Rule && a.Encoding == m.Encoding
		}
		if !same {
			t.Fatalf("match [%d:%d] changes when the input is cut to [%d:%d]", m.Start, m.End, lo, hi)
		}
	})
}

// TestMayBeEscapedG holds the quick test of escapeCandidates to its
// promise: every text of up to five bytes, starting with a backslash or a
// percent sign and made of the bytes escapes are written with, that
// unescape decodes to 'g' passes it, and so does every spelling of 'g'
// the decoders know.
func TestMayBeEscapedG(t *testing.T) {
	const alphabet = `\%xuU{}0123456789abcdefABCDEF;#&+g`
	b := make([]byte, 5)
	passed, total := 0, 0
	for _, intro := range []byte{'\\', '%'} {
		b[0] = intro
		for n := 1; n <= 5; n++ {
			var rec func(k int)
			rec = func(k int) {
				if k == n {
					total++
					if c, _, _ := unescape(b[:n]); c == 'g' && !mayBeEscapedG(b[:n]) {
						t.Fatalf("unescape(%q) is 'g', but mayBeEscapedG rules it out", b[:n])
					}
					if mayBeEscapedG(b[:n]) {
						passed++
					}
					return
				}
				for i := range len(alphabet) {
					b[k] = alphabet[i]
					rec(k + 1)
				}
			}
			rec(1)
		}
	}
	// The point of the test is that it rules most escapes out.
	if passed*10 > total {
		t.Errorf("mayBeEscapedG passed %d of %d texts: it should rule out most", passed, total)
	}
	for _, s := range []string{`\x67`, `\x{67}`, `\x{0067}`, `\u0067`, `\u{67}`, `\U00000067`, `\147`, `\1470`,
		`%67`, `%u0067`, `%U0067`, `&#103;`, `&#x67;`, `U+0067`} {
		if c, _, _ := unescape([]byte(s)); c != 'g' {
			t.Errorf("unescape(%q) = %q, want 'g' (the test's list is wrong)", s, c)
		}
		if !mayBeEscapedG([]byte(s)) {
			t.Errorf("mayBeEscapedG(%q) = false for a spelling of 'g'", s)
		}
	}
}

// FuzzMayBeEscapedG: whatever unescape decodes to 'g' passes the quick test.
func FuzzMayBeEscapedG(f *testing.F) {
	for _, s := range []string{`\x67`, `\u0067`, `\U00000067`, `\147`, `%67`, `%u0067`, `&#103;`, `U+0067`, `\x{67}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		if c, _, _ := unescape(b); c == 'g' && !mayBeEscapedG(b) {
			t.Fatalf("unescape(%q) is 'g', but mayBeEscapedG rules it out", b)
		}
	})
}

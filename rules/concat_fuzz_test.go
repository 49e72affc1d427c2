package rules

import (
	"strings"
	"testing"
)

// concatStyles write pieces as string literals joined on one line: the text
// that opens the first piece, the text between two pieces, and the text that
// closes the last one. Template and interpolation styles alternate plain text
// and an interpolated literal.
var concatStyles = []struct{ open, sep, close string }{
	{`"`, `" + "`, `"`},
	{`'`, `' '`, `'`},
	{`'`, `''`, `'`},
	{`"`, `" . "`, `"`},
	{`'`, `' + "`, `"`}, // mixed quotes; later separators alternate back (see joinPieces)
	{"`", "${\"", "`"},
	{`"`, `#{'`, `"`},
}

// joinPieces writes pieces in style s.
func joinPieces(pieces []string, s int) string {
	st := concatStyles[s]
	var b strings.Builder
	b.WriteString(st.open)
	for i, p := range pieces {
		if i > 0 {
			switch {
			case s == 4 && i%2 == 0:
				b.WriteString(`" + '`)
			case st.open == "`" || st.sep == `#{'`:
				if i%2 == 1 {
					b.WriteString(st.sep)
				} else {
					b.WriteString(string(st.sep[len(st.sep)-1]) + "}")
				}
			default:
				b.WriteString(st.sep)
			}
		}
		b.WriteString(p)
	}
	last := st.close
	switch {
	case s == 4 && len(pieces)%2 == 1:
		last = `'`
	case (st.open == "`" || st.sep == `#{'`) && len(pieces)%2 == 0:
		last = string(st.sep[len(st.sep)-1]) + "}" + st.close
	}
	b.WriteString(last)
	return b.String()
}

// fuzzToken returns a checksum-valid classic token whose payload derives from
// seed (this package's tests cannot use rulestest, which imports it).
func fuzzToken(seed string) string {
	payload := make([]byte, 30)
	for i := range payload {
		c := byte(i * 7)
		if len(seed) > 0 {
			c += seed[i%len(seed)]
		}
		payload[i] = base62Alphabet[int(c)%62]
	}
	sum := Checksum62(payload)
	return "ghp_" + string(payload) + string(sum[:])
}

// FuzzFindConcat checks, on arbitrary bytes: that they alone yield no
// checksum-valid concatenated token (joining must not invent one); that a
// token split into literals at arbitrary points, in every style, and planted
// anywhere in them is found exactly once, spanning the planted literals; and
// that the work stays within the bound TestFindCostLinear sets.
func FuzzFindConcat(f *testing.F) {
	f.Add([]byte("x = "), "seed", uint64(0x0401), uint8(0), uint16(2))
	f.Add([]byte(`a = "gh" + 'p_' "`), "s", uint64(0x201510), uint8(1), uint16(17))
	f.Add([]byte("`${\"ghp_\"}` #{'"), "t", uint64(0x1e), uint8(5), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, seed string, cuts uint64, style uint8, at uint16) {
		limit := maxProbesPerByte*len(data) + probeSlack
		ms, probes := find(data, Options{}, nil)
		for _, m := range ms {
			if m.Encoding == EncodingConcatenated && m.Confidence == High {
				t.Fatalf("unplanted input yields %q at %d", m.Decoded, m.Start)
			}
		}
		if probes > limit {
			t.Fatalf("%d probes for %d bytes", probes, len(data))
		}
		tok := fuzzToken(seed)
		var pieces []string
		prev := 0
		for c := cuts; c != 0 && len(pieces) < 8; c >>= 8 {
			// Candidates start at "gh": the first piece holds both.
			k := max(2, prev+1+int(c&0xff)%(len(tok)-prev))
			if k >= len(tok) {
				break
			}
			pieces = append(pieces, tok[prev:k])
			prev = k
		}
		if len(pieces) == 0 {
			pieces = append(pieces, tok[:4]) // at least one join
			prev = 4
		}
		pieces = append(pieces, tok[prev:])
		s := int(style) % len(concatStyles)
		text := joinPieces(pieces, s)
		p := int(at) % (len(data) + 1)
		in := string(data[:p]) + "\n" + text + "\n" + string(data[p:])
		start := p + 1 + len(concatStyles[s].open)
		end := start + strings.LastIndex(text, pieces[len(pieces)-1]) + len(pieces[len(pieces)-1]) - len(concatStyles[s].open)
		var hits []Match
		ms, probes = find([]byte(in), Options{}, nil)
		for _, m := range ms {
			if m.Encoding == EncodingConcatenated && m.Decoded == tok {
				hits = append(hits, m)
			}
		}
		if len(hits) != 1 || hits[0].Start != start || hits[0].End != end {
			t.Fatalf("%q in %q: %d matches (%+v), want one at %d:%d", text, in, len(hits), hits, start, end)
		}
		if probes > maxProbesPerByte*len(in)+probeSlack {
			t.Fatalf("%d probes for %d bytes", probes, len(in))
		}
	})
}

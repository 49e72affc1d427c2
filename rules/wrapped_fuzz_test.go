package rules

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzFindWrapped checks, on arbitrary bytes: that they alone yield no
// checksum-valid token from wrapped base64 (joining lines must not invent
// one); that a token encoded among other bytes, wrapped at any width the
// search looks into (a multiple of 4), with any indentation and line ending, and planted
// anywhere in them is found exactly once within the planted lines; and that
// the work stays within the bound TestFindCostLinear sets.
func FuzzFindWrapped(f *testing.F) {
	f.Add([]byte("data: |\n"), "seed", []byte("user: x\n"), uint8(64), uint8(0), false, uint16(8))
	f.Add([]byte("QUFB\nQUFB\n  "), "s", []byte(""), uint8(76), uint8(4), true, uint16(5))
	f.Add([]byte("-----BEGIN-----\n"), "t", []byte("0123456789abcdefghijklmnopqrstuvwxyz"), uint8(0), uint8(2), false, uint16(16))
	f.Fuzz(func(t *testing.T, data []byte, seed string, before []byte, width, indent uint8, crlf bool, at uint16) {
		ms, probes := find(data, Options{}, nil)
		for _, m := range ms {
			if m.Confidence == High && m.Encoding != "" && strings.ContainsAny(string(data[m.Start:m.End]), "\r\n") {
				t.Fatalf("unplanted input yields %q at %d", m.Decoded, m.Start)
			}
		}
		if probes > maxProbesPerByte*len(data)+probeSlack {
			t.Fatalf("%d probes for %d bytes", probes, len(data))
		}
		tok := fuzzToken(seed)
		if len(before) > 512 {
			before = before[:512]
		}
		if strings.Count(string(before)+tok, tok) != 1 {
			return // the token twice is two findings
		}
		w := 56 + 4*(int(width)%12) // the widths in use are multiples of 4, 64 and 76 most of all
		if w != 64 && w != 76 {
			// A block of another width needs two full lines.
			before = append(before, strings.Repeat("x", w*3/2)...)
		}
		enc := base64.StdEncoding.EncodeToString(append(append(before, tok...), '\n'))
		pad, eol := strings.Repeat(" ", int(indent)%9), "\n"
		if crlf {
			eol = "\r\n"
		}
		var b strings.Builder
		for i := 0; i < len(enc); i += w {
			b.WriteString(pad + enc[i:min(i+w, len(enc))] + eol)
		}
		p := int(at) % (len(data) + 1)
		// A blank line on either side keeps the block apart from its
		// neighbours.
		in := string(data[:p]) + "\n\n" + b.String() + "\n" + string(data[p:])
		lo, hi := p+2, p+2+b.Len()
		var hits []Match
		ms, probes = find([]byte(in), Options{}, nil)
		for _, m := range ms {
			if m.Decoded == tok {
				hits = append(hits, m)
			}
		}
		if len(hits) != 1 || hits[0].Start < lo || hits[0].End > hi || hits[0].Encoding != EncodingBase64 {
			t.Fatalf("%d matches of the token wrapped at %d (%+v), want one within %d:%d of %q", len(hits), w, hits, lo, hi, in)
		}
		if probes > maxProbesPerByte*len(in)+probeSlack {
			t.Fatalf("%d probes for %d bytes", probes, len(in))
		}
	})
}

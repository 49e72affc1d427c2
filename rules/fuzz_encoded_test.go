package rules_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// plantKinds are the token kinds FuzzFindEncoded plants (prefixed ones: the
// legacy rule needs a keyword, which encoding separates from the value).
var plantKinds = []string{rulestest.ClassicPAT, rulestest.OAuth, rulestest.AppUser, rulestest.AppInstallation,
	rulestest.AppRefresh, rulestest.FineGrained, rulestest.Stateless}

// encodings FuzzFindEncoded applies to a planted token; each returns the
// encoded text and the encoding Find must report.
var encodings = []func(tok string) (string, string){
	func(tok string) (string, string) { return tok, "" },
	func(tok string) (string, string) { return base64.StdEncoding.EncodeToString([]byte(tok)), "base64" },
	func(tok string) (string, string) { return base64.RawURLEncoding.EncodeToString([]byte(" " + tok)), "" },
	func(tok string) (string, string) { return strings.ReplaceAll(tok, "_", "%5F"), "percent" },
	func(tok string) (string, string) { return strings.ReplaceAll(tok, "_", `\u005f`), "backslash-escape" },
	func(tok string) (string, string) {
		return base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte(tok)))), "base64>base64"
	},
}

// FuzzFindEncoded checks two invariants on arbitrary bytes:
//   - the bytes alone never hold a checksum-valid token (the fuzzer does not
//     forge CRC32s, so one would be a decoding bug that invents tokens);
//   - a token planted anywhere in them, plain or encoded, is found exactly
//     once, with offsets that delimit the planted text.
func FuzzFindEncoded(f *testing.F) {
	f.Add([]byte("hello world"), uint16(3), uint8(0), uint8(1), "seed")
	f.Add([]byte("Authorization: Basic \n"), uint16(21), uint8(1), uint8(1), "x")
	f.Add([]byte(`{"auths":{"ghcr.io":{"auth":""}}}`), uint16(29), uint8(5), uint8(5), "d")
	f.Add([]byte("Z2hwX docF naHBf WjJod1 %5F \\u005f ghp% gh"), uint16(0), uint8(2), uint8(3), "y")
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), uint16(32), uint8(3), uint8(2), "z")
	f.Fuzz(func(t *testing.T, data []byte, at uint16, kind, enc uint8, seed string) {
		for _, m := range rules.Find(data, rules.Options{}, nil) {
			if m.Confidence == rules.High {
				t.Fatalf("unplanted input yields %s %q at %d (%q)", m.Rule.ID, m.Text(data), m.Start, m.Encoding)
			}
		}
		tok := rulestest.Token(plantKinds[int(kind)%len(plantKinds)], seed)
		text, wantEnc := encodings[int(enc)%len(encodings)](tok)
		if wantEnc == "" && text != tok {
			text, wantEnc = base64.RawURLEncoding.EncodeToString([]byte(" "+tok)), "base64url"
			if !strings.ContainsAny(text, "-_") {
				wantEnc = "base64"
			}
		}
		p := int(at) % (len(data) + 1)
		// Separators keep the planted text from gluing to its neighbours.
		in := string(data[:p]) + "\n" + text + "\n" + string(data[p:])
		start, end := p+1, p+1+len(text)
		var hits []rules.Match
		for _, m := range rules.Find([]byte(in), rules.Options{}, nil) {
			if m.Text([]byte(in)) == tok {
				hits = append(hits, m)
			}
		}
		if len(hits) != 1 {
			t.Fatalf("planted %q (%s) at %d: found %d times: %v", text, wantEnc, start, len(hits), describe(in, hits))
		}
		m := hits[0]
		if m.Encoding != wantEnc || m.Start < start || m.End > end || (wantEnc == "" || wantEnc == "percent" || wantEnc == "backslash-escape") && (m.Start != start || m.End != end) {
			t.Fatalf("planted [%d:%d] %s, got [%d:%d] %q", start, end, wantEnc, m.Start, m.End, m.Encoding)
		}
		// Locality: the match is the same when only the bytes it may
		// depend on are given.
		lo, hi := max(0, m.Start-rules.MaxContext), min(len(in), m.Start+rules.MaxTokenLen+1)
		again := rules.Find([]byte(in[lo:hi]), rules.Options{}, nil)
		same := false
		for _, a := range again {
			if a.Start+lo == m.Start && a.End+lo == m.End && a.Rule == m.Rule && a.Encoding == m.Encoding {
				same = true
			}
		}
		if !same {
			t.Fatalf("match [%d:%d] changes when the input is cut to [%d:%d]", m.Start, m.End, lo, hi)
		}
	})
}

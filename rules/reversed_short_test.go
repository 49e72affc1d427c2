package rules_test

import (
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// 40-character tokens written backwards alone in a string are too short
// for the base64 probe grid to be sure to reach: the pair search finds them
// (see reversedAt). Each real case has a
// look-alike beside it that must stay silent.
func TestShortReversed(t *testing.T) {
	for _, kind := range []string{rulestest.ClassicPAT, rulestest.OAuth, rulestest.AppUser, rulestest.AppInstallation} {
		tok := rulestest.Token(kind, "short-indirect")
		// The last checksum character changed: a look-alike.
		last := byte('a')
		if tok[len(tok)-1] == last {
			last = 'b'
		}
		bad := tok[:len(tok)-1] + string(last)
		tests := []struct {
			name, in string
			enc      string // "" for no match
		}{
			{"reversed in quotes", `x = "` + reverse(tok) + `"[::-1]`, rules.EncodingReversed},
			{"reversed look-alike", `x = "` + reverse(bad) + `"[::-1]`, ""},
			{"reversed glued", `x = "ab` + reverse(tok) + `cd"`, rules.EncodingReversed},
		}
		for _, tt := range tests {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				ms := rules.Find([]byte(tt.in), rules.Options{}, nil)
				if tt.enc == "" {
					if len(ms) != 0 {
						t.Fatalf("%q: %d matches, want none: %+v", tt.in, len(ms), ms)
					}
					return
				}
				if len(ms) != 1 {
					t.Fatalf("%q: %d matches, want 1: %+v", tt.in, len(ms), ms)
				}
				m := ms[0]
				if m.Encoding != tt.enc || m.Decoded != tok || m.Confidence != rules.High {
					t.Errorf("%q: encoding %q, decoded ok %v, confidence %v; want %q, the token, high", tt.in, m.Encoding, m.Decoded == tok, m.Confidence, tt.enc)
				}
			})
		}
	}
}

package rules_test

import (
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// PrefixedOnly (binary content): a checksum-valid token is found even glued
// to the bytes around it, as in text; nothing else is, and legacy values never
// are.
func TestPrefixedOnly(t *testing.T) {
	tok := rulestest.Token
	ghp, fg := tok(rulestest.ClassicPAT, "bin"), tok(rulestest.FineGrained, "bin")
	tests := []struct {
		name, text string
		want       string // the token found, "" for none
	}{
		{"glued to letters", "\x00x" + ghp + "y\x00", ghp},
		{"glued after a word char", "_" + ghp, ghp},
		{"fine-grained glued", "\x01A" + fg + "B", fg},
		{"look-alike glued", "x" + rulestest.Lookalike(rulestest.ClassicPAT, "bin") + "y", ""},
		{"fine-grained look-alike glued", "x" + tok(rulestest.FineGrainedBadChecksum, "bin"), ""},
		{"legacy", "GITHUB_TOKEN=" + tok(rulestest.Legacy, "bin") + "\n", ""},
	}
	for _, tt := range tests {
		ms := rules.Find([]byte(tt.text), rules.Options{Lookalikes: true, PrefixedOnly: true}, nil)
		switch {
		case tt.want == "" && len(ms) != 0:
			t.Errorf("%s: %d matches, want none", tt.name, len(ms))
		case tt.want != "" && (len(ms) != 1 || ms[0].Text([]byte(tt.text)) != tt.want || ms[0].Confidence != rules.High):
			t.Errorf("%s: %+v, want the token", tt.name, ms)
		}
		if tt.want != "" {
			// In text too: the checksum decides, not the bytes around it.
			if ms := rules.Find([]byte(tt.text), rules.Options{}, nil); len(ms) != 1 || !ms[0].Glued {
				t.Errorf("%s: in text mode %+v, want the glued token", tt.name, ms)
			}
		}
	}
}

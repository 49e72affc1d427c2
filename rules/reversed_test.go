package rules_test

import (
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// Reversed tokens ("..._phg"[::-1]) are found when their checksum holds;
// each has its look-alike beside it, which is not even a look-alike.
func TestFindReversed(t *testing.T) {
	tok, look := rulestest.Token, rulestest.Lookalike
	ghr, lghr := tok(rulestest.AppRefresh, "rev"), look(rulestest.AppRefresh, "rev")
	fg, lfg := tok(rulestest.FineGrained, "rev"), look(rulestest.FineGrained, "rev")
	ghp, gho := tok(rulestest.ClassicPAT, "rev"), tok(rulestest.OAuth, "rev")
	lghp := look(rulestest.ClassicPAT, "rev")
	pad := strings.Repeat("x", 20)
	tests := []struct {
		name, before, reversed, after string
		token                         string // "" when nothing must be found
		glued                         bool
	}{
		{"refresh, python", `t = "`, reverse(ghr), `"[::-1]`, ghr, false},
		{"refresh look-alike", `t = "`, reverse(lghr), `"[::-1]`, "", false},
		{"fine-grained, ruby", `t = '`, reverse(fg), `'.reverse`, fg, false},
		{"fine-grained look-alike", `t = '`, reverse(lfg), `'.reverse`, "", false},
		{"classic in a longer run", `"`, reverse(ghp) + pad, `"`, ghp, true},
		{"classic look-alike in a longer run", `"`, reverse(lghp) + pad, `"`, "", false},
		{"two classic back to back", `"`, reverse(gho + ghp), `"`, ghp, true},
		{"prefixes only", `"`, strings.Repeat("_phg_tap_buhtig", 6), `"`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.before + tt.reversed + tt.after
			for _, lookalikes := range []bool{false, true} {
				var got []rules.Match
				for _, m := range rules.Find([]byte(text), rules.Options{Lookalikes: lookalikes}, nil) {
					if m.Encoding == rules.EncodingReversed {
						got = append(got, m)
					}
				}
				if tt.token == "" {
					if len(got) != 0 {
						t.Fatalf("got %v, want nothing", describe(text, got))
					}
					continue
				}
				var m *rules.Match
				for i := range got {
					if got[i].Text([]byte(text)) == tt.token {
						m = &got[i]
					}
				}
				if m == nil {
					t.Fatalf("got %v, want %q reversed", describe(text, got), tt.token)
				}
				if m.Confidence != rules.High || m.Glued != tt.glued || text[m.Start:m.End] != reverse(tt.token) {
					t.Errorf("got %s glued=%v span %q", m.Confidence, m.Glued, text[m.Start:m.End])
				}
				if masked := rules.Mask(m.Rule, m.Text([]byte(text))); strings.Contains(masked, tt.token[10:30]) {
					t.Errorf("mask %q shows the token", masked)
				}
			}
		})
	}
}

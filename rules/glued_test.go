package rules_test

import (
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// A token glued to other text is a token when its checksum holds: the
// checksum decides, not the word boundary. Each glued case has its
// look-alike beside it, which stays silent (not even a look-alike: glued
// text that fails its checksum is just text).
func TestFindGlued(t *testing.T) {
	tok, look := rulestest.Token, rulestest.Lookalike
	ghp, gho := tok(rulestest.ClassicPAT, "glue"), tok(rulestest.OAuth, "glue")
	ghr, fg := tok(rulestest.AppRefresh, "glue"), tok(rulestest.FineGrained, "glue")
	lghp, lfg := look(rulestest.ClassicPAT, "glue"), look(rulestest.FineGrained, "glue")
	type hit struct {
		token string
		glued bool
	}
	tests := []struct {
		name string
		text string
		want []hit
	}{
		{"after a word", "nawak_" + ghp, []hit{{ghp, true}}},
		{"look-alike after a word", "nawak_" + lghp, nil},
		{"after a letter", "xyz" + ghp, []hit{{ghp, true}}},
		{"look-alike after a letter", "xyz" + lghp, nil},
		{"before letters", ghp + "extra", []hit{{ghp, true}}},
		{"look-alike before letters", lghp + "extra", nil},
		{"before a word char", ghp + "_x", []hit{{ghp, true}}},
		{"one char too long", ghp + "a", []hit{{ghp, true}}},
		{"back to back", ghp + gho, []hit{{ghp, true}, {gho, true}}},
		{"look-alike then token", lghp + gho, []hit{{gho, true}}},
		{"inside an identifier", "MY_" + ghp + "_VAR", []hit{{ghp, true}}},
		{"refresh glued", "x" + ghr + "y", []hit{{ghr, true}}},
		{"refresh cut to 40, glued", "x" + ghr[:40] + "!", nil},
		{"fine-grained glued", "x" + fg, []hit{{fg, true}}},
		{"fine-grained glued after", fg + "9", []hit{{fg, true}}},
		{"fine-grained look-alike glued", "x" + lfg, nil},
		// A failing checksum with a valid structure is a low finding when
		// framed; glued, only a checksum is proof enough.
		{"fine-grained bad checksum glued", "x" + tok(rulestest.FineGrainedBadChecksum, "glue"), nil},
		{"framed is not glued", "(" + ghp + ")", []hit{{ghp, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lookalikes := range []bool{false, true} {
				got := rules.Find([]byte(tt.text), rules.Options{Lookalikes: lookalikes}, nil)
				if len(got) != len(tt.want) {
					t.Fatalf("lookalikes=%v: got %v, want %d matches", lookalikes, describe(tt.text, got), len(tt.want))
				}
				for i, w := range tt.want {
					g := got[i]
					if g.Text([]byte(tt.text)) != w.token || g.Glued != w.glued || g.Confidence != rules.High {
						t.Errorf("match %d: %s glued=%v %s, want %q glued=%v", i, g.Text([]byte(tt.text)), g.Glued, g.Confidence, w.token, w.glued)
					}
				}
			}
		})
	}
}

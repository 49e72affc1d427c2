package rules_test

import (
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// TestFindConcatenated: tokens split across string literals on one line are
// joined and reported once, as "concatenated", with Start and End delimiting
// the literals; look-alikes of each form stay silent.
func TestFindConcatenated(t *testing.T) {
	tok := rulestest.Token
	ghp, ghr, fg := tok(rulestest.ClassicPAT, "cat"), tok(rulestest.AppRefresh, "cat"), tok(rulestest.FineGrained, "cat")
	bad := rulestest.Lookalike(rulestest.ClassicPAT, "cat")
	st := tok(rulestest.Stateless, "cat")
	tests := []struct {
		name, text string
		want       string // the token found, "" for none
		span       string // the text Start and End delimit, when found
		lookalike  bool   // found only with Options.Lookalikes, as a look-alike
	}{
		{"plus", `t = "ghp_" + "` + ghp[4:] + `";`, ghp, `ghp_" + "` + ghp[4:], false},
		{"plus, split in the payload", `t = "` + ghp[:20] + `"+"` + ghp[20:] + `"`, ghp, ghp[:20] + `"+"` + ghp[20:], false},
		{"plus, split in the prefix", `t = "gh" + "` + ghp[2:] + `"`, ghp, `gh" + "` + ghp[2:], false},
		{"plus, after other text in the literal", `h = "Bearer ghp_" + "` + ghp[4:] + `"`, ghp, `ghp_" + "` + ghp[4:], false},
		{"three literals", `"ghp_" + "` + ghp[4:20] + `" + "` + ghp[20:] + `"`, ghp, `ghp_" + "` + ghp[4:20] + `" + "` + ghp[20:], false},
		{"python implicit", `t = 'ghp_' '` + ghp[4:] + `'`, ghp, `ghp_' '` + ghp[4:], false},
		{"python implicit, no space", `t = 'ghp_''` + ghp[4:] + `'`, ghp, `ghp_''` + ghp[4:], false},
		{"mixed quotes", `t = 'ghp_' "` + ghp[4:] + `"`, ghp, `ghp_' "` + ghp[4:], false},
		{"php and perl", `$t = "ghp_" . "` + ghp[4:] + `";`, ghp, `ghp_" . "` + ghp[4:], false},
		{"js template", "t = `ghp_${\"" + ghp[4:] + "\"}`", ghp, "ghp_${\"" + ghp[4:], false},
		{"js template, text after", "t = `" + ghp[:9] + "${'" + ghp[9:30] + "'}" + ghp[30:] + "`", ghp, ghp[:9] + "${'" + ghp[9:30] + "'}" + ghp[30:], false},
		{"ruby interpolation", `t = "ghp_#{"` + ghp[4:] + `"}"`, ghp, `ghp_#{"` + ghp[4:], false},
		{"refresh", `t = "ghr_" + "` + ghr[4:] + `"`, ghr, `ghr_" + "` + ghr[4:], false},
		{"fine-grained", `t = "github_pat_" + "` + fg[11:] + `"`, fg, `github_pat_" + "` + fg[11:], false},
		{"fine-grained, split at its underscore", `t = "` + fg[:33] + `" + "` + fg[33:] + `"`, fg, fg[:33] + `" + "` + fg[33:], false},
		// Look-alikes beside them.
		{"bad checksum", `t = "ghp_" + "` + bad[4:] + `"`, bad, `ghp_" + "` + bad[4:], true},
		{"a variable, not a literal", `t = "ghp_" + rest + "` + ghp[4:] + `"`, "", "", false},
		{"too short", `t = "ghp_" + "` + ghp[4:30] + `"`, "", "", false},
		{"not on one line", "t = \"ghp_\" +\n  \"" + ghp[4:] + `"`, "", "", false},
		{"another operator", `t = "ghp_" - "` + ghp[4:] + `"`, "", "", false},
		{"glued inside the literal", `t = "xghp_" + "` + ghp[4:] + `"`, "", "", false},
		{"not a prefix", `t = "ghx_" + "` + ghp[4:] + `"`, "", "", false},
		{"stateless, no checksum to decide", `t = "ghs_" + "` + st[4:] + `"`, "", "", false},
		{"interpolation of a variable", "t = `ghp_${rest}" + ghp[4:] + "`", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lookalikes := range []bool{false, true} {
				var got []rules.Match
				for _, m := range rules.Find([]byte(tt.text), rules.Options{Lookalikes: lookalikes}, nil) {
					if m.Encoding == rules.EncodingConcatenated {
						got = append(got, m)
					}
				}
				want := tt.want != "" && (lookalikes || !tt.lookalike)
				if !want {
					if len(got) > 0 {
						t.Errorf("lookalikes=%v: found %s %q", lookalikes, got[0].Rule.ID, got[0].Decoded)
					}
					continue
				}
				if len(got) != 1 {
					t.Fatalf("lookalikes=%v: %d concatenated matches, want 1", lookalikes, len(got))
				}
				m := got[0]
				if m.Decoded != tt.want || tt.text[m.Start:m.End] != tt.span {
					t.Errorf("found %q spanning %q, want %q spanning %q", m.Decoded, tt.text[m.Start:m.End], tt.want, tt.span)
				}
				if wantConf := rules.High; tt.lookalike && m.Confidence != rules.Lookalike || !tt.lookalike && m.Confidence != wantConf {
					t.Errorf("confidence %v, look-alike expected: %v", m.Confidence, tt.lookalike)
				}
			}
		})
	}
}

// A token written whole inside one literal is found once, as itself.
func TestFindConcatenatedNotTwice(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "cat")
	for _, text := range []string{`"` + ghp + `" + "x"`, `'` + ghp + `' '` + ghp + `'`, "`" + ghp + "${\"a\"}`"} {
		ms := rules.Find([]byte(text), rules.Options{}, nil)
		for _, m := range ms {
			if m.Encoding != "" || m.Text([]byte(text)) != ghp {
				t.Errorf("%q: found %q (%s)", text, m.Text([]byte(text)), m.Encoding)
			}
		}
		if want := strings.Count(text, ghp); len(ms) != want {
			t.Errorf("%q: %d matches, want %d", text, len(ms), want)
		}
	}
}

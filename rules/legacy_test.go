package rules_test

import (
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// legacyCase is one text and the legacy-rule matches expected in it, with
// look-alikes enabled. Positives and look-alikes sit side by side in each
// table below: the look-alikes are what must stay silent.
type legacyCase struct {
	name string
	text string
	want []want
}

func runLegacyCases(t *testing.T, tests []legacyCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, tt.text, true, "")
			if len(got) != len(tt.want) {
				t.Fatalf("got %d matches %v, want %d", len(got), describe(tt.text, got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Rule != w.rule || g.Confidence != w.confidence || g.Text([]byte(tt.text)) != w.token {
					t.Errorf("match %d = %s %s %q, want %s %s %q", i, g.Rule.ID, g.Confidence, g.Text([]byte(tt.text)), w.rule.ID, w.confidence, w.token)
				}
			}
		})
	}
}

func legacyHex(seed string) string { return rulestest.Token(rulestest.Legacy, seed) }

func medium(tok string) []want { return []want{{rules.Legacy, rules.Medium, tok}} }

// Key names: a GitHub word (github, gh, ghe, git) and a credential word, in
// any case and separator; words that only start like a credential word
// (path, author) do not count.
func TestLegacyKeyNames(t *testing.T) {
	hex := legacyHex("keys")
	runLegacyCases(t, []legacyCase{
		{"gh pw", "GH_PW=" + hex, medium(hex)},
		{"github path", "GITHUB_PATH=" + hex, nil},
		{"github pat", "GITHUB_PAT=" + hex, medium(hex)},
		{"github author", "github_author: " + hex, nil},
		{"github auth", "github_auth: " + hex, medium(hex)},
	})
}

package rules_test

import (
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// TestEveryRuleGeneratedAndFound checks that every rule of the table has a
// generator in rulestest and that dispatch reaches it: a generated token,
// after a keyword (which the legacy rule needs and the others ignore), is
// found by the rule that describes it, within the rule's lengths.
func TestEveryRuleGeneratedAndFound(t *testing.T) {
	found := map[*rules.Rule]string{}
	for _, kind := range rulestest.AllKinds {
		tok := rulestest.Token(kind, "a")
		buf := []byte(rulestest.Keyword(kind) + tok + "\n")
		ms := rules.Find(buf, rules.Options{}, nil)
		if len(ms) != 1 || ms[0].Text(buf) != tok {
			t.Errorf("%s: %d matches, want the token alone", kind, len(ms))
			continue
		}
		r := ms[0].Rule
		if n := len(tok); n < r.MinLen || n > r.MaxLen {
			t.Errorf("%s: %d chars, rule %s says %d..%d", kind, n, r.ID, r.MinLen, r.MaxLen)
		}
		found[r] = kind
	}
	for _, r := range rules.All() {
		if found[r] == "" {
			t.Errorf("rule %s: no rulestest kind makes a token it finds", r.ID)
		}
	}
}

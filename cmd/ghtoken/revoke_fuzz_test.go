package main

import (
	"testing"

	"github.com/ghtoken/ghtoken/rules"
)

// FuzzParseReport: whatever the report says, only text that the rules
// confirm as a token of the named rule is ever a candidate to send.
func FuzzParseReport(f *testing.F) {
	f.Add(`{"version":1,"findings":[]}`)
	f.Add(`{"version":1,"findings":[{"rule":"github-pat-classic","confidence":"high","secret":"ghp_x","secret_masked":false}]}`)
	f.Add(`{"version":1,"findings":[{"rule":"github-pat-classic","confidence":"high","secret":"ghp_abcd…wxyz","secret_masked":true}]}`)
	f.Add(`{"version":2,"findings":[]}`)
	f.Add(`{"version":1,"findings":[{"rule":"nope","confidence":"lookalike","secret":""}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, doc string) {
		cands, err := parseReport("fuzz.json", []byte(doc))
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.rule == nil {
				t.Fatalf("candidate %q without a rule", c.secret)
			}
			if c.rule == rules.Legacy {
				continue
			}
			m := rules.Find([]byte(c.secret), rules.Options{}, nil)
			if len(m) != 1 || m[0].Rule != c.rule || m[0].Start != 0 || m[0].End != len(c.secret) {
				t.Fatalf("candidate %q is not a confirmed %s token", c.secret, c.rule.ID)
			}
		}
	})
}

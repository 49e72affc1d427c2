package rules

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRuleTableComplete checks that every row of the rule table says
// everything the rest of the project derives from it, so that a rule added
// with a field forgotten fails here rather than in a report. That a
// generator exists for each rule and dispatch reaches it is checked with
// real tokens in TestEveryRuleGeneratedAndFound.
func TestRuleTableComplete(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range all {
		t.Run(r.ID, func(t *testing.T) {
			if !kebab.MatchString(r.ID) || seen[r.ID] {
				t.Errorf("ID %q: not kebab-case or not unique", r.ID)
			}
			seen[r.ID] = true
			if r.Title == "" || r.Matches == "" {
				t.Error("Title or Matches empty: ghtoken rules, SARIF and reports show them")
			}
			if r.Confidence < Medium {
				t.Errorf("Confidence %v: a confirmed match of a rule is at least medium", r.Confidence)
			}
			if r.MinLen < len(r.Prefix)+minTokenLen-4 || r.MinLen > r.MaxLen || r.MaxLen > MaxTokenLen {
				t.Errorf("lengths %d..%d: want %d <= MinLen <= MaxLen <= MaxTokenLen", r.MinLen, r.MaxLen, minTokenLen)
			}
			// Dispatch: a rule with a prefix has a checker that the
			// prefix's first bytes reach; only the 40-hex rules, which
			// their context reaches (legacy*.go), have neither.
			switch {
			case r.Prefix == "" && r != Legacy && r != OAuthClientSecret:
				t.Error("no prefix: only the 40-hex rules are reached without one")
			case r.Prefix == "" && r.find != nil, r.Prefix != "" && r.find == nil:
				t.Error("a prefixed rule needs a checker, and only a prefixed rule has one")
			case r.Prefix != "" && !slices.Contains(byThirdByte[r.Prefix[min(2, len(r.Prefix)-1)]], r) && !slices.Contains(longPrefixes, r):
				t.Errorf("prefix %q is not dispatched: it must be \"gh?_\" or start with \"github\"", r.Prefix)
			}
			// Verification: an endpoint, or the reason it is never sent.
			if (r.Verify == "") == (r.NotVerified == "") {
				t.Errorf("Verify %q, NotVerified %q: want exactly one", r.Verify, r.NotVerified)
			}
			if r.Verify != "" && !strings.HasPrefix(r.Verify, "/") || r.verifyV1 != "" && r.Verify == "" {
				t.Errorf("Verify %q, verifyV1 %q: want API paths", r.Verify, r.verifyV1)
			}
			// Revocation: accepted by the API, or how else it is revoked.
			if r.Revocable == (r.NotRevocable != "") {
				t.Errorf("Revocable %v, NotRevocable %q: want exactly one", r.Revocable, r.NotRevocable)
			}
			// Advice: how to revoke it comes first and agrees with the
			// revocation API.
			if r.advice.revoke == "" {
				t.Error("no revocation step in the advice")
			}
			if mentions := strings.Contains(r.advice.revoke, "through GitHub's credential revocation API"); mentions != r.Revocable {
				t.Errorf("advice offers the revocation API: %v; Revocable: %v", mentions, r.Revocable)
			}
		})
	}
	if len(tokenPrefixes) == 0 || !slices.Contains(tokenPrefixes, FineGrainedPAT.Prefix) {
		t.Errorf("encoded-token needles built from %q", tokenPrefixes)
	}
}

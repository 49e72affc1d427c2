package rules

import (
	"fmt"
	"strings"
)

// Confidence says how sure a rule is that a match is a real token.
type Confidence int

// Confidence levels, from least to most certain. The zero value is Lookalike so
// that a forgotten assignment never inflates a match.
const (
	// Lookalike is token-shaped text that fails its checksum or structure:
	// placeholders, docs examples, hand-edited test values. Not a finding by
	// default.
	Lookalike Confidence = iota
	// Low is a token with the right shape whose undocumented checksum fails.
	Low
	// Medium is a token confirmed by structure or context but not a checksum.
	Medium
	// High is a token whose checksum is valid.
	High
)

var confidenceNames = [...]string{"lookalike", "low", "medium", "high"}

// String returns the lower-case name used in every output format.
func (c Confidence) String() string {
	if c < 0 || int(c) >= len(confidenceNames) {
		return fmt.Sprintf("confidence(%d)", int(c))
	}
	return confidenceNames[c]
}

// Kind groups rules by what the token grants, which decides the advice.
type Kind int

// Token kinds.
const (
	KindClassicPAT Kind = iota
	KindOAuth
	KindAppUser
	KindAppInstallation
	KindAppRefresh
	KindFineGrainedPAT
	KindLegacy
	// KindOAuthClientSecret is an OAuth app's (or GitHub App's) client
	// secret: not a token, but what the app signs in with.
	KindOAuthClientSecret
)

// Rule describes one kind of GitHub token: everything the project knows about
// it, from how it is found to what to do about it. The rules live in one
// table (table.go); dispatch, the docs, the advice, verification, revocation
// and the test generators are derived from it. Rules are immutable values
// shared by every goroutine; use All or ByID to get them.
type Rule struct {
	// ID is stable and kebab-case: scripts, baselines and SARIF refer to it.
	ID string
	// Title is a short human name.
	Title string
	// Matches says in one line what text the rule matches and how it confirms it.
	Matches string
	// Confidence is the confidence of a confirmed match of this rule.
	Confidence Confidence
	// Kind is what the token grants.
	Kind Kind
	// Prefix is the literal the token starts with ("" for legacy tokens).
	Prefix string
	// MinLen and MaxLen bound a token's length in bytes.
	MinLen, MaxLen int
	// Verify is the API path (and query) whose answer says whether a token
	// is live (FORMATS.md §5), "" when such a token is never sent; then
	// NotVerified says why. See VerifyEndpoint.
	Verify, NotVerified string
	// Revocable says whether GitHub's credential revocation API accepts the
	// token (FORMATS.md §6); when it does not, NotRevocable says how such a
	// token is revoked instead.
	Revocable    bool
	NotRevocable string

	// find checks a candidate at a position where the text starts with
	// Prefix, adds what it finds and reports whether the text had the
	// token's shape (the next rule with the same prefix is tried when it
	// did not). nil for the legacy rule, which keywords reach.
	find func(f *finder, r *Rule, p int) bool
	// verifyV1 is the path for a legacy "v1." token, an old installation
	// token, when it differs from Verify.
	verifyV1 string
	advice   advice
}

// advice is what to tell the person whose token leaked (FORMATS.md §7),
// beyond what every token shares.
type advice struct {
	// revoke is the first step: how to revoke the token.
	revoke string
	// reviewLog: its owner's security log shows what it did (tokens that
	// act as a user).
	reviewLog bool
	// workflow replaces the generic advice for a token found in a GitHub
	// Actions workflow, when set.
	workflow string
	// more closes the advice: what to use instead.
	more []string
}

// VerifyEndpoint returns the API path that tells whether secret, a token of
// rule r, is live, or "" and the reason it is never sent.
func (r *Rule) VerifyEndpoint(secret string) (path, reason string) {
	if r.verifyV1 != "" && strings.HasPrefix(secret, "v1.") {
		return r.verifyV1, ""
	}
	return r.Verify, r.NotVerified
}

// All returns every rule in a fixed order. The slice is a copy.
func All() []*Rule { return append([]*Rule(nil), all...) }

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *Rule {
	for _, r := range all {
		if r.ID == id {
			return r
		}
	}
	return nil
}

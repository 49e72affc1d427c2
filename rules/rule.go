package rules

import "fmt"

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
)

// Rule describes one kind of GitHub token. Rules are immutable values shared by
// every goroutine; use All or ByID to get them.
type Rule struct {
	// ID is stable and kebab-case: scripts, baselines and SARIF refer to it.
	ID string
	// Title is a short human name.
	Title string
	// Matches says in one line what text the rule matches and how it confirms it.
	Matches string
	// Confidence is the confidence of a confirmed match of this rule.
	Confidence Confidence
	// Kind decides the remediation advice.
	Kind Kind
	// Prefix is the literal the token starts with ("" for legacy tokens).
	Prefix string
}

// The rules, one per token type. Their IDs are a public interface.
var (
	ClassicPAT = &Rule{ID: "github-pat-classic", Title: "GitHub personal access token (classic)", Prefix: "ghp_",
		Matches: "ghp_ + 30 [0-9A-Za-z] + 6-char CRC32/base62 checksum (40 chars), checksum verified", Confidence: High, Kind: KindClassicPAT}
	OAuth = &Rule{ID: "github-oauth-token", Title: "GitHub OAuth app access token", Prefix: "gho_",
		Matches: "gho_ + 30 [0-9A-Za-z] + 6-char CRC32/base62 checksum (40 chars), checksum verified", Confidence: High, Kind: KindOAuth}
	AppUser = &Rule{ID: "github-app-user-token", Title: "GitHub App user-to-server token", Prefix: "ghu_",
		Matches: "ghu_ + 30 [0-9A-Za-z] + 6-char CRC32/base62 checksum (40 chars), checksum verified", Confidence: High, Kind: KindAppUser}
	AppInstallation = &Rule{ID: "github-app-installation-token", Title: "GitHub App installation token", Prefix: "ghs_",
		Matches: "ghs_ + 30 [0-9A-Za-z] + 6-char CRC32/base62 checksum (40 chars), checksum verified", Confidence: High, Kind: KindAppInstallation}
	AppRefresh = &Rule{ID: "github-app-refresh-token", Title: "GitHub App refresh token", Prefix: "ghr_",
		Matches: "ghr_ + 70 [0-9A-Za-z] + 6-char CRC32/base62 checksum (80 chars), checksum verified", Confidence: High, Kind: KindAppRefresh}
	FineGrainedPAT = &Rule{ID: "github-pat-fine-grained", Title: "GitHub fine-grained personal access token", Prefix: "github_pat_",
		Matches: "github_pat_ + 22 + _ + 59 [0-9A-Za-z] (93 chars) with the 11+user-id structure and SHA-256/base32 checksum; failing checksum = low", Confidence: High, Kind: KindFineGrainedPAT}
	StatelessInstallation = &Rule{ID: "github-app-installation-token-stateless", Title: "GitHub App installation token (stateless)", Prefix: "ghs_",
		Matches: "ghs_ + app id + _ + a JWT whose header and payload decode to JSON (no signature check)", Confidence: Medium, Kind: KindAppInstallation}
	Legacy = &Rule{ID: "github-token-legacy", Title: "GitHub token (legacy 40-hex format)",
		Matches: "40 hex chars or v1. + 40 hex, as the literal value right after a GitHub token keyword (GITHUB_TOKEN=, gh_token:, ...), entropy >= 3.5 bits/char; never in URLs, after sha256:, or in lockfiles", Confidence: Medium, Kind: KindLegacy}
)

var all = []*Rule{ClassicPAT, OAuth, AppUser, AppInstallation, AppRefresh, FineGrainedPAT, StatelessInstallation, Legacy}

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

package rules

import "fmt"

// The rules, one per token type: the one place to add one. Each row holds the
// token's prefix, lengths, checker, confidence, how it is verified and
// revoked, and the advice for it; dispatch (find.go), the encoded-token
// needles (encoded.go), the advice (remediation.go), the API client
// (package github), the docs (ghtoken rules) and the test generators
// (rulestest) read them from here, and TestRuleTableComplete checks every row.
// The IDs are a public interface.
var (
	ClassicPAT = &Rule{ID: "github-pat-classic", Title: "GitHub personal access token (classic)", Prefix: "ghp_",
		Matches:    checksummedMatches("ghp_", 40),
		Confidence: High, Kind: KindClassicPAT, MinLen: 40, MaxLen: 40,
		find: (*finder).checksummed, Verify: userEndpoint, Revocable: true,
		advice: advice{revoke: "Revoke this classic personal access token now at " + classicSettingsURL + " (or, if it is not yours, through GitHub's credential revocation API).",
			reviewLog: true, more: preferFineGrained}}
	OAuth = &Rule{ID: "github-oauth-token", Title: "GitHub OAuth app access token", Prefix: "gho_",
		Matches:    checksummedMatches("gho_", 40),
		Confidence: High, Kind: KindOAuth, MinLen: 40, MaxLen: 40,
		find: (*finder).checksummed, Verify: userEndpoint, Revocable: true,
		advice: advice{revoke: "Revoke this OAuth token now: its owner revokes the app's access at " + oauthAppsURL + ", the app's owner can reset its tokens; anyone can report it through GitHub's credential revocation API.",
			reviewLog: true}}
	AppUser = &Rule{ID: "github-app-user-token", Title: "GitHub App user-to-server token", Prefix: "ghu_",
		Matches:    checksummedMatches("ghu_", 40),
		Confidence: High, Kind: KindAppUser, MinLen: 40, MaxLen: 40,
		find: (*finder).checksummed, Verify: userEndpoint, Revocable: true,
		advice: advice{revoke: "Revoke this GitHub App user token now (the app's owner can revoke it, the user can revoke the app at " + oauthAppsURL + ", anyone through GitHub's credential revocation API); it expires within 8 hours anyway.",
			reviewLog: true}}
	AppInstallation = &Rule{ID: "github-app-installation-token", Title: "GitHub App installation token", Prefix: "ghs_",
		Matches:    checksummedMatches("ghs_", 40),
		Confidence: High, Kind: KindAppInstallation, MinLen: 40, MaxLen: 40,
		find: (*finder).checksummed, Verify: installationEndpoint, NotRevocable: installationNotRevocable,
		advice: installationAdvice}
	AppRefresh = &Rule{ID: "github-app-refresh-token", Title: "GitHub App refresh token", Prefix: "ghr_",
		Matches:    checksummedMatches("ghr_", 80),
		Confidence: High, Kind: KindAppRefresh, MinLen: 80, MaxLen: 80,
		find:        (*finder).checksummed,
		NotVerified: "refresh tokens are never sent: checking one needs the app's client secret, and exchanging it would rotate (consume) it",
		Revocable:   true,
		advice:      advice{revoke: "Revoke this GitHub App refresh token now (the user can revoke the app at " + oauthAppsURL + ", anyone through GitHub's credential revocation API): it can mint new user tokens for 6 months."}}
	FineGrainedPAT = &Rule{ID: "github-pat-fine-grained", Title: "GitHub fine-grained personal access token", Prefix: "github_pat_",
		Matches:    "github_pat_ + 22 + _ + 59 [0-9A-Za-z] (93 chars) with the 11+user-id structure and SHA-256/base32 checksum; failing checksum = low",
		Confidence: High, Kind: KindFineGrainedPAT, MinLen: fineGrainedLen, MaxLen: fineGrainedLen,
		find: (*finder).fineGrained, Verify: userEndpoint, Revocable: true,
		advice: advice{revoke: "Revoke this fine-grained personal access token now at " + fineGrainedSettingsURL + " (or, if it is not yours, through GitHub's credential revocation API).",
			reviewLog: true, more: []string{"When you replace it, grant only the repositories and permissions the job needs and set the shortest practical expiration."}}}
	StatelessInstallation = &Rule{ID: "github-app-installation-token-stateless", Title: "GitHub App installation token (stateless)", Prefix: "ghs_",
		Matches:    "ghs_ + app id + _ + a JWT whose header and payload decode to JSON (no signature check)",
		Confidence: Medium, Kind: KindAppInstallation, MinLen: 40, MaxLen: MaxTokenLen,
		find: (*finder).stateless, Verify: installationEndpoint, NotRevocable: installationNotRevocable, advice: installationAdvice}
	Legacy = &Rule{ID: "github-token-legacy", Title: "GitHub token (legacy 40-hex format)",
		Matches:    "40 lower-case hex or v1. + 40 hex (entropy >= 3.5 bits/char) where the context says GitHub credential: the value of a GitHub key name (GITHUB_TOKEN=, gh_pw:, GitApiKey := ...), the userinfo of a URL to a GitHub host, a .netrc, hosts.yml, hub, .npmrc or Docker config entry for a GitHub host, an Authorization header (token, Bearer, Basic) near a GitHub word; v1. + 40 hex near a GitHub word; never a SHA in a URL path, after @ or sha256:, or in lockfiles",
		Confidence: Medium, Kind: KindLegacy, MinLen: 40, MaxLen: len("v1.") + 40,
		Verify: userEndpoint, verifyV1: installationEndpoint,
		NotRevocable: "GitHub's revocation API accepts only prefixed tokens (ghp_, github_pat_, gho_, ghu_, ghr_): its owner revokes a legacy token at " + classicSettingsURL + " or " + oauthAppsURL,
		advice: advice{revoke: "Revoke this token now: classic tokens at " + classicSettingsURL + ", OAuth app access at " + oauthAppsURL + ".",
			reviewLog: true, more: preferFineGrained}}
)

// OAuthClientSecret is not a token but the secret an OAuth app (or a GitHub
// App) proves itself with: with its client ID, anyone can act as the app
// (FORMATS.md §9).
var OAuthClientSecret = &Rule{ID: "github-oauth-client-secret", Title: "GitHub OAuth app client secret",
	Matches:    "40 lower-case hex (entropy >= 3.5 bits/char) as the value of a GitHub client secret name (GITHUB_CLIENT_SECRET=, github.oauth.clientSecret: ...), or of a client_secret near a GitHub word and a GitHub client ID (20 hex, Iv1. + 16 hex, Ov23/Iv23 + 16)",
	Confidence: Medium, Kind: KindOAuthClientSecret, MinLen: 40, MaxLen: 40,
	NotVerified:  "a client secret is never sent: checking one takes its client ID and an app endpoint, and the check would itself use the secret",
	NotRevocable: "GitHub's revocation API takes tokens, not client secrets: the app's owner resets the secret in the app's settings",
	advice: advice{revoke: "Revoke this client secret now by resetting it: in the app's settings (OAuth apps at " + developerAppsURL + ", GitHub Apps at " + gitHubAppsURL + ") generate a new client secret, deploy it, then delete the old one.",
		more: []string{"Keep the client secret on the server side only (an environment variable or a secret store): a public client (a desktop, mobile or single-page app) cannot keep one, and should use the device flow or PKCE instead."}}}

var all = []*Rule{ClassicPAT, OAuth, AppUser, AppInstallation, AppRefresh, FineGrainedPAT, StatelessInstallation, Legacy, OAuthClientSecret}

// API paths that say whether a token is live (FORMATS.md §5): /user answers
// for tokens that act as a user; installation tokens get 403 there, whatever
// their state, and are asked about the repositories they reach instead.
const (
	userEndpoint         = "/user"
	installationEndpoint = "/installation/repositories?per_page=1"
)

const fineGrainedLen = len("github_pat_") + 22 + 1 + 59

const installationNotRevocable = "GitHub's revocation API does not accept installation tokens: the app that minted it revokes it with DELETE /installation/token (authenticated by the token itself), or it expires within an hour"

var installationAdvice = advice{
	revoke:   "Revoke this installation token now (the app calls DELETE /installation/token) or wait for its 1-hour expiry; GitHub's credential revocation API does not accept installation tokens. If the app's private key leaked with it, rotate the key.",
	workflow: "In a workflow, use the built-in GITHUB_TOKEN (secrets.GITHUB_TOKEN) with the permissions: key instead of a pasted installation token.",
	more:     []string{"Installation tokens are minted on demand from the app's private key: store the key as a secret and mint tokens at run time instead of saving them."},
}

var preferFineGrained = []string{"If a personal access token is still needed, prefer a fine-grained one (one owner, chosen repositories, minimal permissions, mandatory expiry, organization approval) and always set an expiration. A classic token reaches every repository its owner can; keep classic only where fine-grained cannot work yet (write access to public repositories you are not a member of, outside collaborators, a few REST endpoints)."}

// checksummedMatches describes a prefixed token of n characters whose last 6
// are the CRC32/base62 checksum of the rest after the prefix (FORMATS.md §1).
func checksummedMatches(prefix string, n int) string {
	return fmt.Sprintf("%s + %d [0-9A-Za-z] + 6-char CRC32/base62 checksum (%d chars), checksum verified", prefix, n-len(prefix)-6, n)
}

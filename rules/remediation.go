package rules

import (
	"path"
	"strings"
	"sync"
	"time"
)

// Stage says where a token was found, which changes what has to be done.
type Stage int

// Stages.
const (
	// StageWorkTree: a file on disk; it may or may not have been committed.
	StageWorkTree Stage = iota
	// StageStaged: about to be committed; nothing has left the machine yet.
	StageStaged
	// StageCommitted: in a commit; treat it as exposed.
	StageCommitted
	// StageStream: standard input or another stream with no file behind it.
	StageStream
)

// Place is where a token was found, as far as advice is concerned.
type Place struct {
	Path  string // slash-separated, relative to the scan root when possible
	Stage Stage
}

// Where tokens are managed (FORMATS.md §7).
const (
	classicSettingsURL     = "https://github.com/settings/tokens"
	fineGrainedSettingsURL = "https://github.com/settings/personal-access-tokens"
	oauthAppsURL           = "https://github.com/settings/applications"
	developerAppsURL       = "https://github.com/settings/developers"
	gitHubAppsURL          = "https://github.com/settings/apps"
)

// Facts are what the token itself says that changes the advice.
type Facts struct {
	// ExpiresAt is when the token stops working as the token itself says (a
	// stateless installation token's JWT exp), zero when unknown.
	ExpiresAt time.Time
	// Now is the moment the advice is for; zero means time.Now().
	Now time.Time
}

// Remediation returns what to do about a token of rule r found at place, most
// urgent first. Each entry is one sentence or two; the first is the one-line
// summary used where space is short.
func Remediation(r *Rule, place Place) []string {
	return RemediationFor(r, place, Facts{})
}

// remediationKey is what advice depends on, for a token that has not
// expired.
type remediationKey struct {
	r     *Rule
	stage Stage
	place string // the place advice, "" for none
}

// remediationCache holds the advice already built: a report of many
// findings shares one copy of each distinct advice instead of one each.
var remediationCache sync.Map // remediationKey -> []string

// RemediationFor is Remediation for a token whose facts are known: an
// installation token that has already expired is still reported, but the
// advice starts with cleaning up rather than revoking. The slice may be
// shared with other callers: do not modify it.
func RemediationFor(r *Rule, place Place, facts Facts) []string {
	now := facts.Now
	if now.IsZero() {
		now = time.Now()
	}
	expired := r.Kind == KindAppInstallation && !facts.ExpiresAt.IsZero() && facts.ExpiresAt.Before(now)
	if expired {
		return remediation(r, place, facts, now, true)
	}
	if r.Kind == KindAppInstallation && !facts.ExpiresAt.IsZero() {
		// The advice names this token's expiry: not shared.
		return remediation(r, place, facts, now, false)
	}
	adv := placeAdvice(r, place.Path)
	key := remediationKey{r: r, stage: place.Stage}
	if len(adv) > 0 {
		key.place = adv[0]
	}
	if v, ok := remediationCache.Load(key); ok {
		return v.([]string)
	}
	out := remediation(r, place, facts, now, false)
	remediationCache.Store(key, out)
	return out
}

// remediation builds the advice RemediationFor returns.
func remediation(r *Rule, place Place, facts Facts, now time.Time, expired bool) []string {
	var out []string
	switch {
	case expired:
		out = append(out, "Lower urgency: this installation token expired on "+facts.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")+
			" (its JWT says so; decoded, not verified), so it no longer grants access and needs no revocation. Remove it from the file.",
			"If the app's private key leaked with it, rotate the key: the key mints new tokens.")
	case place.Stage == StageStaged:
		// Caught before the commit: nothing has left the machine through
		// git, so removing it comes first (FORMATS.md §7.3).
		out = append(out, "It is not committed yet: remove it from the file and unstage it (git restore --staged <file>, or git rm --cached <file> before the repository's first commit; or git add the fixed file); nothing has left this machine through git.",
			"If the token is real and was ever pasted, shared or pushed anywhere else, revoke it anyway. "+revokeStep(r, facts, now))
	default:
		out = append(out, revokeStep(r, facts, now))
		out = append(out, "Create a replacement only if still needed, and update every service that used the old token.")
	}
	switch place.Stage {
	case StageStaged:
		// Said above.
	case StageCommitted:
		out = append(out, "It is in a commit: treat it as exposed. Rewriting history (git filter-repo, then GitHub Support for cached views and pull-request refs) does not undo the exposure; revoking does. GitHub revokes valid tokens pushed to public repositories automatically, not those in private ones.")
	default:
		out = append(out, "If this file was ever committed or pushed, treat the token as exposed: rewriting history does not undo that, revoking does.")
	}
	if r.advice.reviewLog && place.Stage != StageStaged {
		out = append(out, "Review what it did: your security log (https://github.com/settings/security-log) and, for organizations, the audit log filtered by this token.")
	}
	out = append(out, placeAdvice(r, place.Path)...)
	out = append(out, kindAdvice(r)...)
	return out
}

// revokeStep is the rule's first step: how to revoke the token. For an
// installation token whose JWT names its expiry, waiting for it is advice
// only when that expiry is within the hour GitHub documents.
func revokeStep(r *Rule, facts Facts, now time.Time) string {
	if r.Kind != KindAppInstallation || facts.ExpiresAt.IsZero() {
		return r.advice.revoke
	}
	at := facts.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
	if facts.ExpiresAt.Sub(now) <= time.Hour {
		return "Revoke this installation token now (the app calls DELETE /installation/token) or wait for it to expire at " + at +
			" (its JWT says so; decoded, not verified); GitHub's credential revocation API does not accept installation tokens. If the app's private key leaked with it, rotate the key."
	}
	return "Revoke this installation token now (the app calls DELETE /installation/token); do not wait for it to expire: its JWT says it is valid until " + at +
		", far beyond the hour GitHub documents. GitHub's credential revocation API does not accept installation tokens. If the app's private key leaked with it, rotate the key."
}

// placeAdvice suggests a safer home for the token, given the file it sits in.
func placeAdvice(r *Rule, p string) []string {
	base := path.Base(p)
	switch {
	case strings.Contains(p, ".github/workflows/") || strings.HasPrefix(p, "workflows/") && isYAML(base):
		if r.advice.workflow != "" {
			return []string{r.advice.workflow}
		}
		return []string{"In a GitHub Actions workflow, use the built-in GITHUB_TOKEN with a permissions: block where it suffices; otherwise store the token as an Actions secret and reference it as ${{ secrets.NAME }}."}
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env") ||
		isYAML(base) || strings.HasSuffix(base, ".json") || strings.HasSuffix(base, ".toml") ||
		strings.HasSuffix(base, ".ini") || strings.HasSuffix(base, ".properties") || strings.HasSuffix(base, ".cfg") ||
		strings.HasSuffix(base, ".conf") || base == ".npmrc" || base == ".netrc" || base == ".gitconfig":
		return []string{"Keep credentials out of configuration files in the repository: load them from the environment or a secret store at run time, git-ignore local files such as .env, and on a workstation use gh auth login or Git Credential Manager instead of a stored token."}
	case strings.HasPrefix(base, ".devcontainer") || strings.Contains(p, ".devcontainer/"):
		return []string{"In Codespaces, store the token as a Codespaces secret instead of in the dev container configuration."}
	case isScript(base):
		return []string{"Scripts should read the token from the environment (or use gh auth token / Git Credential Manager) rather than embed it."}
	}
	return nil
}

// kindAdvice is what to use instead of a token of the rule's kind.
func kindAdvice(r *Rule) []string { return r.advice.more }

func isYAML(base string) bool {
	return strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")
}

func isScript(base string) bool {
	for _, ext := range []string{".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".py", ".rb", ".js", ".ts", ".go", ".pl", ".php"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return base == "Makefile" || base == "Dockerfile"
}

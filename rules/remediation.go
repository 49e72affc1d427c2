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
		return remediation(r, place, facts, true)
	}
	adv := placeAdvice(r, place.Path)
	key := remediationKey{r: r, stage: place.Stage}
	if len(adv) > 0 {
		key.place = adv[0]
	}
	if v, ok := remediationCache.Load(key); ok {
		return v.([]string)
	}
	out := remediation(r, place, facts, false)
	remediationCache.Store(key, out)
	return out
}

// remediation builds the advice RemediationFor returns.
func remediation(r *Rule, place Place, facts Facts, expired bool) []string {
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
			"If the token is real and was ever pasted, shared or pushed anywhere else, revoke it anyway. "+revokeStep(r))
	default:
		out = append(out, revokeStep(r))
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
	if r.Kind != KindAppInstallation && r.Kind != KindAppRefresh && place.Stage != StageStaged {
		out = append(out, "Review what it did: your security log (https://github.com/settings/security-log) and, for organizations, the audit log filtered by this token.")
	}
	out = append(out, placeAdvice(r, place.Path)...)
	out = append(out, kindAdvice(r)...)
	return out
}

func revokeStep(r *Rule) string {
	switch r.Kind {
	case KindClassicPAT:
		return "Revoke this classic personal access token now at " + classicSettingsURL + " (or, if it is not yours, through GitHub's credential revocation API)."
	case KindFineGrainedPAT:
		return "Revoke this fine-grained personal access token now at " + fineGrainedSettingsURL + " (or, if it is not yours, through GitHub's credential revocation API)."
	case KindOAuth:
		return "Revoke this OAuth token now: its owner revokes the app's access at " + oauthAppsURL + ", the app's owner can reset its tokens; anyone can report it through GitHub's credential revocation API."
	case KindAppUser:
		return "Revoke this GitHub App user token now (the app's owner can revoke it, the user can revoke the app at " + oauthAppsURL + ", anyone through GitHub's credential revocation API); it expires within 8 hours anyway."
	case KindAppRefresh:
		return "Revoke this GitHub App refresh token now (the user can revoke the app at " + oauthAppsURL + ", anyone through GitHub's credential revocation API): it can mint new user tokens for 6 months."
	case KindAppInstallation:
		return "Revoke this installation token now (the app calls DELETE /installation/token) or wait for its 1-hour expiry; GitHub's credential revocation API does not accept installation tokens. If the app's private key leaked with it, rotate the key."
	default:
		return "Revoke this token now: classic tokens at " + classicSettingsURL + ", OAuth app access at " + oauthAppsURL + "."
	}
}

// placeAdvice suggests a safer home for the token, given the file it sits in.
func placeAdvice(r *Rule, p string) []string {
	base := path.Base(p)
	switch {
	case strings.Contains(p, ".github/workflows/") || strings.HasPrefix(p, "workflows/") && isYAML(base):
		if r.Kind == KindAppInstallation {
			return []string{"In a workflow, use the built-in GITHUB_TOKEN (secrets.GITHUB_TOKEN) with the permissions: key instead of a pasted installation token."}
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

func kindAdvice(r *Rule) []string {
	switch r.Kind {
	case KindClassicPAT, KindLegacy:
		return []string{"If a personal access token is still needed, prefer a fine-grained one (one owner, chosen repositories, minimal permissions, mandatory expiry, organization approval) and always set an expiration. A classic token reaches every repository its owner can; keep classic only where fine-grained cannot work yet (write access to public repositories you are not a member of, outside collaborators, a few REST endpoints)."}
	case KindFineGrainedPAT:
		return []string{"When you replace it, grant only the repositories and permissions the job needs and set the shortest practical expiration."}
	case KindAppInstallation:
		return []string{"Installation tokens are minted on demand from the app's private key: store the key as a secret and mint tokens at run time instead of saving them."}
	}
	return nil
}

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

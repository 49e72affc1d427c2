package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// apiClient returns the client for the API the person running the tool chose:
// the --github-api-url flag, else GITHUB_API_URL, else github.com. Never a
// value from the scanned tree: a hostile repository must not be able to send
// tokens to its own server.
func (e *env) apiClient(flagURL string) (*github.Client, error) {
	base := flagURL
	if base == "" {
		base = e.getenv("GITHUB_API_URL")
	}
	return github.NewClient(base, "ghtoken/"+version())
}

// verifyFindings checks every confirmed finding's token against the API and
// returns the verifications keyed by fingerprint. Each distinct token is sent
// once, whatever the number of places it was found in.
func (e *env) verifyFindings(c *github.Client, res *finding.Result) map[string]*github.Verification {
	var toks []github.Token
	var fps []string
	seen := map[string]bool{}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Confidence == rules.Lookalike || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		toks = append(toks, github.Token{Rule: f.Rule, Confidence: f.Confidence, Secret: f.Secret})
		fps = append(fps, f.Fingerprint)
	}
	out := make(map[string]*github.Verification, len(toks))
	for i, v := range c.Verify(e.ctx, toks) {
		out[fps[i]] = &v
	}
	return out
}

// writeVerifySummary tells people on stderr what verification found.
func writeVerifySummary(w io.Writer, c *github.Client, vs map[string]*github.Verification) {
	counts := map[github.Status]int{}
	for _, v := range vs {
		counts[v.Status]++
	}
	var parts []string
	for _, s := range []github.Status{github.StatusLive, github.StatusLiveRestricted, github.StatusRevoked, github.StatusUnknown, github.StatusNotChecked} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if len(parts) == 0 {
		parts = []string{"nothing to check"}
	}
	fmt.Fprintf(w, "ghtoken: verified %d distinct %s against %s: %s\n", len(vs), plural(len(vs), "token", "tokens"), c.BaseURL, strings.Join(parts, ", "))
}

// verificationText is the one-line text form of a verification.
func verificationText(v *github.Verification, now time.Time) string {
	s := string(v.Status)
	var details []string
	if v.Login != "" {
		d := "login " + v.Login
		if v.UserID != 0 {
			d += fmt.Sprintf(" (user id %d)", v.UserID)
		}
		details = append(details, d)
	}
	if v.ScopesKnown {
		if len(v.Scopes) == 0 {
			details = append(details, "scopes: none")
		} else {
			details = append(details, "scopes: "+strings.Join(v.Scopes, ", "))
		}
	}
	if v.Repositories >= 0 && v.Endpoint == "/installation/repositories" && v.Status == github.StatusLive {
		details = append(details, fmt.Sprintf("reaches %d %s", v.Repositories, plural(v.Repositories, "repository", "repositories")))
	}
	if !v.ExpiresAt.IsZero() {
		details = append(details, "expires "+v.ExpiresAt.UTC().Format(time.RFC3339)+" ("+relative(v.ExpiresAt, now)+")")
	}
	if v.ClientID != "" {
		details = append(details, "OAuth client id "+v.ClientID)
	}
	if v.Reason != "" {
		details = append(details, v.Reason)
	}
	if len(details) > 0 {
		s += ": " + strings.Join(details, "; ")
	}
	return s
}

// jsonVerification is the "verification" object of a JSON finding. Other
// machine formats (SARIF properties) embed the same object.
type jsonVerification struct {
	Status       string     `json:"status"`
	Reason       string     `json:"reason,omitempty"`
	Endpoint     string     `json:"endpoint,omitempty"`
	HTTPStatus   int        `json:"http_status,omitempty"`
	Login        string     `json:"login,omitempty"`
	UserID       int64      `json:"user_id,omitempty"`
	AccountType  string     `json:"account_type,omitempty"`
	Scopes       *[]string  `json:"scopes,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	ClientID     string     `json:"oauth_client_id,omitempty"`
	Repositories *int       `json:"repositories,omitempty"`
}

// newJSONVerification converts v for machine formats; nil when v is nil.
func newJSONVerification(v *github.Verification) *jsonVerification {
	if v == nil {
		return nil
	}
	j := &jsonVerification{
		Status: string(v.Status), Reason: v.Reason, Endpoint: v.Endpoint, HTTPStatus: v.HTTPStatus,
		Login: v.Login, UserID: v.UserID, AccountType: v.AccountType, ExpiresAt: timePtr(v.ExpiresAt), ClientID: v.ClientID,
	}
	if v.ScopesKnown {
		scopes := append([]string{}, v.Scopes...)
		j.Scopes = &scopes
	}
	if v.Repositories >= 0 {
		n := v.Repositories
		j.Repositories = &n
	}
	return j
}

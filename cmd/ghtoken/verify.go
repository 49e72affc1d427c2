package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/report"
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
	fmt.Fprintf(w, "ghtoken: verified %d distinct %s against %s: %s\n", len(vs), report.Plural(len(vs), "token", "tokens"), c.BaseURL, strings.Join(parts, ", "))
}

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// revokeCandidate is one distinct token that may be revoked.
type revokeCandidate struct {
	rule   *rules.Rule
	conf   rules.Confidence
	secret string
	where  string // first place it was found
	more   int    // how many other places
}

// revoke runs "ghtoken revoke" in four steps: gather the tokens, list them,
// confirm, send.
func (e *env) revoke(f *flagValues, paths []string) error {
	if f.from != "" && len(paths) > 0 {
		return usageError("give either --from or paths to scan, not both")
	}
	api, err := e.apiClient(f.githubAPIURL)
	if err != nil {
		return err
	}
	var cands []revokeCandidate
	if f.from != "" {
		cands, err = e.candidatesFromReport(f.from)
	} else {
		cands, err = e.candidatesFromScan(paths, f)
	}
	if err != nil {
		return err
	}
	if len(cands) == 0 {
		fmt.Fprintln(e.stdout, "ghtoken revoke: no tokens found; nothing to revoke")
		return nil
	}
	cands, held, err := holdBackLow(cands, f.includeLow)
	if err != nil {
		return err
	}
	e.listHeld(held)
	send, keep := e.listCandidates(cands, api)
	if len(send) == 0 {
		if len(keep) == 0 {
			fmt.Fprintln(e.stdout, "ghtoken revoke: nothing to revoke")
			return nil
		}
		return errFindings
	}
	if f.dryRun {
		fmt.Fprintln(e.stdout, "Dry run: nothing was sent.")
		return errFindings
	}
	if !f.yes {
		stdinUsed := f.from == "-" || slices.Contains(paths, "-")
		if err := e.confirmRevoke(len(send), stdinUsed); err != nil {
			return err
		}
	}
	if err := e.sendRevocations(api, send); err != nil {
		return err
	}
	if len(keep) > 0 {
		return errFindings
	}
	return nil
}

// holdBackLow takes out the low-confidence tokens (right shape, failing
// checksum: most likely not tokens at all) unless named by fingerprint in
// include: revocation cannot be undone and emails the owner of whatever
// account the text happens to match. A name that matches no low token is an
// error, so that a typo does not pass for a decision.
func holdBackLow(cands []revokeCandidate, include []string) (keep, held []revokeCandidate, err error) {
	named := map[string]bool{}
	for _, fp := range include {
		named[normalFingerprint(fp)] = false
	}
	for _, c := range cands {
		fp := rules.Fingerprint(c.secret)
		if c.conf != rules.Low {
			keep = append(keep, c)
			continue
		}
		if _, ok := named[fp]; ok {
			named[fp] = true
			keep = append(keep, c)
			continue
		}
		held = append(held, c)
	}
	for _, fp := range include {
		if !named[normalFingerprint(fp)] {
			return nil, nil, usageError("--include-low %s: no low-confidence token found has that fingerprint", fp)
		}
	}
	return keep, held, nil
}

// normalFingerprint accepts a fingerprint with or without its "sha256:".
func normalFingerprint(fp string) string {
	fp = strings.ToLower(strings.TrimSpace(fp))
	if !strings.HasPrefix(fp, "sha256:") {
		fp = "sha256:" + fp
	}
	return fp
}

// listHeld lists the low-confidence tokens that are not sent.
func (e *env) listHeld(held []revokeCandidate) {
	if len(held) == 0 {
		return
	}
	fmt.Fprintf(e.stdout, "Not sent: low confidence, the checksum fails, most likely not a token (%d); name one with --include-low FINGERPRINT to send it:\n", len(held))
	for _, c := range held {
		fmt.Fprintf(e.stdout, "  %s  %s  %s\n      %s\n", rules.Mask(c.rule, c.secret), c.rule.ID, c.place(), rules.Fingerprint(c.secret))
	}
}

// listCandidates splits the tokens into those the API takes and the others,
// and lists both.
func (e *env) listCandidates(cands []revokeCandidate, api *github.Client) (send, keep []revokeCandidate) {
	for _, c := range cands {
		if ok, _ := github.Revocable(c.rule); ok {
			send = append(send, c)
		} else {
			keep = append(keep, c)
		}
	}
	if len(keep) > 0 {
		fmt.Fprintf(e.stdout, "Not revocable through GitHub's API (%d):\n", len(keep))
		for _, c := range keep {
			_, how := github.Revocable(c.rule)
			fmt.Fprintf(e.stdout, "  %s  %s  %s\n      %s\n", rules.Mask(c.rule, c.secret), c.rule.ID, c.place(), how)
		}
	}
	if len(send) > 0 {
		fmt.Fprintf(e.stdout, "Will revoke %d %s through %s/credentials/revoke:\n", len(send), report.Plural(len(send), "token", "tokens"), api.BaseURL)
		for _, c := range send {
			fmt.Fprintf(e.stdout, "  %s  %s  %s\n", rules.Mask(c.rule, c.secret), c.rule.ID, c.place())
		}
	}
	return send, keep
}

// confirmRevoke asks on the terminal; anything but "yes" sends nothing.
func (e *env) confirmRevoke(n int, stdinUsed bool) error {
	switch {
	case stdinUsed:
		return errors.New("standard input held the tokens, so it cannot answer the confirmation; nothing was sent. Rerun with --yes to revoke them")
	case !e.isTerminal(e.stdin):
		return errors.New("no terminal to ask for confirmation on; nothing was sent. Revocation cannot be undone: rerun with --yes to revoke them")
	}
	fmt.Fprintf(e.stderr, "Revoke these %d %s? GitHub revokes them at once and emails their owners; this cannot be undone. Type \"yes\" to confirm: ", n, report.Plural(n, "token", "tokens"))
	answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
	if strings.TrimSpace(answer) != "yes" {
		fmt.Fprintln(e.stdout, "Not confirmed: nothing was sent.")
		return errFindings
	}
	return nil
}

// sendRevocations sends the tokens and reports each request's outcome.
func (e *env) sendRevocations(api *github.Client, send []revokeCandidate) error {
	secrets := make([]string, len(send))
	for i, c := range send {
		secrets[i] = c.secret
	}
	failed := false
	for i, b := range api.Revoke(e.ctx, secrets) {
		line := fmt.Sprintf("request %d (tokens %d-%d): %s", i+1, b.First+1, b.First+b.Count, b.Outcome)
		if b.HTTPStatus != 0 {
			line += fmt.Sprintf(" (HTTP %d)", b.HTTPStatus)
		}
		if b.Message != "" {
			line += ": " + b.Message
		}
		fmt.Fprintln(e.stdout, line)
		if b.Outcome != github.BatchAccepted {
			failed = true
		}
	}
	if failed {
		return errors.New("some tokens were not revoked; revoke them by hand (see each finding's remediation)")
	}
	fmt.Fprintf(e.stdout, "GitHub accepted %d %s for revocation; each owner is notified by email.\n", len(send), report.Plural(len(send), "token", "tokens"))
	return nil
}

func (c revokeCandidate) place() string {
	if c.more > 0 {
		return fmt.Sprintf("%s (and %d more %s)", c.where, c.more, report.Plural(c.more, "place", "places"))
	}
	return c.where
}

// addCandidate adds a token, once per distinct token.
func addCandidate(cands []revokeCandidate, idx map[string]int, r *rules.Rule, conf rules.Confidence, secret, where string) []revokeCandidate {
	if i, ok := idx[secret]; ok {
		cands[i].more++
		return cands
	}
	idx[secret] = len(cands)
	return append(cands, revokeCandidate{rule: r, conf: conf, secret: secret, where: where})
}

func (e *env) candidatesFromScan(paths []string, f *flagValues) ([]revokeCandidate, error) {
	src := &walk.Paths{Args: paths, NoIgnore: f.noIgnore, Stdin: e.stdin}
	res, err := scanner.Scan(e.ctx, src, scanner.Options{MaxFileSize: int64(f.maxFileSize), Workers: f.workers, NoArchives: f.noArchives})
	if err != nil {
		return nil, err
	}
	report.WriteWarnings(e.stderr, res)
	if f.strict && incomplete(res) {
		return nil, fmt.Errorf("--strict: some files could not be read (see the warnings above); nothing was sent")
	}
	var cands []revokeCandidate
	idx := map[string]int{}
	for i := range res.Findings {
		fd := &res.Findings[i]
		if fd.Confidence == rules.Lookalike {
			continue
		}
		cands = addCandidate(cands, idx, fd.Rule, fd.Confidence, fd.Secret, fmt.Sprintf("%s:%d:%d", fd.Path, fd.Line, fd.Column))
	}
	return cands, nil
}

// reportFinding is the part of a JSON report finding revoke reads.
type reportFinding struct {
	Rule         string `json:"rule"`
	Confidence   string `json:"confidence"`
	Path         string `json:"path"`
	Line         int    `json:"line"`
	Column       int    `json:"column"`
	Secret       string `json:"secret"`
	SecretMasked bool   `json:"secret_masked"`
}

func (e *env) candidatesFromReport(name string) ([]revokeCandidate, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(e.stdin)
		name = "standard input"
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return parseReport(name, data)
}

// parseReport reads the tokens of a JSON report. Every token is checked again
// with the rules: a hand-edited report must not be able to send arbitrary text
// to GitHub as a "token".
func parseReport(name string, data []byte) ([]revokeCandidate, error) {
	var doc struct {
		Version  *int             `json:"version"`
		Findings *[]reportFinding `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a ghtoken JSON report: %w", name, err)
	}
	if doc.Version == nil || doc.Findings == nil {
		return nil, fmt.Errorf("%s: not a ghtoken JSON report (no version or findings)", name)
	}
	if *doc.Version != 1 {
		return nil, fmt.Errorf("%s: report version %d, this ghtoken reads version 1", name, *doc.Version)
	}
	var cands []revokeCandidate
	idx := map[string]int{}
	for i, f := range *doc.Findings {
		if f.Confidence == rules.Lookalike.String() {
			continue
		}
		if f.SecretMasked {
			return nil, fmt.Errorf("%s: finding %d (%s:%d) has a masked token: write the report with \"ghtoken scan --format json --show-secrets\", or let \"ghtoken revoke PATH\" scan", name, i+1, f.Path, f.Line)
		}
		r := rules.ByID(f.Rule)
		if r == nil {
			return nil, fmt.Errorf("%s: finding %d: unknown rule %q", name, i+1, f.Rule)
		}
		m := rules.Find([]byte(f.Secret), rules.Options{}, nil)
		conf := r.Confidence // a legacy token's: its context is not in the report
		if len(m) != 1 || m[0].Start != 0 || m[0].End != len(f.Secret) || m[0].Rule != r {
			if r.Prefix != "" { // 40-hex secrets need their context (a keyword, a URL), which a report does not keep
				return nil, fmt.Errorf("%s: finding %d (%s:%d): the secret is not a %s token", name, i+1, f.Path, f.Line, r.ID)
			}
		} else {
			conf = m[0].Confidence // judged again, not read from the report
		}
		cands = addCandidate(cands, idx, r, conf, f.Secret, fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column))
	}
	return cands, nil
}

// isTerminalFile reports whether r is a terminal a person can answer on.
func isTerminalFile(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

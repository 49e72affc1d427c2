package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// textReporter writes findings for people, then a summary line. By
// default each finding takes a line or two (place, type, confidence,
// masked token, first step) and the full advice follows once per token
// type, so six findings do not repeat the same dozen lines six times;
// Report.Verbose gives each finding its own block with every fact and step.
type textReporter struct{}

// textStyle holds the colours of the text report.
type textStyle struct {
	loc, bold, dim func(string) string
	conf           map[rules.Confidence]func(string) string
}

func newTextStyle(colour bool) textStyle {
	paint := func(attrs ...color.Attribute) func(string) string {
		c := color.New(attrs...)
		if colour {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return func(s string) string { return c.Sprint(s) }
	}
	return textStyle{
		loc: paint(color.FgCyan), bold: paint(color.Bold), dim: paint(color.Faint),
		conf: map[rules.Confidence]func(string) string{
			rules.High: paint(color.FgRed, color.Bold), rules.Medium: paint(color.FgYellow, color.Bold),
			rules.Low: paint(color.FgYellow), rules.Lookalike: paint(color.Faint),
		},
	}
}

func (textReporter) Report(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	st := newTextStyle(r.Colour)
	if r.Verbose {
		writeVerboseFindings(ew, st, r)
	} else {
		writeCompactFindings(ew, st, r)
	}
	if ew.err != nil {
		return ew.err
	}
	return WriteSummary(w, r)
}

// writeVerboseFindings writes one block per finding: every fact and every
// step of its advice.
func writeVerboseFindings(ew *errWriter, st textStyle, r *Report) {
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		ew.printf("%s %s %s\n", st.loc(fmt.Sprintf("%s:%d:%d:", DisplayPath(f.Path), f.Line, f.Column)), st.bold(f.Rule.Title), st.conf[f.Confidence](r.confidenceLabel(f.Confidence)))
		ew.printf("    token:       %s\n", r.secret(f))
		ew.printf("    rule:        %s   fingerprint: %s\n", f.Rule.ID, f.Fingerprint)
		for _, fact := range facts(f, r.End) {
			ew.printf("    %-12s %s\n", fact[0]+":", fact[1])
		}
		if v := r.verification(f); v != nil {
			ew.printf("    %-12s %s\n", "verified:", verificationText(v, r.End))
		}
		if f.Confidence == rules.Lookalike {
			ew.printf("    %s\n\n", st.dim("look-alike ("+f.Note+"): not a finding, listed because --show-lookalikes was given"))
			continue
		}
		for j, step := range f.Remediation() {
			bullet := "- "
			if j == 0 {
				bullet = "→ "
			}
			ew.printf("    %s%s\n", bullet, Wrap(step, 88, "      "))
		}
		ew.printf("\n")
	}
}

// writeCompactFindings writes each finding in a line or two, then the
// advice once per token type: the steps of every finding of that type, in
// order, each said once (advice that depends on the place, such as for a
// .env file or a staged change, appears when some finding needs it).
func writeCompactFindings(ew *errWriter, st textStyle, r *Report) {
	type advice struct {
		rule  *rules.Rule
		count int
		steps []string
		seen  map[string]bool
	}
	var byRule []*advice
	index := map[string]*advice{}
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		line := fmt.Sprintf("%s %s %s %s", st.loc(fmt.Sprintf("%s:%d:%d:", DisplayPath(f.Path), f.Line, f.Column)),
			st.bold(f.Rule.Title), st.conf[f.Confidence](r.confidenceLabel(f.Confidence)), r.secret(f))
		if f.Commit != nil {
			line += " " + st.dim("in "+shortHash(f.Commit.Hash))
		}
		if v := r.verification(f); v != nil {
			line += " " + st.dim("("+verificationText(v, r.End)+")")
		}
		ew.printf("%s\n", line)
		if f.Confidence == rules.Lookalike {
			ew.printf("    %s\n", st.dim("look-alike ("+f.Note+"): not a finding"))
			continue
		}
		steps := f.Remediation()
		ew.printf("    → %s\n", Wrap(steps[0], 88, "      "))
		a := index[f.Rule.ID]
		if a == nil {
			a = &advice{rule: f.Rule, seen: map[string]bool{}}
			index[f.Rule.ID] = a
			byRule = append(byRule, a)
		}
		a.count++
		for _, s := range steps {
			if !a.seen[s] {
				a.seen[s] = true
				a.steps = append(a.steps, s)
			}
		}
	}
	for _, a := range byRule {
		ew.printf("\n%s\n", st.bold(fmt.Sprintf("What to do about the %s (%d %s, rule %s):",
			a.rule.Title, a.count, Plural(a.count, "finding", "findings"), a.rule.ID)))
		for _, s := range a.steps {
			ew.printf("  - %s\n", Wrap(s, 90, "    "))
		}
	}
	if len(r.Result.Findings) > 0 {
		ew.printf("\n")
	}
}

// shortHash is the first 12 characters of a commit hash.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// facts lists what the token itself reveals, as label/value pairs.
func facts(f *finding.Finding, now time.Time) [][2]string {
	var out [][2]string
	if f.Commit != nil {
		out = append(out, [2]string{"commit", f.Commit.Hash + " by " + f.Commit.Author + " on " + f.Commit.Date.UTC().Format(time.DateOnly)})
	}
	if f.Occurrences > 1 {
		out = append(out, [2]string{"history", fmt.Sprintf("first added here; %d other %s in the history", f.Occurrences-1, Plural(f.Occurrences-1, "place holds it", "places hold it"))})
	}
	if f.OwnerUserID != 0 {
		out = append(out, [2]string{"owner", fmt.Sprintf("GitHub user id %d (https://api.github.com/user/%d)", f.OwnerUserID, f.OwnerUserID)})
	}
	if f.AppID != 0 {
		out = append(out, [2]string{"app", fmt.Sprintf("GitHub App id %d", f.AppID)})
	}
	if !f.IssuedAt.IsZero() {
		out = append(out, [2]string{"issued", f.IssuedAt.UTC().Format(time.RFC3339)})
	}
	if !f.ExpiresAt.IsZero() {
		out = append(out, [2]string{"expires", f.ExpiresAt.UTC().Format(time.RFC3339) + " (" + relative(f.ExpiresAt, now) + ")"})
	}
	if f.Encoding != "" {
		out = append(out, [2]string{"encoding", f.Encoding + " (decoded; the position is that of the encoded text)"})
	}
	if f.Glued {
		out = append(out, [2]string{"glued", "joined to the text around it; its checksum proves it a token"})
	}
	if f.Note != "" && f.Confidence != rules.Lookalike {
		out = append(out, [2]string{"note", f.Note})
	}
	return out
}

// relative says how an expiry relates to now: "expired 3 days ago" or
// "valid for 42 more minutes".
func relative(t, now time.Time) string {
	d := t.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	n, unit := int(d.Minutes()), "minute"
	switch {
	case d >= 48*time.Hour:
		n, unit = int(d.Hours()/24), "day"
	case d >= 2*time.Hour:
		n, unit = int(d.Hours()), "hour"
	}
	units := Plural(n, unit, unit+"s")
	if past {
		return fmt.Sprintf("expired %d %s ago", n, units)
	}
	return fmt.Sprintf("valid for %d more %s", n, units)
}

// Wrap folds s at width columns, indenting continuation lines with indent
// (not counted in width). A word longer than a line gets a line of its own.
func Wrap(s string, width int, indent string) string {
	var b strings.Builder
	col := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if col+1+len(word) > width {
				b.WriteString("\n" + indent)
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}

// confidenceLabel is a finding's confidence as the text report shows it:
// "[low, warning]" for a finding below the threshold.
func (r *Report) confidenceLabel(c rules.Confidence) string {
	if r.warning(c) {
		return "[" + c.String() + ", warning]"
	}
	return "[" + c.String() + "]"
}

// WriteSummary writes the one-line summary: findings by confidence (and
// how many of them are warnings, below --fail-on), files, bytes, skips by
// reason, look-alikes, time.
func WriteSummary(w io.Writer, r *Report) error {
	s := &r.Result.Stats
	n := confirmedCount(r.Result)
	var parts []string
	for _, c := range []rules.Confidence{rules.High, rules.Medium, rules.Low} {
		if k := s.ByConfidence[c]; k > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", k, c))
		}
	}
	head := "no findings"
	if n > 0 {
		detail := strings.Join(parts, ", ")
		if k := r.warningCount(); k > 0 {
			detail += fmt.Sprintf("; %d %s below --fail-on %s", k, Plural(k, "warning", "warnings"), r.Threshold())
		}
		head = fmt.Sprintf("%d %s (%s)", n, Plural(n, "finding", "findings"), detail)
	}
	size := HumanBytes(s.BytesScanned)
	if s.BinaryFiles > 0 {
		size += fmt.Sprintf(", %d binary", s.BinaryFiles)
	}
	line := fmt.Sprintf("ghtoken: %s; %d %s scanned (%s)", head, s.FilesScanned, Plural(s.FilesScanned, "file", "files"), size)
	if s.Commits > 0 {
		line += fmt.Sprintf(" from %d %s", s.Commits, Plural(s.Commits, "commit", "commits"))
	}
	if len(s.Skipped) > 0 {
		var sk []string
		total := 0
		for _, reason := range sortedKeys(s.Skipped) {
			sk = append(sk, fmt.Sprintf("%d %s", s.Skipped[reason], reason))
			total += s.Skipped[reason]
		}
		line += fmt.Sprintf(", %d skipped (%s)", total, strings.Join(sk, ", "))
	}
	if k := suppressedTotal(r.Result); k > 0 {
		line += fmt.Sprintf(", %d suppressed (%s)", k, suppressedSummary(r.Result))
	}
	if k := s.ByConfidence[rules.Lookalike]; k > 0 {
		line += fmt.Sprintf(", %d %s", k, Plural(k, "look-alike", "look-alikes"))
		if !r.ShowLookalikes {
			line += " not shown (--show-lookalikes)"
		} else if n := s.LookalikesNotListed; n > 0 {
			line += fmt.Sprintf(" (%d not listed: over %d in a file)", n, finding.ListedPerFile)
		}
	}
	line += fmt.Sprintf(" in %.2fs\n", s.Duration.Seconds())
	_, err := io.WriteString(w, line)
	return err
}

// WriteWarnings tells people, on stderr, about files that could not be read:
// those are the skips that may hide a token.
// It also lists the notices about suppressions (a directive without a reason,
// an unused directive, an expired ignore entry).
func WriteWarnings(w io.Writer, res *finding.Result) error {
	ew := &errWriter{w: w}
	for _, s := range res.Skipped {
		if warnedSkip(s) {
			ew.printf("ghtoken: warning: %s: %s: %s\n", DisplayPath(s.Path), s.Reason, DisplayPath(s.Detail))
		}
	}
	for _, n := range res.Notices {
		ew.printf("ghtoken: warning: %s: %s [%s]\n", noticePlace(n), n.Message, n.Code)
	}
	if k := res.Stats.NoticesNotListed; k > 0 {
		ew.printf("ghtoken: warning: %d more %s not listed (over %d in a file)\n", k, Plural(k, "notice", "notices"), finding.ListedPerFile)
	}
	return ew.err
}

// noticePlace is "path:line:col", "path:line" or "path".
func noticePlace(n finding.Notice) string {
	switch {
	case n.Column > 0:
		return fmt.Sprintf("%s:%d:%d", DisplayPath(n.Path), n.Line, n.Column)
	case n.Line > 0:
		return fmt.Sprintf("%s:%d", DisplayPath(n.Path), n.Line)
	}
	return DisplayPath(n.Path)
}

func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}

// DisplayPath quotes a file name that holds control characters (a newline
// could forge a report line, an escape sequence drive the terminal) or
// invalid UTF-8, Go-style; other names are shown as they are.
func DisplayPath(p string) string {
	if !utf8.ValidString(p) || strings.ContainsFunc(p, unicode.IsControl) {
		return strconv.Quote(p)
	}
	return p
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ghtoken/ghtoken/rules"
)

// githubReporter writes GitHub Actions workflow commands: one annotation per
// finding, shown on the pull request's diff, with the masked token and the
// one-line remediation. Tokens are always masked here: Actions logs are read
// by everyone who can read the repository.
//
// The job summary (a Markdown table) is written by writeStepSummary, to the
// file GITHUB_STEP_SUMMARY names.
type githubReporter struct{}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value, where ':' and
// ',' separate properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// annotation writes one "::level file=..,line=..::message" command.
func annotation(ew *errWriter, level string, props [][2]string, msg string) {
	var b strings.Builder
	b.WriteString("::" + level)
	for i, p := range props {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p[0] + "=" + escapeProperty(p[1]))
	}
	b.WriteString("::" + escapeData(msg) + "\n")
	ew.printf("%s", b.String())
}

// githubLevel is the workflow command for a finding of confidence c.
func (r *Report) githubLevel(c rules.Confidence) string {
	if c == rules.Lookalike {
		return "notice"
	}
	return r.level(c)
}

func (githubReporter) Report(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		msg := fmt.Sprintf("%s (%s): %s", f.Masked(), f.Confidence, f.Remediation()[0])
		if f.Confidence == rules.Lookalike {
			msg = fmt.Sprintf("%s: look-alike (%s), not a finding", f.Masked(), f.Note)
		}
		props := [][2]string{
			{"file", f.Path}, {"line", fmt.Sprint(f.Line)}, {"col", fmt.Sprint(f.Column)},
			{"endColumn", fmt.Sprint(f.EndColumn)}, {"title", "ghtoken: " + f.Rule.Title},
		}
		if f.Container != "" {
			// An annotation can only point at a file of the repository:
			// the archive, with the member named in the message.
			props = [][2]string{{"file", f.Container}, {"title", "ghtoken: " + f.Rule.Title}}
			msg = fmt.Sprintf("in %s:%d:%d: %s", f.Path, f.Line, f.Column, msg)
		}
		annotation(ew, r.githubLevel(f.Confidence), props, msg+" ["+f.Rule.ID+", "+f.Fingerprint+"]")
	}
	for _, s := range r.Result.Skipped {
		if warnedSkip(s) {
			file, msg := strings.TrimSuffix(s.Path, "/"), s.Detail
			if s.Container != "" {
				file, msg = s.Container, s.Path+": "+msg
			}
			annotation(ew, "warning", [][2]string{{"file", file}, {"title", "ghtoken: not scanned (" + string(s.Reason) + ")"}}, msg)
		}
	}
	for _, n := range r.Result.Notices {
		props := [][2]string{{"file", n.Path}}
		if n.Line > 0 {
			props = append(props, [2]string{"line", fmt.Sprint(n.Line)})
		}
		if n.Column > 0 {
			props = append(props, [2]string{"col", fmt.Sprint(n.Column)})
		}
		props = append(props, [2]string{"title", "ghtoken: " + string(n.Code)})
		annotation(ew, "warning", props, n.Message)
	}
	return ew.err
}

// mdCell makes s plain text inside a Markdown table cell: every character
// Markdown or HTML would read as markup is backslash-escaped (any ASCII
// punctuation may be), a pipe so that it does not end the cell, and line
// breaks become spaces. A file name such as "a`b*c*.env" shows as written.
func mdCell(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|~&#!", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode makes s a code span inside a Markdown table cell. Backslashes do
// not escape inside a code span, so a backtick in s is kept by a fence one
// backtick longer than its longest run of them (padded with a space where
// s starts or ends with one); a pipe is still escaped, which GitHub's table
// parsing removes before the span is read.
func mdCode(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", "\\|") + pad + fence
}

var confidenceBadge = map[rules.Confidence]string{
	rules.High: "🔴 high", rules.Medium: "🟠 medium", rules.Low: "🟡 low", rules.Lookalike: "⚪ look-alike",
}

// WriteStepSummary writes the Markdown job summary: a headline, a table of
// findings (masked tokens) and what the suppressions removed.
func WriteStepSummary(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	res := r.Result
	n := confirmedCount(res)
	warned := r.warningCount()
	switch {
	case n == 0:
		ew.printf("## ✅ ghtoken: no leaked GitHub tokens\n\n")
	case warned == n:
		ew.printf("## ⚠️ ghtoken: %d %s below --fail-on %s (possible %s)\n\n", n, Plural(n, "warning", "warnings"), r.Threshold(), Plural(n, "token", "tokens"))
	case warned > 0:
		ew.printf("## ❌ ghtoken: %d leaked GitHub %s, and %d %s below --fail-on %s\n\n", n-warned, Plural(n-warned, "token", "tokens"), warned, Plural(warned, "warning", "warnings"), r.Threshold())
	default:
		ew.printf("## ❌ ghtoken: %d leaked GitHub %s\n\n", n, Plural(n, "token", "tokens"))
	}
	if n > 0 {
		ew.printf("| Confidence | Where | Token | Rule | First step |\n|---|---|---|---|---|\n")
		for i := range res.Findings {
			f := &res.Findings[i]
			step := f.Remediation()[0]
			if f.Confidence == rules.Lookalike {
				step = "Not a finding: " + f.Note + "."
			}
			badge := confidenceBadge[f.Confidence]
			if r.warning(f.Confidence) {
				badge += " (warning)"
			}
			ew.printf("| %s | %s | %s | %s | %s |\n", badge,
				mdCode(fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)), mdCode(f.Masked()), mdCell(f.Rule.ID), mdCell(step))
		}
		ew.printf("\n")
	}
	st := &res.Stats
	ew.printf("%d %s scanned (%s)", st.FilesScanned, Plural(st.FilesScanned, "file", "files"), HumanBytes(st.BytesScanned))
	if k := suppressedTotal(res); k > 0 {
		ew.printf("; %d suppressed (%s)", k, suppressedSummary(res))
	}
	skipped := 0
	for _, s := range res.Skipped {
		if warnedSkip(s) {
			skipped++
		}
	}
	if skipped > 0 {
		ew.printf("; %d not scanned (see the warnings)", skipped)
	}
	ew.printf(".\n")
	if len(res.Notices) > 0 {
		ew.printf("\n<details><summary>%d suppression %s</summary>\n\n", len(res.Notices), Plural(len(res.Notices), "warning", "warnings"))
		for _, nt := range res.Notices {
			ew.printf("- %s: %s\n", mdCode(noticePlace(nt)), mdCell(nt.Message))
		}
		ew.printf("\n</details>\n")
	}
	ew.printf("\n")
	return ew.err
}

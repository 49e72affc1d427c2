// Package report renders a finished scan (a finding.Result) in the formats
// people and machines read: text, JSON, SARIF, GitHub workflow commands and
// job summary, and GitLab's secret-detection report. Each Reporter writes to
// an io.Writer and returns the first write error; none reads the clock (the
// times come in the Report), prints elsewhere or exits, and none shows a
// whole token unless Report.ShowSecrets says the person asked for it.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Report is what a Reporter renders: a finished scan and how to show it.
type Report struct {
	Result         *finding.Result
	ShowSecrets    bool // print whole tokens: only when asked on the command line
	ShowLookalikes bool
	Colour         bool
	// Verified holds what --verify learnt, by fingerprint; nil without it.
	Verified map[string]*github.Verification
	// Start and End bound the scan; Version is ghtoken's. Formats that
	// record the run (SARIF, GitLab) use them, and relative times ("expires
	// in 3 days") are counted from End: reporters never read the clock, so
	// tests fix it.
	Start, End time.Time
	Version    string
	// SourceRoot is the absolute directory that SARIF's %SRCROOT% stands
	// for: the top of the git work tree, or the scan root outside git.
	// PathBase is the absolute directory that relative finding paths are
	// relative to (the current directory for a scan of files, the top of
	// the work tree for the git modes); empty means SourceRoot. With both
	// empty, relative paths are written as they are.
	SourceRoot, PathBase string
	// Verbose makes the text report print every finding with its facts and
	// all of its advice; otherwise each finding takes a line or two and the
	// advice is printed once per token type.
	Verbose bool
	// FailOn is the least confidence that fails the run (--fail-on):
	// confirmed findings below it are warnings, shown and counted but not
	// failing. Zero (Lookalike) means the default, Medium.
	FailOn rules.Confidence
}

// Threshold returns the least confidence that fails the run.
func (r *Report) Threshold() rules.Confidence {
	if r.FailOn == rules.Lookalike {
		return rules.Medium
	}
	return r.FailOn
}

// warning reports whether a finding of confidence c is a warning: a
// confirmed finding below the threshold.
func (r *Report) warning(c rules.Confidence) bool {
	return c != rules.Lookalike && c < r.Threshold()
}

// warningCount is the number of findings below the threshold.
func (r *Report) warningCount() int {
	n := 0
	for c, k := range r.Result.Stats.ByConfidence {
		if r.warning(c) {
			n += k
		}
	}
	return n
}

// verification returns what --verify learnt about f's token, or nil.
func (r *Report) verification(f *finding.Finding) *github.Verification {
	return r.Verified[f.Fingerprint]
}

// secret returns the token text as the report may show it.
func (r *Report) secret(f *finding.Finding) string {
	if r.ShowSecrets {
		return f.Secret
	}
	return f.Masked()
}

// A Reporter writes a report in one format.
type Reporter interface {
	Report(w io.Writer, r *Report) error
}

var (
	_ Reporter = textReporter{}
	_ Reporter = jsonReporter{}
	_ Reporter = sarifReporter{}
	_ Reporter = githubReporter{}
	_ Reporter = gitlabReporter{}
	_ Reporter = jsonlReporter{}
)

var reporters = map[string]Reporter{
	"text":   textReporter{},
	"json":   jsonReporter{},
	"sarif":  sarifReporter{},
	"github": githubReporter{},
	"gitlab": gitlabReporter{},
	"jsonl":  jsonlReporter{},
}

func For(format string) (Reporter, error) {
	if r, ok := reporters[format]; ok {
		return r, nil
	}
	names := make([]string, 0, len(reporters))
	for n := range reporters {
		names = append(names, n)
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(sortedStrings(names), ", "))
}

// errWriter remembers the first write error so that reporters can write
// freely and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// confirmedCount is the number of findings that are not look-alikes.
func confirmedCount(res *finding.Result) int {
	n := 0
	for c, k := range res.Stats.ByConfidence {
		if c != rules.Lookalike {
			n += k
		}
	}
	return n
}

// suppressionOrder lists the suppression mechanisms in the order reports
// show them.
var suppressionOrder = []finding.SuppressedBy{finding.ByInline, finding.ByForeign, finding.ByIgnoreFile, finding.BySecretScanning, finding.ByBaseline}

// suppressedTotal is the number of findings suppressions removed.
func suppressedTotal(res *finding.Result) int {
	n := 0
	for _, k := range res.Stats.Suppressed {
		n += k
	}
	return n
}

// suppressedSummary says how many findings each mechanism removed, such as
// "2 inline, 1 baseline"; empty when none.
func suppressedSummary(res *finding.Result) string {
	var parts []string
	for _, by := range suppressionOrder {
		if k := res.Stats.Suppressed[by]; k > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", k, by))
		}
	}
	return strings.Join(parts, ", ")
}

// warnedSkip reports whether a skipped file may hide a token (people are
// told about those).
func warnedSkip(s finding.Skipped) bool {
	switch s.Reason {
	case finding.SkipUnreadable, finding.SkipNotRegular, finding.SkipTooLarge, finding.SkipMissing, finding.SkipUnmerged,
		finding.SkipCorrupt, finding.SkipDamaged, finding.SkipArchiveDepth, finding.SkipArchiveSize, finding.SkipArchiveRatio,
		finding.SkipArchiveEntries, finding.SkipEncrypted, finding.SkipUnsupported:
		return true
	}
	return false
}

// level maps a confidence to the error/warning/note scale of SARIF and
// GitHub annotations: what fails the run is an error, a finding below the
// threshold a warning, a look-alike a note.
func (r *Report) level(c rules.Confidence) string {
	switch {
	case c == rules.Lookalike:
		return "note"
	case r.warning(c):
		return "warning"
	}
	return "error"
}

package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/rules"
)

// gitlabReporter writes GitLab's secret-detection report (schema 15.0.7,
// the version most analyzers write), the artifacts:reports:secret_detection
// file that GitLab shows in merge requests. raw_source_code_extract is left
// out: it would hold the token.
type gitlabReporter struct{}

const gitlabSchemaVersion = "15.0.7"

type gitlabDoc struct {
	Version         string       `json:"version"`
	Vulnerabilities []gitlabVuln `json:"vulnerabilities"`
	Remediations    []struct{}   `json:"remediations"`
	Scan            gitlabScan   `json:"scan"`
}

type gitlabVuln struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description"`
	Severity    string             `json:"severity"`
	Solution    string             `json:"solution"`
	Location    gitlabLocation     `json:"location"`
	Identifiers []gitlabIdentifier `json:"identifiers"`
}

type gitlabLocation struct {
	File      string       `json:"file"`
	StartLine int          `json:"start_line"`
	EndLine   int          `json:"end_line"`
	Commit    gitlabCommit `json:"commit"`
}

type gitlabCommit struct {
	SHA    string `json:"sha"`
	Author string `json:"author,omitempty"`
	Date   string `json:"date,omitempty"`
}

type gitlabIdentifier struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type gitlabTool struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Version string       `json:"version"`
	URL     string       `json:"url,omitempty"`
	Vendor  gitlabVendor `json:"vendor"`
}

type gitlabVendor struct {
	Name string `json:"name"`
}

type gitlabScan struct {
	Analyzer  gitlabTool `json:"analyzer"`
	Scanner   gitlabTool `json:"scanner"`
	Type      string     `json:"type"`
	StartTime string     `json:"start_time"`
	EndTime   string     `json:"end_time"`
	Status    string     `json:"status"`
}

// gitlabSeverity is GitLab's severity for a finding of confidence c: a
// finding below the threshold is a warning, "Low".
func (r *Report) gitlabSeverity(c rules.Confidence) string {
	if r.warning(c) {
		return "Low"
	}
	switch c {
	case rules.High:
		return "Critical"
	case rules.Medium:
		return "High"
	case rules.Low:
		return "Medium"
	}
	return "Info"
}

// gitlabTime is the schema's date-time form: no zone, no fraction.
func gitlabTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

func (gitlabReporter) Report(w io.Writer, r *Report) error {
	tool := gitlabTool{ID: "ghtoken", Name: "ghtoken", Version: r.Version, URL: projectURL, Vendor: gitlabVendor{Name: "ghtoken"}}
	if tool.Version == "" {
		tool.Version = "(devel)"
	}
	doc := gitlabDoc{Version: gitlabSchemaVersion, Vulnerabilities: []gitlabVuln{}, Remediations: []struct{}{},
		Scan: gitlabScan{Analyzer: tool, Scanner: tool, Type: "secret_detection",
			StartTime: gitlabTime(r.Start), EndTime: gitlabTime(r.End), Status: "success"}}
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		if f.Confidence == rules.Lookalike {
			continue // not a vulnerability, even when listed elsewhere
		}
		steps := f.Remediation()
		// The id is stable for a token in a file, so that GitLab tracks it
		// across pipelines while lines move.
		sum := sha256.Sum256([]byte("gitlab\x00" + f.Fingerprint + "\x00" + f.Path))
		c := gitlabCommit{SHA: "0000000"}
		if f.Commit != nil {
			c = gitlabCommit{SHA: f.Commit.Hash, Author: f.Commit.Author, Date: f.Commit.Date.UTC().Format(time.RFC3339)}
		}
		doc.Vulnerabilities = append(doc.Vulnerabilities, gitlabVuln{
			ID:          hex.EncodeToString(sum[:]),
			Name:        f.Rule.Title,
			Description: fmt.Sprintf("%s %s (%s confidence, fingerprint %s) in %s at line %d, column %d.", f.Rule.Title, f.Masked(), f.Confidence, f.Fingerprint, f.Path, f.Line, f.Column),
			Severity:    r.gitlabSeverity(f.Confidence),
			Solution:    strings.Join(steps, "\n"),
			Location:    gitlabLocation{File: f.Path, StartLine: f.Line, EndLine: f.Line, Commit: c},
			Identifiers: []gitlabIdentifier{{Type: "ghtoken_rule_id", Name: "ghtoken rule " + f.Rule.ID, Value: f.Rule.ID, URL: projectURL + "#rules"}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

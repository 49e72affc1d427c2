package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// sarifReporter writes SARIF 2.1.0 as GitHub code scanning reads it.
//
// The document holds no token text at all, not even masked, whatever
// --show-secrets says: code-scanning alerts are read by everyone with read
// access to the repository, and kept after the token is revoked. A finding is
// identified by its rule, place and fingerprint.
type sarifReporter struct{}

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	projectURL   = "https://github.com/ghtoken/ghtoken"
	srcRootToken = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	ColumnKind  string            `json:"columnKind"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string                `json:"name"`
	Version        string                `json:"version,omitempty"`
	InformationURI string                `json:"informationUri"`
	Rules          []sarifRuleDescriptor `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleDescriptor struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
	EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level      string            `json:"level"`
	Message    sarifText         `json:"message"`
	Locations  []sarifLocation   `json:"locations,omitempty"`
	Descriptor map[string]string `json:"descriptor"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// securitySeverity is GitHub's 0-10 scale: over 9 critical, 7 to 8.9 high,
// 4 to 6.9 medium, below that low. A checksum-valid token is critical.
func securitySeverity(c rules.Confidence) string {
	switch c {
	case rules.High:
		return "9.5"
	case rules.Medium:
		return "8.0"
	case rules.Low:
		return "5.0"
	}
	return "1.0"
}

func precision(c rules.Confidence) string {
	switch c {
	case rules.High:
		return "very-high"
	case rules.Medium:
		return "high"
	case rules.Low:
		return "medium"
	}
	return "low"
}

// pascal turns "github-pat-classic" into "GithubPatClassic", SARIF's style
// for rule names.
func pascal(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// sarifURI makes a finding path a URI reference: relative paths stay
// relative to the checkout (%SRCROOT%), as code scanning expects.
func sarifURI(p string) sarifArtifact {
	if p == "-" {
		return sarifArtifact{URI: "stdin"}
	}
	if filepath.IsAbs(filepath.FromSlash(p)) {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(p)}
		return sarifArtifact{URI: u.String()}
	}
	u := url.URL{Path: strings.TrimPrefix(p, "./")}
	return sarifArtifact{URI: u.String(), URIBaseID: srcRootToken}
}

// partialFingerprint identifies a result across runs: the token's
// fingerprint and the file, so that it stays the same when lines move and
// each file holding the token gets its own alert.
func partialFingerprint(f *finding.Finding) string {
	sum := sha256.Sum256([]byte(f.Fingerprint + "\x00" + f.Path))
	return hex.EncodeToString(sum[:])
}

func bulletList(steps []string) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString("- " + s + "\n")
	}
	return b.String()
}

func (sarifReporter) Report(w io.Writer, r *Report) error {
	all := rules.All()
	index := map[string]int{}
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	run.Tool.Driver = sarifDriver{Name: "ghtoken", Version: r.Version, InformationURI: projectURL}
	for i, rule := range all {
		index[rule.ID] = i
		steps := rules.Remediation(rule, rules.Place{})
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleDescriptor{
			ID: rule.ID, Name: pascal(rule.ID),
			ShortDescription:     sarifText{Text: rule.Title},
			FullDescription:      sarifText{Text: rule.Matches},
			Help:                 sarifText{Text: strings.Join(steps, "\n"), Markdown: "**" + rule.Title + "**\n\n" + bulletList(steps)},
			HelpURI:              projectURL + "#rules",
			DefaultConfiguration: map[string]any{"level": levelOf(rule.Confidence)},
			Properties: map[string]any{
				"tags":              []string{"security", "secret", "external/cwe/cwe-798"},
				"precision":         precision(rule.Confidence),
				"security-severity": securitySeverity(rule.Confidence),
			},
		})
	}
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		steps := f.Remediation()
		msg := fmt.Sprintf("%s (%s confidence). %s", f.Rule.Title, f.Confidence, steps[0])
		if f.Confidence == rules.Lookalike {
			msg = fmt.Sprintf("Look-alike of a %s (%s): not a finding.", f.Rule.Title, f.Note)
		}
		props := map[string]any{
			"confidence":        f.Confidence.String(),
			"security-severity": securitySeverity(f.Confidence),
			"fingerprint":       f.Fingerprint,
		}
		if f.Note != "" {
			props["note"] = f.Note
		}
		if f.Encoding != "" {
			props["encoding"] = f.Encoding
		}
		if f.Commit != nil {
			props["commit"] = f.Commit.Hash
		}
		run.Results = append(run.Results, sarifResult{
			RuleID: f.Rule.ID, RuleIndex: index[f.Rule.ID], Level: levelOf(f.Confidence),
			Message: sarifText{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifURI(f.Path),
				Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.Line, EndColumn: f.EndColumn},
			}}},
			PartialFingerprints: map[string]string{"ghtokenFingerprint/v1": partialFingerprint(f)},
			Properties:          props,
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: true, ToolExecutionNotifications: []sarifNotification{}}
	if !r.Start.IsZero() {
		inv.StartTimeUTC = r.Start.UTC().Format(time.RFC3339)
		inv.EndTimeUTC = r.End.UTC().Format(time.RFC3339)
	}
	for _, s := range r.Result.Skipped {
		if warnedSkip(s) {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "warning", Message: sarifText{Text: fmt.Sprintf("not scanned (%s): %s", s.Reason, s.Detail)},
				Locations:  []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifURI(strings.TrimSuffix(s.Path, "/"))}}},
				Descriptor: map[string]string{"id": "skipped-" + string(s.Reason)},
			})
		}
	}
	for _, n := range r.Result.Notices {
		loc := sarifPhysical{ArtifactLocation: sarifURI(n.Path)}
		if n.Line > 0 {
			loc.Region = &sarifRegion{StartLine: n.Line, StartColumn: n.Column}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "warning", Message: sarifText{Text: n.Message},
			Locations: []sarifLocation{{PhysicalLocation: loc}}, Descriptor: map[string]string{"id": string(n.Code)},
		})
	}
	run.Invocations = []sarifInvocation{inv}
	supp := map[string]int{}
	for _, by := range suppressionOrder {
		supp[string(by)] = r.Result.Stats.Suppressed[by]
	}
	run.Properties = map[string]any{"suppressed": supp}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
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
	Tool               sarifTool                `json:"tool"`
	Invocations        []sarifInvocation        `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult            `json:"results"`
	ColumnKind         string                   `json:"columnKind"`
	Properties         map[string]any           `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string                `json:"name"`
	Version         string                `json:"version,omitempty"`
	SemanticVersion string                `json:"semanticVersion,omitempty"`
	InformationURI  string                `json:"informationUri"`
	Rules           []sarifRuleDescriptor `json:"rules"`
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
	URI       string `json:"uri,omitempty"`
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

// maxSARIFResults is GitHub code scanning's hard limit of results in one
// run: a run with more is rejected whole. Only the first 5,000 by severity
// are shown, but every accepted result is stored.
const maxSARIFResults = 25000

// sarifLocator turns finding paths into artifact locations.
type sarifLocator struct {
	root, base string // absolute directories; see Report.SourceRoot
}

func newSARIFLocator(r *Report) sarifLocator {
	l := sarifLocator{root: r.SourceRoot, base: r.PathBase}
	if l.base == "" {
		l.base = l.root
	}
	return l
}

// artifact makes a finding path a URI reference. A path inside the source
// root is relative to it with uriBaseId %SRCROOT%, which is what code
// scanning resolves against the checkout, whatever directory the scan ran
// in; a path outside it is an absolute file URI (code scanning cannot place
// it, and says so, rather than placing it wrong).
func (l sarifLocator) artifact(p string) sarifArtifact {
	if p == "-" {
		return sarifArtifact{URI: "stdin"}
	}
	native := filepath.FromSlash(p)
	if !filepath.IsAbs(native) && l.base != "" {
		native = filepath.Join(l.base, native)
	}
	if l.root != "" && filepath.IsAbs(native) {
		if rel, err := filepath.Rel(l.root, native); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			u := url.URL{Path: filepath.ToSlash(rel)}
			return sarifArtifact{URI: u.String(), URIBaseID: srcRootToken}
		}
	}
	if filepath.IsAbs(native) {
		return sarifArtifact{URI: fileURI(native, false)}
	}
	u := url.URL{Path: strings.TrimPrefix(p, "./")}
	return sarifArtifact{URI: u.String(), URIBaseID: srcRootToken}
}

// fileURI is the file: URI of an absolute path; a directory's ends in "/",
// as SARIF requires of originalUriBaseIds.
func fileURI(abs string, dir bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x on Windows
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// semanticVersion returns v as SemVer 2.0 (no leading "v"), or "" when it
// is not one (a development build says "(devel)").
func semanticVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	core, _, _ := strings.Cut(v, "+")
	core, _, _ = strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return ""
	}
	for _, n := range parts {
		if n == "" || strings.Trim(n, "0123456789") != "" || len(n) > 1 && n[0] == '0' {
			return ""
		}
	}
	return v
}

// capResults keeps at most limit findings for a run, the most severe first
// (then in report order), and returns them in report order with the number
// left out.
func capResults(fs []finding.Finding, limit int) (kept []*finding.Finding, dropped int) {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	if len(fs) > limit {
		sort.SliceStable(idx, func(a, b int) bool { return fs[idx[a]].Confidence > fs[idx[b]].Confidence })
		dropped = len(fs) - limit
		idx = idx[:limit]
		sort.Ints(idx)
	}
	for _, i := range idx {
		kept = append(kept, &fs[i])
	}
	return kept, dropped
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
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	loc := newSARIFLocator(r)
	run.Tool.Driver = sarifDriver{Name: "ghtoken", Version: r.Version, SemanticVersion: semanticVersion(r.Version), InformationURI: projectURL}
	if loc.root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{srcRootToken: {URI: fileURI(loc.root, true)}}
	}
	var index map[string]int
	run.Tool.Driver.Rules, index = sarifRules(r)
	kept, dropped := capResults(r.Result.Findings, maxSARIFResults)
	for _, f := range kept {
		run.Results = append(run.Results, sarifResultOf(r, f, index, loc))
	}
	run.Invocations = []sarifInvocation{sarifInvocationOf(r, loc, dropped)}
	supp := map[string]int{}
	for _, by := range suppressionOrder {
		supp[string(by)] = r.Result.Stats.Suppressed[by]
	}
	run.Properties = map[string]any{"suppressed": supp, "failOn": r.Threshold().String()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRules describes every rule, and indexes them by id.
func sarifRules(r *Report) ([]sarifRuleDescriptor, map[string]int) {
	var descs []sarifRuleDescriptor
	index := map[string]int{}
	for i, rule := range rules.All() {
		index[rule.ID] = i
		steps := rules.Remediation(rule, rules.Place{})
		descs = append(descs, sarifRuleDescriptor{
			ID: rule.ID, Name: pascal(rule.ID),
			ShortDescription:     sarifText{Text: rule.Title},
			FullDescription:      sarifText{Text: rule.Matches},
			Help:                 sarifText{Text: strings.Join(steps, "\n"), Markdown: "**" + rule.Title + "**\n\n" + bulletList(steps)},
			HelpURI:              projectURL + "#rules",
			DefaultConfiguration: map[string]any{"level": r.level(rule.Confidence)},
			Properties: map[string]any{
				"tags":              []string{"security", "secret", "external/cwe/cwe-798"},
				"precision":         precision(rule.Confidence),
				"security-severity": securitySeverity(rule.Confidence),
			},
		})
	}
	return descs, index
}

// sarifResultOf is one finding as a SARIF result.
func sarifResultOf(r *Report, f *finding.Finding, index map[string]int, loc sarifLocator) sarifResult {
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
	if f.Glued {
		props["glued"] = true
	}
	if f.Commit != nil {
		props["commit"] = f.Commit.Hash
	}
	where := sarifPhysical{
		ArtifactLocation: loc.artifact(f.Path),
		Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.Line, EndColumn: f.EndColumn},
	}
	if f.Container != "" {
		// Code scanning places results in files of the repository: the
		// location is the archive as a whole, the member is named in the
		// message and in the properties (its line is not the archive's).
		where = sarifPhysical{ArtifactLocation: loc.artifact(f.Container)}
		msg = fmt.Sprintf("In %s, line %d, column %d: %s", f.Path, f.Line, f.Column, msg)
		props["archive-member"] = f.Path
	}
	return sarifResult{
		RuleID: f.Rule.ID, RuleIndex: index[f.Rule.ID], Level: r.level(f.Confidence),
		Message:             sarifText{Text: msg},
		Locations:           []sarifLocation{{PhysicalLocation: where}},
		PartialFingerprints: map[string]string{"ghtokenFingerprint/v1": partialFingerprint(f)},
		Properties:          props,
	}
}

// sarifInvocationOf says when the scan ran and what it could not do: files
// not scanned, suppression notices, results left out.
func sarifInvocationOf(r *Report, loc sarifLocator, dropped int) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true, ToolExecutionNotifications: []sarifNotification{}}
	if !r.Start.IsZero() {
		inv.StartTimeUTC = r.Start.UTC().Format(time.RFC3339)
		inv.EndTimeUTC = r.End.UTC().Format(time.RFC3339)
	}
	for _, s := range r.Result.Skipped {
		if warnedSkip(s) {
			file, what := strings.TrimSuffix(s.Path, "/"), ""
			if s.Container != "" {
				file, what = s.Container, " "+s.Path
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "warning", Message: sarifText{Text: fmt.Sprintf("not scanned (%s)%s: %s", s.Reason, what, s.Detail)},
				Locations:  []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: loc.artifact(file)}}},
				Descriptor: map[string]string{"id": "skipped-" + string(s.Reason)},
			})
		}
	}
	for _, n := range r.Result.Notices {
		where := sarifPhysical{ArtifactLocation: loc.artifact(n.Path)}
		if n.Line > 0 {
			where.Region = &sarifRegion{StartLine: n.Line, StartColumn: n.Column}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "warning", Message: sarifText{Text: n.Message},
			Locations: []sarifLocation{{PhysicalLocation: where}}, Descriptor: map[string]string{"id": string(n.Code)},
		})
	}
	if dropped > 0 {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error",
			Message: sarifText{Text: fmt.Sprintf("%d results left out: code scanning rejects a run of more than %d results; the %d kept are the most severe. See every finding with --format json.",
				dropped, maxSARIFResults, maxSARIFResults)},
			Descriptor: map[string]string{"id": "results-truncated"},
		})
	}
	return inv
}

package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

func classicRule(t *testing.T) *rules.Rule {
	t.Helper()
	for _, r := range rules.All() {
		if r.ID == "github-pat-classic" {
			return r
		}
	}
	t.Fatal("no github-pat-classic rule")
	return nil
}

func sarifOf(t *testing.T, r *Report) sarifLog {
	t.Helper()
	var buf bytes.Buffer
	if err := (sarifReporter{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc sarifLog
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// URIs are relative to the top of the work tree with %SRCROOT%, whatever
// directory the scan ran from and however the path was given; a path
// outside the tree is an absolute file URI, never "../".
func TestSARIFURIsRelativeToTheSourceRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	rule := classicRule(t)
	tok := rulestest.Token("ghp", "uri")
	res := &finding.Result{}
	for _, p := range []string{"../config/a.env", filepath.ToSlash(filepath.Join(root, "x", "b.env")), "c d/é.env", filepath.ToSlash(filepath.Join(filepath.Dir(root), "elsewhere.env"))} {
		res.Findings = append(res.Findings, finding.Finding{Rule: rule, Confidence: rules.High, Path: p, Line: 1, Column: 1, EndColumn: 41,
			Secret: tok, Fingerprint: rules.Fingerprint(tok)})
	}
	doc := sarifOf(t, &Report{Result: res, SourceRoot: root, PathBase: filepath.Join(root, "sub")})
	run := doc.Runs[0]
	var got []string
	for _, r := range run.Results {
		a := r.Locations[0].PhysicalLocation.ArtifactLocation
		got = append(got, a.URIBaseID+" "+a.URI)
	}
	want := []string{
		"%SRCROOT% config/a.env",
		"%SRCROOT% x/b.env",
		"%SRCROOT% sub/c%20d/%C3%A9.env",
		" " + fileURI(filepath.Join(filepath.Dir(root), "elsewhere.env"), false),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("artifact locations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	base := run.OriginalURIBaseIDs[srcRootToken].URI
	if base != fileURI(root, true) || !strings.HasPrefix(base, "file:///") || !strings.HasSuffix(base, "/") {
		t.Errorf("originalUriBaseIds[%%SRCROOT%%] = %q, want the root as a file URI ending in /", base)
	}
}

func TestSARIFSemanticVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v1.2.3": "1.2.3", "1.2.3": "1.2.3", "v0.1.0-rc.1+abc": "0.1.0-rc.1+abc",
		"(devel)": "", "": "", "v1.2": "", "v01.2.3": "", "main": "", "e9f6847": "",
	} {
		if got := semanticVersion(v); got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", v, got, want)
		}
	}
}

// Code scanning rejects a run of more than 25,000 results: the run is cut
// there, keeping the most severe, and a notification says how many are out.
func TestSARIFCapsResultsPerRun(t *testing.T) {
	rule := classicRule(t)
	tok := rulestest.Token("ghp", "cap")
	res := &finding.Result{}
	for i := range maxSARIFResults + 3 {
		c := rules.Medium
		if i%2 == 0 {
			c = rules.High
		}
		res.Findings = append(res.Findings, finding.Finding{Rule: rule, Confidence: c, Path: "many.env", Line: i + 1, Column: 1,
			Secret: tok, Fingerprint: rules.Fingerprint(tok)})
	}
	run := sarifOf(t, &Report{Result: res}).Runs[0]
	if len(run.Results) != maxSARIFResults {
		t.Fatalf("%d results, want %d", len(run.Results), maxSARIFResults)
	}
	var notified bool
	for _, n := range run.Invocations[0].ToolExecutionNotifications {
		if n.Descriptor["id"] == "results-truncated" && strings.Contains(n.Message.Text, "3 results left out") {
			notified = true
		}
	}
	if !notified {
		t.Error("no results-truncated notification")
	}
	highs := 0
	last := 0
	for _, r := range run.Results {
		if r.Properties["confidence"] == rules.High.String() {
			highs++
		}
		line := r.Locations[0].PhysicalLocation.Region.StartLine
		if line <= last {
			t.Fatalf("results out of report order at line %d", line)
		}
		last = line
	}
	if want := (maxSARIFResults + 3 + 1) / 2; highs != want {
		t.Errorf("%d high results kept, want all %d", highs, want)
	}
}

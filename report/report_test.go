package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Directive names split so that this file holds none.
const (
	allowDirective     = "ghtoken" + ":allow"
	allowNextDirective = "ghtoken" + ":allow-next-line"
)

// fixture is a small checkout with one finding of each confidence, a
// look-alike, an allowed token and an unused directive. Tokens are made at
// run time from fixed seeds, so the masked forms and fingerprints in the
// golden files are stable and no golden file holds a token.
var fixture = map[string]string{
	"config/app.env":     "# settings\nGITHUB_TOKEN=${hex40:legacy}\nAPI=${ghp:high}\n",
	"src/main.go":        "package main\n\n// é, ü: columns count code points\nvar t = \"${github_pat:fine}\" // ${ghp~:look}\n",
	"src/bad_sum.txt":    "token: ${github_pat_badsum:low}\n",
	"test/fixture.txt":   "ok = \"${gho:allowed}\" # " + allowDirective + " test fixture, revoked\n# " + allowNextDirective + " nothing below\n\n",
	"docs/odd,name:x.md": "see ${ghu:odd}\nid=x${gho:glued}y\n",
}

// fixtureTokens lists every token the fixture holds, to check that no report
// prints one whole.
func fixtureTokens() []string {
	var out []string
	for _, content := range fixture {
		for _, m := range regexp.MustCompile(`\$\{[^}]+\}`).FindAllString(content, -1) {
			out = append(out, rulestest.Expand(m))
		}
	}
	return out
}

// fixtureReport scans the fixture from inside it (relative paths) and fixes
// everything that depends on the clock or the build.
func fixtureReport(t *testing.T, lookalikes bool) *Report {
	t.Helper()
	dir := rulestest.Tree(t, fixture)
	t.Chdir(dir)
	res, err := scanner.Scan(context.Background(), &walk.Paths{Args: []string{"."}}, scanner.Options{Lookalikes: lookalikes, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	res.Stats.Duration = 0
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	return &Report{Result: res, ShowLookalikes: lookalikes, Start: start, End: start.Add(1500 * time.Millisecond), Version: "v0.0.0-test"}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/ghtoken -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// goldenDir is absolute: the tests change directory.
var goldenDir = func() string {
	d, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		panic(err)
	}
	return d
}()

var schemaPath = func() string {
	p, err := filepath.Abs(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		panic(err)
	}
	return p
}()

func TestReportersGolden(t *testing.T) {
	cases := []struct {
		golden     string
		rep        func(w *bytes.Buffer, r *Report) error
		lookalikes bool
	}{
		{"text.golden", func(w *bytes.Buffer, r *Report) error { return textReporter{}.Report(w, r) }, false},
		{"text-verbose.golden", func(w *bytes.Buffer, r *Report) error {
			v := *r
			v.Verbose = true
			return textReporter{}.Report(w, &v)
		}, false},
		{"json.golden", func(w *bytes.Buffer, r *Report) error { return jsonReporter{}.Report(w, r) }, false},
		{"sarif.golden", func(w *bytes.Buffer, r *Report) error { return sarifReporter{}.Report(w, r) }, false},
		{"sarif-lookalikes.golden", func(w *bytes.Buffer, r *Report) error { return sarifReporter{}.Report(w, r) }, true},
		{"github.golden", func(w *bytes.Buffer, r *Report) error { return githubReporter{}.Report(w, r) }, false},
		{"github-summary.golden", func(w *bytes.Buffer, r *Report) error { return WriteStepSummary(w, r) }, false},
		{"gitlab.golden", func(w *bytes.Buffer, r *Report) error { return gitlabReporter{}.Report(w, r) }, false},
		{"jsonl.golden", func(w *bytes.Buffer, r *Report) error { return jsonlReporter{}.Report(w, r) }, false},
	}
	tokens := fixtureTokens()
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			r := fixtureReport(t, tc.lookalikes)
			if len(r.Result.Findings) < 4 || len(r.Result.Notices) != 1 {
				t.Fatalf("fixture gave %d findings, %d notices", len(r.Result.Findings), len(r.Result.Notices))
			}
			var buf bytes.Buffer
			if err := tc.rep(&buf, r); err != nil {
				t.Fatal(err)
			}
			for _, tok := range tokens {
				if strings.Contains(buf.String(), tok) {
					t.Fatalf("report holds a whole token")
				}
			}
			golden(t, tc.golden, buf.Bytes())
		})
	}
}

// SARIF holds no token text at all: not even the masked form, whatever
// --show-secrets says.
func TestSARIFHoldsNoTokenText(t *testing.T) {
	r := fixtureReport(t, true)
	r.ShowSecrets = true
	var buf bytes.Buffer
	if err := (sarifReporter{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Result.Findings {
		masked := f.Masked()
		middle := strings.TrimSuffix(strings.SplitN(masked, "…", 2)[0], "")
		if strings.Contains(buf.String(), f.Secret) || strings.Contains(buf.String(), masked) {
			t.Errorf("SARIF holds the token or its masked form %q", masked)
		}
		// The visible head of the masked form (prefix + 4 characters).
		if len(middle) > len(f.Rule.Prefix) && strings.Contains(buf.String(), middle) {
			t.Errorf("SARIF holds %q, the start of a token", middle)
		}
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile the SARIF 2.1.0 schema: %v", err)
	}
	for _, lookalikes := range []bool{false, true} {
		r := fixtureReport(t, lookalikes)
		r.SourceRoot, _ = filepath.Abs(".") // with originalUriBaseIds
		var buf bytes.Buffer
		if err := (sarifReporter{}).Report(&buf, r); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("SARIF output does not validate against the SARIF 2.1.0 schema:\n%v", err)
		}
	}
	// The validator is not vacuous: a document missing runs[].tool fails.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"results":[]}]}`))
	if sch.Validate(bad) == nil {
		t.Error("the schema accepted a run without a tool")
	}
}

// The GitLab report validates against GitLab's own published schema for
// secret-detection reports (15.0.7, vendored with its source named), for a
// scan of files and for findings from a commit.
func TestGitLabValidatesAgainstSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(gitlabSchemaPath)
	if err != nil {
		t.Fatalf("compile GitLab's schema: %v", err)
	}
	r := fixtureReport(t, false)
	committed := *r
	res := *r.Result
	res.Findings = slices.Clone(res.Findings)
	for i := range res.Findings {
		res.Findings[i].Commit = &finding.Commit{Hash: strings.Repeat("ab", 20), Author: "Ada <ada@example.com>", Date: r.Start}
	}
	committed.Result = &res
	for _, rep := range []*Report{r, &committed} {
		var buf bytes.Buffer
		if err := (gitlabReporter{}).Report(&buf, rep); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("the GitLab report does not validate against GitLab's schema:\n%v", err)
		}
	}
	// Not vacuous: a vulnerability without a location fails.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"15.0.7","vulnerabilities":[{"id":"x","identifiers":[{"type":"t","name":"n","value":"v"}]}],
		"scan":{"analyzer":{"id":"a","name":"a","version":"1","vendor":{"name":"v"}},"scanner":{"id":"a","name":"a","version":"1","vendor":{"name":"v"}},
		"start_time":"2026-01-01T00:00:00","end_time":"2026-01-01T00:00:00","status":"success","type":"secret_detection"}}`))
	if sch.Validate(bad) == nil {
		t.Error("the schema accepted a vulnerability without a location")
	}
}

var gitlabSchemaPath = func() string {
	p, err := filepath.Abs(filepath.Join("testdata", "gitlab", "secret-detection-report-format-15.0.7.json"))
	if err != nil {
		panic(err)
	}
	return p
}()

func TestSARIFShape(t *testing.T) {
	r := fixtureReport(t, false)
	var buf bytes.Buffer
	if err := (sarifReporter{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc sarifLog
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" || len(run.Tool.Driver.Rules) != len(rules.All()) {
		t.Errorf("columnKind %q, %d rules", run.ColumnKind, len(run.Tool.Driver.Rules))
	}
	for _, d := range run.Tool.Driver.Rules {
		if !strings.Contains(d.Help.Markdown, "Revoke") && !strings.Contains(d.Help.Markdown, "revoke") {
			t.Errorf("rule %s: help.markdown has no remediation: %q", d.ID, d.Help.Markdown)
		}
		if d.Properties["security-severity"] == "" {
			t.Errorf("rule %s: no security-severity", d.ID)
		}
	}
	for i, res := range run.Results {
		f := r.Result.Findings[i]
		reg := res.Locations[0].PhysicalLocation.Region
		if reg.StartLine != f.Line || reg.StartColumn != f.Column || reg.EndColumn != f.EndColumn {
			t.Errorf("result %d: region %+v, finding %d:%d-%d", i, reg, f.Line, f.Column, f.EndColumn)
		}
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d does not point at %s", i, res.RuleIndex, res.RuleID)
		}
	}
}

// The partial fingerprint follows the token and the file, not the line.
func TestSARIFFingerprintIgnoresLines(t *testing.T) {
	f := finding.Finding{Fingerprint: rules.Fingerprint(rulestest.Token("ghp", "1")), Path: "a/b.txt", Line: 3}
	g := f
	g.Line, g.Column = 40, 9
	if partialFingerprint(&f) != partialFingerprint(&g) {
		t.Error("moving the token changed the partial fingerprint")
	}
	g.Path = "a/c.txt"
	if partialFingerprint(&f) == partialFingerprint(&g) {
		t.Error("two files share a partial fingerprint")
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got, want := escapeData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty("docs/odd,name:x.md\n%"), "docs/odd%2Cname%3Ax.md%0A%25"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	// Every annotation is one line, whatever the path holds.
	r := fixtureReport(t, false)
	r.Result.Findings[0].Path = "evil\n::error::injected"
	var buf bytes.Buffer
	if err := (githubReporter{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") {
			t.Errorf("line is not one workflow command: %q", line)
		}
	}
}

func TestGitLabShape(t *testing.T) {
	r := fixtureReport(t, true)
	var buf bytes.Buffer
	if err := (gitlabReporter{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	scan := doc["scan"].(map[string]any)
	if scan["type"] != "secret_detection" || scan["status"] != "success" || !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`).MatchString(scan["start_time"].(string)) {
		t.Errorf("scan = %v", scan)
	}
	vulns := doc["vulnerabilities"].([]any)
	if want := confirmedCount(r.Result); len(vulns) != want {
		t.Errorf("%d vulnerabilities, want %d (look-alikes are not vulnerabilities)", len(vulns), want)
	}
	for _, v := range vulns {
		m := v.(map[string]any)
		for _, k := range []string{"id", "name", "description", "severity", "location", "identifiers"} {
			if m[k] == nil {
				t.Errorf("vulnerability without %s: %v", k, m)
			}
		}
		if _, ok := m["raw_source_code_extract"]; ok {
			t.Error("raw_source_code_extract would hold the token")
		}
		loc := m["location"].(map[string]any)
		if loc["commit"].(map[string]any)["sha"] == "" {
			t.Error("location.commit.sha is required")
		}
	}
}

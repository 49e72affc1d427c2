package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// runIn runs ghtoken with args in dir and returns the exit status, stdout
// and stderr. vars supplies the environment variables the command reads.
func runIn(t *testing.T, dir string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return vars[k] }}
	code := e.dispatch(args)
	return code, stdout.String(), stderr.String()
}

func TestOutputFileIsAtomic(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "x = ${ghp:1}\n"})
	out := filepath.Join(t.TempDir(), "report.sarif")
	code, stdout, stderr := runIn(t, dir, nil, "scan", "--format", "sarif", "-o", out)
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, "1 finding") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !json.Valid(data) {
		t.Fatalf("report file: %v", err)
	}
	// A failed run (bad suppression file) leaves the old report untouched
	// and no temporary file behind.
	if err := os.WriteFile(filepath.Join(dir, ".ghtokenignore"), []byte("sha256:bad reason\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runIn(t, dir, nil, "scan", "--format", "sarif", "-o", out)
	if code != exitError || !strings.Contains(stderr, ".ghtokenignore:1: malformed fingerprint") {
		t.Errorf("bad ignore file: code %d, stderr %q", code, stderr)
	}
	if after, _ := os.ReadFile(out); !bytes.Equal(after, data) {
		t.Error("a failed run changed the report")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("files left in the output directory: %v", entries)
	}
}

func TestOutputFileUnwritable(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "nothing\n"})
	for _, out := range []string{filepath.Join(dir, "missing", "r.json"), dir} {
		code, _, stderr := runIn(t, dir, nil, "scan", "--format", "json", "-o", out)
		if code != exitError || !strings.Contains(stderr, "-o: create") {
			t.Errorf("-o %s: code %d, stderr %q", out, code, stderr)
		}
	}
	if runtime.GOOS != "windows" && os.Getuid() != 0 {
		ro := t.TempDir()
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
		if code, _, _ := runIn(t, dir, nil, "scan", "-o", filepath.Join(ro, "r.txt")); code != exitError {
			t.Errorf("read-only directory: code %d", code)
		}
	}
}

func TestStepSummary(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "x = ${ghp:1}\n"})
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runIn(t, dir, map[string]string{"GITHUB_STEP_SUMMARY": summary}, "scan", "--format", "github")
	if code != exitFindings || !strings.HasPrefix(stdout, "::error file=a.txt,line=1,col=5,") {
		t.Errorf("code %d, stdout %q", code, stdout)
	}
	data, _ := os.ReadFile(summary)
	if !strings.HasPrefix(string(data), "earlier step\n## ❌ ghtoken: 1 leaked GitHub token\n") || !strings.Contains(string(data), "| 🔴 high | `a.txt:1:5` |") {
		t.Errorf("summary:\n%s", data)
	}
	// Without the variable nothing is written anywhere else.
	code, _, _ = runIn(t, dir, nil, "scan", "--format", "github")
	if after, _ := os.ReadFile(summary); code != exitFindings || !bytes.Equal(after, data) {
		t.Error("summary written without GITHUB_STEP_SUMMARY")
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "x = ${ghp:1}\ny = ${gho:2}\n", "b.txt": "z = ${ghp:1}\n"})
	code, baseline, stderr := runIn(t, dir, nil, "baseline")
	if code != exitClean || !strings.Contains(stderr, "2 tokens recorded") {
		t.Fatalf("baseline: code %d, stderr %q", code, stderr)
	}
	for _, tok := range []string{rulestest.Token("ghp", "1"), rulestest.Token("gho", "2")} {
		if strings.Contains(baseline, tok) || !strings.Contains(baseline, rules.Fingerprint(tok)) {
			t.Errorf("baseline must name %s by fingerprint only:\n%s", rules.Mask(nil, tok), baseline)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".ghtoken-baseline.json"), []byte(baseline), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runIn(t, dir, nil, "scan", "--baseline", ".ghtoken-baseline.json", "--format", "json")
	var doc report.JSONDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if code != exitClean || len(doc.Findings) != 0 || doc.Stats.Suppressed["baseline"] != 3 {
		t.Errorf("with baseline: code %d, findings %d, suppressed %v", code, len(doc.Findings), doc.Stats.Suppressed)
	}
	// A new token is reported; the baseline never hides a token it does not name.
	if err := os.WriteFile(filepath.Join(dir, "c.txt"), []byte(rulestest.Expand("w = ${ghp:3}\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runIn(t, dir, nil, "scan", "--baseline", ".ghtoken-baseline.json", "--format", "json")
	doc = report.JSONDoc{}
	json.Unmarshal([]byte(out), &doc)
	if code != exitFindings || len(doc.Findings) != 1 || doc.Findings[0].Path != "c.txt" {
		t.Errorf("new token: code %d, findings %+v", code, doc.Findings)
	}
	// Regenerating an unchanged baseline gives the same bytes.
	os.Remove(filepath.Join(dir, "c.txt"))
	if _, again, _ := runIn(t, dir, nil, "baseline"); again != baseline {
		t.Errorf("baseline is not stable:\n%s\n---\n%s", baseline, again)
	}
}

func TestBadSuppressionFilesExit2(t *testing.T) {
	fp := rules.Fingerprint(rulestest.Token("ghp", "1"))
	cases := []struct {
		files map[string]string
		args  []string
		want  string
	}{
		{map[string]string{".ghtokenignore": "# c\n" + fp + "\n"}, nil, ".ghtokenignore:2: fingerprint entry without a reason"},
		{map[string]string{".ghtokenignore": fp + " why expires=2026-13-01\n"}, nil, ".ghtokenignore:1: bad expires="},
		{map[string]string{".github/secret_scanning.yml": "paths-ignore:\n  - a\npath-ignore:\n  - b\n"}, nil, ".github/secret_scanning.yml:3: "},
		{map[string]string{"b.json": "{\"version\":1,\"findings\":[],\"x\":1}"}, []string{"--baseline", "b.json"}, "b.json:1: unknown key \"x\""},
		{map[string]string{}, []string{"--baseline", "missing.json"}, "read missing.json"},
	}
	for _, c := range cases {
		c.files["a.txt"] = "x = ${ghp:1}\n"
		dir := tree(t, c.files)
		code, stdout, stderr := runIn(t, dir, nil, append([]string{"scan"}, c.args...)...)
		if code != exitError || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: code %d, stdout %q, stderr %q, want %q", c.files, code, stdout, stderr, c.want)
		}
	}
}

// The ignore file is read at the repository's top even when a subdirectory
// is scanned, and its patterns are relative to that top.
func TestScanRootIsRepositoryTop(t *testing.T) {
	dir := gitTree(t, map[string]string{
		"sub/dir/a.txt":  "x = ${ghp:1}\n",
		"sub/dir/b.txt":  "x = ${ghp:2}\n",
		".ghtokenignore": "/sub/dir/a.txt\n",
	})
	code, out, _ := runIn(t, filepath.Join(dir, "sub"), nil, "scan", "dir", "--format", "json")
	var doc report.JSONDoc
	json.Unmarshal([]byte(out), &doc)
	if code != exitFindings || len(doc.Findings) != 1 || doc.Findings[0].Path != "dir/b.txt" || doc.Stats.Suppressed["ignore-file"] != 1 {
		t.Errorf("code %d, findings %+v, suppressed %v", code, doc.Findings, doc.Stats.Suppressed)
	}
}

// Six findings of one type read at a glance: a line or two each, the advice
// once; --verbose gives each its block, --quiet only the summary line.
func TestTextLayouts(t *testing.T) {
	var env strings.Builder
	for i := range 6 {
		fmt.Fprintf(&env, "TOKEN_%d=${ghp:layout%d}\n", i, i)
	}
	dir := tree(t, map[string]string{"app.env": env.String()})
	code, compact, stderr := ghtoken(t, "", "scan", "--no-color", dir)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	_, verbose, _ := ghtoken(t, "", "scan", "--no-color", "--verbose", dir)
	step := "Create a replacement only if still needed"
	if n := strings.Count(compact, step); n != 1 {
		t.Errorf("compact: the advice appears %d times, want once\n%s", n, compact)
	}
	if n := strings.Count(verbose, step); n != 6 {
		t.Errorf("verbose: the advice appears %d times, want once per finding", n)
	}
	if c, v := strings.Count(compact, "\n"), strings.Count(verbose, "\n"); c*2 > v || c > 40 {
		t.Errorf("compact report %d lines, verbose %d: compact should be well under half", c, v)
	}
	for i := range 6 {
		place := fmt.Sprintf("app.env:%d:", i+1)
		if !strings.Contains(compact, place) || !strings.Contains(verbose, place) {
			t.Errorf("%s missing", place)
		}
	}
	code, quiet, _ := ghtoken(t, "", "scan", "--quiet", dir)
	if code != exitFindings || strings.Count(quiet, "\n") != 1 || !strings.HasPrefix(quiet, "ghtoken: 6 findings") {
		t.Errorf("--quiet: exit %d, stdout %q, want only the summary line", code, quiet)
	}
	for _, args := range [][]string{{"--quiet", "--verbose"}, {"--quiet", "--format", "json"}, {"--verbose", "--format", "sarif"}} {
		if code, _, stderr := ghtoken(t, "", append(append([]string{"scan"}, args...), dir)...); code != exitError {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, stderr)
		}
	}
}

// The jsonl lines are the json report's findings, suppressions applied the
// same way, in the order files were read; then one summary line.
func TestJSONLMatchesJSON(t *testing.T) {
	dir := tree(t, map[string]string{
		"a.env": "A=${ghp:jl1}\nB=${gho:jl2}\n", "b/c.txt": "${github_pat:jl3}\n",
		"skip/d.env": "D=${ghp:jl4}\n", ".ghtokenignore": "skip/\n",
	})
	_, js, _ := ghtoken(t, "", "scan", "--format", "json", dir)
	code, jl, stderr := ghtoken(t, "", "scan", "--format", "jsonl", dir)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var doc struct{ Findings []map[string]any }
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, f := range doc.Findings {
		want[f["fingerprint"].(string)+" "+f["path"].(string)] = true
	}
	lines := strings.Split(strings.TrimSuffix(jl, "\n"), "\n")
	got := map[string]bool{}
	for _, l := range lines[:len(lines)-1] {
		var f map[string]any
		if err := json.Unmarshal([]byte(l), &f); err != nil || f["type"] != "finding" {
			t.Fatalf("line %q: %v", l, err)
		}
		got[f["fingerprint"].(string)+" "+f["path"].(string)] = true
	}
	if len(want) != 3 || len(got) != len(want) {
		t.Fatalf("jsonl findings %v, json findings %v", got, want)
	}
	for k := range want {
		if !got[k] {
			t.Errorf("jsonl misses %s", k)
		}
	}
	var sum struct {
		Type     string
		Findings int
		Stats    struct{ Suppressed map[string]int }
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil || sum.Type != "summary" || sum.Findings != 3 {
		t.Errorf("summary line %q: %v", lines[len(lines)-1], err)
	}
	if strings.Contains(jl, "skip/d.env") {
		t.Error("a finding under an ignored path was written")
	}
}

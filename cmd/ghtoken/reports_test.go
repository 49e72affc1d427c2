package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportFlag: one scan writes the main report and every --report file,
// each the same as that format on its own.
func TestReportFlag(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "x = ${ghp:1}\n", "b.txt": "${gho:2}\n"})
	outDir := t.TempDir()
	sarif, js, text := filepath.Join(outDir, "ghtoken.sarif"), filepath.Join(outDir, "ghtoken.json"), filepath.Join(outDir, "ghtoken.txt")
	if err := os.WriteFile(js, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, colour: true,
		getenv: func(string) string { return "" }}
	t.Chdir(dir)
	code := e.dispatch([]string{"scan", "--format", "github", "--report", "sarif=" + sarif, "--report", "json=" + js, "--report", "text=" + text})
	if code != exitFindings || !strings.HasPrefix(stdout.String(), "::error file=a.txt,") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	var doc struct {
		Findings []struct{ Path string } `json:"findings"`
	}
	data, _ := os.ReadFile(js)
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Findings) != 2 {
		t.Errorf("json report: %v, %d findings\n%s", err, len(doc.Findings), data)
	}
	var sdoc struct {
		Runs []struct{ Results []json.RawMessage } `json:"runs"`
	}
	data, _ = os.ReadFile(sarif)
	if err := json.Unmarshal(data, &sdoc); err != nil || len(sdoc.Runs) != 1 || len(sdoc.Runs[0].Results) != 2 {
		t.Errorf("sarif report: %v\n%s", err, data)
	}
	data, _ = os.ReadFile(text)
	if !strings.Contains(string(data), "a.txt:1:5") || bytes.Contains(data, []byte("\x1b[")) {
		t.Errorf("text report without the finding, or with colour:\n%q", data)
	}
	for _, name := range []string{sarif, js, text} {
		if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v", name, info.Mode(), err)
		}
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 3 {
		t.Errorf("files in the output directory: %v", entries)
	}
	// --show-secrets: the files are private to their owner.
	if code, _, _ := runIn(t, dir, nil, "scan", "--show-secrets", "--report", "json="+js); code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	if info, _ := os.Stat(js); info.Mode().Perm() != 0o600 {
		t.Errorf("--show-secrets report mode %v, want 0600", info.Mode().Perm())
	}
	if data, _ := os.ReadFile(js); !bytes.Contains(data, []byte(`"secret_masked": false`)) {
		t.Errorf("--show-secrets json report holds masked tokens:\n%s", data)
	}
}

// TestReportFlagErrors: every --report problem is found before the scan,
// exits 2 and leaves no file behind.
func TestReportFlagErrors(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "x = ${ghp:1}\n"})
	outDir := t.TempDir()
	r := filepath.Join(outDir, "r.json")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--report", "xml=" + r, dir}, `unknown format "xml"`},
		{[]string{"scan", "--report", r, dir}, "want FORMAT=FILE"},
		{[]string{"scan", "--report", "json=", dir}, "want FORMAT=FILE"},
		{[]string{"scan", "--report", "json=" + r, "--report", "sarif=" + r, dir}, "already writes"},
		{[]string{"scan", "-o", r, "--report", "sarif=" + r, dir}, "-o already writes"},
		{[]string{"scan", "--report", "json=" + filepath.Join(outDir, "missing", "r.json"), dir}, "create"},
		{[]string{"scan", "--report", "json=" + outDir, dir}, "is a directory"},
		{[]string{"baseline", "--report", "json=" + r, dir}, "--report does not apply to baseline"},
	}
	for _, tt := range tests {
		code, _, stderr := ghtoken(t, "", tt.args...)
		if code != exitError || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "finding") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q before any scan", tt.args, code, stderr, tt.want)
		}
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
	// A failed scan (a bad suppression file) leaves an old report as it was.
	if err := os.WriteFile(r, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".ghtokenignore"), []byte("sha256:bad reason\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := ghtoken(t, "", "scan", "--report", "json="+r, dir); code != exitError {
		t.Errorf("bad ignore file: exit %d", code)
	}
	if data, _ := os.ReadFile(r); string(data) != "old" {
		t.Errorf("a failed scan changed the report: %q", data)
	}
}

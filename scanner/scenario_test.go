package scanner_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// TestScenarios runs each testdata/scan/*.txtar archive: its files are written
// to a temporary directory with token placeholders expanded, the directory is
// scanned, and the findings must equal the archive comment's "want:" block
// (and "want --no-ignore:" when present).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("../testdata/scan/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := writeArchive(t, ar)
			wants := parseWants(string(ar.Comment))
			if len(wants) == 0 {
				t.Fatal("scenario has no want: block")
			}
			for flags, want := range wants {
				src := &walk.Paths{Args: []string{dir}, NoIgnore: flags == "--no-ignore"}
				res, err := scanner.Scan(context.Background(), src, scanner.Options{})
				if err != nil {
					t.Fatal(err)
				}
				got := describeFindings(dir, res)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("want %s: findings differ\ngot:\n%s\nwant:\n%s", flags, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}

// writeArchive writes the archive's files into a new directory. When some
// are under .git/, the directory is made a git repository first (they then
// add to or replace what git init wrote).
func writeArchive(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	if slices.ContainsFunc(ar.Files, func(f txtar.File) bool { return strings.HasPrefix(f.Name, ".git/") }) {
		gitInit(t, dir)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(rulestest.Expand(string(f.Data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// parseWants reads blocks that start with "want:" or "want FLAGS:" and run to
// the next blank line.
func parseWants(comment string) map[string][]string {
	out := map[string][]string{}
	block := "" // the FLAGS of the block being read
	inBlock := false
	for _, line := range strings.Split(comment, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			inBlock = false
		case strings.HasPrefix(line, "want") && strings.HasSuffix(line, ":"):
			block = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "want"), ":"))
			out[block] = []string{}
			inBlock = true
		case inBlock:
			out[block] = append(out[block], line)
		}
	}
	return out
}

func describeFindings(dir string, res *finding.Result) []string {
	var got []string
	prefix := filepath.ToSlash(dir) + "/"
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s", strings.TrimPrefix(f.Path, prefix), f.Line, f.Column, f.Rule.ID, f.Confidence))
	}
	return got
}

// gitInit makes dir a repository, with no user or system configuration.
func gitInit(t *testing.T, dir string) {
	t.Helper()
	rulestest.IsolateGit(t)
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
}

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// failOnLines holds a line with a token of each confidence.
var failOnLines = map[string]string{
	"high":   "T=${ghp:failon}",
	"medium": "GITHUB_TOKEN=${hex40:failon}",
	"low":    "T=${github_pat_badsum:failon}",
}

var confidenceRank = map[string]int{"low": 1, "medium": 2, "high": 3}

// failOnWant is the exit status a finding of confidence conf gives under
// --fail-on level ("" for the default, medium).
func failOnWant(conf, level string) int {
	if level == "" {
		level = "medium"
	}
	if confidenceRank[conf] >= confidenceRank[level] {
		return exitFindings
	}
	return exitClean
}

// runBinary runs the ghtoken on PATH (see helperOnPath) in dir and returns
// its exit status and output.
func runBinary(t *testing.T, dir, stdin string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command("ghtoken", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

// failOnRepo makes a repository whose second commit adds line, and whose
// index adds it again in another file.
func failOnRepo(t *testing.T, line string) (dir, base string) {
	t.Helper()
	dir = gitRepo(t)
	writeFile(t, dir, "a.txt", "clean\n")
	gitIn(t, dir, "add", "a.txt")
	gitIn(t, dir, "commit", "-qm", "one")
	base = gitIn(t, dir, "rev-parse", "HEAD")
	writeFile(t, dir, "a.txt", "clean\n"+line+"\n")
	gitIn(t, dir, "commit", "-qam", "two")
	writeFile(t, dir, "b.txt", line+"\n")
	gitIn(t, dir, "add", "b.txt")
	return dir, base
}

// Every scan mode of the real binary exits 1 exactly when a finding is at
// or above --fail-on: a finding below it is a warning, exit 0.
func TestFailOnExitStatus(t *testing.T) {
	helperOnPath(t)
	for conf, line := range failOnLines {
		dir, base := failOnRepo(t, line)
		event := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(event, []byte(`{"before":"`+base+`"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		ci := []string{"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=push", "GITHUB_EVENT_PATH=" + event}
		for _, level := range []string{"", "high", "medium", "low"} {
			var flags []string
			if level != "" {
				flags = []string{"--fail-on", level}
			}
			modes := []struct {
				name  string
				stdin string
				env   []string
				args  []string
			}{
				{"tree", "", nil, []string{"scan", "."}},
				{"stdin", rulestest.Expand(line) + "\n", nil, []string{"scan", "-"}},
				{"staged", "", nil, []string{"scan", "--staged"}},
				{"since", "", nil, []string{"scan", "--since", base}},
				{"ci", "", ci, []string{"scan", "--ci"}},
				{"history", "", nil, []string{"scan", "--history"}},
				{"tree jsonl", "", nil, []string{"scan", "--format", "jsonl", "."}},
			}
			for _, m := range modes {
				t.Run(conf+"/"+level+"/"+m.name, func(t *testing.T) {
					code, out := runBinary(t, dir, m.stdin, m.env, append(m.args, flags...)...)
					if want := failOnWant(conf, level); code != want {
						t.Errorf("exit %d, want %d\n%s", code, want, out)
					}
				})
			}
			t.Run(conf+"/"+level+"/hook", func(t *testing.T) {
				hdir, _ := failOnRepo(t, line)
				if code, out := runBinary(t, hdir, "", nil, append([]string{"install-hook"}, flags...)...); code != exitClean {
					t.Fatalf("install-hook: exit %d\n%s", code, out)
				}
				cmd := exec.Command("git", "commit", "-qm", "three")
				cmd.Dir = hdir
				gout, err := cmd.CombinedOutput()
				committed := err == nil
				if want := failOnWant(conf, level) == exitClean; committed != want {
					t.Errorf("commit went through: %v, want %v\n%s", committed, want, gout)
				}
			})
		}
	}
}

// A finding below --fail-on is shown, counted as a warning in the text
// summary and in the JSON stats, and annotated as a warning.
func TestFailOnWarningsAreCounted(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": failOnLines["low"] + "\n" + failOnLines["high"] + "\n"})
	code, stdout, _ := ghtoken(t, "", "scan", "--no-color", dir)
	if code != exitFindings || !strings.Contains(stdout, "[low, warning]") ||
		!strings.Contains(stdout, "2 findings (1 high, 1 low; 1 warning below --fail-on medium)") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	code, stdout, _ = ghtoken(t, "", "scan", "--format", "json", "--fail-on", "high", dir)
	var doc struct {
		Stats struct {
			Findings map[string]int `json:"findings"`
			Warnings int            `json:"warnings"`
			FailOn   string         `json:"fail_on"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if code != exitFindings || doc.Stats.Warnings != 1 || doc.Stats.FailOn != "high" || doc.Stats.Findings["low"] != 1 {
		t.Errorf("exit %d, stats %+v", code, doc.Stats)
	}
	code, stdout, _ = ghtoken(t, "", "scan", "--format", "github", "--fail-on", "low", dir)
	if code != exitFindings || strings.Contains(stdout, "::warning") || strings.Count(stdout, "::error") != 2 {
		t.Errorf("--fail-on low: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = ghtoken(t, "", "scan", "--format", "github", "--fail-on", "high", dir)
	if code != exitFindings || strings.Count(stdout, "::warning") != 1 || strings.Count(stdout, "::error") != 1 {
		t.Errorf("--fail-on high: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := ghtoken(t, "", "scan", "--fail-on", "lookalike", dir); code != exitError || !strings.Contains(stderr, "want high, medium or low") {
		t.Errorf("--fail-on lookalike: exit %d\n%s", code, stderr)
	}
}

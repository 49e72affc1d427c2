package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name string            `yaml:"name"`
			ID   string            `yaml:"id"`
			Run  string            `yaml:"run"`
			Uses string            `yaml:"uses"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) (*actionFile, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a, data
}

// The action only uses flags that "ghtoken scan" has, declares every input
// it reads, and never expands an input inside a script.
func TestActionFile(t *testing.T) {
	a, raw := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", a.Runs.Using)
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(raw), -1) {
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("action.yml reads undeclared input %q", m[1])
		}
	}
	known := map[string]bool{}
	newScanFlagSet(&scanFlags{}).VisitAll(func(f *flag.Flag) { known[f.Name] = true })
	uses := map[string]bool{}
	for _, s := range a.Runs.Steps {
		uses[s.Uses] = true
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q expands an expression inside its script: pass it through env", s.Name)
		}
		for _, line := range strings.Split(s.Run, "\n") {
			if !strings.Contains(line, "ghtoken scan") {
				continue
			}
			for _, m := range regexp.MustCompile(`\s--?([a-z-]+)`).FindAllStringSubmatch(line, -1) {
				// --ci (scan the commits of the pull request or push) comes
				// with the git sources; until they are merged it is the one
				// flag this branch lacks.
				if !known[m[1]] && m[1] != "ci" {
					t.Errorf("action.yml runs ghtoken scan with unknown flag -%s", m[1])
				}
			}
		}
	}
	for _, u := range []string{"actions/setup-go@v5", "github/codeql-action/upload-sarif@v3"} {
		if !uses[u] {
			t.Errorf("action.yml does not use %s", u)
		}
	}
}

// The scan step's script, run with a stand-in ghtoken: arguments are passed
// as given, SARIF is written, and the exit status reaches the output.
func TestActionScanScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	a, _ := loadAction(t)
	var script string
	for _, s := range a.Runs.Steps {
		if s.ID == "scan" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("no step with id scan")
	}
	for _, tc := range []struct {
		name, args, baseline, code string
		wantCalls                  []string
		wantOutput                 string
	}{
		{"clean", "", "", "0", []string{
			"scan --ci --format github",
			"scan --ci --format sarif -o ghtoken.sarif",
		}, "sarif-file=ghtoken.sarif\nexit-code=0\n"},
		{"findings, extra args and a baseline", "--strict  src", "base line.json", "1", []string{
			"scan --ci --format github --strict src --baseline base line.json",
			"scan --ci --format sarif -o ghtoken.sarif --strict src --baseline base line.json",
		}, "sarif-file=ghtoken.sarif\nexit-code=1\n"},
		{"error skips SARIF", "", "", "2", []string{"scan --ci --format github"}, "exit-code=2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			calls := filepath.Join(dir, "calls")
			stub := "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\"; done >> " + calls + "\necho >> " + calls + "\nexit " + tc.code + "\n"
			if err := os.WriteFile(filepath.Join(dir, "ghtoken"), []byte(stub), 0o755); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "output")
			cmd := exec.Command("bash", "-c", script)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + dir + ":" + os.Getenv("PATH"), "GITHUB_OUTPUT=" + out,
				"GHTOKEN_FORMAT=github", "GHTOKEN_ARGS=" + tc.args, "GHTOKEN_BASELINE=" + tc.baseline, "GHTOKEN_SARIF=ghtoken.sarif"}
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("script failed: %v\n%s", err, msg)
			}
			data, _ := os.ReadFile(calls)
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				got = append(got, strings.ReplaceAll(strings.TrimSuffix(l, "|"), "|", " "))
			}
			if strings.Join(got, "\n") != strings.Join(tc.wantCalls, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.wantCalls, "\n"))
			}
			if o, _ := os.ReadFile(out); string(o) != tc.wantOutput {
				t.Errorf("GITHUB_OUTPUT = %q, want %q", o, tc.wantOutput)
			}
		})
	}
}

package main

import (
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
	for _, d := range scanCommand.flags() {
		known[d.name], known[d.short] = true, true
	}
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
				if !known[m[1]] {
					t.Errorf("action.yml runs ghtoken scan with unknown flag -%s", m[1])
				}
			}
		}
	}
	// Third-party actions are pinned by full commit SHA (a tag can be moved),
	// with the version in a comment for people and for update tools.
	pinned := regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9/-]+@[0-9a-f]{40}$`)
	for _, want := range []string{"actions/setup-go@", "github/codeql-action/upload-sarif@"} {
		found := false
		for u := range uses {
			if strings.HasPrefix(u, want) {
				found = true
				if !pinned.MatchString(u) {
					t.Errorf("action.yml uses %s: pin it to a full commit SHA", u)
				}
			}
		}
		if !found {
			t.Errorf("action.yml does not use %s", want)
		}
	}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "- ")
		if strings.HasPrefix(line, "uses:") && !regexp.MustCompile(`@[0-9a-f]{40} # v\d+\.\d+\.\d+$`).MatchString(line) {
			t.Errorf("action.yml: %q: name the pinned version in a comment (# vX.Y.Z)", line)
		}
	}
}

// strictShells lists the shells the action's scripts are run under: POSIX
// shells that know no bash extension (posh is the strictest), bash in POSIX
// mode, and bash. A script that passes them all has none of the constructs
// bash 3.2 (macOS runners) or Git Bash get wrong. .ci/run installs them and
// sets GHTOKEN_REQUIRE_SHELLS, so there a missing shell fails instead of
// skipping.
func strictShells(t *testing.T) [][]string {
	var shells [][]string
	for _, sh := range [][]string{{"posh"}, {"dash"}, {"bash", "--posix"}, {"bash"}} {
		if _, err := exec.LookPath(sh[0]); err != nil {
			if os.Getenv("GHTOKEN_REQUIRE_SHELLS") != "" {
				t.Errorf("%s is not installed", sh[0])
			}
			continue
		}
		shells = append(shells, sh)
	}
	if len(shells) == 0 {
		t.Skip("no shell to run the action's scripts")
	}
	return shells
}

// Every script in action.yml passes shellcheck as POSIX sh.
func TestActionShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("GHTOKEN_REQUIRE_SHELLS") != "" {
			t.Fatal("shellcheck is not installed")
		}
		t.Skip("no shellcheck")
	}
	a, _ := loadAction(t)
	for _, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		cmd := exec.Command("shellcheck", "--shell=sh", "-")
		cmd.Stdin = strings.NewReader(s.Run)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("step %q: shellcheck: %v\n%s", s.Name, err, out)
		}
	}
}

// The scan step's script, run with a stand-in ghtoken: arguments are passed
// as given, SARIF is written, and the exit status reaches the output.
func TestActionScanScript(t *testing.T) {
	shells := strictShells(t)
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
		name, args, baseline, failOn, code string
		wantCalls                          []string
		wantOutput                         string
	}{
		// One scan writes the log's report and the SARIF file.
		{"clean", "", "", "", "0", []string{
			"scan --ci --format github --fail-on medium --report sarif=ghtoken.sarif",
		}, "sarif-file=ghtoken.sarif\nexit-code=0\n"},
		{"findings, extra args and a baseline", "--strict  *", "base line.json", "low", "1", []string{
			"scan --ci --format github --fail-on low --report sarif=ghtoken.sarif --strict * --baseline base line.json",
		}, "sarif-file=ghtoken.sarif\nexit-code=1\n"},
		{"error uploads no SARIF", "", "", "medium", "2", []string{"scan --ci --format github --fail-on medium --report sarif=ghtoken.sarif"}, "exit-code=2\n"},
	} {
		for _, sh := range shells {
			t.Run(strings.Join(sh, " ")+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				calls := filepath.Join(dir, "calls")
				// The stub logs its arguments and, like ghtoken, writes
				// the --report file.
				stub := "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\"; case $a in sarif=*) : > \"${a#sarif=}\";; esac; done >> " + calls +
					"\necho >> " + calls + "\nexit " + tc.code + "\n"
				if err := os.WriteFile(filepath.Join(dir, "ghtoken"), []byte(stub), 0o755); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "output")
				cmd := exec.Command(sh[0], append(sh[1:], "-c", script)...)
				cmd.Dir = dir
				cmd.Env = []string{"PATH=" + dir + ":" + os.Getenv("PATH"), "GITHUB_OUTPUT=" + out,
					"GHTOKEN_FORMAT=github", "GHTOKEN_ARGS=" + tc.args, "GHTOKEN_BASELINE=" + tc.baseline, "GHTOKEN_SARIF=ghtoken.sarif", "GHTOKEN_FAIL_ON=" + tc.failOn}
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
}

// The build step, run as the action runs it (from the repository's root,
// with the ref the workflow named), gives a binary that reports that ref as
// its version instead of "(devel)".
func TestActionBuildStampsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ghtoken")
	}
	shells := strictShells(t)
	a, _ := loadAction(t)
	var script string
	for _, s := range a.Runs.Steps {
		if s.Name == "Build ghtoken" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("no step named Build ghtoken")
	}
	tmp := t.TempDir()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	sh := shells[0]
	cmd := exec.Command(sh[0], append(sh[1:], "-c", script)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_PATH="+filepath.Join(tmp, "path"), "GHTOKEN_REF=v1.2.3")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build step under %s: %v\n%s", sh[0], err, out)
	}
	dir, err := os.ReadFile(filepath.Join(tmp, "path"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(strings.TrimSpace(string(dir)), "ghtoken"), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); !strings.Contains(got, "v1.2.3") {
		t.Errorf("ghtoken version = %q, want the stamped v1.2.3", got)
	}
}

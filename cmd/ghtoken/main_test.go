package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// ghtoken runs the CLI in-process and returns its exit code and output.
func ghtoken(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }}
	code := e.dispatch(args)
	return code, out.String(), errOut.String()
}

// tree writes files (slash-separated names, placeholders expanded into
// tokens) into a new temporary directory and returns it.
func tree(t *testing.T, files map[string]string) string { return rulestest.Tree(t, files) }

func TestExitCodes(t *testing.T) {
	clean := tree(t, map[string]string{"a.txt": "nothing here\n", "b.txt": "${ghp~:look}\n"})
	dirty := tree(t, map[string]string{"a.txt": "x ${ghp:dirty}\n"})
	fifoDir := t.TempDir()
	mkfifo(t, filepath.Join(fifoDir, "pipe"))
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"scan", clean}, exitClean},
		{"look-alikes listed are still clean", []string{"scan", "--show-lookalikes", clean}, exitClean},
		{"findings", []string{"scan", dirty}, exitFindings},
		{"findings, no subcommand", []string{dirty}, exitFindings},
		{"flags after the path", []string{"scan", dirty, "--format", "json"}, exitFindings},
		{"missing root", []string{"scan", filepath.Join(clean, "nope")}, exitError},
		{"unknown flag", []string{"scan", "--frobnicate", clean}, exitError},
		{"unknown format", []string{"scan", "--format", "xml", clean}, exitError},
		{"bad size", []string{"scan", "--max-file-size", "lots", clean}, exitError},
		{"unknown command", []string{"scna"}, exitError},
		{"strict with a FIFO", []string{"scan", "--strict", fifoDir}, exitError},
		{"FIFO without strict is a warning", []string{"scan", fifoDir}, exitClean},
		{"help", []string{"help", "scan"}, exitClean},
		{"rules", []string{"rules"}, exitClean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := ghtoken(t, "", tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
			if tt.want == exitError && stderr == "" {
				t.Errorf("exit 2 without a message on stderr")
			}
		})
	}
}

// TestNeverPrintsTokenByDefault checks every format: masked unless
// --show-secrets.
func TestNeverPrintsTokenByDefault(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "secret")
	dir := tree(t, map[string]string{"a.txt": tok + "\n"})
	for _, format := range []string{"text", "json"} {
		code, out, errOut := ghtoken(t, "", "scan", "--format", format, dir)
		if code != exitFindings {
			t.Fatalf("%s: exit %d", format, code)
		}
		if strings.Contains(out+errOut, tok) || strings.Contains(out+errOut, tok[8:36]) {
			t.Errorf("%s output contains the token", format)
		}
		if !strings.Contains(out, rules.Mask(rules.ClassicPAT, tok)) {
			t.Errorf("%s output lacks the masked token", format)
		}
		_, out, _ = ghtoken(t, "", "scan", "--format", format, "--show-secrets", dir)
		if !strings.Contains(out, tok) {
			t.Errorf("%s with --show-secrets lacks the token", format)
		}
	}
}

func TestJSONReport(t *testing.T) {
	dir := tree(t, map[string]string{
		".github/workflows/ci.yml": "env:\n  TOKEN: ${ghp:wf}\n",
		"pat.txt":                  "${github_pat:owner}\n",
		"bin.dat":                  "\x00 ${ghp:bin}\x01",
	})
	code, out, _ := ghtoken(t, "", "scan", "--format", "json", dir)
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule, Title, Confidence, Path, Secret, Fingerprint, Remediation string
			Line, Column                                                    int
			RemediationSteps                                                []string `json:"remediation_steps"`
			OwnerUserID                                                     uint32   `json:"owner_user_id"`
			Binary                                                          bool
		} `json:"findings"`
		BinaryFiles []string                        `json:"binary_files"`
		Skipped     []struct{ Path, Reason string } `json:"skipped"`
		Stats       struct {
			FilesSeen    int            `json:"files_seen"`
			FilesScanned int            `json:"files_scanned"`
			BinaryFiles  int            `json:"binary_files"`
			Skipped      map[string]int `json:"skipped"`
			Findings     map[string]int `json:"findings"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if doc.Version != 1 || len(doc.Findings) != 3 || doc.Stats.FilesSeen != 3 || doc.Stats.FilesScanned != 3 || len(doc.Stats.Skipped) != 0 || doc.Stats.Findings["high"] != 3 {
		t.Fatalf("unexpected document: %+v", doc)
	}
	wf, bin, pat := doc.Findings[0], doc.Findings[1], doc.Findings[2]
	if !bin.Binary || wf.Binary || doc.Stats.BinaryFiles != 1 || len(doc.BinaryFiles) != 1 || !strings.HasSuffix(doc.BinaryFiles[0], "/bin.dat") {
		t.Errorf("binary file: finding %+v, binary_files %v, count %d", bin, doc.BinaryFiles, doc.Stats.BinaryFiles)
	}
	if wf.Rule != "github-pat-classic" || wf.Line != 2 || wf.Column != 10 || !strings.HasPrefix(wf.Fingerprint, "sha256:") {
		t.Errorf("workflow finding: %+v", wf)
	}
	if !strings.Contains(strings.Join(wf.RemediationSteps, " "), "GITHUB_TOKEN") {
		t.Errorf("a token in a workflow should get workflow advice: %v", wf.RemediationSteps)
	}
	if !strings.Contains(wf.Remediation, "https://github.com/settings/tokens") {
		t.Errorf("classic PAT remediation should say where to revoke: %q", wf.Remediation)
	}
	if pat.OwnerUserID == 0 || !strings.Contains(pat.Remediation, "personal-access-tokens") {
		t.Errorf("fine-grained finding: %+v", pat)
	}
}

func TestColour(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "${ghp:c}\n"})
	var out bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &bytes.Buffer{}, colour: true,
		getenv: func(string) string { return "" }}
	e.dispatch([]string{"scan", dir})
	if !strings.Contains(out.String(), "\x1b[") {
		t.Errorf("colour enabled but no escape sequence")
	}
	for _, tc := range []struct {
		args []string
		env  string
	}{{[]string{"scan", "--no-color", dir}, ""}, {[]string{"scan", dir}, "1"}} {
		out.Reset()
		e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &bytes.Buffer{}, colour: true,
			getenv: func(k string) string {
				if k == "NO_COLOR" {
					return tc.env
				}
				return ""
			}}
		e.dispatch(tc.args)
		if strings.Contains(out.String(), "\x1b[") {
			t.Errorf("%v NO_COLOR=%q: escape sequences in output", tc.args, tc.env)
		}
	}
}

func TestStdin(t *testing.T) {
	code, out, _ := ghtoken(t, rulestest.Expand("export GH_TOKEN=${gho:stdin}\n"), "scan", "-")
	if code != exitFindings || !strings.Contains(out, "-:1:17:") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestRulesListsEveryRule(t *testing.T) {
	_, out, _ := ghtoken(t, "", "rules", "--format", "json")
	var list []struct{ ID string }
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != len(rules.All()) {
		t.Errorf("%d rules listed, want %d", len(list), len(rules.All()))
	}
}

// SARIF from a subdirectory (scan ..), or of an absolute path, places the
// file relative to the top of the tree: code scanning resolves %SRCROOT%
// against the checkout, so "../x" or "file:///abs/x" would land nowhere.
func TestSARIFURIsFromAnyDirectory(t *testing.T) {
	dir := tree(t, map[string]string{"config/app.env": "T=${ghp:sarifuri}\n", "sub/readme.txt": "hi\n"})
	gitRepo(t) // git with no user configuration
	gitIn(t, dir, "init", "-q")
	t.Chdir(filepath.Join(dir, "sub"))
	for _, arg := range []string{"..", dir, filepath.Join(dir, "config")} {
		code, stdout, stderr := ghtoken(t, "", "scan", "--format", "sarif", arg)
		if code != exitFindings {
			t.Fatalf("scan %s: exit %d\n%s", arg, code, stderr)
		}
		var doc struct {
			Runs []struct {
				OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
				Results            []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI, URIBaseID string }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatal(err)
		}
		run := doc.Runs[0]
		a := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if a.URI != "config/app.env" || a.URIBaseID != "%SRCROOT%" {
			t.Errorf("scan %s: artifact %+v, want config/app.env under %%SRCROOT%%", arg, a)
		}
		if base := run.OriginalURIBaseIDs["%SRCROOT%"].URI; !strings.HasSuffix(base, filepath.ToSlash(dir)+"/") {
			t.Errorf("scan %s: %%SRCROOT%% is %q, want %s", arg, base, dir)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// No message prints a whole token, whatever put it there: a token pasted
// into a baseline or an ignore file where a fingerprint belongs, or a path
// named after one. Nothing longer than what rules.Mask shows (the prefix
// and four characters) may appear.
func TestNoTokenInAnyMessage(t *testing.T) {
	for _, kind := range []string{rulestest.ClassicPAT, rulestest.AppRefresh, rulestest.FineGrained, rulestest.Stateless} {
		tok := rulestest.Token(kind, "message")
		cases := map[string]func(dir string) []string{
			"baseline fingerprint": func(dir string) []string {
				b := filepath.Join(dir, "baseline.json")
				write(t, b, `{"version": 1, "findings": [{"fingerprint": "`+tok+`"}]}`)
				return []string{"scan", "--baseline", b, dir}
			},
			"ignore line": func(dir string) []string {
				write(t, filepath.Join(dir, ".ghtokenignore"), "sha256:"+tok+" pasted the token, not its fingerprint\n")
				return []string{"scan", dir}
			},
			"ignore line json": func(dir string) []string {
				write(t, filepath.Join(dir, ".ghtokenignore"), "sha256:"+tok+" reason\n")
				return []string{"scan", "--format", "json", dir}
			},
			"missing path": func(dir string) []string {
				return []string{"scan", filepath.Join(dir, tok)}
			},
			"baseline path": func(dir string) []string {
				return []string{"scan", "--baseline", filepath.Join(dir, tok+".json"), dir}
			},
		}
		for name, args := range cases {
			t.Run(kind+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				code, out, errOut := ghtoken(t, "", args(dir)...)
				if code != exitError {
					t.Errorf("exit %d, want %d", code, exitError)
				}
				if leak := longestLeak(out+errOut, tok); leak > len("github_pat_")+4 {
					t.Errorf("%d characters of the token in the output:\nstdout: %s\nstderr: %s", leak, out, errOut)
				}
			})
		}
	}
}

// longestLeak returns the length of the longest piece of tok found in out.
func longestLeak(out, tok string) int {
	best := 0
	for i := range tok {
		for j := i + best + 1; j <= len(tok) && strings.Contains(out, tok[i:j]); j++ {
			best = j - i
		}
	}
	return best
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestFlagsThatDoNotApply: a flag of another command is refused by name,
// never accepted and ignored.
func TestFlagsThatDoNotApply(t *testing.T) {
	dir := tree(t, map[string]string{"a.txt": "nothing\n"})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"baseline", "--format", "sarif", "--verify", "--show-secrets", dir}, "--format, --show-secrets, --verify do not apply to baseline"},
		{[]string{"baseline", "--baseline", "b.json", dir}, "--baseline does not apply to baseline"},
		{[]string{"revoke", "--no-color", dir}, "--no-color does not apply to revoke"},
		{[]string{"rules", "--strict"}, "--strict does not apply to rules"},
		{[]string{"install-hook", "--yes"}, "--yes does not apply to install-hook"},
		{[]string{"scan", "--force", dir}, "--force does not apply to scan"},
		{[]string{"scan", "--from", "r.json", dir}, "--from does not apply to scan"},
		{[]string{"uninstall-hook", "-o", "x"}, "-o does not apply to uninstall-hook"},
		{[]string{"version", "extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		code, stdout, stderr := ghtoken(t, "", tt.args...)
		if code != exitError || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// parse binds only the command's own flags unless that fails; its outcome
// must be the one of binding every command's flags from the start: the
// same values, arguments and error for every command line.
func TestParseAsWithEveryFlag(t *testing.T) {
	lines := [][]string{
		nil,
		{"."},
		{"a", "--", "--format", "b"},
		{"--format", "json", "-o", "out.json", "a", "--workers", "3"},
		{"--report", "sarif=x.sarif", "--report", "json=y.json"},
		{"--report", "bogus"},
		{"--max-file-size", "lots"},
		{"--fail-on", "high", "--strict", "--quiet"},
		{"--staged", "--all-lines", "f.txt"},
		{"--history", "--branch", "main", "--branch", "dev"},
		{"--yes", "--dry-run", "--from", "r.json", "--include-low", "abc"},
		{"--force", "--fail-on", "low"},
		{"--frobnicate"},
		{"--format", "json", "--yes", "--max-file-size", "lots"},
		{"-h"},
		{"a", "--help"},
		{"--format"},
		{"bash", "extra"},
	}
	for _, c := range commands {
		for _, args := range lines {
			v, paths, err := c.parse(args)
			wv, wpaths, werr := c.parseWith(args, true)
			if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(v, wv) || !slices.Equal(paths, wpaths) {
				t.Errorf("%s %q:\n got %+v %q %v\nwant %+v %q %v", c.name, args, v, paths, err, wv, wpaths, werr)
			}
		}
	}
}

// TestHelpFromTable: every command's help lists every flag it takes, and
// -h after a command shows the same help.
func TestHelpFromTable(t *testing.T) {
	for _, c := range commands {
		code, help, _ := ghtoken(t, "", "help", c.name)
		if code != exitClean || !strings.Contains(help, "ghtoken "+c.synopsis[0]) {
			t.Errorf("help %s: exit %d\n%s", c.name, code, help)
		}
		for _, d := range c.flags() {
			if !strings.Contains(help, flagCall(d)) {
				t.Errorf("help %s lacks %s", c.name, flagCall(d))
			}
		}
		if c == helpCommand || c == completionCommand {
			continue
		}
		if code, h, _ := ghtoken(t, "", c.name, "--help"); code != exitClean || h != help {
			t.Errorf("%s --help: exit %d, differs from help %s", c.name, code, c.name)
		}
	}
	_, overview, _ := ghtoken(t, "", "help")
	for _, c := range commands {
		if !strings.Contains(overview, "ghtoken "+c.lines[0].call) {
			t.Errorf("the overview lacks %s", c.name)
		}
	}
}

// TestCompletionScripts checks that each script names every flag and that
// the shell parses it (for the shells installed here).
func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, script, stderr := ghtoken(t, "", "completion", sh)
		if code != exitClean {
			t.Fatalf("completion %s: exit %d: %s", sh, code, stderr)
		}
		for _, c := range commands {
			for _, d := range c.flags() {
				word := "--" + d.name
				if sh == "fish" {
					word = "-l " + d.name
				}
				if !strings.Contains(script, word) {
					t.Errorf("%s completion lacks %s of %s", sh, word, c.name)
				}
			}
		}
		path, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("%s not installed: syntax not checked", sh)
			continue
		}
		f := filepath.Join(t.TempDir(), "ghtoken."+sh)
		if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(path, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
	if code, _, _ := ghtoken(t, "", "completion", "tcsh"); code != exitError {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}

// TestManPage checks the page names every command and flag, and that
// nothing in it is read as a roff request by accident.
func TestManPage(t *testing.T) {
	code, page, _ := ghtoken(t, "", "man")
	if code != exitClean || !strings.HasPrefix(page, ".TH GHTOKEN 1") {
		t.Fatalf("exit %d:\n%s", code, page)
	}
	known := map[string]bool{"TH": true, "SH": true, "SS": true, "PP": true, "TP": true, "B": true, "BR": true, "br": true, "nf": true, "fi": true}
	for _, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, ".") && !known[strings.Fields(line[1:] + " x")[0]] {
			t.Errorf("unexpected request %q", line)
		}
	}
	for _, c := range commands {
		for _, d := range c.flags() {
			if !strings.Contains(page, `\fB`+roff("--"+d.name)+`\fR`) {
				t.Errorf("the page lacks %s of %s", d.name, c.name)
			}
		}
	}
	if groff, err := exec.LookPath("groff"); err == nil {
		cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
		cmd.Stdin = strings.NewReader(page)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("groff: %v\n%s", err, stderr.String())
		}
	}
}

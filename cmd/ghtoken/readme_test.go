package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's generated blocks from the command table")

//go:generate go test -run ^TestREADMEFlagTables$ -update .

// readmeBlocks returns what README.md holds between each pair of markers:
// the usage overview and every command's flag table.
func readmeBlocks() map[string]string {
	var usage bytes.Buffer
	usage.WriteString("```\n")
	for _, c := range commands {
		for _, l := range c.lines {
			fmt.Fprintf(&usage, "%-37s%s\n", "ghtoken "+l.call, l.what)
		}
	}
	usage.WriteString("```\n")
	blocks := map[string]string{"usage": usage.String()}
	for _, c := range commands {
		if len(c.groups) > 0 {
			blocks["flags:"+c.name] = readmeFlagTable(c)
		}
	}
	return blocks
}

var readmeMarker = regexp.MustCompile(`(?s)<!-- (usage|flags:[a-z-]+) -->\n(.*?)<!-- /(?:usage|flags) -->`)

// TestREADMEFlagTables fails when README.md and the command table disagree;
// go generate (or -update) rewrites README.md from the table.
func TestREADMEFlagTables(t *testing.T) {
	const name = "../../README.md"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	want := readmeBlocks()
	seen := map[string]bool{}
	out := readmeMarker.ReplaceAllStringFunc(string(data), func(m string) string {
		sub := readmeMarker.FindStringSubmatch(m)
		key, got := sub[1], sub[2]
		seen[key] = true
		body, ok := want[key]
		if !ok {
			t.Errorf("README.md has a block for %q, which no command has", key)
			return m
		}
		if got != body {
			if !*update {
				t.Errorf("README.md's %q block differs from the command table (run go generate ./cmd/ghtoken):\n got:\n%s\nwant:\n%s", key, got, body)
			}
		}
		return "<!-- " + key + " -->\n" + body + "<!-- /" + strings.SplitN(key, ":", 2)[0] + " -->"
	})
	for key := range want {
		if !seen[key] {
			t.Errorf("README.md has no <!-- %s --> block", key)
		}
	}
	if *update && out != string(data) {
		if err := os.WriteFile(name, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestREADMEFuzzTargets: every fuzz target README.md names exists.
func TestREADMEFuzzTargets(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := os.ReadFile(path)
		for _, m := range regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`).FindAllSubmatch(data, -1) {
			defined[string(m[1])] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\bFuzz[A-Z]\w*`).FindAll(readme, -1) {
		if !defined[string(m)] {
			t.Errorf("README.md names %s, which no test file defines", m)
		}
	}
}

// readmeFlagTable is the Markdown table of c's flags that README.md holds
// between "<!-- flags:NAME -->" and "<!-- /flags -->".
func readmeFlagTable(c *command) string {
	var b strings.Builder
	for i, g := range c.groups {
		if i > 0 {
			fmt.Fprintf(&b, "\n**%s**\n\n", strings.TrimSuffix(g.title, " (see README.md)"))
		}
		b.WriteString("| flag | meaning |\n| --- | --- |\n")
		for _, d := range g.flags {
			fmt.Fprintf(&b, "| `%s` | %s |\n", flagCall(d), markdownCell(d.help))
		}
		if g.note != "" {
			b.WriteString("\n" + g.note + "\n")
		}
	}
	return b.String()
}

// markdownCell escapes text for a table cell.
func markdownCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

// Package directivetest holds the table of inline directives that the
// ghtoken command (package scanner) and the go vet analyzer (package
// analyzer) both run, so that the two tools are tested to agree. It is for
// tests only.
package directivetest

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Case is one row of testdata/cases.txt, the table of inline directives that
// the command and the analyzer must both honour the same way.
type Case struct {
	NextLine bool   // the comment is on the line before the token
	Want     string // "allowed", "missing-reason" or "reported"
	Comment  string // the comment, with {ghtoken} expanded
}

// GoSource returns a Go file holding token in a string literal with the
// case's comment placed as the case says, and the token's line.
func (c Case) GoSource(token string) (src string, line int) {
	if c.NextLine {
		return "package p\n\n" + c.Comment + "\nvar x = \"" + token + "\"\n", 4
	}
	return "package p\n\nvar x = \"" + token + "\" " + c.Comment + "\n", 3
}

// Cases returns the rows of the shared table, scanner/directive/testdata/cases.txt.
func Cases(t testing.TB) []Case {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "testdata", "cases.txt")
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || parts[0] != "same" && parts[0] != "next" {
			t.Fatalf("%s: malformed case %q", path, line)
		}
		switch parts[1] {
		case "allowed", "missing-reason", "reported":
		default:
			t.Fatalf("%s: unknown want %q", path, parts[1])
		}
		out = append(out, Case{NextLine: parts[0] == "next", Want: parts[1], Comment: strings.ReplaceAll(parts[2], "{ghtoken}", "ghtoken")})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("%s: only %d cases", path, len(out))
	}
	return out
}

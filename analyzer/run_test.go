package analyzer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// pass builds a Pass over parsed sources, as a driver would, without type
// checking: the analyzer needs none.
func pass(t testing.TB, files map[string]string, read func(string) ([]byte, error)) (*analysis.Pass, *[]analysis.Diagnostic) {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	if read == nil {
		read = func(name string) ([]byte, error) { return []byte(files[name]), nil }
	}
	var diags []analysis.Diagnostic
	return &analysis.Pass{
		Analyzer: Analyzer, Fset: fset, Files: parsed, ReadFile: read,
		Report: func(d analysis.Diagnostic) { diags = append(diags, d) },
	}, &diags
}

// When a driver cannot give a file's bytes, literals and comments are still
// checked one by one.
func TestUnreadableFileFallsBackToLiterals(t *testing.T) {
	src := rulestest.Expand("package p\n\nvar x = \"${ghp:a}\"\n\n// ${gho:b}\nvar ghp_ident = 1\n")
	p, diags := pass(t, map[string]string{"p.go": src}, func(string) ([]byte, error) { return nil, errGone })
	if _, err := Analyzer.Run(p); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range *diags {
		got = append(got, fmt.Sprintf("%d:%s", p.Fset.Position(d.Pos).Line, d.Category))
	}
	if strings.Join(got, " ") != "5:github-oauth-token 3:github-pat-classic" && strings.Join(got, " ") != "3:github-pat-classic 5:github-oauth-token" {
		t.Errorf("diagnostics %v, want the classic token on line 3 and the OAuth token on line 5", got)
	}
}

// BenchmarkAnalyzer runs the analyzer over a package of 20 files of 1,000
// lines each (string literals, comments and code), as a driver hands it
// over: parsed, with the bytes available. "clean" is the usual case; in
// "token-per-file" every file holds a token, so every file's syntax tree is
// walked for its literals too.
func BenchmarkAnalyzer(b *testing.B) {
	for _, leak := range []bool{false, true} {
		name := "clean"
		if leak {
			name = "token-per-file"
		}
		b.Run(name, func(b *testing.B) {
			files := map[string]string{}
			total := 0
			for i := range 20 {
				var s strings.Builder
				fmt.Fprintf(&s, "package p\n\n")
				for j := range 250 {
					fmt.Fprintf(&s, "// f%d_%d handles the GitHub request for the given repository and ref.\n", i, j)
					fmt.Fprintf(&s, "func f%d_%d(token string) string {\n\treturn \"https://api.github.com/repos/o/r/git/refs/\" + token + `/x`\n}\n", i, j)
				}
				if leak {
					fmt.Fprintf(&s, "var leaked = %q\n", rulestest.Token(rulestest.ClassicPAT, fmt.Sprint(i)))
				}
				files[fmt.Sprintf("f%d.go", i)] = s.String()
				total += s.Len()
			}
			p, diags := pass(b, files, nil)
			b.SetBytes(int64(total))
			b.ResetTimer()
			for b.Loop() {
				*diags = (*diags)[:0]
				if _, err := Analyzer.Run(p); err != nil {
					b.Fatal(err)
				}
			}
			want := 0
			if leak {
				want = 20
			}
			if len(*diags) != want {
				b.Fatalf("%d diagnostics, want %d", len(*diags), want)
			}
		})
	}
}

// errGone is what a driver that cannot give a file's bytes returns.
var errGone = errors.New("gone")

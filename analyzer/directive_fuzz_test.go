package analyzer

import (
	"go/token"
	"strings"
	"testing"
)

// FuzzDirectives: any file content gives directives that point inside it,
// at their own line or the next, with a one-line reason.
func FuzzDirectives(f *testing.F) {
	f.Add("x := 1 // ghtoken:allow because\n")
	f.Add("// ghtoken:allow-next-line reason\ny\n")
	f.Add("/* ghtoken" + ":allow */ // pragma: allowlist nextline secret\n# gitleaks:allow trufflehog:ignore")
	f.Add("\"ghtoken:allow\" `ghtoken:allow` ghtoken:allowed -->ghtoken:allow-->")
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		tf := fset.AddFile("f.go", -1, len(src))
		tf.SetLinesForContent([]byte(src))
		lines := strings.Split(src, "\n")
		for _, d := range directives([]byte(src), tf, 0, true) {
			if d.line < 1 || d.line > len(lines) || d.col < 0 || d.col+d.End-d.Start > len(lines[d.line-1]) {
				t.Fatalf("directive %+v outside the file", d)
			}
			if w := lines[d.line-1][d.col : d.col+d.End-d.Start]; strings.ReplaceAll(w, "pragma:a", "pragma: a") != d.Name {
				t.Fatalf("directive %+v does not point at its text %q", d, w)
			}
			if d.target != d.line && d.target != d.line+1 || strings.Contains(d.Reason, "\n") {
				t.Fatalf("directive %+v", d)
			}
		}
	})
}

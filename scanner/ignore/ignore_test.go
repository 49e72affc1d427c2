package ignore

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzParseIgnore feeds arbitrary .gitignore content and paths to the
// ignore matcher: no panic, whatever the patterns.
func FuzzParseIgnore(f *testing.F) {
	f.Add([]byte("*.log\n!keep.log\n/build/\n**/tmp\n"), "a/b.log")
	f.Add([]byte("[\n\\\n!\n/\n**\n"), "x")
	f.Add([]byte("a/**/b\n\\#x\n\\!y\n  \n"), "a/c/d/b")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		s := Stack{Parse("", data), Parse("sub", data)}
		s.Ignored(path, false)
		s.Ignored(path, true)
		s.Ignored("sub/"+path, false)
	})
}

func TestIgnorePatternLimit(t *testing.T) {
	var b strings.Builder
	for i := range maxPatterns {
		fmt.Fprintf(&b, "never-%d\n", i)
	}
	b.WriteString("late.txt\n")
	f := Parse("", []byte(b.String()))
	if len(f.patterns) != maxPatterns || (Stack{f}).Ignored("late.txt", false) {
		t.Errorf("%d patterns kept; a pattern past the limit applies", len(f.patterns))
	}
}

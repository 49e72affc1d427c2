package analyzer

import (
	"go/token"

	"github.com/ghtoken/ghtoken/scanner/directive"
)

// fileDirective is an allow directive with its place in a Go file. The
// parsing is package directive's, shared with the ghtoken command, so the
// two tools agree on what a directive is and whether it has a reason.
type fileDirective struct {
	directive.Directive
	line   int // 1-based line the directive is on
	col    int // byte offset of the directive in its line
	target int // the line it suppresses findings on
}

// directives finds the allow directives in src, the content of tf, whose
// first byte is in src[from:to]; base is the offset of src in tf.
func directives(src []byte, tf *token.File, base int, foreign bool) []fileDirective {
	var out []fileDirective
	for _, d := range directive.Find(src, 0, len(src), foreign, nil) {
		off := base + d.Start
		line := tf.Line(tf.Pos(off))
		fd := fileDirective{Directive: d, line: line, col: off - tf.Offset(tf.LineStart(line)), target: line}
		fd.Start, fd.End = off, base+d.End
		if d.Kind == directive.NextLine {
			fd.target++
		}
		out = append(out, fd)
	}
	return out
}

// suppressor returns the index of a directive that allows findings on line
// (a ghtoken directive with a reason, or another tool's), or -1.
func suppressor(ds []fileDirective, line int) int {
	for i, d := range ds {
		if d.target == line && d.Allows() {
			return i
		}
	}
	return -1
}

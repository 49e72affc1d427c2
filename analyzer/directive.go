package analyzer

import (
	"bytes"
	"go/token"
	"strings"
)

// directive is one allow comment found in a file.
type directive struct {
	name    string // as written: "ghtoken:allow", "gitleaks:allow", ...
	line    int    // 1-based line the directive is on
	col     int    // byte offset of the directive in its line
	target  int    // the line it suppresses findings on
	reason  string // the text after a ghtoken directive
	foreign bool   // another tool's directive: no reason needed, never "unused"
}

// allowSyntax lists the directives the ghtoken command honours, with whether
// each applies to the next line and whether it is another tool's.
var allowSyntax = []struct {
	text     string
	nextLine bool
	foreign  bool
}{
	// Longest first: "ghtoken:allow" is a prefix of the next-line form.
	{"ghtoken:allow-next-line", true, false},
	{"ghtoken:allow", false, false},
	{"pragma: allowlist nextline secret", true, true},
	{"pragma: allowlist secret", false, true},
	{"gitleaks:allow", false, true},
	{"trufflehog:ignore", false, true},
}

// directives finds the allow directives in a file. A directive starts a
// word: at the start of the line, after white space or after a comment
// marker, so that prose and string constants naming a directive
// (`ghtoken:allow`, "ghtoken:allow") are not directives. Each directive text
// is searched in the whole file at once: directives are rare, lines many.
func directives(src []byte, tf *token.File, foreign bool) []directive {
	var out []directive
	for _, syn := range allowSyntax {
		if syn.foreign && !foreign {
			continue
		}
		pat := []byte(syn.text)
		for from := 0; ; {
			j := bytes.Index(src[from:], pat)
			if j < 0 {
				break
			}
			at := from + j
			from = at + len(pat)
			lineStart := bytes.LastIndexByte(src[:at], '\n') + 1
			lineEnd := bytes.IndexByte(src[at:], '\n')
			if lineEnd < 0 {
				lineEnd = len(src)
			} else {
				lineEnd += at
			}
			line := string(src[lineStart:lineEnd])
			col, end := at-lineStart, at-lineStart+len(pat)
			n := tf.Line(tf.Pos(at))
			if !startsWord(line, col) || !endsWord(line, end) || claimed(out, n, col) {
				continue
			}
			d := directive{name: syn.text, line: n, col: col, target: n, foreign: syn.foreign}
			if syn.nextLine {
				d.target = n + 1
			}
			if !syn.foreign {
				d.reason = reasonAfter(line[end:])
			}
			out = append(out, d)
		}
	}
	return out
}

func startsWord(line string, at int) bool {
	if at == 0 {
		return true
	}
	return strings.IndexByte(" \t/#*;!-", line[at-1]) >= 0
}

func endsWord(line string, end int) bool {
	return end == len(line) || line[end] == ' ' || line[end] == '\t' || line[end] == '\r' || strings.HasPrefix(line[end:], "*/") || strings.HasPrefix(line[end:], "-->")
}

// claimed reports whether a longer directive already covers [at, end).
func claimed(ds []directive, line, at int) bool {
	for _, d := range ds {
		if d.line == line && at >= d.col && at < d.col+len(d.name) {
			return true
		}
	}
	return false
}

// reasonAfter returns the reason that follows a directive: the rest of the
// comment, without a closing "*/" or "-->".
func reasonAfter(rest string) string {
	for _, end := range []string{"*/", "-->"} {
		if i := strings.Index(rest, end); i >= 0 {
			rest = rest[:i]
		}
	}
	return strings.TrimSpace(rest)
}

// suppressor returns the index of a directive with a reason (or a foreign
// one) that suppresses findings on line, or -1.
func suppressor(ds []directive, line int) int {
	for i, d := range ds {
		if d.target == line && (d.foreign || d.reason != "") {
			return i
		}
	}
	return -1
}

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

// allowSyntax lists the directives the ghtoken command honours, grouped by
// a common stem so that the file is searched once per stem: each variant is
// the stem plus a suffix, and says whether it applies to the next line.
var allowSyntax = []struct {
	stem     string
	variants []allowVariant
	foreign  bool
}{
	// Longest suffix first: "ghtoken:allow" is a prefix of the next-line form.
	{"ghtoken:allow", []allowVariant{{"-next-line", true}, {"", false}}, false},
	{"pragma: allowlist", []allowVariant{{" nextline secret", true}, {" secret", false}}, true},
	{"gitleaks:allow", []allowVariant{{"", false}}, true},
	{"trufflehog:ignore", []allowVariant{{"", false}}, true},
}

type allowVariant struct {
	suffix   string
	nextLine bool
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
		stem := []byte(syn.stem)
		for from := 0; ; {
			j := bytes.Index(src[from:], stem)
			if j < 0 {
				break
			}
			at := from + j
			from = at + len(stem)
			lineStart := bytes.LastIndexByte(src[:at], '\n') + 1
			lineEnd := bytes.IndexByte(src[at:], '\n')
			if lineEnd < 0 {
				lineEnd = len(src)
			} else {
				lineEnd += at
			}
			line := string(src[lineStart:lineEnd])
			col := at - lineStart
			if !startsWord(line, col) {
				continue
			}
			for _, v := range syn.variants {
				end := col + len(syn.stem) + len(v.suffix)
				if !strings.HasPrefix(line[col+len(syn.stem):], v.suffix) || !endsWord(line, end) {
					continue
				}
				n := tf.Line(tf.Pos(at))
				d := directive{name: syn.stem + v.suffix, line: n, col: col, target: n, foreign: syn.foreign}
				if v.nextLine {
					d.target = n + 1
				}
				if !syn.foreign {
					d.reason = reasonAfter(line[end:])
				}
				out = append(out, d)
				break
			}
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

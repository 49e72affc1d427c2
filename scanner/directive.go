package scanner

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Inline directives are comments next to a token that say it may stay: an
// allow directive on the token's line, or an allow-next-line directive on the
// line before it (for .env and .properties files, where a trailing comment
// becomes part of the value); README.md shows both. ghtoken's own directives
// must give a reason. The directives of other scanners (gitleaks,
// detect-secrets, trufflehog) are honoured as they are written for those
// tools, unless Options.NoForeignAllow is set.
//
// Directives are found with a few literal searches per chunk (never a regular
// expression over every byte) and are then tied to matches by line number, so
// the length of a line does not matter and nothing but the directives found is
// kept in memory.

// DirectiveKind says which line a directive applies to.
type DirectiveKind int

// Directive kinds.
const (
	SameLine DirectiveKind = iota // the line the directive is on
	NextLine                      // the line after it
)

// Directive names, as written in files.
const (
	directiveAllow         = "ghtoken:allow"
	directiveAllowNextLine = "ghtoken:allow-next-line"
)

// maxReasonLen bounds how much of a line is read as a directive's reason.
const maxReasonLen = 200

// maxDirectiveMarker is the longest text searched around a marker hit;
// readers keep at least this much past the report region (they keep far more).
const maxDirectiveMarker = len("pragma: allowlist nextline secret") + maxReasonLen

// The reader keeps overlap bytes past each report region, so a directive
// found near the region's end is read whole; this fails to compile if not.
var _ [overlap - maxDirectiveMarker]struct{}

// directive is one directive found in a file.
type directive struct {
	Name    string // "ghtoken:allow", "gitleaks:allow", ...
	Kind    DirectiveKind
	Foreign bool
	Reason  string
	// offset is where the search hit, in the buffer it was parsed from;
	// back is how far before it the directive starts (ASCII, same line).
	offset, back int
	line         int
	col          int
	used         bool
}

// findDirectives appends to dst the directives that start in data[from:to],
// in offset order. foreign says whether other tools' directives count.
func findDirectives(data []byte, from, to int, foreign bool, dst []directive) []directive {
	first := len(dst)
	// ":allow" finds ghtoken:allow[-next-line] and gitleaks:allow.
	dst = eachMarker(data, from, to, ":allow", dst, func(at int) (directive, bool) {
		switch {
		case hasSuffixAt(data, at, "ghtoken"):
			d := directive{Name: directiveAllow, Kind: SameLine, back: len("ghtoken")}
			end := at + len(":allow")
			if bytes.HasPrefix(data[end:], []byte("-next-line")) {
				d.Name, d.Kind = directiveAllowNextLine, NextLine
				end += len("-next-line")
			}
			if !directiveEnds(data, end) {
				return directive{}, false // a longer word, or a mention in quotes or backticks
			}
			d.Reason = reasonAt(data, end)
			return d, true
		case foreign && hasSuffixAt(data, at, "gitleaks") && directiveEnds(data, at+len(":allow")):
			return directive{Name: "gitleaks:allow", Kind: SameLine, Foreign: true, back: len("gitleaks")}, true
		}
		return directive{}, false
	})
	if foreign {
		// detect-secrets: "pragma: allowlist secret", "pragma: allowlist nextline secret".
		// The needles start with rare bytes: bytes.Index runs at memory speed
		// when the first byte seldom occurs, and crawls when it is common.
		dst = eachMarker(data, from, to, "wlist", dst, func(at int) (directive, bool) {
			if !hasSuffixAt(data, at, "allo") {
				return directive{}, false
			}
			at -= len("allo")
			back := len("allo")
			switch {
			case hasSuffixAt(data, at, "pragma: "):
				back += len("pragma: ")
			case hasSuffixAt(data, at, "pragma:"):
				back += len("pragma:")
			default:
				return directive{}, false
			}
			end := at + len("allowlist")
			rest := data[end:]
			switch {
			case bytes.HasPrefix(rest, []byte(" nextline secret")) && directiveEnds(data, end+len(" nextline secret")):
				return directive{Name: "pragma: allowlist nextline secret", Kind: NextLine, Foreign: true, back: back}, true
			case bytes.HasPrefix(rest, []byte(" secret")) && directiveEnds(data, end+len(" secret")):
				return directive{Name: "pragma: allowlist secret", Kind: SameLine, Foreign: true, back: back}, true
			}
			return directive{}, false
		})
		dst = eachMarker(data, from, to, "hog:i", dst, func(at int) (directive, bool) {
			if !hasSuffixAt(data, at, "truffle") || !bytes.HasPrefix(data[at:], []byte("hog:ignore")) || !directiveEnds(data, at+len("hog:ignore")) {
				return directive{}, false
			}
			return directive{Name: "trufflehog:ignore", Kind: SameLine, Foreign: true, back: len("truffle")}, true
		})
	}
	found := dst[first:]
	slices.SortStableFunc(found, func(a, b directive) int { return a.offset - b.offset })
	return dst
}

// eachMarker calls parse for each occurrence of marker that starts in
// data[from:to] and appends what it accepts.
func eachMarker(data []byte, from, to int, marker string, dst []directive, parse func(at int) (directive, bool)) []directive {
	m := []byte(marker)
	for i := from; i < to; {
		j := bytes.Index(data[i:min(len(data), to+len(m)-1)], m)
		if j < 0 {
			break
		}
		at := i + j
		if d, ok := parse(at); ok && directiveStarts(data, at-d.back) {
			d.offset = at
			dst = append(dst, d)
		}
		i = at + 1
	}
	return dst
}

// hasSuffixAt reports whether data[:at] ends with s.
func hasSuffixAt(data []byte, at int, s string) bool {
	return at >= len(s) && string(data[at-len(s):at]) == s
}

// directiveStarts and directiveEnds say whether a directive name found at
// data[start:end] is a directive rather than a mention: it starts a word (at
// the start of a line, after white space or a comment marker) and ends one
// (white space, the end of the line, or a comment closer). Documentation and
// string literals that name a directive ("ghtoken:allow" in quotes or
// backticks, "ghtoken:allowed") are not directives. The go vet analyzer
// (package analyzer) applies the same rule, so both tools agree.
func directiveStarts(data []byte, start int) bool {
	return start <= 0 || bytes.IndexByte([]byte(" \t\r\n/#*;!-"), data[start-1]) >= 0
}

func directiveEnds(data []byte, i int) bool {
	if i >= len(data) {
		return true
	}
	switch data[i] {
	case ' ', '\t', '\r', '\n':
		return true
	}
	return bytes.HasPrefix(data[i:], []byte("*/")) || bytes.HasPrefix(data[i:], []byte("-->"))
}

// reasonAt returns the reason that follows a directive ending at data[i]:
// the rest of the line, at most maxReasonLen bytes, without comment closers.
func reasonAt(data []byte, i int) string {
	rest := data[i:min(len(data), i+maxReasonLen)]
	if j := bytes.IndexAny(rest, "\r\n"); j >= 0 {
		rest = rest[:j]
	}
	return parseReason(string(rest))
}

// parseReason cleans the text after a directive into its reason. An empty
// result means no reason was given.
func parseReason(s string) string {
	for !utf8.ValidString(s) && s != "" {
		s = s[:len(s)-1] // cut inside a multi-byte character at the bound
	}
	s = strings.TrimSpace(s)
	for _, closer := range []string{"*/", "-->", "#}", "%>", "--%>"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, closer))
	}
	s = strings.TrimLeft(s, ":=-– ")
	s = strings.TrimSpace(s)
	// A reason is words, not punctuation left over from the comment syntax.
	if strings.IndexFunc(s, func(r rune) bool {
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf
	}) < 0 {
		return ""
	}
	return s
}

// applyDirectives removes from found (one file's findings, in order) those
// that a directive allows, and reports directives without a reason and
// directives that allow nothing. lineSet, when not nil, limits unused-directive
// notices to the lines being checked.
func applyDirectives(path string, found []finding.Finding, dirs []directive, lineSet *finding.LineSet) (kept []finding.Finding, inline, foreign int, notices []finding.Notice) {
	if len(dirs) == 0 {
		return found, 0, 0, nil
	}
	// Directives by the line they apply to.
	byLine := map[int][]int{}
	for i, d := range dirs {
		target := d.line
		if d.Kind == NextLine {
			target++
		}
		byLine[target] = append(byLine[target], i)
	}
	kept = found[:0]
	for _, f := range found {
		allowedBy := -1
		for _, i := range byLine[f.Line] {
			d := &dirs[i]
			d.used = true
			if d.Foreign || d.Reason != "" {
				allowedBy = i
			}
		}
		if allowedBy < 0 {
			kept = append(kept, f)
			continue
		}
		if f.Confidence == 0 { // look-alikes are not counted as findings anywhere
			continue
		}
		if dirs[allowedBy].Foreign {
			foreign++
		} else {
			inline++
		}
	}
	for _, d := range dirs {
		if d.Foreign {
			continue // other tools' directives may be about other secrets
		}
		switch {
		case d.Reason == "":
			notices = append(notices, finding.Notice{Path: path, Line: d.line, Column: d.col, Code: finding.NoticeMissingReason,
				Message: d.Name + " without a reason: it allows nothing; write why the token may stay, e.g. \"" + d.Name + " test fixture, never a real token\""})
		case !d.used && (lineSet == nil || lineSet.Contains(d.line)) && !isExample(path):
			target := "this line"
			if d.Kind == NextLine {
				target = "the next line"
			}
			notices = append(notices, finding.Notice{Path: path, Line: d.line, Column: d.col, Code: finding.NoticeUnusedDirective,
				Message: "unused " + d.Name + ": no token on " + target + "; remove the directive"})
		}
	}
	return kept, inline, foreign, notices
}

// directiveSink collects the directives of one stream for scanStream. A nil
// sink finds nothing and costs nothing.
type directiveSink struct {
	foreign bool
	found   []directive
	pending int // index in found of the first directive without a position
}

// scan finds the directives whose marker starts in data[from:to] and returns
// the index of the first of them, for place. dataHasMatches says whether
// rules found anything in data: other tools' directives only ever suppress
// (they are never reported unused), so without a match near them there is
// nothing to look for. At worst, a foreign next-line directive whose token
// starts more than the chunk overlap further on is not seen, and the token is
// reported: a false alarm, never a miss.
func (s *directiveSink) scan(data []byte, from, to int, dataHasMatches bool) int {
	if s == nil {
		return 0
	}
	s.pending = len(s.found)
	s.found = findDirectives(data, from, to, s.foreign && dataHasMatches, s.found)
	return s.pending
}

// place gives a position to each pending directive that lies before the
// absolute offset upTo, advancing pos, and returns the next pending index.
func (s *directiveSink) place(pos *position, data []byte, base, upTo int64, next int) int {
	if s == nil {
		return next
	}
	for ; next < len(s.found); next++ {
		d := &s.found[next]
		abs := base + int64(d.offset)
		if abs >= upTo {
			break
		}
		pos.advance(data, base, abs)
		d.line, d.col = pos.line, pos.col+1-d.back
		d.offset = 0 // only meaningful within this chunk
	}
	return next
}

// isExample reports whether path is documentation or a test fixture, where
// a directive with no token next to it is an example rather than a leftover:
// Markdown and other documentation, files under a testdata directory, and Go
// test files (which build their fixtures at run time).
func isExample(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown", ".rst", ".adoc":
		return true
	}
	p := "/" + filepath.ToSlash(path)
	return strings.Contains(p, "/testdata/") || strings.HasSuffix(p, "_test.go")
}

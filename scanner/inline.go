package scanner

import (
	"path/filepath"
	"strings"

	"github.com/ghtoken/ghtoken/scanner/directive"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Inline directives (see package directive) are found while a stream is
// read, a few literal searches per chunk, and then tied to matches by line
// number, so the length of a line does not matter and nothing but the
// directives found is kept in memory.

// The reader keeps overlap bytes past each report region, so a directive
// found near the region's end is read whole; this fails to compile if not.
var _ [overlap - directive.MaxLen]struct{}

// inlineDirective is a directive with its place in the file.
type inlineDirective struct {
	directive.Directive
	line, col int
	used      bool
	allowed   bool // it allowed a token
}

// withReason says whether a directive gave a reason (the reason itself is
// free text from the scanned file, and stays there).
func withReason(r string) string {
	if r == "" {
		return " with no reason given"
	}
	return ""
}

// applyDirectives removes from found (one file's findings, in order) those
// that a directive allows, and reports directives without a reason and
// directives that allow nothing. lineSet, when not nil, limits unused-directive
// notices to the lines being checked. With listAdded, a directive on a line
// of lineSet that allows a token is listed too (suppression-added).
func applyDirectives(path string, found []finding.Finding, dirs []inlineDirective, lineSet *finding.LineSet, listAdded bool) (kept []finding.Finding, inline, foreign int, notices []finding.Notice) {
	if len(dirs) == 0 {
		return found, 0, 0, nil
	}
	// Directives by the line they apply to.
	byLine := map[int][]int{}
	for i, d := range dirs {
		target := d.line
		if d.Kind == directive.NextLine {
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
			if d.Allows() {
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
		dirs[allowedBy].allowed = true
		if dirs[allowedBy].Foreign {
			foreign++
		} else {
			inline++
		}
	}
	for _, d := range dirs {
		if listAdded && d.allowed && lineSet.Contains(d.line) {
			notices = append(notices, finding.Notice{Path: path, Line: d.line, Column: d.col, Code: finding.NoticeSuppressionAdded,
				Message: d.Name + " added in the scanned range allows a token" + withReason(d.Reason) + ": the code under review wrote it; review it"})
		}
		if d.Foreign {
			continue // other tools' directives may be about other secrets
		}
		switch {
		case d.Reason == "":
			notices = append(notices, finding.Notice{Path: path, Line: d.line, Column: d.col, Code: finding.NoticeMissingReason,
				Message: d.Name + " without a reason: it allows nothing; write why the token may stay, e.g. \"" + d.Name + " test fixture, never a real token\""})
		case !d.used && (lineSet == nil || lineSet.Contains(d.line)) && !isExample(path):
			target := "this line"
			if d.Kind == directive.NextLine {
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
	found   []inlineDirective
	scratch []directive.Directive
}

// scan finds the directives that start in data[from:to] and returns the
// index of the first of them, for place. dataHasMatches says whether rules
// found anything in data: other tools' directives only ever suppress (they
// are never reported unused), so without a match near them there is nothing
// to look for. At worst, a foreign next-line directive whose token starts
// more than the chunk overlap further on is not seen, and the token is
// reported: a false alarm, never a miss.
func (s *directiveSink) scan(data []byte, from, to int, dataHasMatches bool) int {
	if s == nil {
		return 0
	}
	pending := len(s.found)
	s.scratch = directive.Find(data, from, to, s.foreign && dataHasMatches, s.scratch[:0])
	for _, d := range s.scratch {
		s.found = append(s.found, inlineDirective{Directive: d})
	}
	return pending
}

// place gives a position to each pending directive that starts before the
// absolute offset upTo, advancing pos, and returns the next pending index.
func (s *directiveSink) place(pos *position, data []byte, base, upTo int64, next int) int {
	if s == nil {
		return next
	}
	for ; next < len(s.found); next++ {
		d := &s.found[next]
		abs := base + int64(d.Start)
		if abs >= upTo {
			break
		}
		pos.advance(data, base, abs)
		d.line, d.col = pos.line, pos.col+1
		d.Start = 0 // only meaningful within this chunk
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

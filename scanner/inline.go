package scanner

import (
	"path/filepath"
	"strings"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/directive"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Inline directives (see package directive) are found while a stream is
// read, a few literal searches per chunk, and tied to matches by line number
// as they come (see lineJudge): the length of a line does not matter, and
// memory does not grow with the number of directives or look-alikes in a
// file.

// The reader keeps overlap bytes past each report region, so a directive
// found near the region's end is read whole; this fails to compile if not.
var _ [overlap - directive.MaxLen]struct{}

// Per-file caps on what is kept for the report (see finding.ListedPerFile).
const (
	maxNoticesPerFile    = finding.ListedPerFile
	maxLookalikesPerFile = finding.ListedPerFile
)

// inlineDirective is a directive with its place in the file.
type inlineDirective struct {
	directive.Directive
	line, col int
}

// withReason says whether a directive gave a reason (the reason itself is
// free text from the scanned file, and stays there).
func withReason(r string) string {
	if r == "" {
		return " with no reason given"
	}
	return ""
}

// lineJudge applies one stream's inline directives to its findings. Findings
// and directives come in offset order, so line by line: a line's findings
// are judged once an item of a later line (or the end) shows that every
// directive that applies to it (on the line itself, or a next-line directive
// on the line before) has been seen. Only the current line's findings and
// the directives that apply to it and to the next line are pending.
//
// A finding that comes out of order (a line before the current one: the
// raw-byte matches of UTF-16 text, found after the text) is kept unjudged:
// a false alarm at worst, never a miss.
type lineJudge struct {
	path    string
	lineSet *finding.LineSet // limits unused-directive notices
	sample  bool             // keep up to maxLookalikesPerFile look-alikes
	// example: documentation or a fixture, where unused directives are
	// examples; worked out from path at the first directive (example is
	// 1 + 0 or 1 once known), not for every file.
	example int
	// listAdded: a directive on a line of lineSet that allows a token is
	// listed (suppression-added): in a commit range, the code under review
	// wrote it.
	listAdded bool

	cur        int               // the line of the latest item
	pending    []finding.Finding // on line cur
	pendLook   int               // look-alikes on line cur, counted only
	pendLookIn int               // look-alikes in pending
	here, next dirGroup          // directives that apply to line cur, cur+1

	kept             []finding.Finding
	inline, foreign  int // findings suppressed, by whose directive
	lookCount        int // look-alikes not suppressed, kept or not
	lookKept         int
	notices          []finding.Notice
	noticesNotListed int
}

// dirGroup is the directives that apply to one line.
type dirGroup struct {
	n            int  // directives
	allows       bool // one of them allows
	allowForeign bool // the last that allows is another tool's
	used         bool // the line has a finding or look-alike
	unused       []inlineDirective
	unusedMore   int             // unused-notice candidates over the cap
	allower      inlineDirective // the last that allows
	allowed      bool            // allower allowed a token
}

// reset makes j the judge of a new stream. A worker keeps one judge for all
// its files (one allocation per file otherwise); pending keeps its array.
func (j *lineJudge) reset(path string, lineSet *finding.LineSet, lookalikes, listAdded bool) {
	*j = lineJudge{path: path, lineSet: lineSet, sample: lookalikes, listAdded: listAdded, cur: 1, pending: j.pending[:0]}
}

// finding takes the next finding.
func (j *lineJudge) finding(f finding.Finding) {
	if f.Line < j.cur {
		j.keep(f) // out of order: see lineJudge
		return
	}
	j.advance(f.Line)
	if f.Confidence == rules.Lookalike {
		if !j.sample || j.lookKept+j.pendLookIn >= maxLookalikesPerFile {
			j.pendLook++
			return
		}
		j.pendLookIn++ // a count, not a walk of pending: one line may hold many
	}
	j.pending = append(j.pending, f)
}

// keep adds f to the findings kept, with its fingerprint: a hash worth
// computing only for what is kept.
func (j *lineJudge) keep(f finding.Finding) {
	if f.Confidence == rules.Lookalike {
		j.lookCount++
		if !j.sample || j.lookKept >= maxLookalikesPerFile {
			return
		}
		j.lookKept++
	}
	f.Fingerprint = rules.Fingerprint(f.Secret)
	j.kept = append(j.kept, f)
}

// directive takes the next directive, placed.
func (j *lineJudge) directive(d inlineDirective) {
	j.advance(d.line)
	if d.Foreign {
		// Other tools' directives may be about other secrets: they only
		// ever suppress, and are never reported.
	} else if d.Reason == "" {
		j.notice(finding.Notice{Path: j.path, Line: d.line, Column: d.col, Code: finding.NoticeMissingReason,
			Message: d.Name + " without a reason: it allows nothing; write why the token may stay, e.g. \"" + d.Name + " test fixture, never a real token\""})
	}
	g := &j.here
	if d.Kind == directive.NextLine {
		g = &j.next
	}
	g.n++
	if d.Allows() {
		g.allows, g.allowForeign, g.allower = true, d.Foreign, d
	}
	if !d.Foreign && d.Reason != "" && (j.lineSet == nil || j.lineSet.Contains(d.line)) && !j.isExample() {
		if len(g.unused) < maxNoticesPerFile {
			g.unused = append(g.unused, d)
		} else {
			g.unusedMore++
		}
	}
}

// advance moves to line, judging the lines before it.
func (j *lineJudge) advance(line int) {
	if line <= j.cur {
		return
	}
	j.judgeLine()
	if line == j.cur+1 {
		j.here, j.next = j.next, dirGroup{}
	} else {
		j.close(&j.next) // nothing on line cur+1
		j.here, j.next = dirGroup{}, dirGroup{}
	}
	j.cur = line
}

// judgeLine decides the pending findings of line cur.
func (j *lineJudge) judgeLine() {
	g := &j.here
	if g.n > 0 && (len(j.pending) > 0 || j.pendLook > 0) {
		g.used = true
	}
	for _, f := range j.pending {
		switch {
		case !g.allows:
			j.keep(f)
		case f.Confidence == rules.Lookalike:
			// Look-alikes are not counted as findings anywhere.
		case g.allowForeign:
			j.foreign++
			g.allowed = true
		default:
			j.inline++
			g.allowed = true
		}
	}
	if !g.allows {
		j.lookCount += j.pendLook
	}
	j.pending, j.pendLook, j.pendLookIn = j.pending[:0], 0, 0
	j.close(g)
}

// close reports the directives of g as unused unless a finding used them,
// and lists the one that allowed a token when asked to. That notice is not
// capped: there is one per line with a suppressed finding at most.
func (j *lineJudge) close(g *dirGroup) {
	if d := g.allower; g.allowed && j.listAdded && j.lineSet.Contains(d.line) {
		j.notices = append(j.notices, finding.Notice{Path: j.path, Line: d.line, Column: d.col, Code: finding.NoticeSuppressionAdded,
			Message: d.Name + " added in the scanned range allows a token" + withReason(d.Reason) + ": the code under review wrote it; review it"})
	}
	if g.used {
		return
	}
	for _, d := range g.unused {
		target := "this line"
		if d.Kind == directive.NextLine {
			target = "the next line"
		}
		j.notice(finding.Notice{Path: j.path, Line: d.line, Column: d.col, Code: finding.NoticeUnusedDirective,
			Message: "unused " + d.Name + ": no token on " + target + "; remove the directive"})
	}
	j.noticesNotListed += g.unusedMore
}

func (j *lineJudge) notice(n finding.Notice) {
	if len(j.notices) >= maxNoticesPerFile {
		j.noticesNotListed++
		return
	}
	j.notices = append(j.notices, n)
}

func (j *lineJudge) isExample() bool {
	if j.example == 0 {
		j.example = 1
		if isExample(j.path) {
			j.example = 2
		}
	}
	return j.example == 2
}

// finish judges what is pending; the judge is done.
func (j *lineJudge) finish() {
	j.advance(j.cur + 2)
}

// directiveSink collects the directives of one stream for scanStream. A nil
// sink finds nothing and costs nothing.
type directiveSink struct {
	foreign bool
	judge   *lineJudge // takes each directive once placed; nil drops them
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
	// The previous chunk's directives were all placed (and handed over).
	s.found = s.found[:0]
	s.scratch = directive.Find(data, from, to, s.foreign && dataHasMatches, s.scratch[:0])
	for _, d := range s.scratch {
		s.found = append(s.found, inlineDirective{Directive: d})
	}
	return 0
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
		if s.judge != nil {
			s.judge.directive(*d)
		}
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

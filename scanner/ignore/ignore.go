// Package ignore matches paths against .gitignore-style pattern files, for the
// directory walk and for the suppression files that use the same syntax. It
// reads no files itself: callers hand it the bytes.
package ignore

import (
	"bytes"
	"strings"
)

// pattern is one line of a .gitignore file, read as git reads it
// (dir.c: parse_path_pattern, match_basename, match_pathname).
type pattern struct {
	// text is the pattern without its "!" and its trailing "/"; for a
	// pathname pattern, without its leading "/" too.
	text string
	// literal is how many leading bytes of text hold no glob character:
	// git compares them as they are and hands only the rest to wildmatch,
	// which matters to a "**" right after them ("a**/b" matches "ax/y/b").
	literal int
	negate  bool
	dirOnly bool // a trailing "/": directories only
	// basename: no "/" in text, so it is matched against the last
	// component of a path, at any depth.
	basename bool
}

// File holds the patterns of one .gitignore (or info/exclude), which
// apply to paths below dir (slash-separated, relative to the walk's root; ""
// for the root).
type File struct {
	dir      string
	patterns []pattern
	// invalid lists the lines (1-based) whose pattern git cannot read (a
	// "[" never closed, an unknown "[:class:]"): git matches nothing with
	// them, and suppression files report them.
	invalid []int
}

// maxPatternLen is the longest .gitignore line considered (PATH_MAX), and
// maxPatterns the most patterns taken from one file: every path is matched
// against every pattern, so a hostile .gitignore could otherwise make the
// walk as slow as it likes. Patterns past the limit are not applied, which
// means more files are scanned, never fewer.
const (
	maxPatternLen = 4096
	maxPatterns   = 10000
)

// Parse reads the lines of a gitignore file the way git does: a UTF-8 byte
// order mark at the start is skipped; empty lines and lines starting with
// "#" are skipped; a "\r" before the end of a line is dropped; trailing
// spaces are dropped unless escaped with "\"; the line ends at a NUL byte.
func Parse(dir string, data []byte) *File {
	f := &File{dir: dir}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	n := 0
	for len(data) > 0 {
		n++
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		// No path is longer than the system allows, so a longer pattern
		// matches nothing; skipping it (rather than stopping, as a line
		// scanner would) keeps the patterns after it.
		if len(raw) == 0 || raw[0] == '#' || len(raw) > maxPatternLen {
			continue
		}
		p, ok := parsePattern(raw)
		if !ok {
			continue
		}
		if neverMatches(p.text) {
			f.invalid = append(f.invalid, n)
			continue
		}
		f.patterns = append(f.patterns, p)
		if len(f.patterns) == maxPatterns {
			break
		}
	}
	return f
}

// parsePattern reads one line that is neither empty nor a comment. ok is
// false when the pattern names nothing ("/", "!", spaces only).
func parsePattern(raw []byte) (pattern, bool) {
	raw = bytes.TrimSuffix(raw, []byte("\r"))
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	line := trimTrailingSpaces(string(raw))
	var p pattern
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	literal := len(line)
	if i := strings.IndexAny(line, "*?[\\"); i >= 0 {
		literal = i
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = line[:len(line)-1]
	}
	p.literal = min(literal, len(line))
	p.basename = !strings.Contains(line, "/")
	if !p.basename && strings.HasPrefix(line, "/") {
		line = line[1:]
		p.literal--
	}
	p.text = line
	return p, line != ""
}

// trimTrailingSpaces drops the spaces at the end of line, except one that
// a backslash escapes (and those before it).
func trimTrailingSpaces(line string) string {
	end := len(line)
	lastSpace := -1
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			if lastSpace < 0 {
				lastSpace = i
			}
		case '\\':
			i++
			if i == len(line) {
				return line
			}
			lastSpace = -1
		default:
			lastSpace = -1
		}
	}
	if lastSpace >= 0 {
		end = lastSpace
	}
	return line[:end]
}

// matches reports whether the pattern matches rel, a path relative to the
// directory of the pattern's file; isDir says whether it is a directory.
// complete is false when matching was given up (see matcher).
func (p *pattern) matches(rel string, isDir bool) (matched, complete bool) {
	if p.dirOnly && !isDir {
		return false, true
	}
	if p.basename {
		return wildmatch(p.text, rel[strings.LastIndexByte(rel, '/')+1:], false)
	}
	if p.literal > len(rel) || rel[:p.literal] != p.text[:p.literal] {
		return false, true
	}
	if p.literal == len(p.text) {
		return p.literal == len(rel), true
	}
	return wildmatch(p.text[p.literal:], rel[p.literal:], true)
}

// Stack is the list of ignore files that apply to a directory, outermost
// first. It is immutable once built: children extend a copy.
type Stack []*File

// Ignored reports whether rel (slash-separated, relative to the walk's root)
// is ignored; isDir says whether it is a directory. The last matching pattern
// wins, deeper files after shallower ones.
func (s Stack) Ignored(rel string, isDir bool) bool {
	result := false
	for _, f := range s {
		sub := rel
		if f.dir != "" {
			sub = strings.TrimPrefix(sub, f.dir+"/")
		}
		for i := range f.patterns {
			p := &f.patterns[i]
			matched, complete := p.matches(sub, isDir)
			if !complete {
				// Given up: decide so that the path is scanned (a
				// negation applies, an exclusion does not).
				matched = p.negate
			}
			if matched {
				result = !p.negate
			}
		}
	}
	return result
}

// WithData returns the stack extended by the patterns in data, the content
// of the ignore file of relDir.
func (s Stack) WithData(relDir string, data []byte) Stack {
	f := Parse(relDir, data)
	if len(f.patterns) == 0 {
		return s
	}
	return append(s[:len(s):len(s)], f)
}

// MatchesPath reports whether rel (a file, slash-separated) or one of its
// parent directories is matched, with gitignore's rules: a file below an
// ignored directory is ignored whatever later patterns say.
func (f *File) MatchesPath(rel string) bool {
	if f == nil || len(f.patterns) == 0 {
		return false
	}
	s := Stack{f}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		if s.Ignored(strings.Join(parts[:i], "/"), true) {
			return true
		}
	}
	return s.Ignored(rel, false)
}

// Empty reports whether f holds no usable pattern.
func (f *File) Empty() bool { return f == nil || len(f.patterns) == 0 }

// Invalid lists the lines (1-based) whose pattern git cannot read.
func (f *File) Invalid() []int { return f.invalid }

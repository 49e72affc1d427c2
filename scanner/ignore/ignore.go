// Package ignore matches paths against .gitignore-style pattern files, for the
// directory walk and for the suppression files that use the same syntax. It
// reads no files itself: callers hand it the bytes.
package ignore

import (
	"bytes"
	"reflect"
	"strings"

	gitignore "github.com/sabhiram/go-gitignore"
)

// ignorePattern is one line of a .gitignore file. go-gitignore compiles the
// pattern; precedence across files, negation and anchoring are handled here,
// because a single go-gitignore matcher cannot tell "no pattern matched" from
// "a negation matched", which decides whether a deeper file re-includes a path.
type ignorePattern struct {
	m      *gitignore.GitIgnore
	negate bool
}

// File holds the patterns of one .gitignore (or info/exclude), which
// apply to paths below dir (slash-separated, relative to the walk's root; ""
// for the root).
type File struct {
	dir      string
	patterns []ignorePattern
	// invalid lists the lines (1-based) whose pattern go-gitignore could not
	// compile and dropped; git would not have matched them either.
	invalid []int
	// reroot is the walk root's path relative to the file's tree, for
	// files above the root (the repository's outer .gitignore files).
	reroot string
}

// maxPatternLen is the longest .gitignore line considered (PATH_MAX), and
// maxPatterns the most patterns taken from one file: each compiles to a
// regular expression of up to some KiB, and every path is matched against
// every one, so a hostile .gitignore could otherwise make the walk as big and
// slow as it likes. Patterns past the limit are not applied, which means
// more files are scanned, never fewer.
const (
	maxPatternLen = 4096
	maxPatterns   = 10000
)

// Parse compiles the lines of a gitignore file.
func Parse(dir string, data []byte) *File {
	f := &File{dir: dir}
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
		if len(raw) > maxPatternLen {
			continue
		}
		line := strings.TrimRight(string(raw), "\r")
		if trimmed := strings.TrimSpace(line); trimmed == "" || trimmed[0] == '#' {
			continue
		}
		p := ignorePattern{}
		if line[0] == '!' {
			p.negate = true
			line = line[1:]
		}
		line = strings.TrimRight(line, " ")
		// A slash at the start or in the middle anchors the pattern to the
		// directory of the .gitignore (git's rule); go-gitignore only
		// anchors a leading slash.
		body := strings.TrimSuffix(line, "/")
		if strings.Trim(line, "/") == "" {
			// "/" or "!" alone names nothing; go-gitignore would read it
			// as "everything" and silently hide the whole tree.
			continue
		}
		if !strings.HasPrefix(line, "/") && !strings.HasPrefix(line, "**/") && strings.Contains(body, "/") {
			line = "/" + line
		}
		p.m = gitignore.CompileIgnoreLines(line)
		if compiledPatterns(p.m) == 0 {
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
		if f.reroot != "" {
			sub = f.reroot + "/" + rel
		}
		if f.dir != "" {
			sub = strings.TrimPrefix(sub, f.dir+"/")
		}
		if isDir {
			sub += "/"
		}
		for _, p := range f.patterns {
			if p.m.MatchesPath(sub) {
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

// compiledPatterns is how many patterns go-gitignore kept: it drops a line
// whose regular expression does not compile ("a[b", "x(y") without saying
// so, and suppression files must not drop anything silently. -1 when the
// library's layout is not the one expected.
func compiledPatterns(gi *gitignore.GitIgnore) int {
	v := reflect.ValueOf(gi).Elem().FieldByName("patterns")
	if !v.IsValid() || v.Kind() != reflect.Slice {
		return -1
	}
	return v.Len()
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

// Rerooted returns f applied to a walk rooted at reroot, a directory below
// f's own (slash-separated, relative to it).
func (f *File) Rerooted(reroot string) *File {
	return &File{dir: f.dir, patterns: f.patterns, reroot: reroot}
}

// Empty reports whether f holds no usable pattern.
func (f *File) Empty() bool { return f == nil || len(f.patterns) == 0 }

// Invalid lists the lines (1-based) whose pattern could not be compiled.
func (f *File) Invalid() []int { return f.invalid }

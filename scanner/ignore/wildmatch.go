package ignore

// This file matches one pattern against one path exactly as git's wildmatch
// does (git/wildmatch.c, used by .gitignore and pathspecs), because "as git
// does" is the only definition of a .gitignore pattern that users can check.
// The library used before translated patterns into regular expressions and
// got common ones wrong: "[!x]y.dat" took the "!" as a literal, "deep/**/"
// matched the file deep/f, and it dropped patterns whose regular expression
// did not compile ("x(y"), which we could only detect by reading its
// unexported fields through reflection. The differential fuzz target
// (FuzzIgnoreMatchesGit) checks this code against git itself.
//
// What a pattern means (flags as git's WM_PATHNAME, which .gitignore uses
// for patterns that hold a slash):
//
//   - "\\x" is the character x, whatever it is; a trailing "\\" matches nothing.
//   - "?" is one character, never "/" with pathname.
//   - "[...]" is one character of a set: "!" or "^" first negates it, "]"
//     first is a member, "a-z" is a range, "[:alpha:]" and the other POSIX
//     classes are classes, "\\" escapes. It never matches "/" with
//     pathname. A set that is not closed, or an unknown class name, makes
//     the pattern match nothing.
//   - "*" is any run of characters, without "/" with pathname.
//   - "**" with pathname is any run including "/" only as a whole
//     component: at the start or after "/", and followed by "/" or the end;
//     "/**/" also matches a single "/" ("a/**/b" matches "a/b").
//     Elsewhere it is "*".

// wmResult is the outcome of matching from one position. Beyond match and
// no match, the two abort results tell the "*" loops above that trying a
// later position cannot help: git relies on them to stay polynomial, and
// they decide some results, so they are kept as they are.
type wmResult int

const (
	wmMatch wmResult = iota
	wmNoMatch
	wmAbortAll        // the text ran out: no later start of a "*" can match
	wmAbortToStarStar // a "*" reached a "/": only an enclosing "**" may go on
)

// wildmatch reports whether text matches pattern; pathname is git's
// WM_PATHNAME ("*", "?" and sets do not match "/"). complete is false when
// the match took more than maxAttempts steps and was given up: the caller
// then decides in the direction that scans more files.
func wildmatch(pattern, text string, pathname bool) (matched, complete bool) {
	m := matcher{pattern: pattern, text: text, pathname: pathname}
	r := m.matchAt(0, 0)
	return r == wmMatch, !m.gaveUp
}

// matcher is one match of a pattern against a text.
//
// Git's matcher backtracks: each "*" tries every later position, so
// "*a*a*a…" against "aaa…0" takes time exponential in the number of stars
// (git check-ignore spends 5 s on 28 of them). The result of matching from
// a pattern position against a text position is always the same, so once a
// match has made more than memoAfter attempts, results are remembered and
// the time is polynomial. Ordinary patterns never get there and allocate
// nothing. Past maxSteps (thousands of stars against a long path) the
// match is given up, so no pattern costs more than about a millisecond.
type matcher struct {
	pattern, text string
	pathname      bool
	calls, steps  int
	gaveUp        bool
	// memo holds 1+wmResult for each pattern and text position, 0 for
	// not known yet; nil until needed, and when it would be too big.
	memo []uint8
}

const (
	memoAfter   = 64
	maxMemoSize = 1 << 20
	maxSteps    = 1 << 18
)

// matchAt matches pattern[p:] against text[t:], where p is the start of
// the (sub)pattern (which decides whether a "**" opens a component).
func (m *matcher) matchAt(p, t int) wmResult {
	i := p*(len(m.text)+1) + t
	if m.memo != nil && m.memo[i] != 0 {
		return wmResult(m.memo[i] - 1)
	}
	if m.steps > maxSteps {
		// wmAbortAll unwinds every "*" loop at once.
		m.gaveUp = true
		return wmAbortAll
	}
	if m.calls++; m.calls == memoAfter {
		if size := (len(m.pattern) + 1) * (len(m.text) + 1); size <= maxMemoSize {
			m.memo = make([]uint8, size)
		}
	}
	r := wmMatchAt(m, p, t)
	if m.memo != nil && !m.gaveUp {
		m.memo[i] = uint8(r) + 1
	}
	return r
}

// byteAt returns s[i], or 0 past the end: git's matcher walks NUL-terminated
// strings, and several of its decisions are made on that terminator.
func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// isGlobSpecial reports the characters that end a literal run.
func isGlobSpecial(c byte) bool { return c == '*' || c == '?' || c == '[' || c == '\\' }

// wmMatchAt is matchAt without the memory.
func wmMatchAt(m *matcher, p, t int) wmResult {
	pattern, text, pathname := m.pattern, m.text, m.pathname
	start := p
	for ; p < len(pattern); p, t = p+1, t+1 {
		m.steps++
		pc, tc := pattern[p], byteAt(text, t)
		if t >= len(text) && pc != '*' {
			return wmAbortAll
		}
		switch pc {
		case '\\':
			p++
			if byteAt(pattern, p) != tc {
				return wmNoMatch
			}
		case '?':
			if pathname && tc == '/' {
				return wmNoMatch
			}
		case '[':
			matched, next, ok := matchSet(pattern, p, tc)
			if !ok {
				return wmAbortAll
			}
			if !matched || (pathname && tc == '/') {
				return wmNoMatch
			}
			p = next
		case '*':
			return wmStar(m, p, start, t)
		default:
			if pc != tc {
				return wmNoMatch
			}
		}
	}
	if t < len(text) {
		return wmNoMatch
	}
	return wmMatch
}

// wmStar matches from the "*" at pattern[p] on, text[t:] being what is left
// of the text.
func wmStar(m *matcher, p, start, t int) wmResult {
	pattern, text, pathname := m.pattern, m.text, m.pathname
	matchSlash := !pathname
	p++
	if byteAt(pattern, p) == '*' {
		before := p - 2 // the character before the run of stars
		for byteAt(pattern, p) == '*' {
			p++
		}
		opens := before < start || pattern[before] == '/'
		closes := p == len(pattern) || pattern[p] == '/' || (pattern[p] == '\\' && byteAt(pattern, p+1) == '/')
		switch {
		case !pathname:
			matchSlash = true
		case opens && closes:
			// "**/" may match nothing at all: "a/**/b" matches "a/b".
			if byteAt(pattern, p) == '/' && m.matchAt(p+1, t) == wmMatch {
				return wmMatch
			}
			matchSlash = true
		default:
			matchSlash = false
		}
	}
	if p == len(pattern) {
		// A trailing "**" takes the rest; a trailing "*" only the rest
		// of this component.
		if !matchSlash && indexByteFrom(text, t, '/') >= 0 {
			return wmNoMatch
		}
		return wmMatch
	}
	if !matchSlash && pattern[p] == '/' {
		// "*/": the star takes the rest of this component, and the
		// slash is matched next.
		slash := indexByteFrom(text, t, '/')
		if slash < 0 {
			return wmNoMatch
		}
		return m.matchAt(p, slash)
	}
	for t < len(text) {
		m.steps++
		if c := pattern[p]; !isGlobSpecial(c) {
			// Skip to the next place where the literal after the
			// star appears (within this component unless "**").
			from := t
			for t < len(text) && text[t] != c && (matchSlash || text[t] != '/') {
				t++
			}
			m.steps += t - from
			if t == len(text) || text[t] != c {
				return wmNoMatch
			}
		}
		r := m.matchAt(p, t)
		if r != wmNoMatch {
			if !matchSlash || r != wmAbortToStarStar {
				return r
			}
		} else if !matchSlash && text[t] == '/' {
			return wmAbortToStarStar
		}
		t++
	}
	return wmAbortAll
}

func indexByteFrom(s string, from int, c byte) int {
	for i := from; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// matchSet reads the set that opens at pattern[open] ("[") and reports
// whether c is in it, and the index of its closing "]". ok is false when the
// set is not closed or names an unknown class: git then gives up on the
// whole pattern. Whether the set parses does not depend on c.
func matchSet(pattern string, open int, c byte) (matched bool, end int, ok bool) {
	p := open + 1
	pc := byteAt(pattern, p)
	negated := pc == '!' || pc == '^'
	if negated {
		p++
		pc = byteAt(pattern, p)
	}
	var prev byte
	for {
		if p >= len(pattern) {
			return false, 0, false
		}
		switch {
		case pc == '\\':
			p++
			if p >= len(pattern) {
				return false, 0, false
			}
			pc = pattern[p]
			if c == pc {
				matched = true
			}
		case pc == '-' && prev != 0 && p+1 < len(pattern) && pattern[p+1] != ']':
			p++
			pc = pattern[p]
			if pc == '\\' {
				p++
				if p >= len(pattern) {
					return false, 0, false
				}
				pc = pattern[p]
			}
			if c >= prev && c <= pc {
				matched = true
			}
			pc = 0 // a range does not start another range
		case pc == '[' && byteAt(pattern, p+1) == ':':
			in, next, class, valid := matchClass(pattern, p, c)
			if !valid {
				return false, 0, false
			}
			p = next
			if !class {
				// "[:" without ":]": a plain "[".
				pc = '['
				if c == '[' {
					matched = true
				}
				break
			}
			if in {
				matched = true
			}
			pc = 0
		case c == pc:
			matched = true
		}
		prev = pc
		p++
		pc = byteAt(pattern, p)
		if pc == ']' {
			return matched != negated, p, true
		}
	}
}

// matchClass reads "[:name:]" at pattern[p]. class is false when the
// bracket is not closed by ":]" (it is then a plain "[" and next is p);
// valid is false when no "]" follows at all or the name is unknown.
func matchClass(pattern string, p int, c byte) (in bool, next int, class, valid bool) {
	s := p + 2
	e := s
	for e < len(pattern) && pattern[e] != ']' && pattern[e] != 0 {
		e++
	}
	if e >= len(pattern) || pattern[e] != ']' {
		return false, 0, false, false
	}
	if e-s-1 < 0 || pattern[e-1] != ':' {
		return false, p, false, true
	}
	test, known := posixClass(pattern[s : e-1])
	if !known {
		return false, 0, false, false
	}
	return test(c), e, true, true
}

// posixClass returns the test of the class git knows by name, with git's
// own character table (ASCII only: no byte above 0x7f is in any class). A
// switch, not a map: a map would be built at start-up, by every run of the
// program, for the rare pattern that names a class.
func posixClass(name string) (test func(c byte) bool, known bool) {
	switch name {
	case "alnum":
		return func(c byte) bool { return isAlpha(c) || isDigit(c) }, true
	case "alpha":
		return isAlpha, true
	case "blank":
		return func(c byte) bool { return c == ' ' || c == '\t' }, true
	case "cntrl":
		return func(c byte) bool { return c < 0x20 || c == 0x7f }, true
	case "digit":
		return isDigit, true
	case "graph":
		return func(c byte) bool { return c > 0x20 && c < 0x7f }, true
	case "lower":
		return func(c byte) bool { return c >= 'a' && c <= 'z' }, true
	case "print":
		return func(c byte) bool { return c >= 0x20 && c < 0x7f }, true
	case "punct":
		return func(c byte) bool { return c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c) }, true
	case "space":
		return func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }, true // git's own table: not \v or \f
	case "upper":
		return func(c byte) bool { return c >= 'A' && c <= 'Z' }, true
	case "xdigit":
		return func(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }, true
	}
	return nil, false
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// neverMatches reports whether pattern has a set that git cannot read (not
// closed, or an unknown class): such a pattern matches no path at all.
func neverMatches(pattern string) bool {
	for p := 0; p < len(pattern); p++ {
		switch pattern[p] {
		case '\\':
			p++
		case '[':
			_, end, ok := matchSet(pattern, p, 0)
			if !ok {
				return true
			}
			p = end
		}
	}
	return false
}

package rules

// Tokens split across string literals on one line, to slip past push
// protection or a reviewer: "ghp_" + "...", Python's implicit concatenation
// 'ghp_' '...', PHP and Perl's "ghp_" . "...", and interpolation in a template
// `ghp_${"..."}`. The literals are joined as the language would join them when
// the joined text starts with a token prefix, and the checksum decides, as
// for any token.
//
// A candidate starts at a "gh" or "gi" that stands apart from the text before
// it (the one search of find.go finds those pairs); the prefix itself may be
// split after them. The
// joining stops as soon as the text cannot be a token any more: when it stops
// being a token prefix, at a character no payload holds, or one character
// past the longest token of its prefix. Only tokens whose length and checksum
// (or structure) are fixed are joined: a stateless installation token has no
// checksum to decide, and a legacy one no prefix.

// EncodingConcatenated is Match.Encoding for a token joined from string
// literals; Start and End then delimit the literals from the token's first
// character to its last.
const EncodingConcatenated = "concatenated"

// maxJoined is the most characters a candidate joins: the longest token of
// fixed length and the character after it, which decides where it ends.
const maxJoined = fineGrainedLen + 1

// quoteChar marks the bytes that open and close a string literal, and
// concatSecond the bytes that follow the 'g' of a candidate.
var quoteChar, concatSecond [256]bool

func init() {
	for _, q := range []byte("\"'`") {
		quoteChar[q] = true
	}
	for _, c := range []byte("hi") {
		concatSecond[c] = true
	}
}

// joined is the text of a candidate joined from its literals; src[k] is where
// its byte k is in the finder's buffer.
type joined struct {
	text  [maxJoined + 1]byte // the characters, then the one that ended them
	src   [maxJoined]int32
	n     int  // characters joined
	term  bool // text[n] holds the character that ended the joining
	joins int  // literal boundaries crossed
	limit int  // the longest token the joined prefix can start (0 until known)
}

// concatAt handles a candidate at p (see above): it reports a token that
// starts at p, crosses a literal boundary and passes its checks.
func (f *finder) concatAt(p int) {
	if f.depth == 0 || !concatStart(f.buf[p:]) {
		return
	}
	var j joined
	f.joinLiterals(p, &j)
	if j.joins == 0 || j.n < minTokenLen {
		return
	}
	inner := newFinder(finderInit{buf: j.text[:j.n+btoi(j.term)], opt: f.opt, lockfile: true})
	defer inner.release()
	inner.run()
	f.probes += inner.probes
	for _, m := range inner.dst {
		last := m.End - 1
		if m.Start != 0 || m.Rule.MinLen != m.Rule.MaxLen || int(j.src[last]) == p+last {
			continue // not at p, no checksum to decide, or within one literal
		}
		m.Decoded = string(j.text[:m.End])
		m.Start, m.End = p, int(j.src[last])+1
		m.Encoding = EncodingConcatenated
		f.dst = append(f.dst, m)
	}
}

// concatStart reports whether b starts with a token prefix, or with the
// start of one that a quote or an interpolation cuts short: a cheap test
// before any joining.
func concatStart(b []byte) bool {
	for _, pre := range tokenPrefixes {
		k := 0
		for k < len(pre) && k < len(b) && b[k] == pre[k] {
			k++
		}
		if k == len(pre) || k > 0 && k < len(b) && (quoteChar[b[k]] || interpolation(b[k:])) {
			return true
		}
	}
	return false
}

// interpolation reports whether b starts an interpolation: "${" (JavaScript
// templates, Kotlin, Groovy, shells) or "#{" (Ruby, CoffeeScript).
func interpolation(b []byte) bool {
	return len(b) >= 2 && (b[0] == '$' || b[0] == '#') && b[1] == '{'
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// joinLiterals joins the literals that follow p, within decodeWindow bytes.
func (f *finder) joinLiterals(p int, j *joined) {
	buf := f.buf
	end := min(len(buf), p+decodeWindow)
	var q, outer byte // the quote closing the current literal (0: any), and the one around an interpolation
	interp := false
	i := p
	defer func() { f.probes += i - p + 1 }()
	for {
		for i < end && j.add(buf[i], i) {
			i++
		}
		if i >= end || j.n > j.limit && j.limit > 0 {
			return
		}
		c := buf[i]
		next := -1
		switch {
		case c == q || q == 0 && quoteChar[c]:
			k := skipBlanks(buf, i+1, end)
			if interp {
				if k < end && buf[k] == '}' {
					next, q, interp = k+1, outer, false
				}
				break
			}
			if k < end && (buf[k] == '+' || buf[k] == '.') {
				k = skipBlanks(buf, k+1, end)
			}
			if k < end && quoteChar[buf[k]] {
				next, q = k+1, buf[k]
			}
		case !interp && interpolation(buf[i:end]):
			if k := skipBlanks(buf, i+2, end); k < end && quoteChar[buf[k]] {
				next, outer, q, interp = k+1, q, buf[k], true
			}
		}
		if next < 0 {
			j.text[j.n], j.term = c, true
			return
		}
		j.joins++
		i = next
	}
}

// add appends c, found at i, and reports whether the joined text can still
// be (the start of) a token.
func (j *joined) add(c byte, i int) bool {
	if j.n > j.limit && j.limit > 0 || !wordChar[c] {
		return false
	}
	if j.limit == 0 {
		if !j.prefixWith(c) {
			return false
		}
	} else if c == '_' && (j.limit != fineGrainedLen || j.n != len("github_pat_")+22) {
		return false // payloads are alphanumeric, but for the fine-grained token's second "_"
	}
	j.text[j.n], j.src[j.n] = c, int32(i)
	j.n++
	return true
}

// prefixWith reports whether the joined text with c appended is still the
// start of a token prefix, and sets j.limit once it holds a whole one.
func (j *joined) prefixWith(c byte) bool {
	n := j.n + 1
	for _, pre := range tokenPrefixes {
		if len(pre) < n || pre[j.n] != c || string(j.text[:j.n]) != pre[:j.n] {
			continue
		}
		if len(pre) == n {
			j.limit = fixedLen(pre)
		}
		return j.limit >= 0
	}
	return false
}

// fixedLen returns the longest fixed length of the rules with the given
// prefix, -1 when none has one.
func fixedLen(prefix string) int {
	n := -1
	for _, r := range all {
		if r.Prefix == prefix && r.MinLen == r.MaxLen {
			n = max(n, r.MaxLen)
		}
	}
	return n
}

func skipBlanks(buf []byte, i, end int) int {
	for i < end && (buf[i] == ' ' || buf[i] == '\t') {
		i++
	}
	return i
}

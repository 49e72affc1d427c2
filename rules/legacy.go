package rules

import (
	"bytes"
	"math"
)

// Legacy tokens are 40 lower-case hex characters, indistinguishable from a
// SHA-1 by shape (FORMATS.md §4). Only a GitHub token keyword shortly before
// the value, the value's entropy and the absence of commit-SHA context make
// one a finding. These numbers bound how far the rule looks.
const (
	identMax        = 128 // longest keyword identifier considered, each side of the keyword
	valueMaxGap     = 256 // the value starts at most this far after the keyword
	minLegacyRunLen = 16  // the first run at least this long after the keyword is "the value"
	legacyHexLen    = 40
	minEntropy      = 3.5
)

var identChar [256]bool

func init() {
	for c := range 256 {
		identChar[c] = wordChar[c] || c == '-' || c == '.'
	}
}

// tokenWords are the parts of an identifier that say it holds a credential.
var tokenWords = []string{"token", "pat", "secret", "key", "auth", "pass", "pwd", "cred", "oauth"}

// shaWords mark identifiers that name a commit or hash, not a credential.
var shaWords = []string{"sha", "commit", "hash", "digest", "rev", "ref", "checksum"}

// atKeyword handles a possible keyword occurrence at p: "github" or a "gh"
// segment in an identifier such as GITHUB_TOKEN, gh_token or GH_PAT.
func (f *finder) atKeyword(p int) {
	buf := f.buf
	start := p
	for start > 0 && p-start < identMax && identChar[buf[start-1]] {
		start--
	}
	end := p
	for end < len(buf) && end-p < identMax && identChar[buf[end]] {
		end++
	}
	// Only the occurrence nearest the identifier's start does the work, so
	// an identifier is judged once per pass.
	if !keywordIdent(buf[start:end], p-start) {
		return
	}
	f.legacyValue(p, end)
}

// keywordIdent reports whether ident (with a keyword candidate at offset k)
// names a GitHub credential. It runs for every "github" or "gh" in the input,
// so it works on a stack copy and never allocates.
func keywordIdent(ident []byte, k int) bool {
	var lower [2 * identMax]byte
	l := lower[:len(ident)]
	for i, c := range ident {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	rest := l[k:]
	isGitHub := bytes.HasPrefix(rest, []byte("github"))
	isGh := bytes.HasPrefix(rest, []byte("gh")) && (k == 0 || !alnum[l[k-1]]) &&
		(len(rest) == 2 || !alnum[rest[2]] || hasAnyPrefix(rest[2:], tokenWords))
	if !isGitHub && !isGh {
		return false
	}
	if !containsAny(l, tokenWords) {
		return false
	}
	// Reject identifiers with a segment that names a hash (GITHUB_SHA,
	// github.commit_sha): their values are SHAs, not tokens.
	for start, i := 0, 0; i <= len(l); i++ {
		if i < len(l) && l[i] != '_' && l[i] != '-' && l[i] != '.' {
			continue
		}
		for _, w := range shaWords {
			if string(l[start:i]) == w {
				return false
			}
		}
		start = i + 1
	}
	return true
}

func hasAnyPrefix(s []byte, words []string) bool {
	for _, w := range words {
		if bytes.HasPrefix(s, []byte(w)) {
			return true
		}
	}
	return false
}

func containsAny(s []byte, words []string) bool {
	for _, w := range words {
		if bytes.Contains(s, []byte(w)) {
			return true
		}
	}
	return false
}

// legacyValue looks for the value that follows a keyword identifier ending at
// identEnd: the first word after it, past separators (= : quotes brackets
// and the words "token" or "bearer"), on the same line, or on the next line
// when the rest of the line holds only separators (YAML and similar key/value
// files). Anything else in between (a variable reference, a comment, another
// word) means the value is not a literal, and nothing is reported.
func (f *finder) legacyValue(p, identEnd int) {
	buf := f.buf
	limit := min(len(buf), p+valueMaxGap)
	lineBreaks := 0
	for i := identEnd; i < limit; {
		c := buf[i]
		switch {
		case c == '\n':
			if lineBreaks == 1 {
				return
			}
			lineBreaks++
			i++
		case legacySeparator[c]:
			i++
		case identChar[c]:
			j := i
			for j < len(buf) && identChar[buf[j]] {
				j++
			}
			if j-i >= minLegacyRunLen {
				f.legacyCandidate(i, j)
				return
			}
			if !asciiEqualFoldAny(buf[i:j], "token", "bearer") {
				return
			}
			i = j
		default:
			return
		}
	}
}

var legacySeparator [256]bool

func init() {
	for _, c := range []byte(" \t\r'\"`:=>,;([{<") {
		legacySeparator[c] = true
	}
}

func asciiEqualFoldAny(b []byte, words ...string) bool {
	for _, w := range words {
		if len(b) == len(w) && asciiEqualFold(b, w) {
			return true
		}
	}
	return false
}

// legacyCandidate judges the run buf[i:j] that follows a keyword.
func (f *finder) legacyCandidate(i, j int) {
	buf := f.buf
	run := buf[i:j]
	start := i
	if bytes.HasPrefix(run, []byte("v1.")) {
		start += 3
	}
	if j-start != legacyHexLen || !boundaryBefore(buf, i) {
		return
	}
	for _, c := range buf[start:j] {
		if !hexLower[c] {
			return
		}
	}
	m := Match{Rule: Legacy, Start: i, End: j, Confidence: Medium}
	if e := entropy(buf[start:j]); e < minEntropy {
		m.Confidence, m.Note = Lookalike, "low entropy"
	}
	f.add(m)
}

// entropy is the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	h := 0.0
	n := float64(len(b))
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

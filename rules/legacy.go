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
	identMax        = 256 // longest keyword identifier considered (GITHUB_TOKEN and whatever prefixes or follows it)
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

// shaWords mark identifiers that name a commit or hash, not a credential.
var shaWords = []string{"sha", "commit", "hash", "digest", "rev", "ref", "checksum"}

// ident is the identifier around a keyword candidate: the whole run of
// identifier characters, judged once for every keyword candidate it holds, so
// a long run of candidates ("gh_gh_gh_...") costs a pass, not a pass each.
// The legacy value walk after it is resumed rather than redone too.
type ident struct {
	start, end int // buf[start:end], or the part of an overlong run scanned
	// credential: no longer than identMax, with a token word and no
	// segment naming a hash. A keyword inside it is still needed.
	credential bool
	// clientSecret: the name is an OAuth app's client secret
	// (GITHUB_CLIENT_SECRET), whose value is no token.
	clientSecret bool
	lower        [identMax]byte
	walk         legacyWalk
}

// legacyWalk is where the walk for the value after an identifier stands.
type legacyWalk struct {
	i, lineBreaks int
	done          bool
}

// atKeyword handles a possible keyword occurrence at p: "github" or a "gh",
// "ghe" or "git" segment in an identifier such as GITHUB_TOKEN, gh_token,
// GH_PAT or git_password. Calls
// come in increasing order of p within a pass.
func (f *finder) atKeyword(p int) {
	id := &f.ident
	if p < id.start || p >= id.end {
		f.judgeIdent(p)
		f.hostContext()
	}
	if !id.credential || !keywordAt(id.lower[:id.end-id.start], p-id.start) {
		return
	}
	f.legacyValue(p)
}

// judgeIdent sets f.ident to the identifier around p. An identifier longer
// than identMax names no credential; its whole run is skipped at once.
func (f *finder) judgeIdent(p int) {
	buf := f.buf
	id := &f.ident
	start := p
	for start > 0 && p-start <= identMax && identChar[buf[start-1]] {
		start--
	}
	end := p
	for end < len(buf) && end-start <= identMax && identChar[buf[end]] {
		end++
	}
	f.probes += end - start
	id.start, id.end, id.credential = start, end, false
	if end-start > identMax {
		// Skip the rest of an overlong run in one go.
		for id.end < len(buf) && identChar[buf[id.end]] {
			id.end++
		}
		f.probes += id.end - end
		return
	}
	l := id.lower[:end-start]
	for i, c := range buf[start:end] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	id.credential = credentialIdent(l)
	id.clientSecret = id.credential && bytes.Contains(l, []byte("client")) && bytes.Contains(l, []byte("secret"))
	id.walk = legacyWalk{i: end}
}

// credentialIdent reports whether the lower-cased identifier l says it holds
// a credential: a token word, and no segment that names a hash (GITHUB_SHA,
// github.commit_sha: their values are SHAs, not tokens).
func credentialIdent(l []byte) bool {
	if !hasTokenWord(l) {
		return false
	}
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

// keywordAt reports whether the lower-cased identifier l has a GitHub keyword
// at offset k: "github", or a "gh", "ghe" or "git" segment followed by the
// end of a segment or a token word ("gh_token", "ghtoken", "GHE_PAT",
// "git.password", "GitToken"; not "gitlab_token" or ".gitkeep").
func keywordAt(l []byte, k int) bool {
	rest := l[k:]
	if bytes.HasPrefix(rest, []byte("github")) {
		return true
	}
	if k > 0 && alnum[l[k-1]] {
		return false
	}
	for _, w := range [...]string{"gh", "ghe", "git"} {
		if hasWord(rest, w) && (len(rest) == len(w) || !alnum[rest[len(w)]] || tokenWordAt(rest, len(w)) > 0) {
			return true
		}
	}
	return false
}

// legacyValue looks for the value that follows the keyword identifier f.ident
// (with a keyword at p): the first word after it, past separators (= : quotes
// brackets and the words "token" or "bearer"), on the same line, or on the
// next line when the rest of the line holds only separators (YAML and similar
// key/value files). Anything else in between (a variable reference, a
// comment, another word) means the value is not a literal, and nothing is
// reported. The value starts at most valueMaxGap bytes after p; a later
// keyword in the same identifier resumes the walk where an earlier one left
// it.
func (f *finder) legacyValue(p int) {
	buf := f.buf
	w := &f.ident.walk
	limit := min(len(buf), p+valueMaxGap)
	for !w.done && w.i < limit {
		c := buf[w.i]
		f.probes++
		switch {
		case c == '\n':
			if w.lineBreaks == 1 {
				w.done = true
				return
			}
			w.lineBreaks++
			w.i++
		case legacySeparator[c]:
			w.i++
		case identChar[c]:
			// A value longer than "v1." + 40 hex is no legacy token:
			// look no further than one byte past that.
			i, j := w.i, w.i
			for j < len(buf) && j-i <= 3+legacyHexLen && identChar[buf[j]] {
				j++
			}
			f.probes += j - i
			if j-i >= minLegacyRunLen {
				w.done = true
				if j < len(buf) && (j-i > 3+legacyHexLen || isB64[buf[j]] != 0 || buf[j] == '=') {
					f.base64Value(i) // a Kubernetes Secret's data: GITHUB_TOKEN: base64
					return
				}
				if f.ident.clientSecret {
					f.hexCandidate(i, j, OAuthClientSecret)
				} else {
					f.legacyCandidate(i, j)
				}
				return
			}
			if !asciiEqualFoldAny(buf[i:j], "token", "bearer") {
				w.done = true
				return
			}
			w.i = j
		default:
			w.done = true
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
func (f *finder) legacyCandidate(i, j int) { f.hexCandidate(i, j, Legacy) }

// hexCandidate judges buf[i:j] as a token of rule r (Legacy, or
// OAuthClientSecret, which takes no "v1.").
func (f *finder) hexCandidate(i, j int, r *Rule) {
	buf := f.buf
	run := buf[i:j]
	start := i
	if bytes.HasPrefix(run, []byte("v1.")) && r == Legacy {
		start += 3
	}
	if j-start != legacyHexLen || !boundaryBefore(buf, i) {
		return
	}
	f.probes += j - i
	for _, c := range buf[start:j] {
		if !hexLower[c] {
			return
		}
	}
	m := Match{Rule: r, Start: i, End: j, Confidence: Medium}
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

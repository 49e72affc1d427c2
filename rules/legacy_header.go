package rules

import "bytes"

// HTTP Authorization headers carry legacy tokens in scripts, code, docs and
// logs: "Authorization: token TOKEN", "Authorization: Bearer TOKEN" (curl
// -H, fetch, axios, requests) and "Authorization: Basic BASE64" of
// "user:TOKEN". The header alone is not GitHub's (other APIs take 40-hex
// tokens in the same header), so GitHub must be named near it: a GitHub
// word or host within MaxContext bytes before the header or
// headerContextAfter bytes after its value (the URL of a curl call, a
// fetch's first argument).
//
// A search for the header over every byte would cost ordinary source a
// tenth of its time, for a header that counts only near a GitHub word. So
// the keyword passes mark the blocks of the input near a GitHub word
// (markGitHub) and the header is looked for in those blocks only.
const (
	headerContextAfter = 512
	// headerSpan bounds the bytes from a header's name to the end of its
	// value: the name, separators, scheme and spaces (8 each at most) and
	// a Basic credential of up to 128 characters.
	headerSpan = 13 + 8 + 7 + 8 + 128
	blockShift = 10 // ghBlocks marks 1 KiB blocks
)

// markGitHub records a GitHub word at p: an Authorization header can count
// it as its context when the header starts within
// [p-headerContextAfter-headerSpan, p+MaxContext].
func (f *finder) markGitHub(p int) {
	if f.lockfile {
		return
	}
	if f.ghBlocks == nil {
		f.ghBlocks = make([]uint64, (len(f.buf)>>blockShift)/64+1)
	}
	lo := max(0, p-headerContextAfter-headerSpan) >> blockShift
	hi := min(len(f.buf)-1, p+MaxContext) >> blockShift
	for b := lo; b <= hi; b++ {
		f.ghBlocks[b/64] |= 1 << (b % 64)
	}
}

// nearGitHub looks in the blocks marked by markGitHub for what counts only
// near a GitHub word: Authorization headers, "v1." tokens and OAuth client
// secrets.
func (f *finder) nearGitHub() {
	nb := (len(f.buf)-1)>>blockShift + 1
	for b := 0; b < nb && f.ghBlocks != nil; {
		if f.ghBlocks[b/64]&(1<<(b%64)) == 0 {
			b++
			continue
		}
		a := b
		for b < nb && f.ghBlocks[b/64]&(1<<(b%64)) != 0 {
			b++
		}
		lo, hi := a<<blockShift, min(len(f.buf), b<<blockShift)
		f.headers(lo, hi)
		f.v1Tokens(lo, hi)
		f.clientSecrets(lo, hi)
	}
}

// headers looks for Authorization headers that start in buf[lo:hi].
func (f *finder) headers(lo, hi int) {
	buf := f.buf
	const word = "uthorization"
	for i := lo; i < hi; {
		k := bytes.Index(buf[i:min(len(buf), hi+len(word))], []byte(word))
		if k < 0 {
			return
		}
		p := i + k
		i = p + len(word)
		f.probes++
		if p > 0 && (buf[p-1] == 'A' || buf[p-1] == 'a') {
			f.header(p-1, i)
		}
	}
}

// v1Tokens looks for "v1." + 40 hex standing alone, starting in
// buf[lo:hi]: an old installation token (FORMATS.md §4), which GitHub's
// own secret scanning reports without a keyword. A search for "v1." over
// every byte would cost ordinary source as much as the rest of Find, so it
// is looked for near a GitHub word only, like the headers.
func (f *finder) v1Tokens(lo, hi int) {
	buf := f.buf
	for i := lo; i < hi; {
		k := bytes.Index(buf[i:min(len(buf), hi+3)], []byte("v1."))
		if k < 0 {
			return
		}
		p := i + k
		i = p + 3
		e := i
		for e < len(buf) && e-i <= legacyHexLen && hexLower[buf[e]] {
			e++
		}
		f.probes += e - p
		if e-i == legacyHexLen && boundaryAfter(buf, e) {
			f.legacyCandidate(p, e)
		}
	}
}

// header judges the header named at h whose name ends at i.
func (f *finder) header(h, i int) {
	buf := f.buf
	j := i
	for j < len(buf) && j-i < 8 && bytes.IndexByte([]byte(" \t\"'`:=>,"), buf[j]) >= 0 {
		j++
	}
	f.probes += j - i
	if j == i || j >= len(buf) {
		return
	}
	s := j
	for j < len(buf) && j-s < 7 && alnum[buf[j]] {
		j++
	}
	scheme := buf[s:j]
	v := j
	for v < len(buf) && v-j < 8 && space(buf[v]) {
		v++
	}
	f.probes += v - s
	if v == j {
		return
	}
	switch {
	case asciiEqualFoldAny(scheme, "token", "bearer"):
		e := v
		for e < len(buf) && e-v <= legacyHexLen+3 && identChar[buf[e]] {
			e++
		}
		f.probes += e - v
		if legacyShaped(buf[v:e]) && boundaryAfter(buf, e) && f.gitHubNear(h-MaxContext, e+headerContextAfter) {
			f.legacyCandidate(v, e)
		}
	case asciiEqualFoldAny(scheme, "basic"):
		m, ok := f.basicCredentials(v)
		if ok && f.gitHubNear(h-MaxContext, m.End+headerContextAfter) {
			f.add(m)
		}
	}
}

// legacyShaped reports whether b is 40 lower-case hex, or "v1." and 40.
func legacyShaped(b []byte) bool {
	b, _ = bytes.CutPrefix(b, []byte("v1."))
	if len(b) != legacyHexLen {
		return false
	}
	for _, c := range b {
		if !hexLower[c] {
			return false
		}
	}
	return true
}

// gitHubWords are the words whose presence near a header names GitHub.
var gitHubWords = [...]string{"github", "GitHub", "Github", "GITHUB", ".ghe.com"}

// wordCursor is, for each of a list of words, the offset of its first
// (valid) occurrence not before the latest query (len(buf) when there is
// none): queries come in increasing order, so each word is searched for
// once over the whole input, however many candidates ask.
type wordCursor struct {
	started bool
	next    [maxCursorWords]int
}

// maxCursorWords is the most words a wordCursor follows.
const maxCursorWords = len(clientIDWords)

// wordNear reports whether one of words starts in buf[lo:hi], at an offset q
// that valid (nil: any) accepts for words[k]. lo must not decrease from one
// call to the next with the same cursor c.
func (f *finder) wordNear(c *wordCursor, words []string, valid func(q, k int) bool, lo, hi int) bool {
	buf := f.buf
	lo, hi = max(lo, 0), min(hi, len(buf))
	if !c.started {
		c.started = true
		for k := range c.next {
			c.next[k] = -1
		}
	}
	for k, w := range words {
		for c.next[k] < lo {
			from := max(c.next[k]+1, lo)
			n := bytes.Index(buf[from:], []byte(w))
			f.probes++
			for n >= 0 && valid != nil && !valid(from+n, k) {
				from += n + 1
				n = bytes.Index(buf[from:], []byte(w))
				f.probes++
			}
			if n < 0 {
				c.next[k] = len(buf)
			} else {
				c.next[k] = from + n
			}
		}
		if c.next[k] < hi {
			return true
		}
	}
	return false
}

// gitHubNear reports whether a GitHub word starts in buf[lo:hi]. lo must not
// decrease from one call to the next.
func (f *finder) gitHubNear(lo, hi int) bool {
	return f.wordNear(&f.gitHub, gitHubWords[:], nil, lo, hi)
}

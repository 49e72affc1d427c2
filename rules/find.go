package rules

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"time"
)

// MaxTokenLen is the longest text any rule matches. Longer token-shaped runs
// are not tokens. Readers that split input into chunks must overlap them by at
// least MaxTokenLen+1 bytes (see Find).
const MaxTokenLen = 4096

// MaxContext is how far before a match's start the rules look (keywords,
// word boundaries, URL context). Chunked readers keep this many bytes before
// the region whose matches they report.
const MaxContext = 512

// Match is one token found by Find. Offsets are byte offsets into the slice
// given to Find; the token text is buf[Start:End].
type Match struct {
	Rule       *Rule
	Start, End int
	Confidence Confidence
	// Note says why a match is low confidence or a look-alike ("checksum
	// mismatch"), or what is odd about a token's own facts (a stateless
	// installation token issued in the future); empty otherwise.
	Note string
	// OwnerUserID is the numeric GitHub user id a fine-grained PAT belongs to,
	// 0 when unknown.
	OwnerUserID uint32
	// AppID, IssuedAt and ExpiresAt come from a stateless installation token's
	// JWT payload, decoded without checking its signature. Zero when absent.
	AppID     int64
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Encoding says how the token was encoded when buf[Start:End] is its
	// encoded form ("base64", "base64url", "percent", "backslash-escape",
	// "html-entity", "unicode-codepoint" (several escape families joined by
	// "+"), "reversed", "concatenated" for string literals joined, or a chain from the
	// outermost in such as "base64>base64"); empty for a token found as is.
	// Decoded then holds the token itself. A base64 token wrapped across
	// lines spans them: Start and End may be on different lines.
	Encoding string
	Decoded  string
	// Glued is set when the token does not stand apart from the text
	// around it (a letter, digit or "_" right before or after it): only its
	// checksum proves it.
	Glued bool
}

// Text returns the token text of a match of buf: the decoded token for an
// encoded match, buf[m.Start:m.End] otherwise.
func (m *Match) Text(buf []byte) string {
	if m.Encoding != "" {
		return m.Decoded
	}
	return string(buf[m.Start:m.End])
}

// Options tune Find.
type Options struct {
	// Lookalikes asks Find to also return token-shaped text that fails its
	// checksum or structure, with confidence Lookalike.
	Lookalikes bool
	// Path is the file the content comes from, when known: lockfiles and
	// go.sum hold commit SHAs, so the legacy rule does not look there.
	Path string
	// PrefixedOnly looks only for tokens that carry their own proof (a
	// prefix, and a checksum or a structure): the legacy rule, which relies
	// on the text around a 40-hex value, stays silent. For binary content,
	// where that text is noise and 40-hex runs are hashes.
	PrefixedOnly bool
}

var wordChar, alnum, hexLower [256]bool

func init() {
	for c := '0'; c <= '9'; c++ {
		wordChar[c], alnum[c], hexLower[c] = true, true, true
	}
	for c := 'a'; c <= 'z'; c++ {
		wordChar[c], alnum[c] = true, true
		wordChar[c-'a'+'A'], alnum[c-'a'+'A'] = true, true
	}
	for c := 'a'; c <= 'f'; c++ {
		hexLower[c] = true
	}
	wordChar['_'] = true
}

// Find appends to dst every token in buf, ordered by start offset (then by
// rule), and returns the extended slice. It is safe for concurrent use.
//
// A match's outcome depends only on the bytes from MaxContext before its start
// to one byte after its end, so a reader that feeds overlapping chunks gets the
// same matches as one that feeds the whole input.
//
// Tokens encoded in base64 or escaped (backslash, percent, HTML, code points) are found
// too (see Match.Encoding); their Start and End delimit the encoded text. An
// encoded match depends on at most MaxContext bytes before its start and
// MaxTokenLen+1 bytes from its start (the decoding window), which is what a
// chunked reader keeps anyway.
func Find(buf []byte, opt Options, dst []Match) []Match {
	dst, _ = find(buf, opt, dst)
	return dst
}

// find is Find that also returns the work it did: the number of candidate
// probes, roughly the bytes the detectors looked at beyond the byte search
// that finds candidates. Tests bound it per input byte, so no input can make
// a detector quadratic.
func find(buf []byte, opt Options, dst []Match) ([]Match, int) {
	first := len(dst)
	f := newFinder(finderInit{buf: buf, opt: opt, dst: dst, lockfile: opt.PrefixedOnly || isLockfile(opt.Path), depth: maxDecodeDepth})
	defer f.release()
	f.run()
	out := f.dst[first:]
	// The 'g' pass yields matches in order; only 'G' keywords, the rare
	// legacy value reached before a later token and encoded tokens (found
	// in a pass of their own) need a sort.
	order := func(a, b Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if d := ruleIndex(a.Rule) - ruleIndex(b.Rule); d != 0 {
			return d
		}
		if a.End != b.End {
			return a.End - b.End
		}
		return strings.Compare(a.Encoding, b.Encoding)
	}
	if len(out) > 1 && !slices.IsSortedFunc(out, order) {
		slices.SortFunc(out, order)
	}
	if len(out) > 1 {
		// Legacy values can be reached from two keywords, encoded tokens
		// from two needles.
		out = slices.CompactFunc(out, func(a, b Match) bool {
			return a.Start == b.Start && a.End == b.End && a.Rule == b.Rule && a.Encoding == b.Encoding
		})
		f.dst = f.dst[:first+len(out)]
	}
	return f.dst, f.probes
}

// run appends every match in f.buf to f.dst, unsorted.
func (f *finder) run() {
	// Every prefixed token and every keyword starts with a g followed by
	// an h or an i, in either case (see nextGPair): one search finds them
	// all, in increasing order.
	buf := f.buf
	for p := nextGPair(buf, 0); p >= 0; p = nextGPair(buf, p+1) {
		f.probes++
		if p > 0 && buf[p-1] == 'h' && buf[p] == 'g' {
			f.reversedAt(p - 1) // "..._phg"
		}
		if p+1 == len(buf) || buf[p+1]|0x21 != 'i' {
			continue // only an h or i before it
		}
		switch {
		case buf[p] == 'g':
			f.atLowerG(p)
		case !f.lockfile:
			f.atUpperG(p)
		}
	}
	if !f.lockfile {
		f.nearGitHub()
	}
	if f.depth > 0 {
		f.findRuns()
	}
}

func ruleIndex(r *Rule) int { return slices.Index(all, r) }

// byThirdByte dispatches a "gh?_" prefix to its rules by the "?", in table
// order: a rule whose checker did not recognise the token's shape passes the
// candidate to the next one with the same prefix. longPrefixes holds the
// rules whose prefix starts with "github" instead.
var (
	byThirdByte  [256][]*Rule
	longPrefixes []*Rule
)

func init() {
	for _, r := range all {
		switch p := r.Prefix; {
		case len(p) == 4 && p[:2] == "gh" && p[3] == '_':
			byThirdByte[p[2]] = append(byThirdByte[p[2]], r)
		case strings.HasPrefix(p, "github") && len(p) > len("github"):
			longPrefixes = append(longPrefixes, r)
		}
		// Any other prefix is unreachable: TestRuleTableComplete says so.
	}
}

// longPrefixed returns the rule whose "github..." prefix b starts with, or
// nil.
func longPrefixed(b []byte) *Rule {
	for _, r := range longPrefixes {
		if len(b) >= len(r.Prefix) && string(b[:len(r.Prefix)]) == r.Prefix {
			return r
		}
	}
	return nil
}

type finder struct {
	buf      []byte
	opt      Options
	dst      []Match
	lockfile bool      // the legacy rule stays silent (lockfiles, Options.PrefixedOnly)
	depth    int       // how many more levels of encoding to look through
	ident    ident     // the identifier of the latest keyword candidate
	runs     [3][2]int // the latest base64url runs (see base64URLRunEnd)
	nextRun  int
	esc      escapeRun // the latest escaped run (see escapedAt)
	escLater int       // 1 + a candidate noted by escapedAfter, 0 for none
	// yamlEnd is where the latest hosts.yml block read stopped, and
	// yamlStopped whether it ended there (see yamlHostBlock).
	yamlEnd     int
	yamlStopped bool
	netrcEnd    int        // where the latest .netrc entry read stopped
	gitHub      wordCursor // where the GitHub words are (see gitHubNear)
	ghBlocks    []uint64   // the blocks near a GitHub word (see markGitHub)
	clientID    wordCursor // where the GitHub client IDs are (see clientIDNear)
	// longJWTEnd is the end of the latest stateless match whose header was
	// too long to decode (see stateless).
	longJWTEnd int
	// probes counts the work done, for tests (see find); a decoding's
	// inner finder adds its own.
	probes int
}

// finders holds finders between uses. A finder is large (its run and word
// state) and escapes to the heap (rules' find functions take it); one
// allocation per Find was most of the cost of searching a small file, and
// a tree holds thousands of them. Decodings take their inner finders from
// it too.
var finders = sync.Pool{New: func() any { return new(finder) }}

// finderInit is what a search starts from: the finder's fields that are
// not its own state.
type finderInit struct {
	buf      []byte
	opt      Options
	dst      []Match
	lockfile bool
	depth    int
}

// newFinder returns a finder set to init; release gives it back. It takes
// only init, not a whole finder: a finder value built by the caller took
// a kilobyte of its stack frame, enough that the first Find of a goroutine,
// the one that masks "ghtoken version"'s output included, grew its stack.
func newFinder(init finderInit) *finder {
	f := finders.Get().(*finder) // zero: New makes it so, and release
	f.buf, f.opt, f.dst, f.lockfile, f.depth = init.buf, init.opt, init.dst, init.lockfile, init.depth
	return f
}

// release returns f to the pool, holding no reference to what it searched.
func (f *finder) release() {
	*f = finder{}
	finders.Put(f)
}

func (f *finder) add(m Match) {
	if m.Confidence == Lookalike && !f.opt.Lookalikes {
		return
	}
	f.dst = append(f.dst, m)
}

// atLowerG handles a 'g' at p: a prefixed token or a lower-case keyword.
func (f *finder) atLowerG(p int) {
	buf := f.buf
	if len(buf)-p < 2 {
		return
	}
	if concatSecond[buf[p+1]] && boundaryBefore(buf, p) {
		f.concatAt(p) // "ghp_" + "..." (concat.go)
	}
	if buf[p+1] == 'i' && bytes.HasPrefix(buf[p:], []byte("github")) {
		f.markGitHub(p)
		if r := longPrefixed(buf[p:]); r != nil {
			r.find(f, r, p)
			f.escapedLater()
		} else if escapeIn(buf[p+6 : min(len(buf), p+12)]) {
			f.escapedAt(p)
		}
		if !f.lockfile {
			f.atKeyword(p)
		}
		return
	}
	if buf[p+1] == 'i' && len(buf)-p >= 3 && buf[p+2] == 't' && (p == 0 || !alnum[buf[p-1]]) {
		if escapeIn(buf[p+3 : min(len(buf), p+6)]) {
			f.escapedAt(p) // "git\x68ub_pat_..."
		}
		if !f.lockfile {
			f.atKeyword(p) // git_token, git.password
		}
		return
	}
	if buf[p+1] != 'h' {
		if buf[p+1] == 'i' && escapeIn(buf[p+2:min(len(buf), p+6)]) {
			f.escapedAt(p) // "git\x68ub_pat_..."
		}
		return
	}
	if p > 0 && buf[p-1] == '.' && bytes.HasPrefix(buf[p+2:], []byte("e.com")) {
		f.markGitHub(p - 1) // a GitHub Enterprise Cloud host
	}
	if len(buf)-p >= 4 && (escapeIntro[buf[p+2]] || escapeIntro[buf[p+3]]) {
		f.escapedAt(p)
	}
	if len(buf)-p >= 4 && buf[p+3] == '_' {
		// A table lookup by the third byte: this runs at every "gh?_".
		for _, r := range byThirdByte[buf[p+2]] {
			if r.find(f, r, p) {
				break
			}
		}
		f.escapedLater()
	}
	if !f.lockfile {
		f.atKeyword(p)
	}
}

// atUpperG handles a 'G' at p: keywords such as GH_TOKEN, GITHUB_TOKEN or
// GitHubToken.
func (f *finder) atUpperG(p int) {
	buf := f.buf
	if len(buf)-p < 2 {
		return
	}
	if c := buf[p+1]; c == 'H' || c == 'h' {
		f.atKeyword(p)
	} else if (c == 'i' || c == 'I') && len(buf)-p >= 6 && asciiEqualFold(buf[p+2:p+6], "thub") {
		f.markGitHub(p)
		f.atKeyword(p)
	} else if (c == 'i' || c == 'I') && len(buf)-p >= 3 && (buf[p+2] == 't' || buf[p+2] == 'T') {
		f.atKeyword(p) // GIT_PASSWORD, GitToken
	}
}

// escapeIn reports whether b holds an escape introducer (percent,
// backslash, HTML entity, code point): a loop, since bytes.ContainsAny costs
// a call per "github" in keyword-dense text.
func escapeIn(b []byte) bool {
	for _, c := range b {
		if c == '%' || c == '\\' || c == '&' || c == 'U' {
			return true
		}
	}
	return false
}

func asciiEqualFold(b []byte, lower string) bool {
	for i := range len(lower) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func boundaryBefore(buf []byte, p int) bool { return p == 0 || !wordChar[buf[p-1]] }
func boundaryAfter(buf []byte, e int) bool  { return e >= len(buf) || !wordChar[buf[e]] }

// alnumRun returns the length of the run of [0-9A-Za-z] at buf[p:], counting
// at most limit characters.
func (f *finder) alnumRun(p, limit int) int {
	buf := f.buf
	n := 0
	for p+n < len(buf) && n < limit && alnum[buf[p+n]] {
		n++
	}
	f.probes += n + 1
	return n
}

// checksummed checks a token of rule r at p: its 4-char prefix followed by
// alphanumerics ending in a CRC32/base62 checksum, r.MaxLen in all. It reports
// whether the text had the token's shape.
func (f *finder) checksummed(r *Rule, p int) bool {
	return f.prefixed(p, r, r.MaxLen-len(r.Prefix))
}

// prefixed checks a 4-char prefix at p followed by n alphanumerics ending in a
// CRC32/base62 checksum. It reports whether the text had the token's shape.
//
// A token that stands apart from the text around it (framed) is a match
// whatever its checksum: a failing one makes a look-alike. One glued to other
// text (xyz_ghp_..., ghp_...extra, two tokens back to back) is a match only
// when its checksum holds: random text passes with a chance of about 2e-11,
// and look-alikes glued to words stay silent.
func (f *finder) prefixed(p int, r *Rule, n int) bool {
	buf := f.buf
	start := p + 4
	run := f.alnumRun(start, n+1)
	if run < n || run == n && f.escapeNext(start+n) {
		f.escapedAfter(p, start+run)
		return false
	}
	framed := run == n && boundaryBefore(buf, p) && boundaryAfter(buf, start+n)
	tok := buf[p : start+n]
	f.probes += n
	m := Match{Rule: r, Start: p, End: start + n, Confidence: High, Glued: !framed}
	if !checksum62Valid(tok, 4) {
		if !framed {
			return false
		}
		m.Confidence, m.Note = Lookalike, "checksum mismatch"
	}
	f.add(m)
	return true
}

// escapedAfter notes an escaped candidate at p when the token characters
// after p stop at an escape at e: "ghp_abc%41...", a token escaped after its
// prefix. The caller of the rule's find starts it (see escapedLater): the
// rule table refers to this code, and the decoder to the table.
func (f *finder) escapedAfter(p, e int) {
	if e < len(f.buf) && (escapeIntro[f.buf[e]] || f.escapeNext(e)) {
		f.escLater = p + 1
	}
}

// escapedLater starts the candidate escapedAfter noted, if any.
func (f *finder) escapedLater() {
	if p := f.escLater - 1; p >= 0 {
		f.escLater = 0
		f.escapedAt(p)
	}
}

// escapeNext reports whether a code point escape ends the alphanumerics
// before e: "...U+0041", whose 'U' looks like one more of them.
func (f *finder) escapeNext(e int) bool {
	return e < len(f.buf) && f.buf[e] == '+' && f.buf[e-1] == 'U'
}

// fineGrained checks "github_pat_" at p (FORMATS.md §2). Glued to other text,
// only a valid checksum makes it a match (see prefixed): a structure is not
// proof enough there. It always reports true: no other rule shares the
// prefix.
func (f *finder) fineGrained(r *Rule, p int) bool {
	f.fineGrainedAt(r, p)
	return true
}

func (f *finder) fineGrainedAt(r *Rule, p int) {
	buf := f.buf
	const prefix = len("github_pat_")
	a := p + prefix
	if run := f.alnumRun(a, 23); run != 22 || a+22 >= len(buf) || buf[a+22] != '_' {
		f.escapedAfter(p, a+run)
		return
	}
	b := a + 23
	run := f.alnumRun(b, 60)
	if run < 59 || run == 59 && f.escapeNext(b+59) {
		f.escapedAfter(p, b+run)
		return
	}
	framed := run == 59 && boundaryBefore(buf, p) && boundaryAfter(buf, b+59)
	end := b + 59
	m := Match{Rule: r, Start: p, End: end, Glued: !framed}
	owner, structured := uint32(0), false
	if buf[a] == '1' && buf[a+1] == '1' && buf[a+9] == '0' {
		owner, structured = fineGrainedOwner(buf[a+2 : a+9])
	}
	sum := FineGrainedChecksum(buf[p : b+43])
	f.probes += b + 43 - p
	checksumOK := string(sum[:]) == string(buf[b+43:b+51])
	switch {
	case checksumOK:
		m.Confidence = High
	case structured:
		m.Confidence, m.Note = Low, "structure valid but checksum mismatch (the checksum is observed, not documented)"
	default:
		m.Confidence, m.Note = Lookalike, "structure and checksum mismatch"
	}
	if !framed && !checksumOK {
		return // glued: only a checksum is proof enough
	}
	if structured {
		m.OwnerUserID = owner
	}
	f.add(m)
}

func isLockfile(path string) bool {
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	switch base {
	case "":
		return false
	case "go.sum", "go.work.sum", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
		"Cargo.lock", "Gemfile.lock", "poetry.lock", "composer.lock", "Pipfile.lock", "flake.lock",
		"Podfile.lock", "mix.lock", "pubspec.lock", "packages.lock.json", "gradle.lockfile", "bun.lock",
		"uv.lock", "Package.resolved", ".gitmodules", "packed-refs", "ORIG_HEAD", "FETCH_HEAD":
		return true
	}
	return strings.HasSuffix(base, ".lock") || strings.HasSuffix(base, "-lock.json") || strings.HasSuffix(base, "-lock.yaml")
}

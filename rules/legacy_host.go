package rules

import "bytes"

// Legacy tokens are also GitHub credentials by where they are written rather
// than by a keyword before them: in a URL's userinfo whose host is GitHub's,
// and in the credential files that tie a secret to a GitHub host (.netrc,
// the GitHub CLI's hosts.yml, hub's config, .npmrc, Docker's config.json).
// All of these name the host, and the host holds "github" (or "gh": ghe.com,
// ghcr.io), so the keyword passes reach them: each identifier that is a
// GitHub host is judged once for the contexts below (FORMATS.md §4).
const (
	// userinfoMax bounds the userinfo walked back from '@': a login of up to
	// 39 characters (GitHub's longest), ':' and "v1." + 40 hex, with room.
	userinfoMax = 96
	// credFileSpan bounds how far after the host a credential file's entry
	// is looked for (the rest of a .netrc entry, a hosts.yml block, a Docker
	// auths object).
	credFileSpan = 512
)

// gitHubHost reports whether the lower-cased identifier l is a GitHub host:
// one with a "github" label (github.com, api.github.com, github.example.com,
// github-enterprise.example.com), a GitHub Enterprise Cloud host (*.ghe.com)
// or GitHub's container registry (ghcr.io).
func gitHubHost(l []byte) bool {
	if bytes.IndexByte(l, '.') < 0 {
		return false
	}
	if string(l) == "ghcr.io" || bytes.HasSuffix(l, []byte(".ghe.com")) {
		return true
	}
	for start, i := 0, 0; i <= len(l); i++ {
		if i < len(l) && l[i] != '.' {
			continue
		}
		label := l[start:i]
		if bytes.HasPrefix(label, []byte("github")) && (len(label) == 6 || label[6] == '-') {
			return true
		}
		start = i + 1
	}
	return false
}

// hostContext looks for a legacy token in the contexts that a GitHub host
// gives the text around it. f.ident is the host candidate, judged once.
func (f *finder) hostContext() {
	id := &f.ident
	buf := f.buf
	s, e := id.start, id.end
	// The byte on each side first: in code, "github.NewClient(" and the
	// like are host-shaped, and judging them as hosts was a sixth of the
	// time of a file that calls a github package on every line.
	before := s > 0 && (buf[s-1] == '@' || space(buf[s-1]) || buf[s-1] == '\n')
	after := e < len(buf) && (buf[e] == '/' || buf[e] == ':' || buf[e] == '"')
	if !before && !after || e-s > identMax || !gitHubHost(id.lower[:e-s]) {
		return
	}
	f.probes += e - s
	switch {
	case s > 0 && buf[s-1] == '@':
		f.userinfo(s - 1)
	case machineBefore(buf, s):
		f.netrcEntry(e)
	}
	f.afterHost(e)
}

// afterHost handles the contexts that follow a host: an .npmrc scope
// ("//npm.pkg.github.com/:_authToken=..."), a hosts.yml block
// ("github.com:" then indented keys), a Docker auths entry
// ("ghcr.io": {"auth": "..."}).
func (f *finder) afterHost(e int) {
	buf := f.buf
	i := e
	for i < len(buf) && i-e < 64 && buf[i] != ':' && buf[i] != '"' && !space(buf[i]) && buf[i] != '\n' {
		i++ // an .npmrc registry path: "/", "/npm/"
	}
	f.probes += i - e
	if i >= len(buf) {
		return
	}
	rest := buf[i:]
	switch {
	case bytes.HasPrefix(rest, []byte(":_authToken=")):
		v := i + len(":_authToken=")
		f.legacyRun(v)
	case i == e && rest[0] == ':':
		j := skipSpaces(buf, i+1)
		f.probes += j - i
		if j < len(buf) && (buf[j] == '\n' || buf[j] == '\r') {
			f.yamlHostBlock(j)
		}
	case rest[0] == '"':
		f.dockerAuth(i + 1)
	}
}

// userinfo judges the userinfo that ends at the '@' at a: "TOKEN",
// "user:TOKEN" or "TOKEN:x-oauth-basic", after "http://" or "https://" (also
// git+https, and JSON's "https:\/\/"). Without a scheme, only "user:TOKEN"
// after a space, a quote, '=' or the start of a line counts: a bare
// "HEX@github.com" is as likely a mail address as a URL.
func (f *finder) userinfo(a int) {
	buf := f.buf
	u := a
	for u > 0 && a-u < userinfoMax && userinfoChar[buf[u-1]] {
		u--
	}
	f.probes += a - u
	if u == a {
		return
	}
	colon := bytes.IndexByte(buf[u:a], ':')
	switch {
	case httpSchemeBefore(buf, u):
	case colon > 0 && (u == 0 || bytes.IndexByte([]byte(" \t\n'\"`=(<"), buf[u-1]) >= 0):
	default:
		return
	}
	if colon < 0 {
		f.legacyExact(u, a)
		return
	}
	f.legacyExact(u+colon+1, a)
	f.legacyExact(u, u+colon)
}

var userinfoChar [256]bool

func init() {
	for c := range 256 {
		userinfoChar[c] = alnum[c] || bytes.IndexByte([]byte("-._~%:"), byte(c)) >= 0
	}
}

// httpSchemeBefore reports whether "http://" or "https://" (any case, with
// a "git+" or other prefix, or JSON-escaped as "https:\/\/") ends at u.
func httpSchemeBefore(buf []byte, u int) bool {
	switch {
	case u >= 2 && buf[u-1] == '/' && buf[u-2] == '/':
		u -= 2
	case u >= 4 && string(buf[u-4:u]) == `\/\/`:
		u -= 4
	default:
		return false
	}
	if u < 1 || buf[u-1] != ':' {
		return false
	}
	u--
	for _, s := range []string{"https", "http"} {
		if u >= len(s) && asciiEqualFold(buf[u-len(s):u], s) && (u == len(s) || !alnum[buf[u-len(s)-1]]) {
			return true
		}
	}
	return false
}

// legacyExact judges buf[i:j] as a legacy token when it is exactly one:
// 40 lower-case hex, or "v1." and 40 of them.
func (f *finder) legacyExact(i, j int) {
	if n := j - i; n == legacyHexLen || n == legacyHexLen+3 {
		f.legacyCandidate(i, j)
	}
}

// legacyRun judges the value that starts at v, after optional quotes: the
// run of identifier characters there.
func (f *finder) legacyRun(v int) {
	buf := f.buf
	for v < len(buf) && (buf[v] == '"' || buf[v] == '\'') {
		v++
	}
	j := v
	for j < len(buf) && j-v <= legacyHexLen+3 && identChar[buf[j]] {
		j++
	}
	f.probes += j - v + 1
	if boundaryAfter(buf, j) || buf[j] == '.' || buf[j] == '-' {
		f.legacyExact(v, j)
	}
}

func space(c byte) bool { return c == ' ' || c == '\t' }

func skipSpaces(buf []byte, i int) int {
	for i < len(buf) && space(buf[i]) {
		i++
	}
	return i
}

// machineBefore reports whether the host at s follows .netrc's "machine"
// keyword.
func machineBefore(buf []byte, s int) bool {
	i := s
	for i > 0 && s-i < 16 && (space(buf[i-1]) || buf[i-1] == '\n' || buf[i-1] == '\r') {
		i--
	}
	return i < s && i >= 7 && string(buf[i-7:i]) == "machine" && boundaryBefore(buf, i-7)
}

// netrcEntry reads the .netrc (or _netrc) entry whose host ends at e: the
// words after it, by pairs, up to the next "machine" or "default". The
// value of "password" (or of "login", for the token-as-login form) is
// judged.
func (f *finder) netrcEntry(e int) {
	buf := f.buf
	if e < f.netrcEnd {
		// Inside the entry read last: a real entry ends where the next
		// "machine" begins, so this is a word of that entry, not a new one.
		return
	}
	limit := min(len(buf), e+credFileSpan)
	var key []byte
	i := e
	defer func() { f.netrcEnd = i }()
	for i < limit {
		for i < limit && (space(buf[i]) || buf[i] == '\n' || buf[i] == '\r') {
			i++
		}
		j := i
		for j < limit && !space(buf[j]) && buf[j] != '\n' && buf[j] != '\r' {
			j++
		}
		f.probes += j - i + 1
		if j == i {
			return
		}
		w := buf[i:j]
		switch {
		case key == nil && (string(w) == "machine" || string(w) == "default"):
			return
		case key == nil:
			key = w
		default:
			if string(key) == "password" || string(key) == "login" {
				f.legacyExact(i, j)
			}
			key = nil
		}
		i = j
	}
}

// yamlHostBlock reads the indented block after a "github.com:" line (the
// GitHub CLI's hosts.yml, hub's config, whose entries are list items) that
// starts at the line break at j, and judges the values of its token keys.
func (f *finder) yamlHostBlock(j int) {
	buf := f.buf
	limit := min(len(buf), j+credFileSpan)
	if j < f.yamlEnd {
		// A host nested in the block read last: that block holds this
		// one's lines too, up to where it stopped.
		if f.yamlStopped {
			return
		}
		j = f.yamlEnd
	}
	i, stopped := j, false
	defer func() { f.yamlEnd, f.yamlStopped = i, stopped }()
	for i < limit {
		if buf[i] == '\r' {
			i++
			continue
		}
		if buf[i] != '\n' || i+1 >= limit {
			return
		}
		if !(space(buf[i+1]) || buf[i+1] == '-') {
			stopped = true // the block ends here, for every host in it
			return
		}
		k := i + 1
		for k < limit && (space(buf[k]) || buf[k] == '-') {
			k++
		}
		ke := k
		for ke < limit && (wordChar[buf[ke]] || buf[ke] == '-') {
			ke++
		}
		f.probes += ke - i
		if ke < limit && buf[ke] == ':' {
			switch string(buf[k:ke]) {
			case "oauth_token", "token", "password":
				f.legacyRun(skipSpaces(buf, ke+1))
			}
		}
		e := ke
		for e < limit && buf[e] != '\n' {
			e++
		}
		f.probes += e - ke
		if e == limit {
			return // i stays at the start of the line not read whole
		}
		i = e
	}
}

// dockerAuth reads a Docker config.json auths entry whose host key's
// closing quote is at i-1: {"auth": "BASE64"} where BASE64 encodes
// "user:TOKEN".
func (f *finder) dockerAuth(i int) {
	buf := f.buf
	i = skipJSONSpace(buf, i)
	if i >= len(buf) || buf[i] != ':' {
		return
	}
	i = skipJSONSpace(buf, i+1)
	if i >= len(buf) || buf[i] != '{' {
		return
	}
	// The entry's object ends at '}'; a '{' means it was not one (Docker's
	// entries nest no objects), which also keeps a run of host keys from
	// each reading the same bytes.
	limit := min(len(buf), i+credFileSpan)
	k := -1
	for p := i + 1; p < limit && k < 0; p++ {
		f.probes++
		switch buf[p] {
		case '{', '}':
			return
		case '"':
			if bytes.HasPrefix(buf[p:], []byte(`"auth"`)) {
				k = p - i
			}
		}
	}
	if k < 0 {
		return
	}
	v := skipJSONSpace(buf, i+k+len(`"auth"`))
	if v >= len(buf) || buf[v] != ':' {
		return
	}
	v = skipJSONSpace(buf, v+1)
	if v < len(buf) && buf[v] == '"' {
		if m, ok := f.basicCredentials(v + 1); ok {
			f.add(m)
		}
	}
}

func skipJSONSpace(buf []byte, i int) int {
	for i < len(buf) && (space(buf[i]) || buf[i] == '\n' || buf[i] == '\r') {
		i++
	}
	return i
}

// basicCredentials decodes the base64 of "user:password" that starts at s
// (an HTTP Basic credential, a Docker auth) and judges the password, or the
// user for the token-as-user form ("TOKEN:x-oauth-basic").
func (f *finder) basicCredentials(s int) (m Match, ok bool) {
	buf := f.buf
	e := s
	for e < len(buf) && e-s < 128 && (isB64[buf[e]] != 0 || buf[e] == '=') {
		e++
	}
	f.probes += e - s + 1
	if e-s < 56 || e-s >= 128 || !boundaryAfter(buf, e) {
		return Match{}, false
	}
	end := e
	for end > s && buf[end-1] == '=' {
		end--
	}
	dec := decodeBase64(buf[s:end])
	user, pass, found := bytes.Cut(dec, []byte(":"))
	if !found {
		return Match{}, false
	}
	if m, ok = legacyDecoded(pass); !ok {
		m, ok = legacyDecoded(user)
	}
	m.Start, m.End = s, e
	return m, ok
}

// legacyDecoded judges decoded text that must be exactly a legacy token.
func legacyDecoded(tok []byte) (Match, bool) {
	hex := tok
	if bytes.HasPrefix(hex, []byte("v1.")) {
		hex = hex[3:]
	}
	if len(hex) != legacyHexLen {
		return Match{}, false
	}
	for _, c := range hex {
		if !hexLower[c] {
			return Match{}, false
		}
	}
	m := Match{Rule: Legacy, Confidence: Medium, Encoding: EncodingBase64, Decoded: string(tok)}
	if entropy(hex) < minEntropy {
		m.Confidence, m.Note = Lookalike, "low entropy"
	}
	return m, true
}

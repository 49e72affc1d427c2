package rules

import "bytes"

// An OAuth app's client secret is 40 hex, like a legacy token (FORMATS.md
// §9). A name that says GitHub and client secret (GITHUB_CLIENT_SECRET) is
// judged by the keyword rule (legacyValue). A generic client_secret counts
// only near a GitHub word, in the blocks markGitHub marks, and only with a
// GitHub client ID near it too: 20 hex after a client ID name, or an ID
// whose shape is GitHub's own (Iv1. + 16 hex, Ov23 or Iv23 + 16).

// clientSecretNear bounds how far from the secret its client ID is looked
// for, before its name and after its value.
const clientSecretNear = 512

// clientSecrets looks for client_secret names that start in buf[lo:hi].
func (f *finder) clientSecrets(lo, hi int) {
	buf := f.buf
	const word = "lient"
	end := min(len(buf), hi+len(word))
	// Both cases of the word, in increasing order (clientIDNear asks in
	// increasing order).
	next := [2]int{lo - 1, lo - 1}
	for i := lo; i < hi; {
		for c, w := range [2]string{word, "LIENT"} {
			if next[c] < i {
				next[c] = end
				if k := bytes.Index(buf[i:end], []byte(w)); k >= 0 {
					next[c] = i + k
				}
				f.probes++
			}
		}
		p := min(next[0], next[1])
		if p >= hi {
			return
		}
		i = p + len(word)
		// "client" starts a segment: client_secret, oauth_client_secret,
		// OAuthClientSecret; not "xclient".
		if p == 0 || buf[p-1]|0x20 != 'c' || p >= 2 && alnum[buf[p-2]] && buf[p-1] != 'C' {
			continue
		}
		n := i
		if n < len(buf) && (buf[n] == '_' || buf[n] == '-' || buf[n] == '.') {
			n++
		}
		if len(buf)-n < 6 || !asciiEqualFold(buf[n:n+6], "secret") || !boundaryAfter(buf, n+6) {
			continue
		}
		v, e, ok := f.hexValueAfter(n + 6)
		if ok && f.clientIDNear(p-1-clientSecretNear, e+clientSecretNear) {
			f.hexCandidate(v, e, OAuthClientSecret)
		}
	}
}

// hexValueAfter finds the value after a name ending at n: past separators
// and quotes (and one line break, for YAML), a run of exactly 40 lower-case
// hex characters.
func (f *finder) hexValueAfter(n int) (v, e int, ok bool) {
	buf := f.buf
	v = n
	breaks := 0
	for v < len(buf) && v-n < 24 && (legacySeparator[buf[v]] || buf[v] == '\n' && breaks == 0) {
		if buf[v] == '\n' {
			breaks++
		}
		v++
	}
	e = v
	for e < len(buf) && e-v <= legacyHexLen && hexLower[buf[e]] {
		e++
	}
	f.probes += e - n
	return v, e, e-v == legacyHexLen && boundaryAfter(buf, e) && boundaryBefore(buf, v)
}

// clientIDWords start a GitHub client ID or the name before one.
var clientIDWords = [...]string{"Iv1.", "Ov23", "Iv23", "client_id", "clientId", "CLIENT_ID", "client-id", "clientID", "ClientId", "ClientID"}

// clientIDNear reports whether a GitHub client ID (or its name and value)
// starts in buf[lo:hi]. lo must not decrease from one call to the next.
func (f *finder) clientIDNear(lo, hi int) bool {
	return f.wordNear(&f.clientID, clientIDWords[:], f.clientIDAt, lo, hi)
}

// clientIDAt reports whether clientIDWords[k] at q starts a client ID.
func (f *finder) clientIDAt(q, k int) bool {
	buf := f.buf
	if !boundaryBefore(buf, q) && k < 3 {
		return false
	}
	w := clientIDWords[k]
	s := q + len(w)
	e := s
	switch {
	case k == 0: // Iv1. + 16 hex
		for e < len(buf) && e-s <= 16 && hexLower[buf[e]] {
			e++
		}
	case k < 3: // Ov23, Iv23 + 16 alphanumerics
		for e < len(buf) && e-s <= 16 && alnum[buf[e]] {
			e++
		}
	default: // a name, then 20 hex
		if !boundaryAfter(buf, s) {
			return false
		}
		v := s
		for v < len(buf) && v-s < 16 && legacySeparator[buf[v]] {
			v++
		}
		s, e = v, v
		for e < len(buf) && e-s <= 20 && hexLower[buf[e]] {
			e++
		}
		f.probes += e - q
		return e-s == 20 && boundaryAfter(buf, e)
	}
	f.probes += e - q
	return e-s == 16 && boundaryAfter(buf, e)
}

// base64Value judges the value at i after a GitHub key name when it is the
// base64 of the secret itself, as in a Kubernetes Secret's data
// (GITHUB_TOKEN: <base64 of the token>): 54 to 60 base64 characters, with
// their padding, that decode to exactly a legacy token or client secret.
func (f *finder) base64Value(i int) {
	buf := f.buf
	e := i
	for e < len(buf) && e-i <= 60 && isB64[buf[e]] != 0 {
		e++
	}
	end := e
	for e < len(buf) && e-end < 2 && buf[e] == '=' {
		e++
	}
	f.probes += e - i
	if end-i < 54 || end-i > 58 || !boundaryAfter(buf, e) {
		return
	}
	m, ok := legacyDecoded(decodeBase64(buf[i:end]))
	if !ok {
		return
	}
	if f.ident.clientSecret && m.Decoded[:3] != "v1." {
		m.Rule = OAuthClientSecret
	}
	m.Start, m.End = i, e
	f.add(m)
}

package rules

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

var base64URL [256]bool

func init() {
	for c := range 256 {
		base64URL[c] = alnum[c] || c == '-' || c == '_'
	}
}

// stateless checks "ghs_" + app id + "_" + JWT at p, the installation token
// format announced for 2026 (FORMATS.md §3). The JWT is decoded, never
// verified: GitHub says clients cannot validate it. It always reports true:
// it is the last rule tried on "ghs_".
func (f *finder) stateless(r *Rule, p int) bool {
	f.statelessAt(r, p)
	return true
}

func (f *finder) statelessAt(r *Rule, p int) {
	buf := f.buf
	if !boundaryBefore(buf, p) {
		return
	}
	i := p + 4
	digits := 0
	for i < len(buf) && digits < 20 && buf[i] >= '0' && buf[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 || i >= len(buf) || buf[i] != '_' {
		return
	}
	i++
	var seg [3][2]int
	for s := range 3 {
		start := i
		i = f.base64URLRunEnd(i)
		seg[s] = [2]int{start, i}
		if i == start || i-p > MaxTokenLen {
			return
		}
		if s < 2 {
			if i >= len(buf) || buf[i] != '.' {
				return
			}
			i++
		}
	}
	if i-p < 40 {
		return
	}
	m := Match{Rule: r, Start: p, End: i, Confidence: r.Confidence}
	var header struct {
		Alg string `json:"alg"`
	}
	var payload struct {
		Exp json.Number     `json:"exp"`
		Iat json.Number     `json:"iat"`
		Iss json.RawMessage `json:"iss"`
	}
	hdr := buf[seg[0][0]:seg[0][1]]
	switch {
	case !jsonObjectStart(hdr):
		m.Confidence, m.Note = Lookalike, "JWT header does not decode"
	case len(hdr) > maxJWTHeader:
		// Not decoded, so that a run of nested candidates costs a bounded
		// amount each: a header that has not been seen to decode makes a
		// look-alike, like one that does not decode. A candidate nested in
		// the header of one already judged this way is part of it.
		if f.longJWTEnd == i {
			return
		}
		f.longJWTEnd = i
		m.Confidence, m.Note = Lookalike, fmt.Sprintf("JWT header over %d characters, not decoded", maxJWTHeader)
	case !f.decodeSegment(hdr, &header) || header.Alg == "":
		m.Confidence, m.Note = Lookalike, "JWT header does not decode"
	case !f.decodeSegment(buf[seg[1][0]:seg[1][1]], &payload):
		m.Confidence, m.Note = Lookalike, "JWT payload does not decode"
	default:
		m.ExpiresAt = unixTime(payload.Exp)
		m.IssuedAt = unixTime(payload.Iat)
		m.AppID = parseDigits(buf[p+4 : p+4+digits])
		m.Note = statelessNote(m.IssuedAt, m.ExpiresAt, time.Now())
	}
	f.probes += digits
	f.add(m)
}

// maxJWTHeader is the longest JWT header segment decoded, in base64url
// characters: 192 bytes of JSON, several times a usual header
// ({"alg":"RS256","typ":"JWT"} is 36 characters).
const maxJWTHeader = 256

// jsonObjectStart reports whether the base64url text seg can decode to a JSON
// object: its first byte is '{' or white space. It spares decoding the header
// of most candidates.
func jsonObjectStart(seg []byte) bool {
	switch seg[0] {
	case 'e': // '{'
		return true
	case 'I', 'C', 'D': // ' ', '\t' or '\n', '\r'
		return true
	}
	return false
}

// base64URLRunEnd returns the end of the run of base64url characters at i.
// Candidates nested in one JWT ("ghs_1_ghs_1_...") share its segments, so
// the last few runs are remembered: each run is scanned a bounded number of
// times, not once per candidate.
func (f *finder) base64URLRunEnd(i int) int {
	for _, r := range f.runs {
		if r[0] <= i && i < r[1] {
			return r[1]
		}
	}
	buf := f.buf
	e := i
	for e < len(buf) && base64URL[buf[e]] {
		e++
	}
	f.probes += e - i + 1
	if e > i {
		f.runs[f.nextRun] = [2]int{i, e}
		f.nextRun = (f.nextRun + 1) % len(f.runs)
	}
	return e
}

// decodeSegment decodes a JWT segment that must be a JSON object (null, which
// json.Unmarshal takes for an empty struct, is not one).
func (f *finder) decodeSegment(seg []byte, v any) bool {
	f.probes += len(seg)
	out := make([]byte, base64.RawURLEncoding.DecodedLen(len(seg)))
	n, err := base64.RawURLEncoding.Decode(out, seg)
	if err != nil {
		return false
	}
	obj := bytes.TrimLeft(out[:n], " \t\r\n")
	return len(obj) > 0 && obj[0] == '{' && json.Unmarshal(obj, v) == nil
}

// clockSlack is how far a token's times may stray before they are odd:
// clocks differ, and issuers date tokens a little in the past.
const clockSlack = 5 * time.Minute

// statelessNote says what is odd about a stateless installation token's own
// times as of now, "" when nothing is: GitHub documents that installation
// tokens last one hour (FORMATS.md §3), and nothing is issued in the future.
func statelessNote(iat, exp, now time.Time) string {
	var odd []string
	if !iat.IsZero() && iat.After(now.Add(clockSlack)) {
		odd = append(odd, "its JWT says it was issued in the future ("+iat.UTC().Format("2006-01-02 15:04 UTC")+")")
	}
	if !iat.IsZero() && !exp.IsZero() {
		switch life := exp.Sub(iat); {
		case life <= 0:
			odd = append(odd, "its JWT says it expires before it was issued")
		case life > time.Hour+clockSlack:
			odd = append(odd, "its JWT gives it a lifetime of "+lifetime(life)+", where GitHub documents one hour for installation tokens")
		}
	}
	if len(odd) == 0 {
		return ""
	}
	return strings.Join(odd, "; ") + ": it may not be a token GitHub issued, or its JWT was edited"
}

// lifetime says a duration over an hour in whole days, hours or minutes.
func lifetime(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}

func unixTime(n json.Number) time.Time {
	sec, err := n.Int64()
	if err != nil || sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func parseDigits(b []byte) int64 {
	var n int64
	for _, c := range b {
		if n > (1<<62)/10 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

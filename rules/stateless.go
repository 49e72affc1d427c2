package rules

import (
	"encoding/base64"
	"encoding/json"
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
// verified: GitHub says clients cannot validate it.
func (f *finder) stateless(p int) {
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
		for i < len(buf) && i-p <= MaxTokenLen && base64URL[buf[i]] {
			i++
		}
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
	m := Match{Rule: StatelessInstallation, Start: p, End: i, Confidence: Medium}
	var header struct {
		Alg string `json:"alg"`
	}
	var payload struct {
		Exp json.Number     `json:"exp"`
		Iat json.Number     `json:"iat"`
		Iss json.RawMessage `json:"iss"`
	}
	if !decodeSegment(buf[seg[0][0]:seg[0][1]], &header) || header.Alg == "" {
		m.Confidence, m.Note = Lookalike, "JWT header does not decode"
	} else if !decodeSegment(buf[seg[1][0]:seg[1][1]], &payload) {
		m.Confidence, m.Note = Lookalike, "JWT payload does not decode"
	} else {
		m.ExpiresAt = unixTime(payload.Exp)
		m.IssuedAt = unixTime(payload.Iat)
		m.AppID = parseDigits(buf[p+4 : p+4+digits])
	}
	f.add(m)
}

func decodeSegment(seg []byte, v any) bool {
	out := make([]byte, base64.RawURLEncoding.DecodedLen(len(seg)))
	n, err := base64.RawURLEncoding.Decode(out, seg)
	if err != nil {
		return false
	}
	return json.Unmarshal(out[:n], v) == nil
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

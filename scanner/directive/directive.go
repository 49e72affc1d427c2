// Package directive parses inline allow directives: the comments next to a
// token that say it may stay. It is the one parser both the ghtoken command
// (package scanner) and the go vet analyzer (package analyzer) use, so the
// two tools always agree on what a directive is.
//
// ghtoken's own directives are "ghtoken:allow <reason>" (the directive's
// line) and "ghtoken:allow-next-line <reason>" (the line after it, for .env
// and .properties files where a trailing comment becomes part of the value);
// they allow a token only with a reason. Other scanners' directives
// (gitleaks:allow, trufflehog:ignore, detect-secrets' "pragma: allowlist
// secret" and "pragma: allowlist nextline secret") are honoured as they are
// written for those tools, without a reason.
//
// Directives are found with a few literal searches (never a regular
// expression over every byte). The package only parses: it reads no file,
// and what a directive allows is decided by its callers.
package directive

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind says which line a directive applies to.
type Kind int

// Directive kinds.
const (
	SameLine Kind = iota // the line the directive is on
	NextLine             // the line after it
)

// Names of ghtoken's own directives, as written in files.
const (
	Allow         = "ghtoken:allow"
	AllowNextLine = "ghtoken:allow-next-line"
)

// MaxReasonLen bounds how much of a line is read as a directive's reason.
const MaxReasonLen = 200

// MaxLen is the longest text examined from a directive's start: a caller
// that parses a window of a larger text must keep at least this much past
// the window for a directive near its end to be read whole.
const MaxLen = len("pragma: allowlist nextline secret") + MaxReasonLen

// Directive is one directive found in a text.
type Directive struct {
	Name    string // "ghtoken:allow", "gitleaks:allow", "pragma: allowlist secret", ...
	Kind    Kind
	Foreign bool   // another tool's directive: it needs no reason
	Reason  string // ghtoken's directives only; "" when none was given
	// Start is the byte offset of the directive's first byte in the text
	// it was found in; the directive's text may be spelled differently
	// from Name ("pragma:allowlist secret").
	Start int
	// End is the offset just past the directive's own words, where its
	// reason (if any) begins.
	End int
}

// Allows reports whether d allows a token on the line it applies to: a
// ghtoken directive needs a reason, another tool's does not.
func (d *Directive) Allows() bool { return d.Foreign || d.Reason != "" }

// Find appends to dst the directives whose first byte is in data[from:to],
// in offset order; data past to is read only to finish a directive that
// starts before it (up to MaxLen bytes). foreign says whether other tools' directives are looked for.
func Find(data []byte, from, to int, foreign bool, dst []Directive) []Directive {
	first := len(dst)
	// ":allow" finds ghtoken:allow[-next-line] and gitleaks:allow. It runs
	// on every byte of every file: see eachMarker for why it is searched
	// by the rarer of its ":" and "w" in the text at hand.
	dst = eachMarker(data, from, to, ":allow", dst, func(at int) (Directive, bool) {
		switch {
		case hasSuffixAt(data, at, "ghtoken"):
			d := Directive{Name: Allow, Kind: SameLine, Start: at - len("ghtoken")}
			end := at + len(":allow")
			if bytes.HasPrefix(data[end:], []byte("-next-line")) {
				d.Name, d.Kind = AllowNextLine, NextLine
				end += len("-next-line")
			}
			if !endsWord(data, end) {
				return Directive{}, false // a longer word, or a mention in quotes or backticks
			}
			d.Reason, d.End = reasonAt(data, end), end
			return d, true
		case foreign && hasSuffixAt(data, at, "gitleaks") && endsWord(data, at+len(":allow")):
			return Directive{Name: "gitleaks:allow", Kind: SameLine, Foreign: true, Start: at - len("gitleaks"), End: at + len(":allow")}, true
		}
		return Directive{}, false
	})
	if foreign {
		// eachMarker searches each of these by its rarest byte (see rareRank).
		dst = eachMarker(data, from, to, "wlist", dst, func(at int) (Directive, bool) {
			return parsePragma(data, at)
		})
		dst = eachMarker(data, from, to, "hog:i", dst, func(at int) (Directive, bool) {
			if !hasSuffixAt(data, at, "truffle") || !bytes.HasPrefix(data[at:], []byte("hog:ignore")) || !endsWord(data, at+len("hog:ignore")) {
				return Directive{}, false
			}
			return Directive{Name: "trufflehog:ignore", Kind: SameLine, Foreign: true, Start: at - len("truffle"), End: at + len("hog:ignore")}, true
		})
	}
	found := dst[first:]
	slices.SortStableFunc(found, func(a, b Directive) int { return a.Start - b.Start })
	return dst
}

// parsePragma parses detect-secrets' "pragma: allowlist [nextline] secret"
// around a hit of "wlist" at data[at]. detect-secrets accepts the pragma
// with or without the space after the colon, and so does ghtoken.
func parsePragma(data []byte, at int) (Directive, bool) {
	if !hasSuffixAt(data, at, "allo") {
		return Directive{}, false
	}
	at -= len("allo")
	var start int
	switch {
	case hasSuffixAt(data, at, "pragma: "):
		start = at - len("pragma: ")
	case hasSuffixAt(data, at, "pragma:"):
		start = at - len("pragma:")
	default:
		return Directive{}, false
	}
	end := at + len("allowlist")
	rest := data[end:]
	switch {
	case bytes.HasPrefix(rest, []byte(" nextline secret")) && endsWord(data, end+len(" nextline secret")):
		return Directive{Name: "pragma: allowlist nextline secret", Kind: NextLine, Foreign: true, Start: start, End: end + len(" nextline secret")}, true
	case bytes.HasPrefix(rest, []byte(" secret")) && endsWord(data, end+len(" secret")):
		return Directive{Name: "pragma: allowlist secret", Kind: SameLine, Foreign: true, Start: start, End: end + len(" secret")}, true
	}
	return Directive{}, false
}

// eachMarker calls parse for each occurrence of marker that starts in
// data[from:to] and appends what it accepts, when the directive starts a
// word.
//
// The search looks for one byte of the marker (bytes.IndexByte) and checks
// the marker around each one, so its cost grows with how common that byte
// is. A search for the whole marker (bytes.Index) stops at every
// occurrence of its first byte: for ":allow", every colon, which Go, JSON
// and YAML are full of, while prose and HTML have more "w" than colons.
// So the marker's two rarest bytes (see rareRank) are counted in the KiB
// in the middle of what is searched (the start of a file is often a
// license or a doc comment: prose) and the less common one is looked for.
func eachMarker(data []byte, from, to int, marker string, dst []Directive, parse func(at int) (Directive, bool)) []Directive {
	// A marker sits up to maxMarkerBack bytes into its directive, so the
	// markers of directives that start in [from, to) lie in
	// [from, to+maxMarkerBack); each directive is kept by exactly one
	// window, the one its first byte is in.
	end := min(len(data), to+maxMarkerBack+len(marker)-1)
	if from >= end {
		return dst
	}
	k, k2 := rareBytes(marker)
	if k2 >= 0 {
		mid := from + (end-from)/2
		sample := data[max(from, mid-512):min(end, mid+512)]
		if bytes.Count(sample, []byte{marker[k2]}) < bytes.Count(sample, []byte{marker[k]}) {
			k = k2
		}
	}
	c := marker[k]
	for i := from + k; i < end; {
		j := bytes.IndexByte(data[i:end], c)
		if j < 0 {
			break
		}
		at := i + j - k
		i += j + 1
		if at+len(marker) > end || string(data[at:at+len(marker)]) != marker {
			continue
		}
		if d, ok := parse(at); ok && d.Start >= from && d.Start < to && startsWord(data, d.Start) {
			dst = append(dst, d)
		}
	}
	return dst
}

// rareBytes returns the indexes of the two bytes of marker that come first
// in rareRank (k2 is -1 when there is one, and k is 0 when there is none).
func rareBytes(marker string) (k, k2 int) {
	k, k2 = -1, -1
	for r := range len(rareRank) {
		if i := strings.IndexByte(marker, rareRank[r]); i >= 0 {
			if k < 0 {
				k = i
			} else {
				return k, i
			}
		}
	}
	return max(k, 0), -1
}

// rareRank lists bytes from rarest to less rare in source and text.
const rareRank = "zqxjkvw:"

// maxMarkerBack is the furthest a searched marker lies from its directive's
// first byte ("wlist" in "pragma: allowlist").
const maxMarkerBack = len("pragma: allo")

// hasSuffixAt reports whether data[:at] ends with s.
func hasSuffixAt(data []byte, at int, s string) bool {
	return at >= len(s) && string(data[at-len(s):at]) == s
}

// startsWord and endsWord say whether a directive name found at
// data[start:end] is a directive rather than a mention: it starts a word (at
// the start of a line, after white space or a comment marker) and ends one
// (white space, the end of the line, or a comment closer). Documentation and
// string literals that name a directive (in quotes or backticks, or as part
// of a longer word) are not directives.
func startsWord(data []byte, start int) bool {
	return start <= 0 || bytes.IndexByte([]byte(" \t\r\n/#*;!-"), data[start-1]) >= 0
}

func endsWord(data []byte, i int) bool {
	if i >= len(data) {
		return true
	}
	switch data[i] {
	case ' ', '\t', '\r', '\n':
		return true
	}
	return bytes.HasPrefix(data[i:], []byte("*/")) || bytes.HasPrefix(data[i:], []byte("-->"))
}

// reasonAt returns the reason that follows a directive ending at data[i]:
// the rest of the line, at most MaxReasonLen bytes, without comment closers.
func reasonAt(data []byte, i int) string {
	rest := data[i:min(len(data), i+MaxReasonLen)]
	if j := bytes.IndexAny(rest, "\r\n"); j >= 0 {
		rest = rest[:j]
	}
	return parseReason(string(rest))
}

// parseReason cleans the text after a directive into its reason. An empty
// result means no reason was given: a reason is words, not punctuation left
// over from the comment syntax ("-", "*/", ":").
func parseReason(s string) string {
	for !utf8.ValidString(s) && s != "" {
		s = s[:len(s)-1] // cut inside a multi-byte character at the bound
	}
	s = strings.TrimSpace(s)
	// A comment closer ends the reason: in a C-style block comment the reason
	// stops before the "*/" that closes it.
	for _, closer := range []string{"*/", "-->"} {
		if i := strings.Index(s, closer); i >= 0 {
			s = s[:i]
		}
	}
	s = strings.TrimSpace(s)
	for _, closer := range []string{"#}", "%>", "--%>"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, closer))
	}
	s = strings.TrimLeft(s, ":=-– ")
	s = strings.TrimSpace(s)
	if strings.IndexFunc(s, func(r rune) bool {
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf
	}) < 0 {
		return ""
	}
	return s
}

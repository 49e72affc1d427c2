package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"
)

// Mask returns the token with its middle hidden: the rule's prefix, the first
// four and the last four characters of the rest. It never returns more than
// eight characters of secret material.
func Mask(r *Rule, token string) string {
	prefix := ""
	if r != nil && len(token) > len(r.Prefix) && token[:len(r.Prefix)] == r.Prefix {
		prefix = r.Prefix
	}
	rest := token[len(prefix):]
	if utf8.RuneCountInString(rest) <= 12 || !isASCII(rest) {
		return prefix + "…"
	}
	return prefix + rest[:4] + "…" + rest[len(rest)-4:]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Fingerprint identifies a token without revealing it: "sha256:" and the hex
// SHA-256 of the token text. It stays the same when the token moves.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "sha256:" + hex.EncodeToString(sum[:])
}

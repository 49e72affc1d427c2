package rules_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
)

// benchInputs are 1 MiB of prose-like text, of random base64 (the worst
// case for the base64 needles), of random bytes, and of random bytes
// written as a Go string literal (binary assets embedded in source:
// "\x89PNG\r\n", where every fourth byte starts an escape).
func benchInputs() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"the ", "docs ", "dona ", "name ", "go ", "github ", "token ", "do ", "na ", "\n", "func ", "Z2 ", "kb "}
	var prose bytes.Buffer
	for prose.Len() < 1<<20 {
		prose.WriteString(words[r.IntN(len(words))])
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b64 := make([]byte, 1<<20)
	raw := make([]byte, 1<<20)
	for i := range b64 {
		b64[i] = alpha[r.IntN(64)]
		raw[i] = byte(r.Uint32())
	}
	var escaped bytes.Buffer
	for escaped.Len() < 1<<20 {
		c := byte(r.Uint32())
		switch {
		case c == '"' || c == '\\':
			escaped.WriteString(`\` + string(c))
		case c >= 0x20 && c < 0x7f && r.IntN(4) == 0:
			escaped.WriteByte(c) // printable bytes appear as themselves, now and then
		default:
			escaped.WriteString(`\x`)
			escaped.WriteByte("0123456789abcdef"[c>>4])
			escaped.WriteByte("0123456789abcdef"[c&15])
		}
	}
	return map[string][]byte{"prose": prose.Bytes(), "base64": b64, "random": raw, "escaped": escaped.Bytes()}
}

func BenchmarkFindInputs(b *testing.B) {
	for name, in := range benchInputs() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			var dst []rules.Match
			for b.Loop() {
				dst = rules.Find(in, rules.Options{}, dst[:0])
			}
		})
	}
}

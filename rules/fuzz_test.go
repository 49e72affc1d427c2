package rules_test

import (
	"bytes"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// FuzzFind checks what must hold for any input: no panic, matches inside the
// input and in order, every high-confidence prefixed match carries a valid
// checksum, and a token planted into the input is found at its offsets.
func FuzzFind(f *testing.F) {
	f.Add([]byte("GITHUB_TOKEN="), uint16(13), uint8(0))
	f.Add([]byte("nawak_"), uint16(6), uint8(1))
	f.Add([]byte("token: \"\"\n"), uint16(8), uint8(5))
	f.Add([]byte("ghp_ gho_ github_pat_ ghs_1_eyJ.."), uint16(4), uint8(6))
	f.Fuzz(func(t *testing.T, data []byte, at uint16, kind uint8) {
		ms := rules.Find(data, rules.Options{Lookalikes: true}, nil)
		checkMatches(t, data, ms)

		// Plant a token between non-word characters and find it.
		k := rulestest.Kinds[int(kind)%len(rulestest.Kinds)]
		if k == rulestest.Legacy || k == rulestest.LegacyV1 || k == rulestest.FineGrainedBadChecksum {
			return // found only with a keyword, or at low confidence: covered by table tests
		}
		tok := rulestest.Token(k, "fuzz")
		pos := int(at) % (len(data) + 1)
		planted := append(append(append(append([]byte{}, data[:pos]...), ' '), tok...), ' ')
		planted = append(planted, data[pos:]...)
		ms = rules.Find(planted, rules.Options{}, nil)
		checkMatches(t, planted, ms)
		start := pos + 1
		found := 0
		for _, m := range ms {
			if m.Start == start && m.End == start+len(tok) && m.Confidence >= rules.Medium {
				found++
			}
		}
		if found != 1 {
			t.Fatalf("planted %s token at %d found %d times in %q", k, start, found, planted)
		}
	})
}

func checkMatches(t *testing.T, data []byte, ms []rules.Match) {
	t.Helper()
	prev := -1
	for _, m := range ms {
		if m.Start < 0 || m.End > len(data) || m.Start >= m.End {
			t.Fatalf("match %+v outside input of %d bytes", m, len(data))
		}
		if m.Start < prev {
			t.Fatalf("matches out of order")
		}
		prev = m.Start
		if m.End-m.Start > rules.MaxTokenLen {
			t.Fatalf("match longer than MaxTokenLen")
		}
		tok := []byte(m.Text(data))
		if m.Confidence == rules.High && len(m.Rule.Prefix) == 4 {
			sum := rules.Checksum62(tok[4 : len(tok)-6])
			if !bytes.Equal(sum[:], tok[len(tok)-6:]) {
				t.Fatalf("high-confidence %s without a valid checksum: %q", m.Rule.ID, tok)
			}
		}
	}
}

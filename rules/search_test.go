package rules

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// nextGPairNaive is nextGPair one byte at a time.
func nextGPairNaive(b []byte, i int) int {
	hi := func(k int) bool { return k >= 0 && k < len(b) && bytes.IndexByte([]byte("hHiI"), b[k]) >= 0 }
	for ; i < len(b); i++ {
		if (b[i] == 'g' || b[i] == 'G') && (hi(i+1) || hi(i-1)) {
			return i
		}
	}
	return -1
}

// checkGPairs compares, from every start offset, the search Find uses (the
// assembly one on amd64) with the portable Go one and with the naive one.
func checkGPairs(t *testing.T, b []byte) {
	t.Helper()
	for i := 0; i <= len(b); i++ {
		want := nextGPairNaive(b, i)
		if got := nextGPair(b, i); got != want {
			t.Fatalf("nextGPair(%q, %d) = %d, want %d", b, i, got, want)
		}
		if got := nextGPairGo(b, i); got != want {
			t.Fatalf("nextGPairGo(%q, %d) = %d, want %d", b, i, got, want)
		}
	}
}

// Every offset, both ends of each 8- and 32-byte round, and the bytes that
// differ from g, h and i by the bits the search folds (0x20, 0x01).
func TestNextGPair(t *testing.T) {
	for _, pair := range []string{"gh", "gi", "GH", "Gh", "GI", "Gi", "gH", "gI", "hg", "iG", "Hg"} {
		for at := range 70 {
			b := bytes.Repeat([]byte{'.'}, 70)
			copy(b[at:], pair)
			checkGPairs(t, b[:min(len(b), at+len(pair)+at%3)])
			checkGPairs(t, b)
		}
	}
	near := []byte{'g', 'G', 'f', 'F', 'h', 'H', 'i', 'I', 'j', 'J', 0x67 ^ 0x80, 0x68 ^ 0x80, 0x47 ^ 0x40, 0x69 | 0x10, 0, 0xff}
	var b []byte
	for _, x := range near {
		for _, y := range near {
			b = append(b, x, y, ' ')
		}
	}
	checkGPairs(t, b)
}

// The search works in 32-byte rounds that start at the offset it is given,
// so every length up to three rounds and every place of a pair, forwards
// and backwards, puts a pair on each side of each round's edge, and the h
// of a backwards pair in the round before its g. A lone g or h/i earlier
// in the text checks that the marks carried from round to round are those
// of the right bytes.
func TestNextGPairRoundEdges(t *testing.T) {
	pairs := []string{"gh", "Gi", "hg", "IG", "hgh", "g", "h", "gg", "hh"}
	for n := range 101 {
		for _, pair := range pairs {
			for at := 0; at+len(pair) <= n; at++ {
				for _, lone := range []byte{0, 'g', 'h'} {
					b := bytes.Repeat([]byte{'.'}, n)
					if lone != 0 && at > 1 {
						b[(at*7)%(at-1)] = lone
					}
					copy(b[at:], pair)
					checkGPairs(t, b)
				}
			}
		}
	}
}

// Random text over a small alphabet has pairs, lone g's and lone h's in
// every position relative to the rounds.
func TestNextGPairDense(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 101 {
		for range 20 {
			b := make([]byte, n)
			for k := range b {
				b[k] = denseAlphabet[r.IntN(len(denseAlphabet))]
			}
			checkGPairs(t, b)
		}
	}
}

// denseAlphabet holds g, h and i in both cases, look-alikes that differ
// from them only in bits the search folds or ignores, and filler, twice
// so that the filler is not most of the text.
const denseAlphabet = "gGhHiI" + "gGhHiI" + "fFjJ\xe7\xe8\x07\x79.\x00\xff"

func FuzzNextGPair(f *testing.F) {
	f.Add([]byte("xx github GH_TOKEN ghp_ Gi"))
	f.Add(append(bytes.Repeat([]byte{'.'}, 31), "hg"...))
	f.Fuzz(func(t *testing.T, b []byte) { checkGPairs(t, b) })
}

// FuzzNextGPairDense maps the fuzzer's bytes onto denseAlphabet, where
// arbitrary bytes would rarely hold a g next to an h.
func FuzzNextGPairDense(f *testing.F) {
	f.Add([]byte("0123456789abcdef0123456789abcdef0123456789"))
	f.Add(bytes.Repeat([]byte{7, 2}, 40))
	f.Fuzz(func(t *testing.T, b []byte) {
		for k := range b {
			b[k] = denseAlphabet[int(b[k])%len(denseAlphabet)]
		}
		checkGPairs(t, b)
	})
}

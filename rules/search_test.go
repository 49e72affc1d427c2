package rules

import (
	"bytes"
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

func checkGPairs(t *testing.T, b []byte) {
	t.Helper()
	for i := 0; i <= len(b); i++ {
		if got, want := nextGPair(b, i), nextGPairNaive(b, i); got != want {
			t.Fatalf("nextGPair(%q, %d) = %d, want %d", b, i, got, want)
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

func FuzzNextGPair(f *testing.F) {
	f.Add([]byte("xx github GH_TOKEN ghp_ Gi"))
	f.Fuzz(func(t *testing.T, b []byte) { checkGPairs(t, b) })
}

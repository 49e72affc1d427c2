package rules

import (
	"encoding/binary"
	"math/bits"
)

// The byte search that finds where tokens and keywords may start. Every
// prefixed token starts with "gh" or "github", and every keyword for a legacy
// token with "gh", "GH", "Gh", "github", "GitHub" or "GITHUB": in each case a
// g (either case) followed by h or i (either case). Looking for that pair,
// eight bytes at a time, stops at far fewer places than a search for 'g'
// (about 1 byte in 100 of source code) and a second one for 'G', and finds
// both cases in one pass.

const (
	ones  = 0x0101010101010101
	low7  = 0x7f7f7f7f7f7f7f7f
	pairG = 'g' * ones
	pairH = 'i' * ones // h or i once bit 0 is set
)

// zeroBytes returns x with the high bit of each zero byte set and every other
// bit clear (exact: no false positives from borrows).
func zeroBytes(x uint64) uint64 { return ^((x&low7 + low7) | x | low7) }

// nextGPair returns the first p >= i with b[p] in "gG" and b[p+1] in "hHiI",
// or -1.
func nextGPair(b []byte, i int) int {
	// 32 bytes a round, one branch for all four words.
	for ; i+33 <= len(b); i += 32 {
		q := b[i : i+33]
		m0 := pairMask(binary.LittleEndian.Uint64(q[0:]), binary.LittleEndian.Uint64(q[1:]))
		m1 := pairMask(binary.LittleEndian.Uint64(q[8:]), binary.LittleEndian.Uint64(q[9:]))
		m2 := pairMask(binary.LittleEndian.Uint64(q[16:]), binary.LittleEndian.Uint64(q[17:]))
		m3 := pairMask(binary.LittleEndian.Uint64(q[24:]), binary.LittleEndian.Uint64(q[25:]))
		if m0|m1|m2|m3 == 0 {
			continue
		}
		for k, m := range [4]uint64{m0, m1, m2, m3} {
			if m != 0 {
				return i + 8*k + bits.TrailingZeros64(m)/8
			}
		}
	}
	for ; i+9 <= len(b); i += 8 {
		if m := pairMask(binary.LittleEndian.Uint64(b[i:]), binary.LittleEndian.Uint64(b[i+1:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i+1 < len(b); i++ {
		if b[i]|0x20 == 'g' && b[i+1]|0x21 == 'i' {
			return i
		}
	}
	return -1
}

// pairMask marks the bytes of w0 that start a pair: w1 is w0 a byte on.
func pairMask(w0, w1 uint64) uint64 {
	return zeroBytes(w0|0x20*ones^pairG) & zeroBytes(w1|0x21*ones^pairH)
}

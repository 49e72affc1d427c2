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
// both cases in one pass. On amd64 the same rounds run with SSE2 (see
// search_amd64.s), 16 bytes an instruction.

const (
	ones  = 0x0101010101010101
	low7  = 0x7f7f7f7f7f7f7f7f
	pairG = 'g' * ones
	pairH = 'i' * ones // h or i once bit 0 is set
)

// zeroBytes returns x with the high bit of each zero byte set and every other
// bit clear (exact: no false positives from borrows).
func zeroBytes(x uint64) uint64 { return ^((x&low7 + low7) | x | low7) }

// nextGPairGo returns the first p >= i with b[p] in "gG" and b[p+1] or
// b[p-1] in "hHiI", or -1. A g after an h is the end of a token prefix
// written backwards ("_phg", see reversedAt): the marks for it are those of
// the forward pair shifted by two bytes, a few operations a word.
//
// It is what nextGPair does on every platform, in portable Go; on amd64
// nextGPair does the same rounds in assembly, and the tests hold the two
// to the same answers.
func nextGPairGo(b []byte, i int) int {
	i = pairBlock(b, i)
	// prev holds the h/i marks of the 8 bytes before the word at i, as
	// pairMask returns them: only its two top bytes (b[i-1] and b[i]) are
	// read.
	var prev uint64
	if i > 0 && i < len(b) && b[i-1]|0x21 == 'i' {
		prev |= 0x80 << 48
	}
	if i < len(b) && b[i]|0x21 == 'i' {
		prev |= 0x80 << 56
	}
	// 32 bytes a round, one branch for all four words.
	for ; i+33 <= len(b); i += 32 {
		q := b[i : i+33]
		m0, h0 := pairMask(binary.LittleEndian.Uint64(q[0:]), binary.LittleEndian.Uint64(q[1:]), prev)
		m1, h1 := pairMask(binary.LittleEndian.Uint64(q[8:]), binary.LittleEndian.Uint64(q[9:]), h0)
		m2, h2 := pairMask(binary.LittleEndian.Uint64(q[16:]), binary.LittleEndian.Uint64(q[17:]), h1)
		m3, h3 := pairMask(binary.LittleEndian.Uint64(q[24:]), binary.LittleEndian.Uint64(q[25:]), h2)
		prev = h3
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
		m, h := pairMask(binary.LittleEndian.Uint64(b[i:]), binary.LittleEndian.Uint64(b[i+1:]), prev)
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		prev = h
	}
	for ; i < len(b); i++ {
		if b[i]|0x20 == 'g' && (i+1 < len(b) && b[i+1]|0x21 == 'i' || i > 0 && b[i-1]|0x21 == 'i') {
			return i
		}
	}
	return -1
}

// pairBlock skips, from i, the 32-byte rounds of nextGPairGo that hold no g
// pair, and returns where the first one that may starts (at most 32 bytes
// from the end of b). Most rounds hold none: instead of marking where
// pairs are, it only asks whether there is one, which costs half as much.
// A g followed by an h or i makes a zero byte in x|y, one preceded by one
// a zero byte in x|s, and "has a zero byte" is a few operations
// ((v-ones)&^v has its high bit set in some byte exactly when v has a zero
// byte, though not only in that byte).
func pairBlock(b []byte, i int) int {
	if i+33 > len(b) {
		return i
	}
	// yc holds, in its two top bytes, y of b[i-1] and b[i]: 0 for an h or
	// i, not 0 otherwise.
	yc := uint64(b[i]|0x21^'i') << 56
	if i > 0 {
		yc |= uint64(b[i-1]|0x21^'i') << 48
	} else {
		yc |= 0xff << 48
	}
	for ; i+33 <= len(b); i += 32 {
		q := b[i : i+33]
		x0 := binary.LittleEndian.Uint64(q[0:]) | 0x20*ones ^ pairG
		x1 := binary.LittleEndian.Uint64(q[8:]) | 0x20*ones ^ pairG
		x2 := binary.LittleEndian.Uint64(q[16:]) | 0x20*ones ^ pairG
		x3 := binary.LittleEndian.Uint64(q[24:]) | 0x20*ones ^ pairG
		y0 := binary.LittleEndian.Uint64(q[1:]) | 0x21*ones ^ pairH
		y1 := binary.LittleEndian.Uint64(q[9:]) | 0x21*ones ^ pairH
		y2 := binary.LittleEndian.Uint64(q[17:]) | 0x21*ones ^ pairH
		y3 := binary.LittleEndian.Uint64(q[25:]) | 0x21*ones ^ pairH
		v := hasZero(x0|y0) | hasZero(x0|(y0<<16|yc>>48)) |
			hasZero(x1|y1) | hasZero(x1|(y1<<16|y0>>48)) |
			hasZero(x2|y2) | hasZero(x2|(y2<<16|y1>>48)) |
			hasZero(x3|y3) | hasZero(x3|(y3<<16|y2>>48))
		if v&^low7 != 0 {
			return i
		}
		yc = y3
	}
	return i
}

// hasZero has a high bit set when x has a zero byte (see pairBlock).
func hasZero(x uint64) uint64 { return (x - ones) &^ x }

// pairMask marks the bytes of w0 that are a g (either case) with an h or i
// (either case) after or before it. w1 is w0 a byte on; prev is what
// pairMask returned for the 8 bytes before w0. It returns the marks and the
// h/i marks of w1 (byte k marks w0's byte k+1), which the next word needs.
func pairMask(w0, w1, prev uint64) (m, next uint64) {
	g := zeroBytes(w0 | 0x20*ones ^ pairG)
	next = zeroBytes(w1 | 0x21*ones ^ pairH)
	// Byte k of w0 has byte k+1 after it (next's byte k) and byte k-1
	// before it (next's byte k-2, or prev's top bytes for k < 2).
	return g & (next | next<<16 | prev>>48), next
}

package rules

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"hash/crc32"
	"strings"
)

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Checksum62 returns the 6-character checksum GitHub appends to a prefixed
// token: the CRC32 (IEEE) of the payload, base62-encoded with the alphabet
// 0-9A-Za-z and left-padded with '0'. The payload excludes the prefix and its
// underscore (FORMATS.md §1).
func Checksum62(payload []byte) [6]byte {
	crc := crc32.ChecksumIEEE(payload)
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[crc%62]
		crc /= 62
	}
	return out
}

// checksum62Valid reports whether token, with a prefix of prefixLen bytes
// (including the underscore), ends in the checksum of its payload.
func checksum62Valid(token []byte, prefixLen int) bool {
	n := len(token)
	// The largest CRC32 encodes as "4gfFC3": a free pre-filter.
	if c := token[n-6]; c < '0' || c > '4' {
		return false
	}
	sum := Checksum62(token[prefixLen : n-6])
	return string(sum[:]) == string(token[n-6:])
}

var base32Upper = base32.StdEncoding

// FineGrainedChecksum returns the 8 base32 characters that follow the first 43
// characters of the second part of a fine-grained PAT: the start of the
// base32 of SHA-256 over "github_pat_" + A + "_" + B (FORMATS.md §2, observed).
func FineGrainedChecksum(head []byte) [8]byte {
	sum := sha256.Sum256(head)
	var enc [56]byte
	base32Upper.Encode(enc[:], sum[:])
	var out [8]byte
	copy(out[:], enc[:8])
	return out
}

// fineGrainedOwner decodes the owner's numeric user id from the 7 base32
// characters after "github_pat_11". ok is false when they are not base32 or
// the last one carries non-zero padding bits.
func fineGrainedOwner(b32 []byte) (uint32, bool) {
	// The 7th character carries 3 padding bits that must be zero.
	if len(b32) != 7 || !strings.ContainsRune("AIQY", rune(b32[6])) {
		return 0, false
	}
	var buf [8]byte
	copy(buf[:], b32)
	buf[7] = '='
	var out [5]byte
	n, err := base32.StdEncoding.Decode(out[:], buf[:])
	if err != nil || n != 4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(out[:4]), true
}

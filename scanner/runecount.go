package scanner

import (
	"encoding/binary"
	"unicode/utf8"
)

// runeCount is utf8.RuneCount, eight bytes at a time through ASCII: columns
// are counted over the whole of a line that has no end in a chunk (minified
// code, data on one line), and utf8.RuneCount takes ASCII a byte at a time.
func runeCount(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			n, i = n+8, i+8
			continue
		}
		if b[i] < utf8.RuneSelf {
			n, i = n+1, i+1
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		n, i = n+1, i+size
	}
	return n
}

package scanner

import (
	"bufio"
	"io"
)

// scanStream is scanStreamDirectives without directives, for tests of the
// reader alone.
func scanStream(r io.Reader, path string, chunkSize int, buf []byte, emit func(streamMatch)) (streamInfo, []byte, error) {
	return scanStreamDirectives(r, path, chunkSize, buf, nil, emit)
}

// decodeText looks at the start of r and returns a reader of its text as
// UTF-8, the encoding it found, and how many bytes of byte order mark it
// dropped (the offsets of what follows start there). Offsets in the returned
// text are those of the file for UTF-8, and those of the UTF-8 transcoding
// for UTF-16 (lines and columns are the same in both). The scanner does the
// same on its first chunk, without the extra buffer; tests check the two
// agree.
func decodeText(r io.Reader) (io.Reader, textEncoding, int64) {
	br := bufio.NewReaderSize(r, utf16SniffLen)
	head, _ := br.Peek(utf16SniffLen)
	enc, bom := sniffText(head)
	br.Discard(bom)
	if enc == encUTF8 {
		return br, enc, int64(bom)
	}
	return newUTF16Reader(br, enc), enc, 0
}

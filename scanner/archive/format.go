package archive

import (
	"bytes"
	"strconv"
)

// Format is a kind of archive or compressed stream.
type Format uint8

// Formats Detect knows.
const (
	None Format = iota
	Zip
	Tar
	Gzip
	Bzip2
	Zstd
)

func (f Format) String() string {
	switch f {
	case Zip:
		return "zip"
	case Tar:
		return "tar"
	case Gzip:
		return "gzip"
	case Bzip2:
		return "bzip2"
	case Zstd:
		return "zstd"
	}
	return "none"
}

// Compressed reports whether f is a single compressed stream (gzip, bzip2,
// zstd) rather than a container of named members.
func (f Format) Compressed() bool { return f == Gzip || f == Bzip2 || f == Zstd }

// SniffLen is how many bytes of the start of a stream Detect needs to see
// every format (a tar header is 512 bytes); fewer are enough for all but tar.
const SniffLen = 512

// Detect says which format head, the first bytes of a stream, starts with,
// by magic bytes only: a name proves nothing (a .jar is a zip, a .log may be
// gzip). Only a checksum-valid header is taken for a tar.
func Detect(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip
	case len(head) >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8:
		return Gzip
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return Zstd
	case len(head) >= 10 && bytes.HasPrefix(head, []byte("BZh")) && head[3] >= '1' && head[3] <= '9' &&
		(bytes.Equal(head[4:10], []byte("1AY&SY")) || bytes.Equal(head[4:10], []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90})):
		return Bzip2
	case isTarHeader(head):
		return Tar
	}
	return None
}

// isTarHeader reports whether head starts with a tar header block: the
// ustar magic (POSIX or GNU) or, for old V7 archives, a name and a valid
// header checksum.
func isTarHeader(head []byte) bool {
	if len(head) < 512 {
		return false
	}
	h := head[:512]
	if bytes.HasPrefix(h[257:], []byte("ustar")) {
		return tarChecksumOK(h)
	}
	return h[0] != 0 && tarChecksumOK(h)
}

// tarChecksumOK checks the header checksum: the sum of the header's bytes
// with the checksum field (148..156) counted as spaces, written in octal.
func tarChecksumOK(h []byte) bool {
	field := bytes.Trim(h[148:156], " \x00")
	if len(field) == 0 {
		return false
	}
	want, err := strconv.ParseUint(string(field), 8, 32)
	if err != nil {
		return false
	}
	var unsigned, signed int64
	for i, b := range h {
		if i >= 148 && i < 156 {
			b = ' '
		}
		unsigned += int64(b)
		signed += int64(int8(b))
	}
	return int64(want) == unsigned || int64(want) == signed
}

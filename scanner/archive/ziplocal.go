package archive

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// OpenZipLocal reads a zip whose central directory cannot be read (a
// truncated download, a damaged end record) the way a streaming reader
// does: member after member, from the local header that precedes each
// one's data. Tools such as Java's ZipInputStream extract such a file, so
// a token in it is there to be found.
func OpenZipLocal(r io.ReaderAt, size int64) Members {
	return &zipLocal{r: r, size: size}
}

// errBadLocalHeader ends a local walk: what follows is not a member.
var errBadLocalHeader = errors.New("zip: no local file header where the previous member ended")

// errLocalTruncated ends a local walk at the end of the file.
var errLocalTruncated = errors.New("zip: the file ends inside a member, before its directory (truncated?)")

// IsLocalDamage reports whether err ended a walk of local headers (see
// OpenZipLocal) where the file's bytes, searched as they are, leave nothing
// unread: no further header, or the end of the file.
func IsLocalDamage(err error) bool {
	return errors.Is(err, errBadLocalHeader) || errors.Is(err, errLocalTruncated)
}

type zipLocal struct {
	r    io.ReaderAt
	size int64
	off  int64 // where the next local header should be
	cur  *countingByteReader
	fl   io.Reader // the current member's deflate reader, nil when stored
	// after is where the current member's data ends when its header
	// states its compressed size; -1 when only the data itself says
	// (a deflate stream's end, then a data descriptor).
	after     int64
	descripor bool
	done      bool
}

const (
	maxLocalDrain  = 1 << 30
	localHeaderLen = 30
	localSig       = 0x04034b50
	descriptorSig  = 0x08074b50
)

func (z *zipLocal) Next() (Member, io.Reader, error) {
	if z.done {
		return Member{}, nil, io.EOF
	}
	if err := z.skipData(); err != nil {
		z.done = true
		return Member{}, nil, err
	}
	if z.off >= z.size {
		z.done = true
		return Member{}, nil, errLocalTruncated
	}
	var h [localHeaderLen]byte
	if _, err := z.r.ReadAt(h[:], z.off); err != nil || binary.LittleEndian.Uint32(h[:]) != localSig {
		z.done = true
		if z.off > 0 && err == nil && binary.LittleEndian.Uint16(h[:]) == 0x4b50 {
			return Member{}, nil, io.EOF // "PK": the central directory or another record
		}
		if err == nil || err == io.EOF {
			err = errBadLocalHeader
		}
		return Member{}, nil, err
	}
	flags := binary.LittleEndian.Uint16(h[6:])
	method := binary.LittleEndian.Uint16(h[8:])
	csize := int64(binary.LittleEndian.Uint32(h[18:]))
	usize := int64(binary.LittleEndian.Uint32(h[22:]))
	nameLen := int64(binary.LittleEndian.Uint16(h[26:]))
	extraLen := int64(binary.LittleEndian.Uint16(h[28:]))
	name := make([]byte, nameLen)
	if _, err := z.r.ReadAt(name, z.off+localHeaderLen); err != nil {
		z.done = true
		return Member{}, nil, fmt.Errorf("zip: local header name: %w", io.ErrUnexpectedEOF)
	}
	data := z.off + localHeaderLen + nameLen + extraLen
	if data > z.size {
		z.done = true
		return Member{}, nil, errLocalTruncated
	}
	z.descripor = flags&8 != 0
	z.after = -1
	if !z.descripor {
		z.after = data + csize
	}
	m := Member{Name: cleanName(string(name)), Size: usize, Regular: !bytes.HasSuffix(name, []byte("/"))}
	if z.descripor {
		m.Size = -1
	}
	sec := io.NewSectionReader(z.r, data, z.size-data)
	z.cur = &countingByteReader{r: bufio.NewReader(sec)}
	z.off = data
	switch {
	case !m.Regular:
		if z.after < 0 {
			z.done = true // where the next member starts is unknown
		}
		return m, nil, nil
	case flags&1 != 0:
		m.Skip, m.Detail = finding.SkipEncrypted, "encrypted zip entry (its content cannot be read without the password)"
	case method == 8:
		z.fl = flate.NewReader(z.cur)
		return m, z.fl, nil
	case method == 0 && !z.descripor:
		return m, io.LimitReader(z.cur, csize), nil
	case method == 0:
		// Stored, its size only in the descriptor after it: the data
		// runs to the next record's signature.
		end, desc := z.nextRecord(data)
		z.after = end
		if desc {
			z.after += 16
		}
		return m, io.NewSectionReader(z.r, data, end-data), nil
	default:
		m.Skip, m.Detail = finding.SkipUnsupported, fmt.Sprintf("zip compression method %d with no stated size is not supported without the central directory", method)
	}
	if z.after < 0 {
		z.done = true // where the next member starts is unknown
	}
	return m, nil, nil
}

// nextRecord returns the offset of the first zip record signature (a data
// descriptor, a local header, the central directory) at or after off, or
// the end of the file; desc says it is a data descriptor's.
func (z *zipLocal) nextRecord(off int64) (end int64, desc bool) {
	if off >= z.size {
		return z.size, false
	}
	buf := make([]byte, min(64<<10, z.size-off+4))
	for off < z.size {
		n, _ := z.r.ReadAt(buf, off)
		if n < 4 {
			break
		}
		for i := 0; i+4 <= n; i++ {
			if buf[i] != 'P' || buf[i+1] != 'K' {
				continue
			}
			switch binary.LittleEndian.Uint32(buf[i:]) {
			case descriptorSig:
				return off + int64(i), true
			case localSig, 0x02014b50:
				return off + int64(i), false
			}
		}
		off += int64(n - 3)
	}
	return z.size, false
}

// skipData moves z.off past the current member's data and data descriptor.
func (z *zipLocal) skipData() error {
	if z.cur == nil {
		return nil
	}
	cur, fl := z.cur, z.fl
	z.cur, z.fl = nil, nil
	if z.after >= 0 {
		z.off = z.after
		return nil
	}
	// A deflate stream ends itself: drain what the scan left of it (a
	// member over --max-file-size), within a bound against bombs.
	n, err := io.Copy(io.Discard, io.LimitReader(fl, maxLocalDrain+1))
	if err != nil {
		return err
	}
	if n > maxLocalDrain {
		return fmt.Errorf("zip: a member with no stated size decompresses to over %d bytes", int64(maxLocalDrain))
	}
	z.off += cur.n
	var d [4]byte
	if _, err := z.r.ReadAt(d[:], z.off); err == nil && binary.LittleEndian.Uint32(d[:]) == descriptorSig {
		z.off += 4
	}
	z.off += 12 // crc, compressed and uncompressed size (zip64 is not handled here)
	return nil
}

// countingByteReader counts the bytes read, one at a time for flate (an
// io.ByteReader is never read ahead of), so that where a deflate stream
// ends is known.
type countingByteReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingByteReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingByteReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

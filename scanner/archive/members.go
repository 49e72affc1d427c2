package archive

import (
	"archive/tar"
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Member is one entry of a container.
type Member struct {
	// Name is the entry's name as stored, slash-separated, without a
	// leading "./" or "/".
	Name string
	// Size is the size the archive states, -1 when it states none. It is
	// a claim, not a fact: readers count what they read.
	Size int64
	// Regular is false for directories, links and devices: entries with
	// no content of their own. They count as entries all the same.
	Regular bool
	// Skip, when set, says why the content cannot be read (encrypted, a
	// compression method not supported); Detail says more.
	Skip   finding.SkipReason
	Detail string
}

// Members reads the entries of a container in the order they are stored.
type Members interface {
	// Next returns the next entry and a reader of its content, valid
	// until the next call; io.EOF after the last one. The reader is nil
	// when the entry is not Regular or is skipped.
	Next() (Member, io.Reader, error)
}

// cleanName drops what makes the same member look different in two
// archives ("./config/app.env", "/config/app.env").
func cleanName(name string) string {
	for {
		switch {
		case strings.HasPrefix(name, "./"):
			name = name[2:]
		case strings.HasPrefix(name, "/"):
			name = name[1:]
		default:
			return name
		}
	}
}

// ReadTar reads a tar stream.
func ReadTar(r io.Reader) Members { return &tarMembers{r: tar.NewReader(r)} }

type tarMembers struct{ r *tar.Reader }

func (t *tarMembers) Next() (Member, io.Reader, error) {
	h, err := t.r.Next()
	if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
		return Member{}, nil, err
	}
	m := Member{Name: cleanName(h.Name), Size: h.Size}
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse, '\x00':
		m.Regular = true
		return m, t.r, nil
	}
	return m, nil, nil
}

// OpenZip reads the zip whose size bytes are at r. It reads the central
// directory (its memory is proportional to the directory's size, within
// size) and then each member where the directory says it is.
func OpenZip(r io.ReaderAt, size int64) (Members, error) {
	z, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, err
	}
	return &zipMembers{files: z.File}, nil
}

type zipMembers struct {
	files []*zip.File
	cur   io.ReadCloser
}

func (z *zipMembers) Next() (Member, io.Reader, error) {
	if z.cur != nil {
		z.cur.Close()
		z.cur = nil
	}
	if len(z.files) == 0 {
		return Member{}, nil, io.EOF
	}
	f := z.files[0]
	z.files[0] = nil // what was read is not kept
	z.files = z.files[1:]
	m := Member{Name: cleanName(f.Name), Size: int64(f.UncompressedSize64)}
	if m.Size < 0 {
		m.Size = -1
	}
	if f.Mode().IsDir() || strings.HasSuffix(f.Name, "/") {
		return m, nil, nil
	}
	m.Regular = true
	if f.Flags&1 != 0 {
		m.Skip, m.Detail = finding.SkipEncrypted, "encrypted zip entry (its content cannot be read without the password)"
		return m, nil, nil
	}
	rc, err := f.Open()
	switch {
	case errors.Is(err, zip.ErrAlgorithm):
		m.Skip, m.Detail = finding.SkipUnsupported, fmt.Sprintf("zip compression method %d is not supported", f.Method)
		return m, nil, nil
	case err != nil:
		return m, nil, err
	}
	z.cur = rc
	return m, rc, nil
}

// ZstdMaxWindow is the largest zstd window (the memory a stream may make
// its reader hold) that is read: zstd's own default limit for decoding is
// 128 MiB, its levels up to 19 use 8 MiB at most; a stream that needs more
// (--long, --ultra) is skipped as unsupported rather than allowed to take
// that memory once per worker. At 64 MiB a scan of a module cache (whose
// compression libraries hold such test streams) peaked at 164 MB of RSS;
// at 8 MiB, 72 MB.
const ZstdMaxWindow = 8 << 20

// Decompress returns the content of a gzip, bzip2 or zstd stream and the
// name it gives its content ("" when it gives none: only gzip does).
// Close the reader when done: a zstd reader holds buffers until then, a
// bzip2 reader goroutines and a spooled copy of its input.
func Decompress(f Format, r io.Reader) (io.ReadCloser, string, error) {
	switch f {
	case Gzip:
		// klauspost/compress's gzip (already here for zstd) inflates
		// about a fifth faster than compress/gzip, whose API and errors
		// (the same ErrChecksum and ErrHeader values) it keeps.
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, "", err
		}
		return z, path.Base(cleanName(strings.ReplaceAll(z.Name, "\\", "/"))), nil
	case Bzip2:
		// Blocks decode on several cores (see bzip2par.go); with
		// one, the standard reader as it is.
		ahead := 0
		if n := runtime.GOMAXPROCS(0); n > 1 {
			ahead = n
		}
		return newBzip2Reader(r, ahead), "", nil
	case Zstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(ZstdMaxWindow))
		if err != nil {
			return nil, "", err
		}
		return zstdReader{z}, "", nil
	}
	return nil, "", fmt.Errorf("%s is not a compressed stream", f)
}

// zstdReader reports a window over ZstdMaxWindow as a member that cannot be
// read (a policy), not as damage.
type zstdReader struct{ d *zstd.Decoder }

func (z zstdReader) Read(p []byte) (int, error) {
	n, err := z.d.Read(p)
	if errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded) {
		err = &LimitError{Reason: finding.SkipUnsupported, Detail: fmt.Sprintf("zstd stream needs a window over %d MiB (%v)", ZstdMaxWindow>>20, err)}
	}
	return n, err
}

func (z zstdReader) Close() error {
	z.d.Close()
	return nil
}

// ContentName is the name for the content of a compressed file when the
// stream gives none: the file's name without its compression suffix
// ("app.log.gz" gives "app.log", "x.tgz" gives "x.tar"), or its name as
// it is when that has no such suffix.
func ContentName(file string) string {
	base := path.Base(file)
	if i := strings.LastIndexByte(base, '!'); i >= 0 {
		base = base[i+1:]
	}
	lower := strings.ToLower(base)
	for _, s := range []struct{ suffix, repl string }{{".tgz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".tzst", ".tar"}, {".gz", ""}, {".bz2", ""}, {".gzip", ""}, {".zst", ""}} {
		if strings.HasSuffix(lower, s.suffix) && len(base) > len(s.suffix) {
			return base[:len(base)-len(s.suffix)] + s.repl
		}
	}
	return base
}

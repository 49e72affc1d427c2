package gitsource

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// catFile is a running "git cat-file --batch": object ids go in, objects come
// out, one at a time, so memory does not depend on how many are read.
type catFile struct {
	s   *stream
	in  io.WriteCloser // nil when stdin is another process's output
	out *bufio.Reader
}

// catFileFormat makes each header "<oid> <type> <size> <rest of input line>".
const catFileFormat = "--batch=%(objectname) %(objecttype) %(objectsize) %(rest)"

// startCatFile starts cat-file reading object ids from stdin, or from our
// writes when stdin is nil.
func (g *Git) startCatFile(ctx context.Context, stdin io.Reader) (*catFile, error) {
	s, in, err := g.startWithInput(ctx, stdin, stdin == nil, "cat-file", catFileFormat)
	if err != nil {
		return nil, err
	}
	growPipe(s.out)
	return &catFile{s: s, in: in, out: bufio.NewReaderSize(s.out, 256<<10)}, nil
}

// close ends the process and returns its failure, if any.
func (c *catFile) close(ctx context.Context) error {
	if c.in != nil {
		c.in.Close()
	}
	// Drain what is left so that git is not blocked writing.
	io.Copy(io.Discard, c.out)
	return c.s.wait(ctx)
}

// objectHeader is one header line of cat-file's output.
type objectHeader struct {
	oid, typ string
	size     int64
	rest     string // what followed the object id on the input line
	missing  bool
}

// header reads the next header; io.EOF when the output ended.
func (c *catFile) header() (objectHeader, error) {
	line, err := c.out.ReadBytes('\n')
	if err != nil {
		if err == io.EOF && len(line) == 0 {
			return objectHeader{}, io.EOF
		}
		return objectHeader{}, fmt.Errorf("git cat-file: %w", err)
	}
	line = line[:len(line)-1]
	if rest, ok := bytes.CutSuffix(line, []byte(" missing")); ok {
		return objectHeader{oid: string(rest), missing: true}, nil
	}
	if rest, ok := bytes.CutSuffix(line, []byte(" ambiguous")); ok {
		return objectHeader{oid: string(rest), missing: true}, nil
	}
	parts := bytes.SplitN(line, []byte(" "), 4)
	if len(parts) < 3 {
		return objectHeader{}, fmt.Errorf("git cat-file: unexpected header %q", line)
	}
	size, err := strconv.ParseInt(string(parts[2]), 10, 64)
	if err != nil || size < 0 {
		return objectHeader{}, fmt.Errorf("git cat-file: unexpected header %q", line)
	}
	h := objectHeader{oid: string(parts[0]), typ: string(parts[1]), size: size}
	if len(parts) == 4 {
		h.rest = string(parts[3])
	}
	return h, nil
}

// request asks for one object and returns its header.
func (c *catFile) request(oid string) (objectHeader, error) {
	if _, err := io.WriteString(c.in, oid+"\n"); err != nil {
		return objectHeader{}, fmt.Errorf("git cat-file: %w", err)
	}
	return c.header()
}

// requestAll asks for several objects in one write; their headers are
// then read in the same order.
func (c *catFile) requestAll(oids []string) error {
	var b []byte
	for _, o := range oids {
		b = append(append(b, o...), '\n')
	}
	if _, err := c.in.Write(b); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	return nil
}

// discard skips the content of the object whose header was just read.
func (c *catFile) discard(h objectHeader) error {
	if h.missing {
		return nil
	}
	if _, err := c.out.Discard(int(h.size)); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	return c.trailer()
}

func (c *catFile) trailer() error {
	b, err := c.out.ReadByte()
	if err != nil || b != '\n' {
		return fmt.Errorf("git cat-file: object not followed by a newline")
	}
	return nil
}

// blob reads the content of the blob whose header was just read into an
// Item. Blobs over maxSize (when > 0) are skipped without being held in
// memory; the others (binary ones included: the scanner searches those for
// prefixed tokens) are held until the item's reader is closed, within
// budget.
func (c *catFile) blob(h objectHeader, it finding.Item, maxSize int64, bud *budget) (finding.Item, error) {
	it.Size = h.size
	it.NoSizeLimit = true // the limit is applied here, before reading
	if maxSize > 0 && h.size > maxSize {
		it.Skip = &finding.Skipped{Path: it.Path, Reason: finding.SkipTooLarge, Detail: fmt.Sprintf("%d bytes, over the %d-byte limit (--max-file-size)", h.size, maxSize)}
		return it, c.discard(h)
	}
	bud.acquire(h.size)
	data := getBlobBuf(h.size)
	if _, err := io.ReadFull(c.out, data); err != nil {
		bud.release(h.size)
		putBlobBuf(data)
		return it, fmt.Errorf("git cat-file: %w", err)
	}
	if err := c.trailer(); err != nil {
		bud.release(h.size)
		putBlobBuf(data)
		return it, err
	}
	rd := &blobReader{Reader: bytes.NewReader(data), size: h.size, bud: bud, buf: data}
	it.Open = func() (io.ReadCloser, error) { return rd, nil }
	return it, nil
}

// blobReader is a blob held in memory; closing it returns its bytes to the
// budget.
type blobReader struct {
	*bytes.Reader
	size int64
	bud  *budget
	buf  []byte
	once sync.Once
}

func (b *blobReader) Size() int64 { return b.size }

func (b *blobReader) Close() error {
	b.once.Do(func() {
		b.bud.release(b.size)
		putBlobBuf(b.buf)
		b.Reader = nil
	})
	return nil
}

// Blob buffers are reused by size class (powers of two from 4 KiB to
// 1 MiB): a history is mostly small blobs, and allocating each anew makes
// the garbage collector the largest cost after git itself.
const (
	minBlobClass = 12 // 4 KiB
	maxBlobClass = 20 // 1 MiB
)

var blobPools [maxBlobClass + 1]sync.Pool

func blobClass(n int64) int {
	c := minBlobClass
	for int64(1)<<c < n {
		c++
	}
	return c
}

func getBlobBuf(n int64) []byte {
	c := blobClass(n)
	if c > maxBlobClass {
		return make([]byte, n)
	}
	if p, ok := blobPools[c].Get().(*[]byte); ok {
		return (*p)[:n]
	}
	return make([]byte, n, 1<<c)
}

func putBlobBuf(b []byte) {
	c := cap(b)
	if c < 1<<minBlobClass || c > 1<<maxBlobClass || c&(c-1) != 0 {
		return
	}
	b = b[:c]
	blobPools[blobClass(int64(c))].Put(&b)
}

// budget bounds the bytes of blobs read but not yet scanned. A blob larger
// than the whole budget waits until nothing else is held, so memory stays
// within max(budget, largest blob) whatever the history holds.
type budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	total int64
	used  int64
}

// defaultBudget is the bytes of blobs held at once.
const defaultBudget = 32 << 20

func newBudget(total int64) *budget {
	b := &budget{total: total}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *budget) acquire(n int64) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.total {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

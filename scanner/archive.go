package scanner

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/ghtoken/ghtoken/scanner/archive"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// archiveCtx is what the members of one archive (all levels) share.
type archiveCtx struct {
	budget    *archive.Budget
	depth     int    // containers around the content, 1 for a member of the outermost
	container string // the path of the item that holds the outermost archive
}

// recordedError is a failure inside an archive that is already recorded
// as a skip: the archive around it reads on.
type recordedError struct{ err error }

func (e *recordedError) Error() string { return e.err.Error() }

// scanArchive reads the container or compressed stream of format f in c:
// head is its start, rest the bytes after it. It records the archive itself
// as a scanned file (its members are recorded each) or as skipped.
func (o *workerResult) scanArchive(c content, f archive.Format, head []byte, rest *countingReader, opt Options, chunk int, buf []byte) ([]byte, error) {
	arc := c.arc
	if arc == nil {
		lim := opt.ArchiveLimits
		if lim == (archive.Limits{}) {
			lim = archive.DefaultLimits
		}
		size := c.size
		arc = &archiveCtx{container: c.it.Path, budget: archive.NewBudget(lim, func() int64 { return max(size, rest.n) })}
	}
	depth := 1
	if c.arc != nil {
		depth = c.arc.depth + 1
	}
	if err := arc.budget.Depth(depth); err != nil {
		return buf, o.archiveError(c.it, err, 0)
	}
	inner := &archiveCtx{budget: arc.budget, depth: depth, container: arc.container}
	stream := io.MultiReader(bytes.NewReader(head), rest)
	var members archive.Members
	switch f {
	case archive.Gzip, archive.Bzip2, archive.Zstd:
		return o.scanCompressed(c, f, stream, inner, opt, chunk, buf)
	case archive.Tar:
		members = archive.ReadTar(stream)
	case archive.Zip:
		ra, size := c.ra, c.size
		if ra == nil {
			sp, err := archive.Spool(head, rest)
			if err != nil {
				return buf, o.archiveError(c.it, err, rest.n)
			}
			defer sp.Close()
			ra, size = sp, sp.Size
			if opt.MaxFileSize > 0 && !c.it.NoSizeLimit && size > opt.MaxFileSize {
				o.skip(c.it, finding.SkipTooLarge, fmt.Sprintf("over the %d-byte limit (--max-file-size)", opt.MaxFileSize))
				return buf, nil
			}
		}
		m, err := archive.OpenZip(ra, size)
		if err != nil {
			// Not a zip after all, or one whose directory is damaged
			// (a truncated download): its members are read from their
			// local headers, as a streaming reader would, and its bytes
			// are also searched as they are. A member stored
			// uncompressed may then be reported twice, once under the
			// archive's own path.
			o.skip(c.it, finding.SkipDamaged, err.Error()+" (members read from their local headers)")
			buf, lerr := o.scanMembers(c, f, archive.OpenZipLocal(ra, size), inner, opt, chunk, buf)
			plain := c
			plain.r, plain.plain = io.NewSectionReader(ra, 0, size), true
			buf, _ = o.scanContent(plain, opt, chunk, buf)
			return buf, lerr
		}
		members = m
	}
	o.files++
	buf, err := o.scanMembers(c, f, members, inner, opt, chunk, buf)
	var bad *badHeaderError
	if f == archive.Tar && errors.As(err, &bad) {
		// A tar stores its members as they are: the bytes after a
		// damaged header may still hold plain text, and a tar reader
		// stops at the damage. Search the rest of the stream as it is,
		// under the archive's own path, so that damage placed before a
		// member cannot hide it.
		// With the whole file at hand, search all of it, so that lines
		// count from its start; else the rest, lines counting from there.
		plain := c
		plain.r, plain.ra, plain.size, plain.plain = stream, nil, -1, true
		if c.ra != nil {
			plain.r, plain.ra, plain.size = io.NewSectionReader(c.ra, 0, c.size), c.ra, c.size
		}
		buf, _ = o.scanContent(plain, opt, chunk, buf)
		err = bad.recordedError
	}
	return buf, err
}

// badHeaderError is a container whose member headers cannot be read past
// some point, already recorded: the stream after the damage is unread.
type badHeaderError struct{ *recordedError }

// scanMembers scans each member of a container in turn.
func (o *workerResult) scanMembers(c content, f archive.Format, members archive.Members, arc *archiveCtx, opt Options, chunk int, buf []byte) ([]byte, error) {
	var last error // the failure of the last member, recorded
	for {
		m, r, err := members.Next()
		if err == io.EOF {
			return buf, nil
		}
		if err != nil && last != nil && errors.Is(err, last) {
			return buf, nil // the stream broke inside that member: said already
		}
		it := memberItem(c.it, arc, m.Name, m.Size)
		if err != nil {
			if m.Name != "" {
				return buf, o.archiveError(it, err, 0)
			}
			err = fmt.Errorf("%s: %w", f, err)
			if f == archive.Tar {
				// The rest of the tar is searched as it is (see
				// scanArchive): damage, not loss.
				err = damageError{err}
			}
			err = o.archiveError(c.it, err, 0)
			if rec, ok := err.(*recordedError); ok {
				return buf, &badHeaderError{rec}
			}
			return buf, err
		}
		if err := arc.budget.Entry(); err != nil {
			return buf, o.archiveError(it, err, 0)
		}
		if !m.Regular {
			continue
		}
		if m.Skip != "" {
			o.skip(it, m.Skip, m.Detail)
			continue
		}
		if o.tooLarge(it, opt) {
			continue
		}
		if f == archive.Zip {
			// Only what is decompressed counts; a tar's members are
			// counted by the stream around them.
			r = arc.budget.Reader(r)
		}
		r = truncatedReader{r}
		if opt.MaxFileSize > 0 {
			r = io.LimitReader(r, opt.MaxFileSize+1)
		}
		buf, err = o.scanContent(content{it: it, r: r, size: -1, arc: arc}, opt, chunk, buf)
		var rec *recordedError
		switch {
		case errors.As(err, &rec):
			last = rec.err
		case err != nil:
			return buf, err
		}
	}
}

// scanCompressed scans the content of a gzip, bzip2 or zstd stream: as the
// archive it holds, under the same path (a .tar.gz reads as a tar), or as a
// member named by the stream or after the file (app.log.gz!app.log).
func (o *workerResult) scanCompressed(c content, f archive.Format, stream io.Reader, arc *archiveCtx, opt Options, chunk int, buf []byte) ([]byte, error) {
	dec, name, err := archive.Decompress(f, stream)
	if err != nil {
		return buf, o.archiveError(c.it, fmt.Errorf("%s: %w", f, err), 0)
	}
	defer dec.Close()
	r := arc.budget.Reader(dec)
	peek := make([]byte, archive.SniffLen)
	n, err := io.ReadFull(r, peek)
	var rest io.Reader = r
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		// What came before the damage is scanned, then the damage is
		// reported where it is.
		rest = &failedReader{err}
	}
	body := io.MultiReader(bytes.NewReader(peek[:n]), truncatedReader{rest})
	if inner := archive.Detect(peek[:n]); inner == archive.Tar || inner == archive.Zip {
		return o.scanContent(content{it: c.it, r: body, size: -1, arc: arc}, opt, chunk, buf)
	}
	if name == "" || name == "." || name == "/" {
		name = archive.ContentName(c.it.Path)
	}
	it := memberItem(c.it, arc, name, -1)
	if opt.MaxFileSize > 0 {
		body = io.LimitReader(body, opt.MaxFileSize+1)
	}
	return o.scanContent(content{it: it, r: body, size: -1, arc: arc}, opt, chunk, buf)
}

// memberItem is the item for the member name of the archive in parent.
func memberItem(parent finding.Item, arc *archiveCtx, name string, size int64) finding.Item {
	return finding.Item{Path: parent.Path + "!" + name, Size: size, Stage: parent.Stage, Commit: parent.Commit, Blob: parent.Blob, Container: arc.container}
}

// archiveError records what stopped the reading of an archive at it,
// after n bytes of the member there were scanned. A limit hit is returned
// as it is: it ends the whole archive (but for the depth limit, which only
// leaves out the member). Other failures are returned as *recordedError.
func (o *workerResult) archiveError(it finding.Item, err error, n int64) error {
	var lim *archive.LimitError
	var pe *fs.PathError
	after := ""
	if n > 0 {
		after = fmt.Sprintf(" (after %d bytes were scanned)", n)
	}
	switch {
	case errors.As(err, &lim):
		o.skip(it, lim.Reason, lim.Detail+after)
		if lim.Reason == finding.SkipArchiveDepth || lim.Reason == finding.SkipUnsupported {
			return nil // only this member is left out
		}
		return lim
	case errors.As(err, &pe):
		o.skip(it, finding.SkipUnreadable, fmt.Sprintf("read error%s: %v", after, err))
	case isDamage(err):
		o.skip(it, finding.SkipDamaged, fmt.Sprintf("cannot decode%s: %v", after, err))
	default:
		o.skip(it, finding.SkipCorrupt, fmt.Sprintf("cannot decode%s: %v", after, err))
	}
	return &recordedError{err: err}
}

// damageError marks an error after which every byte was still searched.
type damageError struct{ error }

func (e damageError) Unwrap() error { return e.error }

// isDamage reports whether err left no byte unsearched (a SkipDamaged):
// the data ends (nothing follows the cut), a checksum fails after all was
// decoded, or the caller searched the rest itself. Any other decoding error
// leaves bytes that another decoder might still read (a SkipCorrupt).
func isDamage(err error) bool {
	var d damageError
	return errors.As(err, &d) || errors.Is(err, errTruncated) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, gzip.ErrChecksum) || errors.Is(err, zip.ErrChecksum) || archive.IsLocalDamage(err)
}

// failedReader fails with err.
type failedReader struct{ err error }

func (r *failedReader) Read([]byte) (int, error) { return 0, r.err }

// errTruncated is a member whose data ends before its archive said it
// would.
var errTruncated = errors.New("unexpected end of data (truncated?)")

// truncatedReader turns a decoder's io.ErrUnexpectedEOF into errTruncated,
// which readers of whole streams do not take for a short last read.
type truncatedReader struct{ r io.Reader }

func (t truncatedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err == io.ErrUnexpectedEOF {
		err = errTruncated
	}
	return n, err
}

package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/archive"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Options tune Scan.
type Options struct {
	// MaxFileSize skips items larger than this many bytes; 0 means no limit.
	MaxFileSize int64
	// Lookalikes keeps look-alike matches in Result.Findings. They are
	// counted in Stats either way.
	Lookalikes bool
	// Workers is the number of items read at once; 0 means GOMAXPROCS.
	Workers int
	// ChunkSize is the read size; 0 means 1 MiB. Tests make it small.
	ChunkSize int
	// NoInline ignores inline directives ("ghtoken:allow" and the
	// foreign ones): every token is reported.
	NoInline bool
	// NoForeignAllow ignores other tools' directives (gitleaks:allow,
	// pragma: allowlist secret, trufflehog:ignore).
	NoForeignAllow bool
	// NoArchives reads archives and compressed files as they are (binary,
	// searched for prefixed tokens) instead of reading their members.
	NoArchives bool
	// ArchiveLimits bound the work one archive may cause; the zero value
	// means archive.DefaultLimits.
	ArchiveLimits archive.Limits
	// OnItem, when set, is given the findings of each item as soon as the
	// item is read and its inline directives judged, before the scan ends
	// (a copy: the callee may keep or change it). It is called from the
	// scan's goroutines, at most one call at a time, in no fixed order;
	// items without findings are not reported. Result is unchanged by it.
	OnItem func(found []finding.Finding)
}

// itemBatch is the most items the walk of a LazySource hands the workers
// at once.
const itemBatch = 16

// Scan reads every item src yields and returns the findings. Items are
// scanned by Options.Workers goroutines; the Result does not depend on their
// scheduling. The error is non-nil only when the source failed as a whole or
// ctx was cancelled; the partial Result is returned with it.
func Scan(ctx context.Context, src finding.Source, opt Options) (*finding.Result, error) {
	start := time.Now()
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunk := opt.ChunkSize
	if chunk <= 0 {
		chunk = defaultChunkSize
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if on := opt.OnItem; on != nil {
		var mu sync.Mutex
		opt.OnItem = func(found []finding.Finding) {
			mu.Lock()
			defer mu.Unlock()
			on(found)
		}
	}

	// Items go to the workers in batches when the source allows it (see
	// finding.LazySource): handing over an item, and waking the goroutine
	// that takes it, cost about what reading a small file does, and each
	// woken worker waited for the walk to yield its core. On Go's src,
	// 11,478 files, batches of 16 took the scan from 122-131 to 103-108 ms
	// on two cores. The walk hands over what it has at once when the queue
	// is empty, so workers never wait for a batch to fill.
	most, queued := 1, 4*workers
	if _, ok := src.(finding.LazySource); ok {
		most, queued = itemBatch, 2*workers
	}
	batches := make(chan []finding.Item, queued)
	outs := make([]workerResult, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := &outs[w]
			var buf []byte
			for batch := range batches {
				for _, it := range batch {
					buf = out.scanItem(ctx, it, opt, chunk, buf)
				}
			}
		}()
	}
	var batch []finding.Item
	send := func() error {
		select {
		case batches <- batch:
			batch = make([]finding.Item, 0, most)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	walkErr := src.Walk(ctx, func(it finding.Item) error {
		batch = append(batch, it)
		if len(batch) < most && len(batches) > 0 {
			return nil
		}
		return send()
	})
	if len(batch) > 0 && ctx.Err() == nil {
		// What the walk gave before it ended, or failed, is scanned.
		send()
	}
	close(batches)
	wg.Wait()

	res := merge(outs, opt.Lookalikes)
	for _, s := range res.Skipped {
		res.Stats.Skipped[s.Reason]++
	}
	if c, ok := src.(finding.CommitCounter); ok {
		res.Stats.Commits = c.CommitsWalked()
	}
	res.Stats.BinaryFiles = len(res.BinaryFiles)
	res.Sort()
	res.Stats.Duration = time.Since(start)
	if walkErr == nil {
		walkErr = ctx.Err()
	}
	return res, walkErr
}

// merge gathers the workers' results, freeing each one's findings once
// copied.
func merge(outs []workerResult, lookalikes bool) *finding.Result {
	res := &finding.Result{Stats: finding.Stats{Skipped: map[finding.SkipReason]int{}, ByConfidence: map[rules.Confidence]int{}, Suppressed: map[finding.SuppressedBy]int{}}}
	total := 0
	for i := range outs {
		total += len(outs[i].findings)
	}
	res.Findings = make([]finding.Finding, 0, total)
	for i := range outs {
		o := &outs[i]
		res.Findings = append(res.Findings, o.findings...)
		o.findings = nil // one copy at a time
		res.Skipped = append(res.Skipped, o.skipped...)
		res.Notices = append(res.Notices, o.notices...)
		res.BinaryFiles = append(res.BinaryFiles, o.binary...)
		res.Stats.FilesScanned += o.files
		res.Stats.BytesScanned += o.bytes
		for c, n := range o.byConfidence {
			res.Stats.ByConfidence[rules.Confidence(c)] += n
		}
		if o.inline > 0 {
			res.Stats.Suppressed[finding.ByInline] += o.inline
		}
		if o.foreign > 0 {
			res.Stats.Suppressed[finding.ByForeign] += o.foreign
		}
		res.Stats.NoticesNotListed += o.noticesNotListed
		res.Stats.LookalikesNotListed -= o.lookalikesListed
	}
	// Look-alikes are counted; when they are asked for, the first ones of
	// each file are kept (see lineJudge).
	if lookalikes {
		res.Stats.LookalikesNotListed += res.Stats.ByConfidence[rules.Lookalike]
	} else {
		res.Stats.LookalikesNotListed = 0
	}
	return res
}

// workerResult is what one worker collected; only that worker writes it.
type workerResult struct {
	findings     []finding.Finding
	skipped      []finding.Skipped
	files        int
	bytes        int64
	byConfidence [4]int
	notices      []finding.Notice
	binary       []string // paths read as binary
	inline       int
	foreign      int
	dirs         directiveSink
	judge        lineJudge // of the stream being read (see scanContent)
	// Counted beyond the per-file caps (see lineJudge).
	noticesNotListed, lookalikesListed int
}

func (o *workerResult) skip(it finding.Item, reason finding.SkipReason, detail string) {
	o.skipped = append(o.skipped, finding.Skipped{Path: it.Path, Reason: reason, Detail: detail, Container: it.Container})
}

// corruptSince reports whether a corrupt skip was recorded after the
// first mark skips.
func (o *workerResult) corruptSince(mark int) bool {
	for _, s := range o.skipped[mark:] {
		if s.Reason == finding.SkipCorrupt {
			return true
		}
	}
	return false
}

// tooLarge skips it if its known size is over the limit.
func (o *workerResult) tooLarge(it finding.Item, opt Options) bool {
	if opt.MaxFileSize <= 0 || it.Size <= opt.MaxFileSize || it.NoSizeLimit {
		return false
	}
	o.skip(it, finding.SkipTooLarge, fmt.Sprintf("%d bytes, over the %d-byte limit (--max-file-size)", it.Size, opt.MaxFileSize))
	return true
}

func (o *workerResult) scanItem(ctx context.Context, it finding.Item, opt Options, chunk int, buf []byte) []byte {
	if it.Skip != nil {
		o.skipped = append(o.skipped, *it.Skip)
		return buf
	}
	if o.tooLarge(it, opt) {
		return buf
	}
	rc, err := it.Open()
	if err != nil {
		var s *finding.SkipError
		if errors.As(err, &s) {
			o.skip(it, s.Reason, s.Detail)
		} else {
			o.skip(it, finding.SkipUnreadable, err.Error())
		}
		return buf
	}
	defer rc.Close()
	if s, ok := rc.(interface{ Size() int64 }); ok && it.Size < 0 {
		// Walks leave the size to the open file's fstat.
		it.Size = s.Size()
		if o.tooLarge(it, opt) {
			return buf
		}
	}
	// A cancelled scan stops within a read, even in an endless stream.
	var r io.Reader = cancelReader{ctx: ctx, r: rc}
	if opt.MaxFileSize > 0 && !it.NoSizeLimit {
		// The file may have grown since it was listed.
		r = io.LimitReader(r, opt.MaxFileSize+1)
	}
	c := content{it: it, r: r, size: -1}
	if ra, ok := rc.(io.ReaderAt); ok && it.Size >= 0 {
		c.ra, c.size = ra, it.Size
	}
	first := len(o.findings)
	buf, _ = o.scanContent(c, opt, chunk, buf)
	if found := o.findings[first:]; opt.OnItem != nil && len(found) > 0 {
		opt.OnItem(slices.Clone(found))
	}
	return buf
}

// cancelReader reads r until ctx is done: a worker reads an item to its
// end, and an interrupt must end the scan of a stream that has none.
type cancelReader struct {
	ctx context.Context
	r   io.Reader
}

func (c cancelReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// content is what is read of an item: the item itself, or a member of an
// archive in it.
type content struct {
	it finding.Item
	r  io.Reader
	// ra reads the same bytes as r at any offset (a file, a blob held in
	// memory), size bytes of them; nil when there is no such access.
	ra   io.ReaderAt
	size int64
	// arc is the archive around the content, nil for an item itself.
	arc *archiveCtx
	// plain reads the content as it is, even if it looks like an archive.
	plain bool
}

// scanContent scans c: an archive's members, or its text. A non-nil error
// is an archive limit hit that ends the whole archive, already recorded.
func (o *workerResult) scanContent(c content, opt Options, chunk int, buf []byte) ([]byte, error) {
	it := c.it
	raw := &countingReader{r: c.r}
	h, buf, err := readHead(raw, it.Path, chunk, buf, !opt.NoArchives && !c.plain)
	if err == nil && h.archive != archive.None {
		if h.err != nil {
			// The archive's stream failed right after its start.
			raw = &countingReader{r: &failedReader{h.err}, n: raw.n}
		}
		mark := len(o.skipped)
		buf, err := o.scanArchive(c, h.archive, bytes.Clone(buf[:h.filled]), raw, opt, chunk, buf)
		if c.arc == nil && c.ra != nil && o.corruptSince(mark) {
			// Bytes no decoder here can read may still be plain text
			// (a token appended to a .gz): search the whole file as it
			// is. The scan still fails: what the damage hides is
			// unknown.
			plain := c
			plain.r, plain.plain = io.NewSectionReader(c.ra, 0, c.size), true
			buf, _ = o.scanContent(plain, opt, chunk, buf)
		}
		return buf, err
	}
	// In a commit range, a directive on a line the commit adds was written
	// by the code under review: it applies, and is listed.
	judge := &o.judge
	judge.reset(it.Path, it.Lines, opt.Lookalikes, it.Commit != nil && it.Lines != nil)
	// Kept findings go straight to the worker's list.
	first := len(o.findings)
	judge.kept = o.findings
	var dirs *directiveSink
	if !opt.NoInline {
		dirs = &o.dirs
		dirs.foreign, dirs.found, dirs.judge = !opt.NoForeignAllow, dirs.found[:0], judge
	}
	info, buf, err := scanHead(raw, h, err, chunk, buf, dirs, func(m streamMatch) {
		if it.Lines != nil && !it.Lines.Contains(m.line) {
			return
		}
		judge.finding(finding.Finding{
			Rule: m.Rule, Confidence: m.Confidence, Path: it.Path,
			Line: m.line, Column: m.col, EndColumn: m.endCol, Offset: m.offset,
			Secret: m.secret, Note: m.Note, Encoding: m.Encoding, Glued: m.Glued,
			OwnerUserID: m.OwnerUserID, AppID: m.AppID, IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt,
			Stage: it.Stage, Commit: it.Commit, Blob: it.Blob, Container: it.Container,
		})
	})
	judge.finish()
	judge.lookCount += info.lookalikesDropped
	o.dirs.judge = nil
	o.findings = judge.kept
	found := o.findings[first:]
	stop := o.record(c, opt, info, err, found)
	o.count(judge, found)
	return buf, stop
}

// record counts a read item: scanned, or skipped for a read error or the
// size limit after part of it was scanned; read as binary or not.
// A limit hit inside an archive is returned: it ends the archive.
func (o *workerResult) record(c content, opt Options, info streamInfo, err error, found []finding.Finding) error {
	it, n := c.it, info.n
	if info.binary {
		o.binary = append(o.binary, it.Path)
		for i := range found {
			found[i].Binary = true
		}
	}
	var stop error
	switch {
	case err != nil && c.arc != nil:
		stop = o.archiveError(it, err, n)
	case err != nil:
		// What was read before the error was scanned; report both.
		o.skip(it, finding.SkipUnreadable, fmt.Sprintf("read error after %d bytes: %v", n, err))
	case opt.MaxFileSize > 0 && !it.NoSizeLimit && n > opt.MaxFileSize:
		how := "grew past"
		if it.Size < 0 { // a stream or a device: its size was not known
			how = "is over"
		}
		o.skip(it, finding.SkipTooLarge, fmt.Sprintf("%s the %d-byte limit (--max-file-size); the first %d bytes were scanned", how, opt.MaxFileSize, opt.MaxFileSize))
	default:
		o.files++
	}
	o.bytes += n
	return stop
}

// count adds what the judge of one item decided; found are the item's kept
// findings.
func (o *workerResult) count(judge *lineJudge, found []finding.Finding) {
	o.inline += judge.inline
	o.foreign += judge.foreign
	o.notices = append(o.notices, judge.notices...)
	o.noticesNotListed += judge.noticesNotListed
	o.byConfidence[rules.Lookalike] += judge.lookCount
	o.lookalikesListed += judge.lookKept
	for _, f := range found {
		if f.Confidence != rules.Lookalike {
			o.byConfidence[f.Confidence]++
		}
	}
}

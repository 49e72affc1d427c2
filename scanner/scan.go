package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/ghtoken/ghtoken/rules"
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
	// Suppress, when not nil, removes the findings that the ignore file,
	// GitHub's secret scanning configuration or a baseline accept.
	Suppress *Suppressions
}

// Scan reads every item src yields and returns the findings. Items are
// scanned by Options.Workers goroutines; the Result does not depend on their
// scheduling. The error is non-nil only when the source failed as a whole or
// ctx was cancelled; the partial Result is returned with it.
func Scan(ctx context.Context, src Source, opt Options) (*Result, error) {
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

	items := make(chan Item, 4*workers)
	outs := make([]workerResult, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := &outs[w]
			var buf []byte
			for it := range items {
				buf = out.scanItem(it, opt, chunk, buf)
			}
		}()
	}
	walkErr := src.Walk(ctx, func(it Item) error {
		select {
		case items <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(items)
	wg.Wait()

	res := &Result{Stats: Stats{Skipped: map[SkipReason]int{}, ByConfidence: map[rules.Confidence]int{}, Suppressed: map[SuppressedBy]int{}}}
	for i := range outs {
		o := &outs[i]
		res.Findings = append(res.Findings, o.findings...)
		res.Skipped = append(res.Skipped, o.skipped...)
		res.Notices = append(res.Notices, o.notices...)
		res.Stats.FilesScanned += o.files
		res.Stats.BytesScanned += o.bytes
		for c, n := range o.byConfidence {
			res.Stats.ByConfidence[rules.Confidence(c)] += n
		}
		if o.inline > 0 {
			res.Stats.Suppressed[ByInline] += o.inline
		}
		if o.foreign > 0 {
			res.Stats.Suppressed[ByForeign] += o.foreign
		}
	}
	opt.Suppress.apply(res)
	if !opt.Lookalikes {
		kept := res.Findings[:0]
		for _, f := range res.Findings {
			if f.Confidence != rules.Lookalike {
				kept = append(kept, f)
			}
		}
		res.Findings = kept
	}
	for _, s := range res.Skipped {
		res.Stats.Skipped[s.Reason]++
	}
	res.sort()
	res.Stats.Duration = time.Since(start)
	if walkErr == nil {
		walkErr = ctx.Err()
	}
	return res, walkErr
}

// workerResult is what one worker collected; only that worker writes it.
type workerResult struct {
	findings     []Finding
	skipped      []Skipped
	files        int
	bytes        int64
	byConfidence [4]int
	notices      []Notice
	inline       int
	foreign      int
	dirs         directiveSink
}

func (o *workerResult) skip(it Item, reason SkipReason, detail string) {
	o.skipped = append(o.skipped, Skipped{Path: it.Path, Reason: reason, Detail: detail})
}

// tooLarge skips it if its known size is over the limit.
func (o *workerResult) tooLarge(it Item, opt Options) bool {
	if opt.MaxFileSize <= 0 || it.Size <= opt.MaxFileSize || it.NoSizeLimit {
		return false
	}
	o.skip(it, SkipTooLarge, fmt.Sprintf("%d bytes, over the %d-byte limit (--max-file-size)", it.Size, opt.MaxFileSize))
	return true
}

func (o *workerResult) scanItem(it Item, opt Options, chunk int, buf []byte) []byte {
	if it.Skip != nil {
		o.skipped = append(o.skipped, *it.Skip)
		return buf
	}
	if o.tooLarge(it, opt) {
		return buf
	}
	rc, err := it.Open()
	if err != nil {
		var s *skipError
		if errors.As(err, &s) {
			o.skip(it, s.reason, s.detail)
		} else {
			o.skip(it, SkipUnreadable, err.Error())
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
	var r io.Reader = rc
	if opt.MaxFileSize > 0 && !it.NoSizeLimit {
		// The file may have grown since it was listed.
		r = io.LimitReader(rc, opt.MaxFileSize+1)
	}
	var found []Finding
	var dirs *directiveSink
	if !opt.NoInline {
		dirs = &o.dirs
		dirs.foreign, dirs.found = !opt.NoForeignAllow, dirs.found[:0]
	}
	n, buf, err := scanStreamDirectives(r, it.Path, chunk, buf, dirs, func(m streamMatch) {
		if it.Lines != nil && !it.Lines.Contains(m.line) {
			return
		}
		found = append(found, Finding{
			Rule: m.Rule, Confidence: m.Confidence, Path: it.Path,
			Line: m.line, Column: m.col, EndColumn: m.endCol, Offset: m.offset,
			Secret: m.secret, Fingerprint: rules.Fingerprint(m.secret), Note: m.Note, Encoding: m.Encoding,
			OwnerUserID: m.OwnerUserID, AppID: m.AppID, IssuedAt: m.IssuedAt, ExpiresAt: m.ExpiresAt,
			Stage: it.Stage, Commit: it.Commit, Blob: it.Blob,
		})
	})
	switch {
	case errors.Is(err, errBinary):
		o.skip(it, SkipBinary, "NUL byte in the first 8 KiB")
		return buf
	case err != nil:
		// What was read before the error was scanned; report both.
		o.skip(it, SkipUnreadable, fmt.Sprintf("read error after %d bytes: %v", n, err))
	case opt.MaxFileSize > 0 && !it.NoSizeLimit && n > opt.MaxFileSize:
		o.skip(it, SkipTooLarge, fmt.Sprintf("grew past the %d-byte limit while being read; the first %d bytes were scanned", opt.MaxFileSize, opt.MaxFileSize))
	default:
		o.files++
	}
	o.bytes += n
	if dirs != nil {
		var inline, foreign int
		var notices []Notice
		found, inline, foreign, notices = applyDirectives(it.Path, found, dirs.found, it.Lines)
		o.inline += inline
		o.foreign += foreign
		o.notices = append(o.notices, notices...)
	}
	for _, f := range found {
		o.byConfidence[f.Confidence]++
	}
	o.findings = append(o.findings, found...)
	return buf
}

// skipError lets an Item's Open say that the item is to be skipped for a
// reason other than an I/O error (it turned out to be a FIFO, say).
type skipError struct {
	reason SkipReason
	detail string
}

func (e *skipError) Error() string { return string(e.reason) + ": " + e.detail }

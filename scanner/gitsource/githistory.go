package gitsource

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// History is the Source for a whole history: every blob reachable from Refs
// (all refs when empty), each scanned once however many commits and paths
// hold it. Use ScanHistory, which also says where each token came from.
//
// Walk pipes "git rev-list --objects" into one "git cat-file --batch": memory
// is bounded by the blobs in flight (a fixed budget, or the largest blob),
// never by the size of the history. Item paths are the first path git's walk
// reached each blob by; ScanHistory replaces them with where each token was
// first added.
type History struct {
	Git  Git
	Refs []string
	// MaxBlobSize skips larger blobs without reading them; 0 = no limit.
	MaxBlobSize int64
	// Progress, when not nil, is called from Walk's goroutine about four
	// times a second, and once at the end.
	Progress func(HistoryProgress)
	// Commits is set by Walk: the number of commits reached.
	Commits int
	// Readers is the number of git cat-file processes; 0 means one per
	// two CPUs, at least one and at most two (see defaultReaders).
	Readers int
}

// feed copies rev-list's lines to the cat-file processes in turn, each
// through its own goroutine and queue, and closes their inputs at the end.
func feed(r io.Reader, cfs []*catFile) error {
	queues := make([]chan []byte, len(cfs))
	errs := make(chan error, len(cfs))
	for i, c := range cfs {
		q := make(chan []byte, 256)
		queues[i] = q
		go func() {
			// Lines are buffered, and flushed whenever the queue runs dry:
			// a line is never held back while cat-file waits for it.
			bw := bufio.NewWriterSize(c.in, 16<<10)
			var err error
			for line := range q {
				if err == nil {
					_, err = bw.Write(line)
				}
				if err == nil && len(q) == 0 {
					err = bw.Flush()
				}
			}
			if err == nil {
				err = bw.Flush()
			}
			c.in.Close()
			errs <- err
		}()
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var rerr error
	for i := 0; ; i++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				line = append(line, '\n')
			}
			queues[i%len(cfs)] <- line
		}
		if err != nil {
			if err != io.EOF {
				rerr = err
			}
			break
		}
	}
	for _, q := range queues {
		close(q)
	}
	for range cfs {
		if err := <-errs; err != nil && rerr == nil {
			rerr = err
		}
	}
	return rerr
}

// HistoryProgress is how far a history walk is.
type HistoryProgress struct {
	// Commits is known at the end only.
	Commits, Blobs int
	Bytes          int64
	Elapsed        time.Duration
	// TotalObjects is the number of blobs to read, once a
	// separate count has finished; 0 until then.
	TotalObjects int
	Done         bool
}

func (h *History) revs() []string {
	if len(h.Refs) == 0 {
		return []string{"--all"}
	}
	return h.Refs
}

// Walk implements Source. It checks the clone holds the whole history,
// starts the readers, reads every blob in rev-list's order, then reports
// the blobs the repository lacks and counts the commits.
func (h *History) Walk(ctx context.Context, emit func(finding.Item) error) error {
	if err := h.checkWalkable(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rl, cfs, err := h.startReaders(ctx, cancel)
	if err != nil {
		return err
	}
	feedErr := make(chan error, 1)
	go func() { feedErr <- feed(rl.out, cfs) }()
	// The commits are counted while the blobs are read: without a
	// commit-graph, counting walks every commit again (0.35 s for the
	// 19,198 commits of golang/tools), time the scan need not wait for.
	counted := make(chan commitCount, 1)
	go func() { counted <- h.countCommits(ctx) }()
	total := make(chan int, 1)
	if h.Progress != nil {
		go func() { total <- h.countObjects(ctx) }()
	}
	missing := map[string]string{} // blob id → a path it is at
	p := HistoryProgress{}
	start := time.Now()
	h.Commits = 0
	werr := h.readBlobs(cfs, total, missing, &p, start, emit)
	if werr != nil {
		cancel()
	}
	ferr := <-feedErr
	rerr := rl.wait(ctx)
	var cerr error
	for _, c := range cfs {
		if err := c.close(ctx); err != nil && cerr == nil {
			cerr = err
		}
	}
	if cerr == nil && ferr != nil && ctx.Err() == nil {
		cerr = fmt.Errorf("git cat-file: %w", ferr)
	}
	count := <-counted
	if werr == nil && rerr == nil && cerr == nil {
		if err := h.finishWalk(ctx, missing, count, &p, emit); err != nil {
			return err
		}
	}
	if h.Progress != nil && werr == nil {
		p.Elapsed, p.Done = time.Since(start), true
		h.Progress(p)
	}
	switch {
	case werr != nil:
		return werr
	case rerr != nil:
		return rerr
	}
	return cerr
}

// checkWalkable refuses refs that git would take as options and a shallow
// clone: an audit of part of a history would be a clean result for commits
// it never saw.
func (h *History) checkWalkable(ctx context.Context) error {
	for _, r := range h.Refs {
		if len(r) > 0 && r[0] == '-' {
			return errors.New("history: a ref cannot start with '-'")
		}
	}
	if shallow, err := h.Git.isShallow(ctx); err != nil {
		return err
	} else if shallow {
		return &HintError{Err: errors.New("--history: this clone is shallow: the commits before its cut-off are not in it, so the history cannot be audited"), Hint: fetchHint}
	}
	return nil
}

// startReaders starts rev-list, which lists every blob, and the cat-file
// processes that read them. Several cat-file processes inflate objects at
// once: line i of rev-list goes to process i%n and answers are read in the
// same order, so the walk stays deterministic. Each process has its own
// feeder, so none can block another (answers are read in order, so a line
// is always fed before its answer is awaited).
func (h *History) startReaders(ctx context.Context, cancel func()) (*stream, []*catFile, error) {
	// --missing=print lists an object that is not in the repository (a
	// partial clone's blobs, say) as "?oid" instead of failing: cat-file
	// then answers "missing", and the blob is reported as skipped.
	args := append([]string{"rev-list", "--objects", "--filter=object:type=blob", "--filter-provided-objects", "--missing=print"}, h.revs()...)
	args = append(args, "--")
	rl, err := h.Git.start(ctx, nil, args...)
	if err != nil {
		return nil, nil, err
	}
	n := h.Readers
	if n <= 0 {
		n = defaultReaders(runtime.GOMAXPROCS(0))
	}
	cfs := make([]*catFile, 0, n)
	for range n {
		c, err := h.Git.startCatFile(ctx, nil)
		if err != nil {
			cancel()
			rl.wait(ctx)
			for _, c := range cfs {
				c.close(ctx)
			}
			return nil, nil, err
		}
		cfs = append(cfs, c)
	}
	return rl, cfs, nil
}

// defaultReaders is the number of cat-file processes for procs CPUs. The
// scanner's workers need about as much CPU per byte as git needs to inflate
// it, so git gets half the CPUs: every process added costs CPU of its own,
// as each one inflates the delta bases its objects need into its own cache
// (the same blobs read by two processes took 25-35% more of git's CPU than
// by one). On 2 CPUs one reader left more for the scan and ended sooner.
func defaultReaders(procs int) int {
	return max(1, min(2, procs/2))
}

// finishWalk reports the blobs the repository lacks and records the
// number of commits the walk went through.
func (h *History) finishWalk(ctx context.Context, missing map[string]string, count commitCount, p *HistoryProgress, emit func(finding.Item) error) error {
	if len(missing) > 0 {
		if err := h.emitMissing(ctx, missing, emit); err != nil {
			return err
		}
	}
	if count.err != nil {
		return count.err
	}
	h.Commits, p.Commits = count.n, count.n
	return nil
}

// commitCount is the number of commits the walk goes through, or why git
// could not count them.
type commitCount struct {
	n   int
	err error
}

func (h *History) countCommits(ctx context.Context) commitCount {
	out, err := h.Git.output(ctx, append(append([]string{"rev-list", "--count"}, h.revs()...), "--")...)
	if err != nil {
		return commitCount{err: err}
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return commitCount{n: n}
}

// readBlobs reads the cat-file answers in rev-list's order and emits each
// blob, noting the ones the repository lacks in missing.
func (h *History) readBlobs(cfs []*catFile, total <-chan int, missing map[string]string, p *HistoryProgress, start time.Time, emit func(finding.Item) error) error {
	bud := newBudget(defaultBudget)
	last := start
	n := len(cfs)
	for i := 0; ; i++ {
		cf := cfs[i%n]
		hd, err := cf.header()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case hd.missing:
			if oid := strings.TrimPrefix(hd.oid, "?"); isObjectID(oid) {
				missing[oid] = ""
			}
			// Otherwise the rest of a file name holding a newline, which
			// rev-list prints as is.
		case hd.typ == "blob":
			p.Blobs++
			p.Bytes += hd.size
			it := finding.Item{Path: hd.rest, Stage: rules.StageCommitted, Blob: hd.oid}
			if it, err = cf.blob(hd, it, h.MaxBlobSize, bud); err == nil {
				if it.Skip != nil {
					it.Skip.Detail += " (blob " + hd.oid + ")"
				}
				err = emit(it)
			}
		default:
			// Commits: the blob filter lets some through (git 2.39 lists
			// the tips); they are counted separately.
			err = cf.discard(hd)
		}
		if err != nil {
			return err
		}
		if h.Progress != nil && time.Since(last) >= 250*time.Millisecond {
			last = time.Now()
			p.Elapsed = last.Sub(start)
			select {
			case p.TotalObjects = <-total:
			default:
			}
			h.Progress(*p)
		}
	}
}

// emitMissing reports the blobs that are not in the repository, each at
// the first path and commit a "git log --raw" pass (tree diffs only, which
// need no blob) finds it at.
func (h *History) emitMissing(ctx context.Context, missing map[string]string, emit func(finding.Item) error) error {
	commitOf := map[string]string{}
	find := func(lc *logCommit) error {
		for _, c := range lc.changes {
			if p, ok := missing[c.dstOID]; ok && p == "" && c.status != 'D' {
				missing[c.dstOID], commitOf[c.dstOID] = c.dstPath, lc.commit.Hash
			}
		}
		return nil
	}
	args := append([]string{"log", logFormat, "--reverse", "--topo-order", "--root", "-z", "--raw", "--no-abbrev", "--no-renames", "--ignore-submodules=none", "--diff-merges=first-parent"}, h.revs()...)
	if err := h.gitLog(ctx, args, find); err != nil {
		return err
	}
	oids := make([]string, 0, len(missing))
	for oid := range missing {
		oids = append(oids, oid)
	}
	slices.Sort(oids)
	for _, oid := range oids {
		path, detail := missing[oid], "blob "+oid+" is reachable but cannot be read (absent from a partial clone, or missing or corrupt)"
		if path == "" {
			path = oid
		} else {
			detail = "blob " + oid + " of commit " + commitOf[oid] + " cannot be read (absent from a partial clone, or missing or corrupt)"
		}
		if err := emit(finding.Item{Path: path, Blob: oid, Skip: &finding.Skipped{Path: path, Reason: finding.SkipMissing, Detail: detail}}); err != nil {
			return err
		}
	}
	return nil
}

// countObjects counts what Walk will read, for an ETA; 0 if it fails.
func (h *History) countObjects(ctx context.Context) int {
	args := append([]string{"rev-list", "--objects", "--filter=object:type=blob", "--filter-provided-objects", "--no-object-names"}, h.revs()...)
	s, err := h.Git.start(ctx, nil, append(args, "--")...)
	if err != nil {
		return 0
	}
	n := 0
	r := bufio.NewReaderSize(s.out, 64<<10)
	for {
		_, err := r.ReadSlice('\n')
		if err != nil {
			break
		}
		n++
	}
	if s.wait(ctx) != nil {
		return 0
	}
	return n
}

func isObjectID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// place is one commit adding a blob at a path.
type place struct {
	order  int // position of the commit in the log, parents first
	commit *finding.Commit
	path   string
}

// Attribute turns the result of scanning h into one finding per distinct
// token: where it was first added (the commit, path and line, in the order of
// "git log --reverse --topo-order", so parents before children) and, in
// Occurrences, in how many places (commit, path, line) the history adds it.
// Whoever scans h calls it after Scan.
//
// Only blobs with findings are attributed: one "git log --raw" pass (tree
// diffs, no content) finds the commits that add them; if a blob is only
// ever added by a merge commit, a second pass over merges finds it. A blob
// that no commit adds (reachable through a tag, say) keeps the path it was
// reached by and no commit.
//
// Findings stay sorted like any Result (path, line, column, rule, commit).
func (h *History) Attribute(ctx context.Context, res *finding.Result) error {
	if len(res.Findings) == 0 {
		return nil
	}
	places, err := h.placesOf(ctx, res.Findings)
	if err != nil {
		return err
	}
	res.Findings = firstIntroductions(res.Findings, places)
	byConf := map[rules.Confidence]int{}
	for _, f := range res.Findings {
		byConf[f.Confidence]++
	}
	for _, c := range []rules.Confidence{rules.High, rules.Medium, rules.Low} {
		res.Stats.ByConfidence[c] = byConf[c]
	}
	if byConf[rules.Lookalike] > 0 {
		res.Stats.ByConfidence[rules.Lookalike] = byConf[rules.Lookalike]
	}
	slices.SortFunc(res.Findings, func(a, b finding.Finding) int { return finding.CompareFindings(&a, &b) })
	return nil
}

// placesOf finds, for the blob of each finding, every place (commit, path)
// that adds it, in history order: one "git log --raw" pass, and a second
// over merges for the blobs only a merge adds.
func (h *History) placesOf(ctx context.Context, findings []finding.Finding) (map[string][]place, error) {
	places := map[string][]place{}
	for _, f := range findings {
		places[f.Blob] = nil
	}
	order := 0
	collect := func(lc *logCommit) error {
		order++
		var commit *finding.Commit
		for _, c := range lc.changes {
			if c.status == 'D' {
				continue
			}
			if ps, ok := places[c.dstOID]; ok {
				if commit == nil {
					cc := lc.commit
					commit = &cc
				}
				places[c.dstOID] = append(ps, place{order: order, commit: commit, path: c.dstPath})
			}
		}
		return nil
	}
	base := append([]string{"log", logFormat, "--reverse", "--topo-order", "--root", "-z", "--raw", "--no-abbrev", "--no-renames", "--ignore-submodules=none"}, "--diff-merges=off")
	if err := h.gitLog(ctx, append(base, h.revs()...), collect); err != nil {
		return nil, err
	}
	mergeOnly := map[string][]place{}
	for b, ps := range places {
		if len(ps) == 0 {
			mergeOnly[b] = nil
		}
	}
	if len(mergeOnly) == 0 {
		return places, nil
	}
	order = 0
	saved := places
	places = mergeOnly
	args := append([]string{"log", logFormat, "--reverse", "--topo-order", "-z", "--raw", "--no-abbrev", "--no-renames", "--merges", "--diff-merges=first-parent"}, h.revs()...)
	if err := h.gitLog(ctx, args, collect); err != nil {
		return nil, err
	}
	for b, ps := range places {
		for i := range ps {
			ps[i].order += 1 << 40 // after every ordinary commit
		}
		saved[b] = ps
	}
	return saved, nil
}

// firstIntroductions folds the findings into one per distinct token (rule
// and secret), at its first place in history order, counting its distinct
// places in Occurrences.
func firstIntroductions(findings []finding.Finding, places map[string][]place) []finding.Finding {
	type occurrence struct {
		f *finding.Finding
		p place
	}
	key := func(f *finding.Finding) [2]string { return [2]string{f.Rule.ID, f.Secret} }
	groups := map[[2]string][]occurrence{}
	var keys [][2]string
	for i := range findings {
		f := &findings[i]
		k := key(f)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		ps := places[f.Blob]
		if len(ps) == 0 {
			ps = []place{{order: 1 << 50, path: f.Path}}
		}
		for _, p := range ps {
			groups[k] = append(groups[k], occurrence{f, p})
		}
	}
	out := make([]finding.Finding, 0, len(keys))
	for _, k := range keys {
		occ := groups[k]
		// The same place can come twice: one blob with the token on two
		// lines is two places, the same line reached twice is one.
		type where struct {
			order      int
			path       string
			line, col  int
			commitHash string
		}
		seen := map[where]bool{}
		var first *occurrence
		n := 0
		for i := range occ {
			o := &occ[i]
			w := where{o.p.order, o.p.path, o.f.Line, o.f.Column, commitHash(o.p.commit)}
			if seen[w] {
				continue
			}
			seen[w] = true
			n++
			if first == nil || cmp.Or(cmp.Compare(o.p.order, first.p.order), cmp.Compare(o.p.path, first.p.path),
				cmp.Compare(o.f.Line, first.f.Line), cmp.Compare(o.f.Column, first.f.Column)) < 0 {
				first = o
			}
		}
		f := *first.f
		f.Path, f.Commit, f.Occurrences = first.p.path, first.p.commit, n
		if f.Container != "" {
			// A member of an archive: the blob's path at that place, then
			// the member's path inside it.
			f.Path += strings.TrimPrefix(first.f.Path, first.f.Container)
			f.Container = first.p.path
		}
		out = append(out, f)
	}
	return out
}

// gitLog runs a raw-only git log and feeds its commits to fn.
func (h *History) gitLog(ctx context.Context, args []string, fn func(*logCommit) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := h.Git.start(ctx, nil, append(args, "--")...)
	if err != nil {
		return err
	}
	r := bufio.NewReaderSize(s.out, 64<<10)
	perr := readLog(r, false, fn)
	if perr != nil {
		cancel()
	}
	io.Copy(io.Discard, r)
	werr := s.wait(ctx)
	if perr != nil {
		return perr
	}
	return werr
}

// commitHash is c's hash, "" for none.
func commitHash(c *finding.Commit) string {
	if c == nil {
		return ""
	}
	return c.Hash
}

// CommitsWalked is the number of commits the last Walk reached.
func (h *History) CommitsWalked() int { return h.Commits }

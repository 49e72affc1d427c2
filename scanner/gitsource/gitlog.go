package gitsource

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// logFormat starts each commit of "git log -z" output: hash, parents,
// author, date. An author line cannot hold a newline or a NUL (git ends
// header lines there).
const logFormat = "--format=commit %H%n%P%n%an <%ae>%n%aI"

// logCommit is one commit of a git log and the files it changed.
type logCommit struct {
	commit  finding.Commit
	parents int
	changes []fileChange
}

// readLog parses the output of "git log -z logFormat --raw [-p -U0]" and
// calls fn for each commit in order.
func readLog(r *bufio.Reader, withPatch bool, fn func(*logCommit) error) error {
	for {
		head, err := r.ReadBytes(0)
		if err == io.EOF && len(head) == 0 {
			return nil
		}
		if err != nil {
			if err == io.EOF {
				return fmt.Errorf("%w: truncated commit header", errDiffSyntax)
			}
			return err
		}
		c, parents, err := parseCommitHeader(head[:len(head)-1])
		if err != nil {
			return err
		}
		if b, err := r.Peek(1); err == nil && b[0] == '\n' {
			r.Discard(1)
		}
		lc := &logCommit{commit: c, parents: parents}
		if lc.changes, err = parseRaw(r); err != nil {
			return err
		}
		if withPatch && len(lc.changes) > 0 {
			if err := parsePatch(r, lc.changes, true); err != nil {
				return fmt.Errorf("commit %s: %w", c.Hash, err)
			}
		}
		if err := fn(lc); err != nil {
			return err
		}
	}
}

func parseCommitHeader(b []byte) (c finding.Commit, parents int, err error) {
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) != 4 || !bytes.HasPrefix(lines[0], []byte("commit ")) {
		return finding.Commit{}, 0, fmt.Errorf("%w: commit header %q", errDiffSyntax, b)
	}
	c = finding.Commit{Hash: string(lines[0][len("commit "):]), Author: string(lines[2])}
	if t, err := time.Parse(time.RFC3339, string(lines[3])); err == nil {
		c.Date = t
	}
	return c, len(bytes.Fields(lines[1])), nil
}

// mergeFold turns the output of "git log --diff-merges=separate", where a
// merge commit comes once per parent with its diff against that parent, into
// one logCommit per commit. A merge's own lines are those it adds against
// every parent: a line taken from either side is not the merge's doing, a
// line that is in none of its parents (an "evil merge", or a conflict
// resolved with new text) is. git prints nothing for a parent the merge does
// not differ from; a merge with fewer diffs than parents adds nothing.
type mergeFold struct {
	fn   func(*logCommit) error
	cur  *logCommit
	seen int
}

// add takes the next commit of the log.
func (m *mergeFold) add(lc *logCommit) error {
	if m.cur != nil && m.cur.commit.Hash == lc.commit.Hash {
		m.cur.changes = intersectChanges(m.cur.changes, lc.changes)
		m.seen++
	} else {
		if err := m.flush(); err != nil {
			return err
		}
		m.cur, m.seen = lc, 1
	}
	if m.seen >= m.cur.parents {
		return m.flush()
	}
	return nil
}

// flush hands on the commit being folded, if any.
func (m *mergeFold) flush() error {
	lc := m.cur
	if lc == nil {
		return nil
	}
	if m.seen < lc.parents {
		lc.changes = nil
	}
	m.cur, m.seen = nil, 0
	return m.fn(lc)
}

// intersectChanges keeps, for each file of a, the lines that b adds too.
func intersectChanges(a, b []fileChange) []fileChange {
	byPath := make(map[string]*fileChange, len(b))
	for i := range b {
		if b[i].status != 'D' {
			byPath[b[i].dstPath] = &b[i]
		}
	}
	out := a[:0]
	for _, c := range a {
		o := byPath[c.dstPath]
		if c.status == 'D' || o == nil || o.dstOID != c.dstOID {
			continue
		}
		switch {
		case c.binary && o.binary:
		case c.binary:
			c.binary, c.added = false, o.added
		case o.binary:
		default:
			c.added = c.added.Intersect(&o.added)
		}
		if c.binary || !c.added.Empty() {
			out = append(out, c)
		}
	}
	return out
}

// Range is the Source for a range of commits: each commit reachable from
// Include (HEAD when empty) and from none of Exclude, oldest first. Each
// commit's added lines are scanned (its diff against its parent; for a
// merge, the lines it adds against every parent), so a token added in one
// commit and removed in the next is still found: the history keeps it.
// Findings carry the commit's hash, author and date.
//
// Walk runs one git log and one git cat-file for the whole range.
type Range struct {
	Git     Git
	Include string
	Exclude []string
	// MaxBlobSize skips larger blobs without reading them; 0 = no limit.
	MaxBlobSize int64
	// Commits is set by Walk: the number of commits in the range.
	Commits int
	// info is what git said about the repository, once asked.
	info *repoInfo
}

// revs are the revisions that select the range: Include, and each of
// Exclude negated.
func (rg *Range) revs() []string {
	revs := []string{rg.Head()}
	for _, x := range rg.Exclude {
		revs = append(revs, "^"+x)
	}
	return revs
}

// Walk implements Source.
func (rg *Range) Walk(ctx context.Context, emit func(finding.Item) error) error {
	revs := rg.revs()
	// In a shallow clone, a commit of the range whose parents were cut off
	// looks like a root commit: its whole tree would be blamed on it, and
	// the commits between it and the base would be missed.
	//
	// Merges are diffed only where they can hold lines of their own: in
	// the files that differ from every parent (a tree comparison, no
	// content). Most merges have none, and their diffs against the first
	// parent (the whole merged branch again) are never computed.
	//
	// Both questions are asked while the log starts.
	var cut map[string]bool
	var own map[string][]string
	var cutErr, ownErr error
	var wg sync.WaitGroup
	wg.Add(2)
	qctx := ctx
	go func() { defer wg.Done(); cut, cutErr = rg.Git.shallowCommits(qctx, rg.info) }()
	go func() { defer wg.Done(); own, ownErr = rg.mergeFiles(qctx, revs) }()
	args := append([]string{"log", logFormat, "--reverse", "--topo-order", "--diff-merges=off", "--root"}, diffArgs...)
	args = append(append(args, revs...), "--")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := rg.Git.start(ctx, nil, args...)
	if err != nil {
		wg.Wait()
		return err
	}
	cf, err := rg.Git.startCatFile(ctx, nil)
	wg.Wait()
	if err == nil {
		err = cmp.Or(cutErr, ownErr)
	}
	if err != nil {
		cancel()
		s.wait(ctx)
		if cf != nil {
			cf.close(ctx)
		}
		return err
	}
	bud := newBudget(defaultBudget)
	r := bufio.NewReaderSize(s.out, 64<<10)
	rg.Commits = 0
	scan := func(lc *logCommit) error {
		if cut[lc.commit.Hash] {
			return rg.cutError(lc.commit.Hash)
		}
		rg.Commits++
		return rg.scanCommit(lc, cf, bud, emit)
	}
	perr := readLog(r, true, func(lc *logCommit) error {
		if files := own[lc.commit.Hash]; lc.parents > 1 && len(files) > 0 {
			return rg.mergeOwnLines(ctx, lc.commit.Hash, files, scan)
		}
		return scan(lc)
	})
	if perr != nil {
		cancel()
	}
	io.Copy(io.Discard, r)
	werr := s.wait(ctx)
	cerr := cf.close(ctx)
	switch {
	case perr != nil:
		if werr != nil && ctx.Err() == nil {
			return werr
		}
		return perr
	case werr != nil:
		return werr
	}
	return cerr
}

// mergeFiles returns, for each merge commit of the range, the files that
// differ from every one of its parents (git's combined diff, raw: trees
// only). Only those can hold lines that are in none of the parents.
func (rg *Range) mergeFiles(ctx context.Context, revs []string) (map[string][]string, error) {
	args := append([]string{"log", "--merges", "--diff-merges=combined", "--raw", "-z", "--no-abbrev", "--no-renames", "--format=commit %H"}, revs...)
	out, err := rg.Git.output(ctx, append(args, "--")...)
	if err != nil {
		return nil, err
	}
	return parseCombinedRaw(out)
}

// parseCombinedRaw parses "git log -z --raw --diff-merges=combined
// --format='commit %H'": commit headers, then "::modes oids status" records
// each followed by the path.
func parseCombinedRaw(out []byte) (map[string][]string, error) {
	files := map[string][]string{}
	cur := ""
	recs := bytes.Split(out, []byte{0})
	for i := 0; i < len(recs); i++ {
		rec := bytes.TrimPrefix(recs[i], []byte("\n"))
		switch {
		case len(rec) == 0:
		case bytes.HasPrefix(rec, []byte("commit ")):
			cur = string(rec[len("commit "):])
		case bytes.HasPrefix(rec, []byte("::")) && cur != "" && i+1 < len(recs):
			i++
			files[cur] = append(files[cur], string(recs[i]))
		default:
			return nil, fmt.Errorf("%w: combined raw record %q", errDiffSyntax, rec)
		}
	}
	return files, nil
}

// mergeOwnLines diffs one merge against each of its parents, in the given
// files only, and hands on the lines it adds against all of them.
func (rg *Range) mergeOwnLines(ctx context.Context, merge string, files []string, fn func(*logCommit) error) error {
	args := append([]string{"--literal-pathspecs", "log", logFormat, "--no-walk", "--diff-merges=separate"}, diffArgs...)
	args = append(append(args, merge, "--"), files...)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := rg.Git.start(ctx, nil, args...)
	if err != nil {
		return err
	}
	// The diff is read as it comes (hunk bodies are skipped, never kept):
	// a merge that adds a huge file costs no memory for it.
	r := bufio.NewReaderSize(s.out, 64<<10)
	fold := &mergeFold{fn: fn}
	n := 0
	err = readLog(r, true, func(lc *logCommit) error {
		if lc.commit.Hash != merge {
			return fmt.Errorf("%w: commit %s in the diff of merge %s", errDiffSyntax, lc.commit.Hash, merge)
		}
		n++
		return fold.add(lc)
	})
	if err != nil {
		cancel()
	}
	io.Copy(io.Discard, r)
	if werr := s.wait(ctx); err == nil {
		err = werr
	}
	if err == nil && n == 0 {
		err = fmt.Errorf("%w: no diff for merge %s, which differs from every parent", errDiffSyntax, merge)
	}
	if err != nil {
		return err
	}
	return fold.flush()
}

// CommitsWalked is the number of commits the last Walk went through.
func (rg *Range) CommitsWalked() int { return rg.Commits }

// scanCommit reads and emits the files of one commit that add lines.
func (rg *Range) scanCommit(lc *logCommit, cf *catFile, bud *budget, emit func(finding.Item) error) error {
	commit := lc.commit
	var batch []finding.Item
	var oids []string
	for i := range lc.changes {
		c := &lc.changes[i]
		it := finding.Item{Path: c.dstPath, Stage: rules.StageCommitted, Commit: &commit, Size: -1, Blob: c.dstOID}
		switch {
		case c.status == 'D':
			continue
		case c.isGitlink():
			continue // a submodule bump: its content is in another repository
		case c.binary:
		case c.added.Empty():
			continue
		default:
			lines := c.added
			it.Lines = &lines
		}
		batch = append(batch, it)
		oids = append(oids, c.dstOID)
	}
	// Requests go out in groups, answers are read in order: one round
	// trip per group rather than per file. A group's requests fit in
	// the pipe to cat-file, so writing them never waits on reading.
	const group = 128
	for len(batch) > 0 {
		n := min(len(batch), group)
		if err := cf.requestAll(oids[:n]); err != nil {
			return err
		}
		for _, it := range batch[:n] {
			h, err := cf.header()
			if err != nil {
				return err
			}
			if h.missing {
				it.Skip = &finding.Skipped{Path: it.Path, Reason: finding.SkipMissing, Detail: "object " + it.Blob + " of commit " + commit.Hash + " is not in the repository"}
			} else if it, err = cf.blob(h, it, rg.MaxBlobSize, bud); err != nil {
				return err
			}
			if err := emit(it); err != nil {
				return err
			}
		}
		batch, oids = batch[n:], oids[n:]
	}
	return nil
}

// cutError says that the range reaches past the history a shallow clone has.
func (rg *Range) cutError(commit string) error {
	return &HintError{Err: fmt.Errorf("the range is cut: this clone is shallow and the parents of commit %s are not in it, so the commits between it and the base cannot be scanned", commit), Hint: fetchHint}
}

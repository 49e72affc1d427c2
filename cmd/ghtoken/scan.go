package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/gitsource"
	"github.com/ghtoken/ghtoken/scanner/suppress"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// scan runs "ghtoken scan": everything that can be checked is checked before
// the scan, then the scan, then its reports.
func (e *env) scan(f *flagValues, paths []string) error {
	rep, api, err := e.prepareScan(f)
	if err != nil {
		return err
	}
	e.stream = e.newFindingStream(f)
	r, err := e.runScan(paths, f, true)
	if err != nil {
		return err
	}
	if api != nil {
		r.Verified = e.verifyFindings(api, r.Result)
		writeVerifySummary(e.stderr, api, r.Verified)
	}
	if err := e.writeScanReports(f, rep, r); err != nil {
		return err
	}
	report.WriteWarnings(e.stderr, r.Result)
	status := scanStatus(r.Result, f.strict, f.failOn.level())
	if status == errMissing && !(&gitsource.Git{Dir: e.dir}).IsPartialClone(e.ctx) {
		status = errCorruptObject
	}
	if f.staged && status == errFindings && !f.quiet {
		hasCommit, err := (&gitsource.Git{Dir: e.dir}).HasCommit(e.ctx)
		writeStagedAdvice(e.stderr, err == nil && !hasCommit)
	}
	return status
}

// prepareScan checks the flags and the report files before the scan, so that
// a mistake does not cost a whole scan, and returns the reporter and, for
// --verify, the API client.
func (e *env) prepareScan(f *flagValues) (report.Reporter, *github.Client, error) {
	rep, err := report.For(f.format)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	if f.quiet && f.verbose {
		return nil, nil, usageError("--quiet and --verbose: choose one")
	}
	if (f.quiet || f.verbose) && f.format != "text" && f.format != "" {
		return nil, nil, usageError("--quiet and --verbose shape the text report; --format %s has one shape", f.format)
	}
	if f.noColor || e.getenv("NO_COLOR") != "" {
		e.colour = false
	}
	var api *github.Client
	if f.verify {
		if api, err = e.apiClient(f.githubAPIURL); err != nil {
			return nil, nil, err
		}
	}
	// An unwritable output path fails before the scan; the report file
	// itself is made after it, so that the scan never sees it.
	if f.output != "" {
		if err := checkWritable(f.output); err != nil {
			return nil, nil, fmt.Errorf("-o: %w", err)
		}
		e.colour = false
	}
	if err := checkReportTargets(f.reports, f.output); err != nil {
		return nil, nil, err
	}
	return rep, api, nil
}

// writeScanReports writes the report (standard output or -o), every
// --report file, the summary line and the GitHub job summary.
func (e *env) writeScanReports(f *flagValues, rep report.Reporter, r *report.Report) error {
	perm := os.FileMode(0o644)
	if f.showSecrets {
		perm = 0o600
	}
	stdout := e.stdout
	unmasked := f.showSecrets && holdsTokenText(f.format)
	if unmasked && e.unmasked != nil {
		// Asked for on the command line: the report holds whole tokens.
		// Messages on stderr stay masked.
		stdout = e.unmasked
		if err := flushMasked(e.stdout); err != nil {
			return err
		}
	}
	r.Verbose = f.verbose
	if e.stream != nil {
		// The finding lines went out during the scan; the summary ends them.
		if e.stream.err != nil {
			return fmt.Errorf("write output: %w", e.stream.err)
		}
		if err := report.WriteJSONLSummary(e.stream.w, r, e.stream.n); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		if err := flushMasked(e.stdout); err != nil {
			return err
		}
	} else if f.quiet && f.output == "" {
		// Only the summary line reaches standard output.
		if err := report.WriteSummary(e.stdout, r); err != nil {
			return err
		}
	} else if err := writeReport(stdout, f.output, perm, unmasked, func(w io.Writer) error { return rep.Report(w, r) }); err != nil {
		return err
	}
	if err := writeReportFiles(f.reports, r, perm); err != nil {
		return err
	}
	if f.format != "text" || f.output != "" {
		// Machine formats keep stdout clean; people still see what happened.
		report.WriteSummary(e.stderr, r)
	}
	if f.format == "github" {
		if p := e.getenv("GITHUB_STEP_SUMMARY"); p != "" {
			if err := appendStepSummary(p, r); err != nil {
				return fmt.Errorf("job summary: %w", err)
			}
		}
	}
	return nil
}

// findingStream writes --format jsonl finding lines while the scan runs,
// each as soon as its file has been read and judged, so that a long scan
// feeds a log pipeline as it goes. The path-wide suppressions are applied
// to each file's findings as the whole result's are after the scan (they
// depend on the finding alone), so the lines are the report's findings.
type findingStream struct {
	w   io.Writer
	r   *report.Report // what a line depends on besides the finding
	sup *suppress.Suppressions
	n   int   // lines written
	err error // the first write error
}

// newFindingStream returns the stream for a jsonl scan that writes to
// standard output, or nil: -o writes its file after the scan, --verify's
// results come after it, and --history places each token in the commit that
// first added it only once every blob has been read.
func (e *env) newFindingStream(f *flagValues) *findingStream {
	if f.format != "jsonl" || f.output != "" || f.verify || f.history || len(f.branches) > 0 {
		return nil
	}
	w := e.stdout
	if f.showSecrets && e.unmasked != nil {
		w = e.unmasked // asked for on the command line
	}
	return &findingStream{w: w, r: &report.Report{ShowSecrets: f.showSecrets, ShowLookalikes: f.showLookalikes, FailOn: f.failOn.level()}}
}

// onItem is scanner.Options.OnItem: one file's findings.
func (s *findingStream) onItem(found []finding.Finding) {
	if s.err != nil {
		return
	}
	batch := &finding.Result{Findings: found, Stats: finding.Stats{
		ByConfidence: map[rules.Confidence]int{}, Suppressed: map[finding.SuppressedBy]int{}}}
	s.sup.Apply(batch)
	for i := range batch.Findings {
		if s.err = report.WriteJSONLFinding(s.w, s.r, &batch.Findings[i]); s.err != nil {
			return
		}
		s.n++
	}
}

// runScan loads the suppressions and scans. useBaseline is false when making
// a new baseline.
func (e *env) runScan(paths []string, f *flagValues, useBaseline bool) (*report.Report, error) {
	baseline := f.baseline
	if !useBaseline {
		baseline = ""
	}
	rootOf := paths
	if f.gitMode() && e.dir != "" {
		rootOf = []string{e.dir} // git modes take no PATH: the repository is where git runs
	}
	sup, err := suppress.Load(scanRoot(rootOf), f.ignoreFile, baseline)
	if err != nil {
		return nil, err
	}
	opt := scanner.Options{
		MaxFileSize:    int64(f.maxFileSize),
		Lookalikes:     f.showLookalikes,
		Workers:        f.workers,
		NoInline:       f.noInline,
		NoForeignAllow: f.noForeignAllow,
		NoArchives:     f.noArchives,
	}
	if e.stream != nil {
		e.stream.sup = sup
		opt.OnItem = e.stream.onItem
	}
	start := time.Now()
	var res *finding.Result
	if f.gitMode() || f.allLines || len(f.branches) > 0 {
		if res, err = e.scanGit(f, paths, opt, sup); err != nil {
			return nil, err
		}
	} else {
		src := &walk.Paths{Args: paths, NoIgnore: f.noIgnore, Stdin: e.stdin}
		if res, err = scanner.Scan(e.ctx, src, opt); err != nil {
			return nil, err
		}
		sup.Apply(res)
	}
	r := &report.Report{Result: res, ShowSecrets: f.showSecrets, ShowLookalikes: f.showLookalikes, Colour: e.colour, FailOn: f.failOn.level(),
		Start: start, End: time.Now(), Version: version()}
	r.SourceRoot, r.PathBase = e.reportRoots(f, rootOf)
	return r, nil
}

// reportRoots returns the absolute directories that report paths are
// placed against (see report.Report): the scan root, and what relative
// finding paths are relative to, which is the current directory for files
// and the top of the work tree for the git modes (git names paths from
// there). Either is empty when it cannot be made absolute.
func (e *env) reportRoots(f *flagValues, rootOf []string) (root, base string) {
	root, _ = filepath.Abs(scanRoot(rootOf))
	if f.gitMode() || f.allLines || len(f.branches) > 0 {
		return root, root
	}
	base, _ = filepath.Abs(".")
	return root, base
}

// scanRoot is the directory whose suppression files apply: the top of the
// git repository holding the first path, or that path (its directory for a
// file) outside a repository.
func scanRoot(paths []string) string {
	first := "."
	if len(paths) > 0 && paths[0] != "-" {
		first = paths[0]
	}
	dir := first
	if info, err := os.Stat(first); err == nil && !info.IsDir() {
		dir = filepath.Dir(first)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// appendStepSummary appends the Markdown job summary to the file GitHub
// Actions names in GITHUB_STEP_SUMMARY.
func appendStepSummary(path string, r *report.Report) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	mw := rules.NewMaskWriter(f)
	err = report.WriteStepSummary(mw, r)
	if ferr := mw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// errIncomplete is a --strict scan that could not read everything.
var errIncomplete = errors.New("--strict: some files could not be read or were skipped (see the warnings above)")

// errMissing is a git scan that could not read objects the repository
// refers to: whatever it found, it is not a clean result.
var errMissing = &gitsource.HintError{Err: errors.New("some git objects are not in the repository (see the warnings above): the scan is incomplete"), Hint: gitsource.PartialCloneHint}

// errCorruptObject is errMissing outside a partial clone, where an absent
// object is lost or damaged rather than left to be fetched.
var errCorruptObject = &gitsource.HintError{Err: errMissing.Err, Hint: gitsource.CorruptObjectHint}

// incomplete reports whether a file was skipped for a reason --strict
// counts as an error.
func incomplete(res *finding.Result) bool {
	for _, s := range res.Skipped {
		if s.Reason != finding.SkipSymlink && s.Reason != finding.SkipSubmodule {
			return true
		}
	}
	return false
}

// failedStatus is the error for a scan that could not read everything, with
// or without --strict: errMissing for absent git objects, else the first
// unreadable file and its reason; nil when every skip was by policy.
func failedStatus(res *finding.Result) error {
	var first *finding.Skipped
	n := 0
	for i, s := range res.Skipped {
		switch {
		case s.Reason == finding.SkipMissing:
			return errMissing
		case s.Reason.Failed():
			if first == nil {
				first = &res.Skipped[i]
			}
			n++
		}
	}
	if first == nil {
		return nil
	}
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" (and %d more, see the warnings above)", n-1)
	}
	return fmt.Errorf("could not read %s: %s%s: the scan is incomplete", report.DisplayPath(first.Path), report.DisplayPath(first.Detail), more)
}

// scanStatus is the outcome of a finished scan: errIncomplete, errFindings
// (a finding of confidence failOn or higher) or nil.
func scanStatus(res *finding.Result, strict bool, failOn rules.Confidence) error {
	if strict && incomplete(res) {
		return errIncomplete
	}
	if err := failedStatus(res); err != nil {
		return err
	}
	for _, f := range res.Findings {
		// Look-alikes listed on request are not findings; those below
		// the threshold are warnings.
		if f.Confidence != rules.Lookalike && f.Confidence >= failOn {
			return errFindings
		}
	}
	return nil
}

// failOn is the --fail-on flag: the least confidence that makes a scan
// exit 1. The zero value is the default, medium.
type failOn rules.Confidence

// level returns the confidence the flag names.
func (f failOn) level() rules.Confidence {
	if rules.Confidence(f) == rules.Lookalike {
		return rules.Medium
	}
	return rules.Confidence(f)
}

func (f *failOn) String() string { return f.level().String() }

func (f *failOn) Set(s string) error {
	for _, c := range []rules.Confidence{rules.High, rules.Medium, rules.Low} {
		if s == c.String() {
			*f = failOn(c)
			return nil
		}
	}
	return fmt.Errorf("invalid level %q (want high, medium or low)", s)
}

// byteSize is a flag.Value for sizes such as 100MiB.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000_000}, {"GB", 1000_000_000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	num := strings.TrimSpace(s)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("invalid size %q (want a number of bytes, optionally with KiB, MiB or GiB)", s)
	}
	*b = byteSize(n * mult)
	return nil
}

// flushMasked writes out what a MaskWriter holds back, before something is
// written past it.
func flushMasked(w io.Writer) error {
	if mw, ok := w.(*rules.MaskWriter); ok {
		if err := mw.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	return nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/gitsource"
	"github.com/ghtoken/ghtoken/scanner/suppress"
)

// scanGit runs the git modes of "ghtoken scan": --staged, --since, --ci and
// --history. Every git failure is an error (exit 2), never a clean result.
func (e *env) scanGit(f *flagValues, paths []string, opt scanner.Options, sup *suppress.Suppressions) (*finding.Result, error) {
	if err := checkGitModes(f, paths); err != nil {
		return nil, err
	}
	g := gitsource.Git{Dir: e.dir}
	sup.RootPaths = true // git reports paths from the top of the work tree
	switch {
	case f.staged:
		res, err := scanner.Scan(e.ctx, &gitsource.Staged{Git: g, AllLines: f.allLines, Files: paths, MaxBlobSize: int64(f.maxFileSize)}, opt)
		if err == nil {
			sup.Apply(res)
		}
		return res, err
	case f.since != "" || f.ci:
		return e.scanRange(g, f, opt, sup)
	default:
		return e.scanHistory(g, f, opt, sup)
	}
}

// checkGitModes refuses flags that do not go together.
func checkGitModes(f *flagValues, paths []string) error {
	modes := 0
	for _, on := range []bool{f.staged, f.since != "", f.ci, f.history} {
		if on {
			modes++
		}
	}
	switch {
	case modes == 0 && f.allLines:
		return errors.New("--all-lines goes with --staged")
	case modes == 0:
		return errors.New("--branch goes with --history")
	case modes > 1:
		return errors.New("choose one of --staged, --since, --ci and --history")
	case f.allLines && !f.staged:
		return errors.New("--all-lines goes with --staged")
	case len(f.branches) > 0 && !f.history:
		return errors.New("--branch goes with --history")
	case len(paths) > 0 && !f.staged:
		return fmt.Errorf("--since, --ci and --history scan the repository of the current directory; they take no PATH (got %q)", paths[0])
	}
	return nil
}

// scanRange runs --since and --ci.
func (e *env) scanRange(g gitsource.Git, f *flagValues, opt scanner.Options, sup *suppress.Suppressions) (*finding.Result, error) {
	var rg *gitsource.Range
	var err error
	if f.ci {
		var desc string
		ci := gitsource.CI{Getenv: e.getenv, ReadFile: os.ReadFile}
		if rg, desc, err = ci.Range(e.ctx, g); err != nil {
			return nil, err
		}
		fmt.Fprintf(e.stderr, "ghtoken: --ci: %s\n", desc)
	} else if rg, err = gitsource.SinceRange(e.ctx, g, f.since); err != nil {
		return nil, err
	}
	rg.MaxBlobSize = int64(f.maxFileSize)
	sup, files, err := rangeSuppressions(e, rg, f, sup)
	if err != nil {
		return nil, err
	}
	if e.stream != nil {
		e.stream.sup = sup // the base commit's, as for the whole result
	}
	type changes struct {
		notices []finding.Notice
		err     error
	}
	cc := make(chan changes, 1)
	go func() {
		n, err := files.Changes(e.ctx)
		cc <- changes{n, err}
	}()
	res, err := scanner.Scan(e.ctx, rg, opt)
	c := <-cc
	if err == nil {
		sup.Apply(res)
		res.Notices, err = append(res.Notices, c.notices...), c.err
		res.Sort()
	}
	if err == nil && rg.Commits == 0 {
		fmt.Fprintln(e.stderr, "ghtoken: the range holds no commit: nothing to scan")
	}
	return res, err
}

// scanHistory runs --history.
func (e *env) scanHistory(g gitsource.Git, f *flagValues, opt scanner.Options, sup *suppress.Suppressions) (*finding.Result, error) {
	h := &gitsource.History{Git: g, Refs: f.branches, MaxBlobSize: int64(f.maxFileSize)}
	if isTerminal(e.stderr) {
		p := &progressLine{w: e.stderr}
		h.Progress = p.update
	}
	res, err := scanner.Scan(e.ctx, h, opt)
	if err != nil {
		return res, err
	}
	// Suppressions apply to every place a token was found, before the
	// places are folded into its first introduction.
	sup.Apply(res)
	start := time.Now()
	err = h.Attribute(e.ctx, res)
	res.Stats.Duration += time.Since(start)
	return res, err
}

// writeStagedAdvice tells someone whose commit a hook just stopped how to
// go on. Before a repository's first commit there is no HEAD to restore the
// index from, so git restore --staged fails there and git rm --cached is
// the way to unstage.
func writeStagedAdvice(w io.Writer, firstCommit bool) {
	unstage := "git restore --staged FILE"
	if firstCommit {
		unstage = "git rm --cached FILE"
	}
	fmt.Fprintf(w, `ghtoken: the commit was stopped: the staged changes add a GitHub token. To go on:
  1. Remove the token from the file, then stage the fix (git add FILE), or unstage
     the file (%s) and keep it out of the repository.
  2. Load the token at run time instead: gh auth login or Git Credential Manager on
     a workstation, the built-in GITHUB_TOKEN or an Actions secret in a workflow,
     a Codespaces secret in Codespaces, an environment variable elsewhere.
  3. Nothing has left this machine yet, but if the token was real, revoke it anyway
     if it was ever shared, pasted or pushed elsewhere (see the advice above).
  4. A deliberate test value: mark it with a "ghtoken:allow <reason>" comment on
     its line, or better, build it at run time in the test. To skip this check
     once: git commit --no-verify.
`, unstage)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progressLine draws a history walk's progress on one terminal line.
type progressLine struct {
	w io.Writer
}

func (p *progressLine) update(h gitsource.HistoryProgress) {
	rate := 0.0
	if s := h.Elapsed.Seconds(); s > 0 {
		rate = float64(h.Bytes) / s
	}
	line := fmt.Sprintf("ghtoken: %d blobs, %s, %s/s", h.Blobs, report.HumanBytes(h.Bytes), report.HumanBytes(int64(rate)))
	if h.Done {
		line += fmt.Sprintf(", %d commits", h.Commits)
	}
	if done := h.Blobs; h.TotalObjects > 0 && done > 0 && !h.Done {
		left := time.Duration(float64(h.Elapsed) * float64(h.TotalObjects-done) / float64(done))
		line += fmt.Sprintf(", %d%%, about %s left", min(100, 100*done/h.TotalObjects), left.Round(time.Second))
	}
	end := ""
	if h.Done {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K%s", line, end)
}

// rangeSuppressions loads the suppression files of a commit range as they
// are at its base: the code under review cannot switch its own scan off.
// It also returns the files, whose changes in the range are listed.
func rangeSuppressions(e *env, rg *gitsource.Range, f *flagValues, sup *suppress.Suppressions) (*suppress.Suppressions, *gitsource.BaseFiles, error) {
	ip := f.ignoreFile
	if ip == "" {
		ip = filepath.Join(sup.Root, suppress.IgnoreFileName)
	}
	files := []string{ip, filepath.Join(sup.Root, filepath.FromSlash(suppress.SecretScanningFile))}
	bp := ""
	if sup.Baseline != nil {
		bp = f.baseline
		files = append(files, bp)
	}
	bf, err := rg.BaseFiles(e.ctx, files)
	if err != nil {
		return nil, nil, err
	}
	base, err := suppress.LoadWith(sup.Root, f.ignoreFile, bp, bf.Read)
	if err != nil {
		return nil, nil, err
	}
	base.Now, base.RootPaths = sup.Now, true
	return base, bf, nil
}

package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/scanner/suppress"
)

const baselineUsage = `Usage: ghtoken baseline [scan flags] [PATH...] > .ghtoken-baseline.json

Scans like "ghtoken scan" and writes a baseline: the fingerprints of today's
findings (SHA-256 of each token, never the token), with their rule and files.
Then "ghtoken scan --baseline .ghtoken-baseline.json" reports only tokens
that are not in it. Entries are keyed on the token alone, so they survive
edits, moves and renames; regenerating an unchanged baseline gives the same
bytes. Inline directives and .ghtokenignore still apply; an existing
--baseline is not, so the new file lists every current token.

Exit status: 0 baseline written (whatever it holds), 2 error.
`

func (e *env) baseline(args []string) int {
	var f scanFlags
	fs := newScanFlagSet(&f)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, baselineUsage)
			return exitClean
		}
		fmt.Fprintf(e.stderr, "ghtoken baseline: %v\nRun \"ghtoken help baseline\" for usage.\n", err)
		return exitError
	}
	if f.output != "" {
		if err := checkWritable(f.output); err != nil {
			fmt.Fprintf(e.stderr, "ghtoken baseline: -o: %v\n", err)
			return exitError
		}
	}
	r, code := e.runScan(paths, &f, false)
	if r == nil {
		return code
	}
	out := io.Writer(e.stdout)
	var file *atomicFile
	if f.output != "" {
		if file, err = createAtomic(f.output, 0o644); err != nil {
			fmt.Fprintf(e.stderr, "ghtoken baseline: -o: %v\n", err)
			return exitError
		}
		defer file.Abort()
		out = file
	}
	if code == exitError { // --strict and a file could not be read
		report.WriteWarnings(e.stderr, r.Result)
		fmt.Fprintln(e.stderr, "ghtoken baseline: not written: some files could not be scanned (--strict)")
		return exitError
	}
	doc := suppress.NewBaselineDoc(r.Result)
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		fmt.Fprintf(e.stderr, "ghtoken baseline: write: %v\n", err)
		return exitError
	}
	if file != nil {
		if err := file.Commit(); err != nil {
			fmt.Fprintf(e.stderr, "ghtoken baseline: %v\n", err)
			return exitError
		}
	}
	fmt.Fprintf(e.stderr, "ghtoken baseline: %d %s recorded\n", len(doc.Findings), report.Plural(len(doc.Findings), "token", "tokens"))
	report.WriteSummary(e.stderr, r)
	report.WriteWarnings(e.stderr, r.Result)
	return exitClean
}

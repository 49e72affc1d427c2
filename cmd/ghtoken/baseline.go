package main

import (
	"encoding/json"
	"errors"
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

func (e *env) baseline(args []string) error {
	var f scanFlags
	fs := newScanFlagSet(&f)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if f.output != "" {
		if err := checkWritable(f.output); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
	}
	r, err := e.runScan(paths, &f, false)
	if err != nil {
		return err
	}
	if f.strict && incomplete(r.Result) {
		report.WriteWarnings(e.stderr, r.Result)
		return errors.New("not written: some files could not be scanned (--strict)")
	}
	doc := suppress.NewBaselineDoc(r.Result)
	err = writeReport(e.stdout, f.output, 0o644, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "ghtoken baseline: %d %s recorded\n", len(doc.Findings), report.Plural(len(doc.Findings), "token", "tokens"))
	report.WriteSummary(e.stderr, r)
	report.WriteWarnings(e.stderr, r.Result)
	return nil
}

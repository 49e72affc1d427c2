package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/report"
	"github.com/ghtoken/ghtoken/scanner/suppress"
)

func (e *env) baseline(f *flagValues, paths []string) error {
	if f.output != "" {
		if err := checkWritable(f.output); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
	}
	r, err := e.runScan(paths, f, false)
	if err != nil {
		return err
	}
	if f.strict && incomplete(r.Result) {
		report.WriteWarnings(e.stderr, r.Result)
		return errors.New("not written: some files could not be scanned (--strict)")
	}
	doc := suppress.NewBaselineDoc(r.Result)
	err = writeReport(e.stdout, f.output, 0o644, false, func(w io.Writer) error {
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

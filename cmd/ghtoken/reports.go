package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghtoken/ghtoken/report"
)

// reportTarget is one --report FORMAT=FILE: a report written to a file by
// the same scan as every other.
type reportTarget struct {
	format string
	file   string
	rep    report.Reporter // set once checked
}

// parseReportTarget reads FORMAT=FILE.
func parseReportTarget(s string) (reportTarget, error) {
	format, file, ok := strings.Cut(s, "=")
	if !ok || format == "" || file == "" {
		return reportTarget{}, fmt.Errorf("want FORMAT=FILE, such as sarif=ghtoken.sarif (got %q)", s)
	}
	return reportTarget{format: format, file: file}, nil
}

// checkReportTargets checks, before the scan, that every report has a known
// format and a file that can be written, and that no two reports (nor -o)
// share a file.
func checkReportTargets(targets []reportTarget, output string) error {
	seen := map[string]string{}
	if output != "" {
		seen[filepath.Clean(output)] = "-o"
	}
	for i := range targets {
		t := &targets[i]
		rep, err := report.For(t.format)
		if err != nil {
			return usageError("--report %s=%s: %v", t.format, t.file, err)
		}
		t.rep = rep
		key := filepath.Clean(t.file)
		if other, ok := seen[key]; ok {
			return usageError("--report %s=%s: %s already writes %s", t.format, t.file, other, t.file)
		}
		seen[key] = "--report " + t.format + "=" + t.file
		if err := checkWritable(t.file); err != nil {
			return fmt.Errorf("--report %s=%s: %w", t.format, t.file, err)
		}
	}
	return nil
}

// holdsTokenText says whether a format may hold whole tokens when
// --show-secrets asks for them; the CI formats never do.
func holdsTokenText(format string) bool {
	return format == "text" || format == "json" || format == "jsonl"
}

// writeReportFiles writes every --report file, each atomically. Files never
// get colour; whole tokens reach only the text and json files, and only with
// --show-secrets.
func writeReportFiles(targets []reportTarget, r *report.Report, perm os.FileMode) error {
	plain := *r
	plain.Colour = false
	for _, t := range targets {
		unmasked := r.ShowSecrets && holdsTokenText(t.format)
		err := writeReport(nil, t.file, perm, unmasked, func(w io.Writer) error { return t.rep.Report(w, &plain) })
		if err != nil {
			return fmt.Errorf("--report %s=%s: %w", t.format, t.file, err)
		}
	}
	return nil
}

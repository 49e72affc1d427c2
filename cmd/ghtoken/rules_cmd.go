package main

import (
	"slices"
	"strings"

	"github.com/ghtoken/ghtoken/report"
)

func (e *env) rules(f *flagValues, _ []string) error {
	if !slices.Contains(report.RuleFormats, f.format) {
		return usageError("unknown format %q (want %s)", f.format, strings.Join(report.RuleFormats, " or "))
	}
	return report.Rules(e.stdout, f.format)
}

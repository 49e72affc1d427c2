package main

import (
	"github.com/ghtoken/ghtoken/report"
)

func (e *env) rules(f *flagValues, _ []string) error {
	if f.format != "text" && f.format != "json" {
		return usageError("unknown format %q (want text or json)", f.format)
	}
	return report.Rules(e.stdout, f.format)
}

package main

import (
	"flag"
	"io"

	"github.com/ghtoken/ghtoken/report"
)

const rulesUsage = `Usage: ghtoken rules [--format text|json]

Lists every rule: its id (used in reports and baselines), what it matches, the
confidence of a confirmed match, and its remediation advice.
`

func (e *env) rules(args []string) error {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return usageError("unexpected arguments %q", fs.Args())
	}
	if *format != "text" && *format != "json" {
		return usageError("unknown format %q (want text or json)", *format)
	}
	return report.Rules(e.stdout, *format)
}

package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/report"
)

const rulesUsage = `Usage: ghtoken rules [--format text|json]

Lists every rule: its id (used in reports and baselines), what it matches, the
confidence of a confirmed match, and its remediation advice.
`

func (e *env) rules(args []string) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == flag.ErrHelp {
			fmt.Fprint(e.stdout, rulesUsage)
			return exitClean
		}
		fmt.Fprintf(e.stderr, "ghtoken rules: bad arguments %q\n%s", args, rulesUsage)
		return exitError
	}
	if err := report.Rules(e.stdout, *format); err != nil {
		fmt.Fprintf(e.stderr, "ghtoken rules: %v\n", err)
		return exitError
	}
	return exitClean
}

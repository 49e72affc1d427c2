package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/rules"
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
	type jsonRule struct {
		ID          string   `json:"id"`
		Title       string   `json:"title"`
		Matches     string   `json:"matches"`
		Confidence  string   `json:"confidence"`
		Remediation []string `json:"remediation"`
	}
	var list []jsonRule
	for _, r := range rules.All() {
		list = append(list, jsonRule{r.ID, r.Title, r.Matches, r.Confidence.String(), rules.Remediation(r, rules.Place{})})
	}
	ew := &errWriter{w: e.stdout}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		ew.err = enc.Encode(list)
	case "text":
		for _, r := range list {
			ew.printf("%s\n  %s [%s]\n  matches: %s\n", r.ID, r.Title, r.Confidence, wrap(r.Matches, 84, "           "))
			for i, step := range r.Remediation {
				bullet := "- "
				if i == 0 {
					bullet = "→ "
				}
				ew.printf("  %s%s\n", bullet, wrap(step, 84, "    "))
			}
			ew.printf("\n")
		}
	default:
		fmt.Fprintf(e.stderr, "ghtoken rules: unknown format %q (want text or json)\n", *format)
		return exitError
	}
	if ew.err != nil {
		fmt.Fprintf(e.stderr, "ghtoken rules: %v\n", ew.err)
		return exitError
	}
	return exitClean
}

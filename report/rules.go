package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/rules"
)

// RuleFormats are the formats Rules writes.
var RuleFormats = []string{"text", "json"}

// Rules writes every rule (its id, title, what it matches, the confidence of
// a confirmed match and its advice) as text or JSON.
func Rules(w io.Writer, format string) error {
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
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case "text":
		ew := &errWriter{w: w}
		for _, r := range list {
			ew.printf("%s\n  %s [%s]\n  matches: %s\n", r.ID, r.Title, r.Confidence, Wrap(r.Matches, 84, "           "))
			for i, step := range r.Remediation {
				bullet := "- "
				if i == 0 {
					bullet = "→ "
				}
				ew.printf("  %s%s\n", bullet, Wrap(step, 84, "    "))
			}
			ew.printf("\n")
		}
		return ew.err
	}
	return fmt.Errorf("unknown format %q (want text or json)", format)
}

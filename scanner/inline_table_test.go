package scanner_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/directive/directivetest"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// TestSharedDirectiveTable runs the directive table that the go vet analyzer
// runs too (analyzer.TestSharedDirectiveTable): both tools must agree.
func TestSharedDirectiveTable(t *testing.T) {
	token := rulestest.Token(rulestest.ClassicPAT, "shared-table")
	for _, c := range directivetest.Cases(t) {
		src, line := c.GoSource(token)
		path := filepath.Join(t.TempDir(), "p.go")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := scanner.Scan(context.Background(), &walk.Paths{Args: []string{path}}, scanner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		reported := len(res.Findings) == 1 && res.Findings[0].Line == line
		missing := false
		for _, n := range res.Notices {
			missing = missing || n.Code == finding.NoticeMissingReason
		}
		if len(res.Findings) > 1 || reported != (c.Want != "allowed") || missing != (c.Want == "missing-reason") {
			t.Errorf("%q: %d findings %v, missing-reason notice %v; want %s", c.Comment, len(res.Findings), res.Findings, missing, c.Want)
		}
	}
}

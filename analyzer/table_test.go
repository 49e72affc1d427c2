package analyzer

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/directive/directivetest"
)

// TestSharedDirectiveTable runs the directive table that the ghtoken command
// runs too (scanner.TestSharedDirectiveTable), on both of the analyzer's
// paths: with the file's bytes, and literal by literal when a driver cannot
// give them.
func TestSharedDirectiveTable(t *testing.T) {
	token := rulestest.Token(rulestest.ClassicPAT, "shared-table")
	for _, c := range directivetest.Cases(t) {
		src, line := c.GoSource(token)
		for _, bytesGiven := range []bool{true, false} {
			read := func(string) ([]byte, error) { return []byte(src), nil }
			if !bytesGiven {
				read = func(string) ([]byte, error) { return nil, errGone }
			}
			p, diags := pass(t, map[string]string{"p.go": src}, read)
			if _, err := Analyzer.Run(p); err != nil {
				t.Fatal(err)
			}
			reported, missing := false, false
			for _, d := range *diags {
				switch {
				case d.Category == "github-pat-classic" && p.Fset.Position(d.Pos).Line == line:
					reported = true
				case d.Category == "directive" && strings.Contains(d.Message, "needs a reason"):
					missing = true
				}
			}
			if reported != (c.Want != "allowed") || missing != (c.Want == "missing-reason") {
				t.Errorf("%q (file bytes given: %v): token reported %v, missing reason reported %v; want %s", c.Comment, bytesGiven, reported, missing, c.Want)
			}
		}
	}
}

// A token found encoded is shown masked as the token, never as the encoded
// text it was found in.
func TestEncodedTokenMaskedAsToken(t *testing.T) {
	token := rulestest.Token(rulestest.ClassicPAT, "encoded")
	enc := base64.StdEncoding.EncodeToString([]byte("machine github.com password " + token))
	src := "package p\n\nvar x = \"" + enc + "\"\n"
	p, diags := pass(t, map[string]string{"p.go": src}, nil)
	if _, err := Analyzer.Run(p); err != nil {
		t.Fatal(err)
	}
	if len(*diags) != 1 {
		t.Fatalf("%d diagnostics, want 1: %v", len(*diags), *diags)
	}
	msg := (*diags)[0].Message
	if !strings.Contains(msg, token[:8]) || strings.Contains(msg, enc[:8]) || strings.Contains(msg, token) {
		t.Errorf("message %q: want the token masked (%s…), not the encoded text (%s…)", msg, token[:8], enc[:8])
	}
}

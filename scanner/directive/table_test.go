package directive_test

import (
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/scanner/directive"
	"github.com/ghtoken/ghtoken/scanner/directive/directivetest"
)

// TestCasesParse checks the table itself against Find: a case that wants
// "reported" holds no directive for the token's line, the others hold one
// of the right kind whose reason decides between allowed and missing-reason.
func TestCasesParse(t *testing.T) {
	for _, c := range directivetest.Cases(t) {
		src, line := c.GoSource("TOKEN")
		ds := directive.Find([]byte(src), 0, len(src), true, nil)
		var hit *directive.Directive
		for i := range ds {
			d := &ds[i]
			at := 1 + strings.Count(src[:d.Start], "\n")
			if d.Kind == directive.NextLine {
				at++
			}
			if at == line {
				hit = d
			}
		}
		switch {
		case c.Want == "reported" && hit != nil:
			t.Errorf("%q: found %+v, want no directive for the token's line", c.Comment, *hit)
		case c.Want != "reported" && hit == nil:
			t.Errorf("%q: no directive found for the token's line", c.Comment)
		case hit != nil && hit.Allows() != (c.Want == "allowed"):
			t.Errorf("%q: Allows() = %v (reason %q), want %s", c.Comment, hit.Allows(), hit.Reason, c.Want)
		}
	}
}

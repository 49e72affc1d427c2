package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Every format marks what is below the threshold as a warning, and only
// that: with --fail-on high the fixture's medium and low findings are
// warnings; with --fail-on low none is.
func TestFailOnLevelsInEveryFormat(t *testing.T) {
	r := fixtureReport(t, false)
	levels := func(failOn rules.Confidence) (sarif, gitlab map[string]string, github string) {
		r.FailOn = failOn
		var b bytes.Buffer
		if err := (sarifReporter{}).Report(&b, r); err != nil {
			t.Fatal(err)
		}
		var s struct {
			Runs []struct {
				Results []struct {
					Level      string
					Properties struct{ Confidence string }
				}
			}
		}
		json.Unmarshal(b.Bytes(), &s)
		sarif = map[string]string{}
		for _, res := range s.Runs[0].Results {
			sarif[res.Properties.Confidence] = res.Level
		}
		b.Reset()
		if err := (gitlabReporter{}).Report(&b, r); err != nil {
			t.Fatal(err)
		}
		var g struct {
			Vulnerabilities []struct{ Severity, Description string }
		}
		json.Unmarshal(b.Bytes(), &g)
		gitlab = map[string]string{}
		for _, v := range g.Vulnerabilities {
			for _, c := range []string{"high", "medium", "low"} {
				if strings.Contains(v.Description, "("+c+" confidence") {
					gitlab[c] = v.Severity
				}
			}
		}
		b.Reset()
		if err := WriteStepSummary(&b, r); err != nil {
			t.Fatal(err)
		}
		return sarif, gitlab, strings.SplitN(b.String(), "\n", 2)[0]
	}
	sarif, gitlab, head := levels(rules.High)
	if sarif["high"] != "error" || sarif["medium"] != "warning" || sarif["low"] != "warning" ||
		gitlab["high"] != "Critical" || gitlab["medium"] != "Low" || gitlab["low"] != "Low" ||
		!strings.Contains(head, "4 leaked GitHub tokens, and 2 warnings below --fail-on high") {
		t.Errorf("--fail-on high: sarif %v, gitlab %v, summary %q", sarif, gitlab, head)
	}
	sarif, gitlab, head = levels(rules.Low)
	if sarif["medium"] != "error" || sarif["low"] != "error" || gitlab["low"] != "Medium" || strings.Contains(head, "warning") {
		t.Errorf("--fail-on low: sarif %v, gitlab %v, summary %q", sarif, gitlab, head)
	}

	// Nothing at or above the threshold: the job summary does not say
	// tokens leaked, it says warnings.
	var only []int
	for i, f := range r.Result.Findings {
		if f.Confidence == rules.Low {
			only = append(only, i)
		}
	}
	r.Result.Findings = []finding.Finding{r.Result.Findings[only[0]]}
	r.Result.Stats.ByConfidence = map[rules.Confidence]int{rules.Low: 1}
	_, _, head = levels(rules.Medium)
	if !strings.HasPrefix(head, "## ⚠️ ghtoken: 1 warning below --fail-on medium") {
		t.Errorf("warnings only: summary %q", head)
	}
}

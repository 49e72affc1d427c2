package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// renderGFM renders Markdown as GitHub does for a job summary (CommonMark
// with GitHub's table extension).
func renderGFM(t *testing.T, md []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

var cellRE = regexp.MustCompile(`(?s)<td>(.*?)</td>`)
var tagRE = regexp.MustCompile(`<[^>]+>`)

// A file name with Markdown's special characters shows in the job summary
// exactly as it is named: a backtick was shown as an apostrophe.
func TestStepSummaryShowsFileNamesAsTheyAre(t *testing.T) {
	rule := classicRule(t)
	tok := rulestest.Token("ghp", "md")
	names := []string{"a`b.env", "``x``", "pipe|name.env", "*bold* _it_ <b>&amp;.env", "`start", "end`", `back\slash.env`}
	res := &finding.Result{}
	for _, n := range names {
		res.Findings = append(res.Findings, finding.Finding{Rule: rule, Confidence: rules.High, Path: n, Line: 2, Column: 3,
			Secret: tok, Fingerprint: rules.Fingerprint(tok)})
	}
	res.Stats.ByConfidence = map[rules.Confidence]int{rules.High: len(names)}
	var md bytes.Buffer
	if err := WriteStepSummary(&md, &Report{Result: res}); err != nil {
		t.Fatal(err)
	}
	cells := cellRE.FindAllStringSubmatch(renderGFM(t, md.Bytes()), -1)
	const columns = 5
	if len(cells) != columns*len(names) {
		t.Fatalf("%d cells, want %d: the table is broken\n%s", len(cells), columns*len(names), md.String())
	}
	for i, n := range names {
		where := html.UnescapeString(tagRE.ReplaceAllString(cells[i*columns+1][1], ""))
		if want := n + ":2:3"; where != want {
			t.Errorf("file %q shows as %q, want %q\nMarkdown: %s", n, where, want, strings.Split(md.String(), "\n")[4+i])
		}
	}
	if got := mdCell("1 * 2 | `x` <y>"); html.UnescapeString(tagRE.ReplaceAllString(renderGFM(t, []byte(got)), "")) != "1 * 2 | `x` <y>\n" {
		t.Errorf("mdCell text renders as %q", renderGFM(t, []byte(got)))
	}
}

package finding

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
)

// Workers hand over their results in an order that depends on scheduling:
// Sort must give one order whatever order it is given, also among entries
// that agree on path and position (a damaged zip is skipped twice, for its
// directory and for a member; two encodings of one token start at the same
// column).
func TestSortIgnoresInputOrder(t *testing.T) {
	var res Result
	for i := range 40 {
		path := fmt.Sprintf("dir/file%d.zip", i%5)
		res.Skipped = append(res.Skipped,
			Skipped{Path: path, Reason: SkipDamaged, Detail: fmt.Sprintf("detail %d", i)},
			Skipped{Path: path, Reason: SkipDamaged, Detail: "same detail", Container: fmt.Sprintf("c%d", i%3)})
		res.Notices = append(res.Notices,
			Notice{Path: path, Line: 3, Column: 1, Code: NoticeUnusedDirective, Message: fmt.Sprintf("message %d", i)})
		res.Findings = append(res.Findings,
			Finding{Path: path, Line: 2, Column: 5, EndColumn: 5 + i, Rule: rules.All()[0], Secret: fmt.Sprint(i)},
			Finding{Path: path, Line: 2, Column: 5, EndColumn: 9, Rule: rules.All()[0], Encoding: fmt.Sprintf("enc%d", i%4), Secret: "s"})
	}
	want := clone(res)
	want.Sort()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		got := clone(res)
		rng.Shuffle(len(got.Skipped), func(i, j int) { got.Skipped[i], got.Skipped[j] = got.Skipped[j], got.Skipped[i] })
		rng.Shuffle(len(got.Notices), func(i, j int) { got.Notices[i], got.Notices[j] = got.Notices[j], got.Notices[i] })
		rng.Shuffle(len(got.Findings), func(i, j int) { got.Findings[i], got.Findings[j] = got.Findings[j], got.Findings[i] })
		got.Sort()
		if !slices.Equal(got.Skipped, want.Skipped) {
			t.Fatalf("skipped in another order:\n%v\nwant\n%v", got.Skipped, want.Skipped)
		}
		if !slices.Equal(got.Notices, want.Notices) {
			t.Fatalf("notices in another order:\n%v\nwant\n%v", got.Notices, want.Notices)
		}
		for i := range got.Findings {
			if g, w := got.Findings[i], want.Findings[i]; g.EndColumn != w.EndColumn || g.Encoding != w.Encoding || g.Secret != w.Secret {
				t.Fatalf("finding %d is %+v, want %+v", i, g, w)
			}
		}
	}
}

func clone(r Result) Result {
	return Result{Skipped: slices.Clone(r.Skipped), Notices: slices.Clone(r.Notices), Findings: slices.Clone(r.Findings)}
}

package scanner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// allowDirective is the inline directive, assembled so that no source file
// spells one out.
var allowDirective = "ghtoken" + ":allow"

func scanText(t *testing.T, name, text string, opt Options) *finding.Result {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), &walk.Paths{Args: []string{p}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// What a file holds must not make the result grow without bound: look-alikes
// are counted, and only the first of a file kept when they are asked for;
// notices past the first of a file are counted. Before, a file of broken
// tokens kept one finding per line in memory, shown or not, and a file of
// directives one notice per line.
func TestPerFileCaps(t *testing.T) {
	const n = 3 * finding.ListedPerFile
	var looks, dirs strings.Builder
	for i := range n {
		fmt.Fprintf(&looks, "x%d = %s\n", i, rulestest.Lookalike(rulestest.ClassicPAT, fmt.Sprint(i)))
		fmt.Fprintf(&dirs, "# %s x\n", allowDirective)
	}
	for _, show := range []bool{false, true} {
		res := scanText(t, "looks.txt", looks.String(), Options{Lookalikes: show, ChunkSize: 1024})
		listed, notListed := 0, 0 // not listed is counted only when asked for
		if show {
			listed, notListed = finding.ListedPerFile, n-finding.ListedPerFile
		}
		if len(res.Findings) != listed || res.Stats.ByConfidence[rules.Lookalike] != n || res.Stats.LookalikesNotListed != notListed {
			t.Errorf("show=%v: %d look-alikes listed, %d counted, %d not listed; want %d, %d, %d", show,
				len(res.Findings), res.Stats.ByConfidence[rules.Lookalike], res.Stats.LookalikesNotListed, listed, n, notListed)
		}
	}
	res := scanText(t, "dirs.txt", dirs.String(), Options{ChunkSize: 1024})
	if len(res.Notices) != finding.ListedPerFile || res.Stats.NoticesNotListed != n-finding.ListedPerFile {
		t.Errorf("%d notices listed, %d not listed; want %d, %d", len(res.Notices), res.Stats.NoticesNotListed, finding.ListedPerFile, n-finding.ListedPerFile)
	}
}

// Directives are judged line by line as the file is read; these cases are
// the ones where the order of directives and tokens within and across lines
// matters. Each is scanned at several chunk sizes.
func TestDirectivesJudgedInOrder(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "order")
	look := rulestest.Lookalike(rulestest.ClassicPAT, "order")
	allow := "# " + allowDirective
	next := "# " + allowDirective + "-next-line"
	tests := []struct {
		name                 string
		text                 string
		findings, suppressed int
		lookalikes           int
		notices              []finding.NoticeCode
	}{
		{"after the token", "t = " + tok + " " + allow + " fixture\n", 0, 1, 0, nil},
		{"before the token", allow + " fixture " + tok + "\n", 0, 1, 0, nil},
		{"next line", next + " fixture\nt = " + tok + "\n", 0, 1, 0, nil},
		{"next line, gap", next + " fixture\n\nt = " + tok + "\n", 1, 0, 0, []finding.NoticeCode{finding.NoticeUnusedDirective}},
		{"next line at the end", "t = " + tok + "\n" + next + " fixture\n", 1, 0, 0, []finding.NoticeCode{finding.NoticeUnusedDirective}},
		{"no reason", "t = " + tok + " " + allow + "\n", 1, 0, 0, []finding.NoticeCode{finding.NoticeMissingReason}},
		{"look-alike uses it", "t = " + look + " " + allow + " placeholder\n", 0, 0, 0, nil},
		{"look-alike counted", "t = " + look + "\n", 0, 0, 1, nil},
		{"two lines, one directive", "a = " + tok + " " + allow + " fixture\nb = " + tok + "\n", 1, 1, 0, nil},
		{"unused", "nothing " + allow + " fixture\n" + tok + "\n", 1, 0, 0, []finding.NoticeCode{finding.NoticeUnusedDirective}},
		{"both kinds", next + " fixture\nt = " + tok + " " + allow + " fixture\n", 0, 1, 0, nil},
	}
	for _, tt := range tests {
		for _, chunk := range []int{0, 16, 64} {
			res := scanText(t, "f.txt", tt.text, Options{ChunkSize: chunk})
			var codes []finding.NoticeCode
			for _, n := range res.Notices {
				codes = append(codes, n.Code)
			}
			if len(res.Findings) != tt.findings || res.Stats.Suppressed[finding.ByInline] != tt.suppressed ||
				res.Stats.ByConfidence[rules.Lookalike] != tt.lookalikes || fmt.Sprint(codes) != fmt.Sprint(tt.notices) {
				t.Errorf("%s (chunk %d): %d findings, %d suppressed, %d look-alikes, notices %v; want %d, %d, %d, %v", tt.name, chunk,
					len(res.Findings), res.Stats.Suppressed[finding.ByInline], res.Stats.ByConfidence[rules.Lookalike], codes,
					tt.findings, tt.suppressed, tt.lookalikes, tt.notices)
			}
		}
	}
}

// A file that starts as UTF-16 is also searched as raw bytes, whose matches
// are kept until the text is done: their look-alikes are counted past the
// per-file cap, not kept. Before, they were all kept to the end.
func TestRawScanLookalikesCapped(t *testing.T) {
	const n = 3 * maxLookalikesPerFile
	rs := newRawScan(1024, rules.Options{Lookalikes: true})
	for i := range n {
		fmt.Fprintf(rs, "x%d = %s\n", i, rulestest.Lookalike(rulestest.ClassicPAT, fmt.Sprint(i)))
	}
	fmt.Fprintf(rs, "t = %s\n", rulestest.Token(rulestest.ClassicPAT, "raw"))
	found := rs.finish()
	if len(found) != maxLookalikesPerFile+1 || rs.lookDropped != n-maxLookalikesPerFile {
		t.Errorf("%d raw matches kept, %d look-alikes dropped; want %d, %d", len(found), rs.lookDropped, maxLookalikesPerFile+1, n-maxLookalikesPerFile)
	}
}

// The raw search of a UTF-16 stream holds as much of it as has arrived, up
// to a chunk: a small member must not cost a whole chunk (before, every
// file that sniffed as UTF-16 allocated one, and a module cache scan kept
// over 100 MB of them alive). Tokens before, across and after the point
// where the buffer reaches its full size are all found, once.
func TestRawScanGrowsWithTheStream(t *testing.T) {
	const chunk = 64 << 10
	small := newRawScan(chunk, rules.Options{})
	fmt.Fprintf(small, "x = 1\n")
	if c := cap(small.buf); c >= chunk/4 {
		t.Errorf("raw search of 6 bytes holds a %d-byte buffer", c)
	}
	tok := rulestest.Token(rulestest.ClassicPAT, "grow")
	rs := newRawScan(chunk, rules.Options{})
	var want []int64
	var written int64
	put := func(s string) {
		// Odd-sized writes, so that growth and chunk ends fall anywhere.
		for len(s) > 0 {
			n := min(len(s), 1+int(written%977))
			rs.Write([]byte(s[:n]))
			written += int64(n)
			s = s[n:]
		}
	}
	for _, at := range []int64{100, 5000, int64(keep + chunk - 20), 3*chunk + 7} {
		put(strings.Repeat(".", int(at-written)) + " ")
		want = append(want, written)
		put(tok + " ")
	}
	var got []int64
	for _, m := range rs.finish() {
		got = append(got, m.offset)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tokens found at %v, want %v", got, want)
	}
}

// BenchmarkRawScanSmall is the raw search of one small UTF-16 file: its
// B/op is what each such file or archive member costs the heap.
func BenchmarkRawScanSmall(b *testing.B) {
	text := []byte(strings.Repeat("x\x00", 100))
	b.ReportAllocs()
	for b.Loop() {
		rs := newRawScan(defaultChunkSize, rules.Options{})
		rs.Write(text)
		rs.finish()
	}
}

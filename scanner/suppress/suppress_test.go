package suppress

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// The directive names are split so that this file holds no directive of its
// own (the project's scan of itself would report them as unused).
const (
	allow     = "ghtoken" + ":allow"
	allowNext = "ghtoken" + ":allow-next-line"
)

// scanDir scans dir and applies sup, as the command does.
func scanDir(t *testing.T, dir string, opt scanner.Options, sup ...*Suppressions) *finding.Result {
	t.Helper()
	res, err := scanner.Scan(context.Background(), &walk.Paths{Args: []string{dir}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sup {
		s.Apply(res)
	}
	return res
}

// where lists findings as "file:line" relative to dir.
func where(dir string, res *finding.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s:%d", strings.TrimPrefix(f.Path, filepath.ToSlash(dir)+"/"), f.Line))
	}
	return out
}

func notices(dir string, res *finding.Result) []string {
	var out []string
	for _, n := range res.Notices {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", strings.TrimPrefix(n.Path, filepath.ToSlash(dir)+"/"), n.Line, n.Column, n.Code))
	}
	return out
}

func TestInlineDirectives(t *testing.T) {
	cases := []struct {
		name        string
		text        string
		opt         scanner.Options
		want        []string // findings, line numbers
		wantNotices []string
		inline      int
		foreign     int
	}{
		{name: "same line", text: "a = \"${ghp:1}\" # " + allow + " test fixture\n", inline: 1},
		{name: "same line before the token", text: "/* " + allow + " fixture */ x = \"${ghp:1}\"\n", inline: 1},
		{name: "next line", text: "# " + allowNext + " .env files take no trailing comment\nTOKEN=${ghp:1}\n", inline: 1},
		{name: "next line does not reach further", text: "# " + allowNext + " reason\n\nTOKEN=${ghp:1}\n",
			want: []string{"f.txt:3"}, wantNotices: []string{"f.txt:1:3 unused-directive"}},
		{name: "same line does not allow the next", text: "# " + allow + " reason\nTOKEN=${ghp:1}\n",
			want: []string{"f.txt:2"}, wantNotices: []string{"f.txt:1:3 unused-directive"}},
		{name: "no reason allows nothing", text: "a = \"${ghp:1}\" # " + allow + "\n",
			want: []string{"f.txt:1"}, wantNotices: []string{"f.txt:1:50 missing-reason"}},
		{name: "punctuation is no reason", text: "a = \"${ghp:1}\" /* " + allow + " */\n",
			want: []string{"f.txt:1"}, wantNotices: []string{"f.txt:1:51 missing-reason"}},
		{name: "unused", text: "nothing here # " + allow + " old reason\n", wantNotices: []string{"f.txt:1:16 unused-directive"}},
		{name: "longer word is not a directive", text: "a = \"${ghp:1}\" # " + allow + "ed list\n", want: []string{"f.txt:1"}},
		{name: "a mention in backticks is not a directive", text: "use `" + allow + "` here: ${ghp:1}\n", want: []string{"f.txt:1"}},
		{name: "a mention in quotes is not a directive", text: "x = \"" + allow + "\" + \"${ghp:1}\"\n", want: []string{"f.txt:1"}},
		{name: "HTML comment closer", text: "${ghp:1} <!-- " + allow + " sample-->\n", inline: 1},
		{name: "directly in a comment marker", text: "${ghp:1} //" + allow + " sample\n", inline: 1},
		{name: "inside a word is not a directive", text: "${ghp:1} x" + allow + " sample\n", want: []string{"f.txt:1"}},
		{name: "quoted foreign directive is a mention", text: "${ghp:1} \"gitleaks:allow\"\n", want: []string{"f.txt:1"}},
		{name: "C comment closer right after", text: "${ghp:1} /*gitleaks:allow*/\n", foreign: 1},
		{name: "reasonless at end of file", text: "${ghp:1} # " + allow, want: []string{"f.txt:1"}, wantNotices: []string{"f.txt:1:44 missing-reason"}},
		{name: "column counts code points", text: "é = \"${ghp:1}\" # " + allow + "\n",
			want: []string{"f.txt:1"}, wantNotices: []string{"f.txt:1:50 missing-reason"}},
		{name: "gitleaks", text: "a = \"${ghp:1}\" # gitleaks:allow\n", foreign: 1},
		{name: "detect-secrets", text: "a = \"${ghp:1}\" # pragma: allowlist secret\n", foreign: 1},
		{name: "detect-secrets next line", text: "# pragma: allowlist nextline secret\na = \"${ghp:1}\"\n", foreign: 1},
		{name: "trufflehog", text: "a = \"${ghp:1}\" // trufflehog:ignore\n", foreign: 1},
		{name: "foreign unused is not ours to report", text: "x # gitleaks:allow\n"},
		{name: "no-foreign-allow", text: "a = \"${ghp:1}\" # gitleaks:allow\n", opt: scanner.Options{NoForeignAllow: true}, want: []string{"f.txt:1"}},
		{name: "no-inline", text: "a = \"${ghp:1}\" # " + allow + " fixture\n", opt: scanner.Options{NoInline: true}, want: []string{"f.txt:1"}},
		{name: "only the allowed line", text: "a = \"${ghp:1}\" # " + allow + " fixture\nb = \"${ghp:2}\"\n", want: []string{"f.txt:2"}, inline: 1},
		{name: "CRLF", text: "# " + allowNext + " windows file\r\nTOKEN=${ghp:1}\r\n", inline: 1},
	}
	for _, tc := range cases {
		for _, chunk := range []int{0, 7, 64} {
			t.Run(fmt.Sprintf("%s/chunk%d", tc.name, chunk), func(t *testing.T) {
				dir := rulestest.Tree(t, map[string]string{"f.txt": tc.text})
				opt := tc.opt
				opt.ChunkSize = chunk
				res := scanDir(t, dir, opt)
				if got := where(dir, res); !slices.Equal(got, tc.want) {
					t.Errorf("findings = %q, want %q", got, tc.want)
				}
				if got := notices(dir, res); !slices.Equal(got, tc.wantNotices) {
					t.Errorf("notices = %q, want %q", got, tc.wantNotices)
				}
				if g := res.Stats.Suppressed[finding.ByInline]; g != tc.inline {
					t.Errorf("suppressed inline = %d, want %d", g, tc.inline)
				}
				if g := res.Stats.Suppressed[finding.ByForeign]; g != tc.foreign {
					t.Errorf("suppressed foreign = %d, want %d", g, tc.foreign)
				}
				if g := res.Stats.ByConfidence[rules.High]; g != len(tc.want) {
					t.Errorf("high findings counted = %d, want %d", g, len(tc.want))
				}
			})
		}
	}
}

// A directive far from the token on a long line, across chunk boundaries.
func TestInlineDirectiveLongLine(t *testing.T) {
	pad := strings.Repeat("x ", 20000)
	text := "a = \"${ghp:1}\" " + pad + " # " + allow + " generated file\nb = 1 " + pad + " ${ghp:2}\n"
	dir := rulestest.Tree(t, map[string]string{"f.txt": text})
	res := scanDir(t, dir, scanner.Options{ChunkSize: 4096})
	if got := where(dir, res); !slices.Equal(got, []string{"f.txt:2"}) {
		t.Errorf("findings = %q", got)
	}
}

func TestParseIgnoreFile(t *testing.T) {
	fp := rules.Fingerprint(rulestest.Token("ghp", "1"))
	good := "# comment\n\nvendor/\n*.pem\n!keep.pem\n" + fp + " test fixture, revoked expires=2030-01-31\n"
	f, err := parseIgnoreFile(".ghtokenignore", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Fingerprints) != 1 || f.Fingerprints[0].Reason != "test fixture, revoked" || f.Fingerprints[0].Line != 6 ||
		f.Fingerprints[0].Expires.Format(time.DateOnly) != "2030-01-31" {
		t.Errorf("entries = %+v", f.Fingerprints)
	}
	for _, p := range []struct {
		path string
		want bool
	}{{"vendor/a/b.go", true}, {"a/vendor/x", true}, {"x.pem", true}, {"keep.pem", false}, {"src/main.go", false}} {
		if got := f.patterns.MatchesPath(p.path); got != p.want {
			t.Errorf("matchesPath(%q) = %v, want %v", p.path, got, p.want)
		}
	}
	bad := []struct{ text, want string }{
		{"sha256:abc reason\n", ".ghtokenignore:1: malformed fingerprint"},
		{"ok/\n" + fp[:10] + "X" + fp[11:] + " reason\n", ".ghtokenignore:2: malformed fingerprint"},
		{fp + "\n", ".ghtokenignore:1: fingerprint entry without a reason"},
		{fp + " expires=2030-01-01\n", ".ghtokenignore:1: fingerprint entry without a reason"},
		{fp + " reason expires=tomorrow\n", ".ghtokenignore:1: bad expires="},
		{fp + " reason owner=me\n", ".ghtokenignore:1: unknown option \"owner=\""},
		{"SHA256:" + fp[7:] + " reason\n", ".ghtokenignore:1: fingerprint"},
		{"ok/\n# c\nsrc/a[b.txt\n", ".ghtokenignore:3: path pattern cannot be used"},
	}
	for _, b := range bad {
		_, err := parseIgnoreFile(".ghtokenignore", []byte(b.text))
		var fe *FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), b.want) {
			t.Errorf("parseIgnoreFile(%q) = %v, want prefix %q", b.text, err, b.want)
		}
	}
}

func TestParseSecretScanning(t *testing.T) {
	s, err := parseSecretScanning("s.yml", []byte("paths-ignore:\n  - \"docs/**\"\n  - 'test/fixtures/*.env'\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.patterns.MatchesPath("docs/a/b.md") || !s.patterns.MatchesPath("test/fixtures/x.env") || s.patterns.MatchesPath("src/x.env") {
		t.Errorf("patterns %q match wrongly", s.PathsIgnore)
	}
	for _, b := range []struct{ text, want string }{
		{"paths-ignore:\n  - a\npaths_ignore:\n  - b\n", "s.yml:3: "},
		{"paths-ignore: [a\n", "s.yml:1: "},
		{"paths-ignore:\n  - [a, b]\n", "s.yml:2: "},
		{"paths-ignore:\n  - \"x[y\"\n", "s.yml: paths-ignore pattern \"x[y\" cannot be used"},
	} {
		_, err := parseSecretScanning("s.yml", []byte(b.text))
		var fe *FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), b.want) {
			t.Errorf("parseSecretScanning(%q) = %v, want prefix %q", b.text, err, b.want)
		}
	}
}

func TestParseBaseline(t *testing.T) {
	fp := rules.Fingerprint(rulestest.Token("ghp", "1"))
	good := `{"version": 1, "findings": [{"fingerprint": "` + fp + `", "rule": "github-pat-classic", "paths": ["a"]}]}`
	b, err := parseBaseline("b.json", []byte(good))
	if err != nil || !b.Fingerprints[fp] || len(b.Fingerprints) != 1 {
		t.Fatalf("parseBaseline = %+v, %v", b, err)
	}
	for _, c := range []struct{ text, want string }{
		{"{\n\"version\": 1,\n\"findings\": [\n{\"fingerprint\": \"" + fp + "\"},\n{\"fingerprint\": \"sha256:00\"}\n]}", "b.json:5: malformed fingerprint"},
		{"{\n\"version\": 1,\n\"extra\": 2, \"findings\": []}", "b.json:3: unknown key \"extra\""},
		{"{\"version\": 1, \"findings\": [\n{\"fingerprint\": \"" + fp + "\", \"secret\": \"x\"}]}", "b.json:2: unknown field"},
		{"{\"version\": 2, \"findings\": []}", "b.json:1: unsupported baseline version 2"},
		{"{\"version\": 1,\n\"findings\": [", "b.json:2: unexpected end of file"},
		{"[]", "b.json:1: want \"{\""},
		{"{}", "b.json:1: not a ghtoken baseline"},
	} {
		_, err := parseBaseline("b.json", []byte(c.text))
		var fe *FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("parseBaseline(%q) = %v, want prefix %q", c.text, err, c.want)
		}
	}
}

func TestSuppressionFiles(t *testing.T) {
	tok1, tok2 := rulestest.Token("ghp", "1"), rulestest.Token("ghp", "2")
	dir := rulestest.Tree(t, map[string]string{
		"a.txt":                       "x = ${ghp:1}\n",
		"b.txt":                       "x = ${ghp:2}\n",
		"c.txt":                       "x = ${ghp:3}\n",
		"d.txt":                       "x = ${ghp:4}\n",
		"vendor/v.txt":                "x = ${ghp:5}\n",
		"docs/guide.md":               "x = ${ghp:6}\n",
		".github/secret_scanning.yml": "paths-ignore:\n  - docs/**\n",
		".ghtokenignore": "vendor/\n" +
			rules.Fingerprint(tok1) + " test fixture\n" +
			rules.Fingerprint(tok2) + " old fixture expires=2020-01-01\n",
		"baseline.json": `{"version":1,"findings":[{"fingerprint":"` + rules.Fingerprint(rulestest.Token("ghp", "3")) + `","rule":"github-pat-classic"}]}`,
	})
	sup, err := Load(dir, "", filepath.Join(dir, "baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	sup.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	res := scanDir(t, dir, scanner.Options{}, sup)
	if got, want := where(dir, res), []string{"b.txt:1", "d.txt:1"}; !slices.Equal(got, want) {
		t.Errorf("findings = %q, want %q", got, want)
	}
	wantCounts := map[finding.SuppressedBy]int{finding.ByIgnoreFile: 2, finding.BySecretScanning: 1, finding.ByBaseline: 1}
	for k, v := range wantCounts {
		if res.Stats.Suppressed[k] != v {
			t.Errorf("suppressed[%s] = %d, want %d (all: %v)", k, res.Stats.Suppressed[k], v, res.Stats.Suppressed)
		}
	}
	if got := notices(dir, res); !slices.Equal(got, []string{".ghtokenignore:3:0 expired-entry"}) {
		t.Errorf("notices = %q", got)
	}
	if res.Stats.ByConfidence[rules.High] != 2 {
		t.Errorf("high = %d, want 2", res.Stats.ByConfidence[rules.High])
	}
}

// Moving, renaming and editing the file above the token keeps every
// suppression working: none is keyed on a path's line or a commit.
func TestSuppressionsSurviveMoveRenameEdit(t *testing.T) {
	tokIgnored := rulestest.Token("ghp", "ignored")
	tokBaseline := rulestest.Token("ghp", "baseline")
	files := map[string]string{
		"config/app.env":   "# " + allowNext + " local dev token, revoked\nTOKEN=${ghp:inline}\n",
		"config/other.txt": "a = ${ghp:ignored}\nb = ${ghp:baseline}\n",
		".ghtokenignore":   rules.Fingerprint(tokIgnored) + " shared test token\n",
		"baseline.json":    `{"version":1,"findings":[{"fingerprint":"` + rules.Fingerprint(tokBaseline) + `","rule":"github-pat-classic"}]}`,
	}
	dir := rulestest.Tree(t, files)
	run := func(step string) {
		t.Helper()
		sup, err := Load(dir, "", filepath.Join(dir, "baseline.json"))
		if err != nil {
			t.Fatal(err)
		}
		res := scanDir(t, dir, scanner.Options{}, sup)
		t.Logf("%-34s findings=%d suppressed=%v notices=%d", step, len(res.Findings), res.Stats.Suppressed, len(res.Notices))
		if len(res.Findings) != 0 || res.Stats.Suppressed[finding.ByInline] != 1 || res.Stats.Suppressed[finding.ByIgnoreFile] != 1 || res.Stats.Suppressed[finding.ByBaseline] != 1 {
			t.Errorf("%s: findings %q, suppressed %v", step, where(dir, res), res.Stats.Suppressed)
		}
	}
	run("as committed")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "deploy", "env"), 0o755))
	must(os.Rename(filepath.Join(dir, "config", "app.env"), filepath.Join(dir, "deploy", "env", "app.env")))
	must(os.Rename(filepath.Join(dir, "config", "other.txt"), filepath.Join(dir, "deploy", "other.txt")))
	run("moved to another directory")
	must(os.Rename(filepath.Join(dir, "deploy", "env", "app.env"), filepath.Join(dir, "deploy", "env", "production.env")))
	must(os.Rename(filepath.Join(dir, "deploy", "other.txt"), filepath.Join(dir, "deploy", "settings.ini")))
	run("renamed")
	for _, name := range []string{"deploy/env/production.env", "deploy/settings.ini"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		data, err := os.ReadFile(p)
		must(err)
		must(os.WriteFile(p, append([]byte("# a header added later\n\n\n[section]\n"), data...), 0o644))
	}
	run("edited above the token (+4 lines)")
}

// --ignore-file patterns are relative to that file's directory, while
// secret_scanning.yml stays relative to the scan root.
func TestIgnoreFileElsewhere(t *testing.T) {
	dir := rulestest.Tree(t, map[string]string{
		"a/x.txt":                     "${ghp:1}\n",
		"b/y.txt":                     "${ghp:2}\n",
		"conf/rules.ignore":           "/x.txt\n",
		".github/secret_scanning.yml": "paths-ignore:\n  - b/**\n",
	})
	sup, err := Load(dir, filepath.Join(dir, "conf", "rules.ignore"), "")
	if err != nil {
		t.Fatal(err)
	}
	res := scanDir(t, dir, scanner.Options{}, sup)
	if got := where(dir, res); !slices.Equal(got, []string{"a/x.txt:1"}) || res.Stats.Suppressed[finding.BySecretScanning] != 1 {
		t.Errorf("findings %q, suppressed %v", got, res.Stats.Suppressed)
	}
	if err := os.WriteFile(filepath.Join(dir, "conf", "rules.ignore"), []byte("/a/x.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "conf", "a")); err != nil {
		t.Fatal(err)
	}
	sup, _ = Load(dir, filepath.Join(dir, "conf", "rules.ignore"), "")
	res = scanDir(t, dir, scanner.Options{}, sup)
	if len(res.Findings) != 0 || res.Stats.Suppressed[finding.ByIgnoreFile] != 1 {
		t.Errorf("findings %q, suppressed %v", where(dir, res), res.Stats.Suppressed)
	}
}

// Directives in documentation and test fixtures are examples: they still
// allow tokens there, but are not reported as unused.
func TestUnusedDirectiveExamples(t *testing.T) {
	text := "# " + allow + " example\n"
	dir := rulestest.Tree(t, map[string]string{
		"README.md": text, "docs/guide.rst": text, "pkg/testdata/case.txtar": text, "pkg/x_test.go": text,
		"pkg/x.go": text, "testdatax/y.txt": text,
		"pkg/testdata/used.txt": "${ghp:1} # " + allow + "\n",
	})
	res := scanDir(t, dir, scanner.Options{})
	want := []string{"pkg/testdata/used.txt:1:44 missing-reason", "pkg/x.go:1:3 unused-directive", "testdatax/y.txt:1:3 unused-directive"}
	if got := notices(dir, res); !slices.Equal(got, want) {
		t.Errorf("notices = %q, want %q", got, want)
	}
}

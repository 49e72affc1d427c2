package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// escapeFamilies write one character in each escape syntax Find decodes,
// with the encoding name it reports.
var escapeFamilies = []struct {
	name, encoding string
	esc            func(c byte) string
}{
	{`\uXXXX`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\u%04x`, c) }},
	{`\uXXXX upper`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\u%04X`, c) }},
	{`\u{X}`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\u{%x}`, c) }},
	{`\UXXXXXXXX`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\U%08x`, c) }},
	{`\xXX`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\x%02x`, c) }},
	{`\x{X}`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\x{%X}`, c) }},
	{`\NNN`, "backslash-escape", func(c byte) string { return fmt.Sprintf(`\%03o`, c) }},
	{`&#xXX;`, "html-entity", func(c byte) string { return fmt.Sprintf(`&#x%x;`, c) }},
	{`&#XXX;`, "html-entity", func(c byte) string { return fmt.Sprintf(`&#X%04X;`, c) }},
	{`&#NN;`, "html-entity", func(c byte) string { return fmt.Sprintf(`&#%d;`, c) }},
	{`%XX`, "percent", func(c byte) string { return fmt.Sprintf(`%%%02X`, c) }},
	{`%xx`, "percent", func(c byte) string { return fmt.Sprintf(`%%%02x`, c) }},
	{`%uXXXX`, "percent", func(c byte) string { return fmt.Sprintf(`%%u%04X`, c) }},
	{`U+XXXX`, "unicode-codepoint", func(c byte) string { return fmt.Sprintf(`U+%04X`, c) }},
}

// findableEscaped says whether Find is sure to find the escaped token enc:
// its first two letters ("gh") are written as is, or its run of token and
// escape characters is long enough for the probe grid (82 bytes). A short
// token escaped from its first letter on is not looked for: that would cost
// every long identifier in source code.
func findableEscaped(enc string) bool {
	if strings.HasPrefix(enc, "gh") || strings.HasPrefix(enc, "gi") {
		return true
	}
	n := strings.IndexFunc(enc, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune(`_\%&#;{}+`, r))
	})
	return n < 0 && len(enc) >= 82 || n >= 82
}

// escapeAll writes every character of tok with esc, joined by sep.
func escapeAll(tok string, esc func(byte) string, sep string) string {
	parts := make([]string, len(tok))
	for i := range len(tok) {
		parts[i] = esc(tok[i])
	}
	return strings.Join(parts, sep)
}

// escapeSome writes the characters of tok whose index keep selects with esc,
// the others as they are.
func escapeSome(tok string, esc func(byte) string, keep func(i int) bool) string {
	var b strings.Builder
	for i := range len(tok) {
		if keep(i) {
			b.WriteString(esc(tok[i]))
		} else {
			b.WriteByte(tok[i])
		}
	}
	return b.String()
}

type escapedCase struct {
	name     string
	before   string
	encoded  string // the token's encoded text
	after    string
	token    string // the token it decodes to; "" when nothing must be found
	encoding string
	glued    bool
}

// TestFindEscapedFamilies writes tokens of every kind in every escape
// family, whole, with only the first letter escaped, and every other
// character escaped; the look-alike of each, written the same way, is
// never a finding.
func TestFindEscapedFamilies(t *testing.T) {
	var cases []escapedCase
	for _, kind := range []string{rulestest.ClassicPAT, rulestest.AppRefresh, rulestest.FineGrained, rulestest.Stateless} {
		tok, look := rulestest.Token(kind, "esc"), rulestest.Lookalike(kind, "esc")
		for _, fam := range escapeFamilies {
			forms := []struct {
				name string
				enc  func(string) string
			}{
				{"whole", func(s string) string { return escapeAll(s, fam.esc, "") }},
				{"first letter", func(s string) string { return escapeSome(s, fam.esc, func(i int) bool { return i == 0 }) }},
				{"every other", func(s string) string { return escapeSome(s, fam.esc, func(i int) bool { return i%2 == 1 }) }},
				{"last letter", func(s string) string { return escapeSome(s, fam.esc, func(i int) bool { return i == len(s)-1 }) }},
			}
			if fam.encoding == "unicode-codepoint" {
				forms = append(forms, struct {
					name string
					enc  func(string) string
				}{"spaced", func(s string) string { return escapeAll(s, fam.esc, " ") }})
			}
			for _, form := range forms {
				name := kind + " " + fam.name + " " + form.name
				if kind == rulestest.Stateless && form.name == "last letter" {
					// The plain search finds it, with its signature cut
					// at the escape: a stateless token has no checksum
					// to say where it ends.
					continue
				}
				if len(form.enc(tok)) > rules.MaxTokenLen-8 {
					continue // longer than one candidate decodes
				}
				if !findableEscaped(form.enc(tok)) {
					continue
				}
				cases = append(cases,
					escapedCase{name, `t = $'`, form.enc(tok), `';`, tok, fam.encoding, false},
					escapedCase{name + " look-alike", `t = $'`, form.enc(look), `';`, "", "", false})
			}
		}
	}
	checkEscaped(t, cases)
}

// TestFindEscapedMixed covers mixes of families, glued escaped tokens and
// escape-shaped text that is not a token.
func TestFindEscapedMixed(t *testing.T) {
	ghp, look := rulestest.Token(rulestest.ClassicPAT, "mix"), rulestest.Lookalike(rulestest.ClassicPAT, "mix")
	fg, lfg := rulestest.Token(rulestest.FineGrained, "mix"), rulestest.Lookalike(rulestest.FineGrained, "mix")
	ghr, lghr := rulestest.Token(rulestest.AppRefresh, "mix"), rulestest.Lookalike(rulestest.AppRefresh, "mix")
	u := func(c byte) string { return fmt.Sprintf(`\u%04x`, c) }
	pct := func(c byte) string { return fmt.Sprintf(`%%%02X`, c) }
	ent := func(c byte) string { return fmt.Sprintf(`&#%d;`, c) }
	mixed := func(s string) string {
		var b strings.Builder
		for i := range len(s) {
			switch i % 4 {
			case 0:
				b.WriteString(u(s[i]))
			case 1:
				b.WriteString(pct(s[i]))
			case 2:
				b.WriteString(ent(s[i]))
			default:
				b.WriteByte(s[i])
			}
		}
		return b.String()
	}
	cases := []escapedCase{
		{"three families and plain", `"`, mixed(ghp), `"`, ghp, "percent+backslash-escape+html-entity", false},
		{"three families look-alike", `"`, mixed(look), `"`, "", "", false},
		{"json first letter", `{"t":"`, u('g') + ghr[1:], `"}`, ghr, "backslash-escape", false},
		{"json first letter look-alike", `{"t":"`, u('g') + lghr[1:], `"}`, "", "", false},
		{"shell first letter", `t=$'`, fmt.Sprintf(`\x%02x`, 'g') + fg[1:], `'`, fg, "backslash-escape", false},
		{"shell first letter look-alike", `t=$'`, fmt.Sprintf(`\x%02x`, 'g') + lfg[1:], `'`, "", "", false},
		{"prefix letter escaped", "t=", "gh" + pct('p') + ghp[3:], "\n", ghp, "percent", false},
		{"prefix letter escaped look-alike", "t=", "gh" + pct('p') + look[3:], "\n", "", "", false},
		{"payload char escaped", "t=", ghp[:10] + pct(ghp[10]) + ghp[11:], "&x", ghp, "percent", false},
		{"payload char escaped look-alike", "t=", look[:10] + pct(look[10]) + look[11:], "&x", "", "", false},
		{"h escaped", "t=", "g" + u('h') + ghr[2:], "\n", ghr, "backslash-escape", false},
		{"github escaped", "t=", "git" + u('h') + fg[4:], "\n", fg, "backslash-escape", false},
		{"fine-grained html", "<p>", escapeAll(fg, ent, ""), "</p>", fg, "html-entity", false},
		{"glued before", "x", escapeAll(ghp, pct, ""), " ", ghp, "percent", true},
		{"glued before look-alike", "x", escapeAll(look, pct, ""), " ", "", "", false},
		{"glued after", " ", u('g') + fg[1:], "yz", fg, "backslash-escape", true},
		{"glued after look-alike", " ", u('g') + lfg[1:], "yz", "", "", false},
		{"underscore only, glued", "x", strings.Replace(ghp, "_", "%5F", 1), "", ghp, "percent", true},
		{"underscore only, glued look-alike", "x", strings.Replace(look, "_", "%5F", 1), "", "", "", false},
		{"non-ASCII escape", "", strings.Replace(ghp, "_", `\u015f`, 1), "", "", "", false},
		{"broken entity", "", strings.Replace(escapeAll(ghp, ent, ""), ";", "", 1), "", "", "", false},
		{"code point too long", "", "U+00067" + ghp[1:], "", "", "", false},
		{"escaped newline between", "", escapeAll(ghp[:20], u, "") + `\n` + escapeAll(ghp[20:], u, ""), "", "", "", false},
	}
	checkEscaped(t, cases)
}

func checkEscaped(t *testing.T, cases []escapedCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.before + tc.encoded + tc.after
			for _, lookalikes := range []bool{false, true} {
				var confirmed []rules.Match
				for _, m := range rules.Find([]byte(text), rules.Options{Lookalikes: lookalikes}, nil) {
					if m.Confidence > rules.Lookalike {
						confirmed = append(confirmed, m)
					}
				}
				if tc.token == "" {
					if len(confirmed) != 0 {
						t.Fatalf("got %v, want nothing", describe(text, confirmed))
					}
					continue
				}
				if len(confirmed) != 1 {
					t.Fatalf("got %d matches %v in %q, want 1", len(confirmed), describe(text, confirmed), text)
				}
				m := confirmed[0]
				if m.Text([]byte(text)) != tc.token || m.Encoding != tc.encoding || m.Glued != tc.glued {
					t.Errorf("got %q encoding %q glued %v, want %q glued %v", m.Text([]byte(text)), m.Encoding, m.Glued, tc.encoding, tc.glued)
				}
				if got := text[m.Start:m.End]; got != tc.encoded {
					t.Errorf("span %q, want %q", got, tc.encoded)
				}
			}
		})
	}
}

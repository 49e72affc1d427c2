package rules_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// wrap breaks s into lines of width characters, each with indent before it
// and eol after it.
func wrap(s string, width int, indent, eol string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += width {
		b.WriteString(indent + s[i:min(i+width, len(s))] + eol)
	}
	return b.String()
}

// TestFindWrappedBase64: base64 wrapped across lines decodes as one; a token
// that straddles a line break is found once, its span running from its first
// line to its last. Look-alikes and lines that do not belong together stay
// silent.
func TestFindWrappedBase64(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	ghp, fg := rulestest.Token(rulestest.ClassicPAT, "wrap"), rulestest.Token(rulestest.FineGrained, "wrap")
	bad := rulestest.Lookalike(rulestest.ClassicPAT, "wrap")
	// The token starts 22 bytes in: its encoding straddles the first line
	// break at widths 64 and 76.
	secret := func(tok string) string {
		return b64([]byte("user: someone\npassword: " + tok + "\nend of the secret, and some more text\n"))
	}
	docker := b64([]byte(`{"auths":{"ghcr.io":{"auth":"` + b64([]byte("someone:"+ghp)) + `"}}}`))
	tests := []struct {
		name, text string
		want       string // the token found, "" for none
		enc        string
		lookalike  bool // found only with Options.Lookalikes
	}{
		{"PEM, 64 a line", "-----BEGIN DATA-----\n" + wrap(secret(ghp), 64, "", "\n") + "-----END DATA-----\n", ghp, "base64", false},
		{"MIME, 76 a line, CRLF", "Content-Transfer-Encoding: base64\r\n\r\n" + wrap(secret(ghp), 76, "", "\r\n"), ghp, "base64", false},
		{"YAML block scalar", "data:\n  creds: |\n" + wrap(secret(ghp), 76, "    ", "\n") + "kind: Secret\n", ghp, "base64", false},
		{"after a key, ending at a quote", `"creds": "` + strings.TrimSuffix(wrap(secret(ghp), 60, "  ", "\n"), "\n") + `"`, ghp, "base64", false},
		{"fine-grained", wrap(secret(fg), 64, "", "\n"), fg, "base64", false},
		{"base64 inside wrapped base64", "  .dockerconfigjson: |\n" + wrap(docker, 76, "    ", "\n"), ghp, "base64>base64", false},
		// Look-alikes beside them.
		{"bad checksum", wrap(secret(bad), 64, "", "\n"), bad, "base64", true},
		{"a blank line between", strings.Replace(wrap(secret(ghp), 64, "", "\n"), "\n", "\n\n", 1), "", "", false},
		{"a comment between", strings.Replace(wrap(secret(ghp), 64, "", "\n"), "\n", "\n# note\n", 1), "", "", false},
		{"text after the first line", strings.Replace(wrap(secret(ghp), 64, "", "\n"), "\n", " x\n", 1), "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lookalikes := range []bool{false, true} {
				ms := rules.Find([]byte(tt.text), rules.Options{Lookalikes: lookalikes}, nil)
				if tt.want == "" || tt.lookalike && !lookalikes {
					for _, m := range ms {
						t.Errorf("lookalikes=%v: found %s %q (%s)", lookalikes, m.Rule.ID, m.Text([]byte(tt.text)), m.Encoding)
					}
					continue
				}
				if len(ms) != 1 {
					t.Fatalf("lookalikes=%v: %d matches, want 1: %+v", lookalikes, len(ms), ms)
				}
				m := ms[0]
				span := tt.text[m.Start:m.End]
				if m.Decoded != tt.want || m.Encoding != tt.enc || !strings.ContainsAny(span, "\r\n") {
					t.Errorf("found %q (%s) spanning %q, want %q (%s) across lines", m.Decoded, m.Encoding, span, tt.want, tt.enc)
				}
				if flat := strings.NewReplacer("\r", "", "\n", "", " ", "").Replace(span); !strings.Contains(strings.Join(strings.Fields(tt.text), ""), flat) {
					t.Errorf("span %q is not the token's encoded text", span)
				}
			}
		})
	}
}

// A token within one line of a wrapped block is found once, as before.
func TestFindWrappedBase64WithinALine(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "wrap")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", 60) + " " + ghp + " " + strings.Repeat("y", 60)))
	text := wrap(enc, 76, "  ", "\n")
	ms := rules.Find([]byte(text), rules.Options{}, nil)
	if len(ms) != 1 || ms[0].Decoded != ghp || strings.Contains(text[ms[0].Start:ms[0].End], "\n") {
		t.Fatalf("%d matches, want the token within its line: %+v", len(ms), ms)
	}
}

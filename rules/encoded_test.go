package rules_test

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func b64(s string) string    { return base64.StdEncoding.EncodeToString([]byte(s)) }
func b64url(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func TestFindEncoded(t *testing.T) {
	tok := rulestest.Token
	ghp := tok(rulestest.ClassicPAT, "enc")
	ghr := tok(rulestest.AppRefresh, "enc")
	fg := tok(rulestest.FineGrained, "enc")
	jwt := tok(rulestest.Stateless, "enc")
	docker := `{"auths":{"ghcr.io":{"auth":"` + b64("octocat:"+ghp) + `"}}}`
	tests := []struct {
		name     string
		text     string
		rule     *rules.Rule
		token    string
		encoding string
		span     string // the encoded text the match points at; "" = don't check
	}{
		{"base64 alone", b64(ghp), rules.ClassicPAT, ghp, "base64", ""},
		{"base64 after 1 byte", b64("?" + ghp), rules.ClassicPAT, ghp, "base64", ""},
		{"base64 after 2 bytes", b64("?>" + ghp), rules.ClassicPAT, ghp, "base64", ""},
		{"base64 with a newline after", b64("GH_TOKEN=" + ghp + "\n"), rules.ClassicPAT, ghp, "base64", ""},
		{"basic auth header", "Authorization: Basic " + b64("x-access-token:"+ghp) + "\r\n", rules.ClassicPAT, ghp, "base64", ""},
		{"kubernetes secret", "apiVersion: v1\nkind: Secret\ndata:\n  token: " + b64(ghr) + "\n", rules.AppRefresh, ghr, "base64", ""},
		{"base64url", b64url("?>" + fg + "?"), rules.FineGrainedPAT, fg, "base64url", ""},
		{"base64 fine-grained", b64(fg), rules.FineGrainedPAT, fg, "base64", ""},
		{"base64 of a word-glued token", b64("nawak_" + ghp), rules.ClassicPAT, ghp, "base64", ""},
		{"base64 stateless", b64(" " + jwt + " "), rules.StatelessInstallation, jwt, "base64", ""},
		{"dockerconfigjson in a secret", "  .dockerconfigjson: " + b64(docker) + "\n", rules.ClassicPAT, ghp, "base64>base64", ""},
		{"base64 of base64, shifted", b64("ab " + b64("?"+ghp)), rules.ClassicPAT, ghp, "base64>base64", ""},
		{"percent", "https://example.com/?t=" + strings.Replace(ghp, "_", "%5F", 1) + "&x=1", rules.ClassicPAT, ghp, "percent", strings.Replace(ghp, "_", "%5F", 1)},
		{"percent lower case", "t=" + strings.Replace(ghp, "_", "%5f", 1), rules.ClassicPAT, ghp, "percent", strings.Replace(ghp, "_", "%5f", 1)},
		{"percent fine-grained", "t=" + strings.ReplaceAll(fg, "_", "%5F"), rules.FineGrainedPAT, fg, "percent", strings.ReplaceAll(fg, "_", "%5F")},
		{"json unicode escape", `{"t":"` + strings.Replace(ghp, "_", `\u005f`, 1) + `"}`, rules.ClassicPAT, ghp, "backslash-escape", strings.Replace(ghp, "_", `\u005f`, 1)},
		{"js hex escape", `t = '` + strings.Replace(ghp, "_", `\x5f`, 1) + `';`, rules.ClassicPAT, ghp, "backslash-escape", strings.Replace(ghp, "_", `\x5f`, 1)},
		{"escape then newline escape", `"` + strings.Replace(ghp, "_", `\u005F`, 1) + `\n"`, rules.ClassicPAT, ghp, "backslash-escape", strings.Replace(ghp, "_", `\u005F`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := rules.Find([]byte(tt.text), rules.Options{}, nil)
			if len(ms) != 1 {
				t.Fatalf("got %d matches %v, want 1", len(ms), describe(tt.text, ms))
			}
			m := ms[0]
			if m.Rule != tt.rule || m.Encoding != tt.encoding || m.Text([]byte(tt.text)) != tt.token {
				t.Fatalf("got %s %q %q, want %s %q", m.Rule.ID, m.Encoding, m.Decoded, tt.rule.ID, tt.encoding)
			}
			span := tt.text[m.Start:m.End]
			if tt.span != "" && span != tt.span {
				t.Errorf("span %q, want %q", span, tt.span)
			}
			if tt.span == "" && !spanHolds(span, tt.token) {
				t.Errorf("span %q [%d:%d] does not decode to something holding the token", span, m.Start, m.End)
			}
		})
	}
}

// spanHolds reports whether the base64 text span, decoded (once or twice),
// contains token: the span covers the whole encoded token.
func spanHolds(span, token string) bool {
	for _, s := range []string{span, span + "=", span + "=="} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			dec, err := enc.DecodeString(s)
			if err != nil {
				continue
			}
			if strings.Contains(string(dec), token) {
				return true
			}
			// One level down: the inner base64 may be cut mid-quad.
			for cut := range 4 {
				if cut < len(dec) && spanHolds(strings.TrimRight(string(dec[cut:]), "=\"}"), token) {
					return true
				}
			}
		}
	}
	return false
}

func TestFindEncodedNegatives(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "neg")
	look := rulestest.Lookalike(rulestest.ClassicPAT, "neg")
	tests := []struct {
		name string
		text string
	}{
		{"base64 of a look-alike", b64(look)},
		{"base64 of a glued token", b64("x" + ghp)[4:]},
		{"base64 cut short", b64(ghp)[:40]},
		{"base64 of a word-glued look-alike", b64("nawak_" + look)},
		{"percent glued look-alike", "x" + strings.Replace(look, "_", "%5F", 1)},
		{"percent broken", strings.Replace(ghp, "_", "%5G", 1)},
		{"non-ASCII escape", strings.Replace(ghp, "_", `\u015f`, 1)},
		{"docs in prose", "the docFoo dodVar naHBf docs are not tokens Z2hwXyBoZWxsbw=="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ms := rules.Find([]byte(tt.text), rules.Options{}, nil); len(ms) != 0 {
				t.Errorf("got %v, want nothing", describe(tt.text, ms))
			}
		})
	}
	// A look-alike stays a look-alike when encoded.
	ms := rules.Find([]byte(b64(look)), rules.Options{Lookalikes: true}, nil)
	if len(ms) != 1 || ms[0].Confidence != rules.Lookalike || ms[0].Encoding != "base64" {
		t.Errorf("encoded look-alike: %v", describe(b64(look), ms))
	}
}

// Tokens in URLs and in JSON with escaped slashes need no decoding.
func TestFindInURLs(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "url")
	fg := rulestest.Token(rulestest.FineGrained, "url")
	for _, text := range []string{
		"https://x-access-token:" + ghp + "@github.com/o/r.git",
		"https://" + ghp + "@github.com/o/r",
		"https://oauth2:" + ghp + "@gitlab.example/x",
		`{"url":"https:\/\/x-access-token:` + ghp + `@github.com\/o\/r"}`,
		"git clone https://" + fg + "@github.com/o/r",
		"https://github.com/o/r?access_token=" + ghp + "&x=y",
		"https://user:" + url.QueryEscape(ghp) + "@github.com/",
	} {
		ms := rules.Find([]byte(text), rules.Options{}, nil)
		if len(ms) != 1 || ms[0].Encoding != "" {
			t.Errorf("%q: got %v", text, describe(text, ms))
		}
	}
}

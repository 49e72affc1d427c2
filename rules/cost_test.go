package rules

import (
	"encoding/base64"
	"strings"
	"testing"
)

// maxProbesPerByte bounds the work Find does per input byte, whatever the
// input: every detector is linear, and by a small constant. Ordinary source
// costs about one probe per byte.
const (
	maxProbesPerByte = 24
	probeSlack       = 4 * MaxTokenLen // a fixed cost per call
)

// costCases are each detector's most expensive inputs known: long runs of
// token prefixes, keywords and encoded prefixes that every candidate would
// otherwise look through to the end of.
func costCases() map[string][]byte {
	rep := func(s string, n int) []byte { return []byte(strings.Repeat(s, n/len(s)+1)[:n]) }
	b64 := base64.StdEncoding.EncodeToString
	const n = 256 << 10
	return map[string][]byte{
		"fine-grained-prefix":    rep("github_pat_", n),
		"github":                 rep("github", n),
		"gh":                     rep("gh", n),
		"keyword-ident":          rep("gh_token_", n),
		"keyword-upper":          rep("GH_TOKEN_", n),
		"keyword-lines":          rep("GITHUB_TOKEN=\n", n),
		"keyword-separators":     rep("gh_token = ", n),
		"prefixes":               rep("ghp_gho_ghu_ghs_ghr_", n),
		"percent-prefix":         rep("ghp%5F", n),
		"percent-prefix-spaced":  rep(" ghp%5F", n),
		"percent-dashed":         rep("-github%5Fpat%5F", n),
		"percent-fine-grained":   rep("github%5Fpat%5F", n),
		"escaped-prefix":         rep(`ghp\u005f`, n),
		"escaped-stateless":      rep(`-ghs\x5f1\x5f`, n),
		"base64-prefix":          rep(b64([]byte(strings.Repeat("ghp_", 3))), n),
		"base64-fine-grained":    rep(b64([]byte(strings.Repeat("github_pat_", 3))), n),
		"base64-base64-prefix":   rep(b64([]byte(b64([]byte(strings.Repeat("ghp_", 3))))), n),
		"stateless-prefix":       rep("ghs_1_", n),
		"stateless-dash":         rep("-ghs_1_eyJ", n),
		"stateless-dotted":       rep("-ghs_1_eyJhbGciOiJSUzI1NiJ9.e30.", n),
		"stateless-header-lines": rep(strings.Repeat("-ghs_1_eyJ", 50)+".e30.x\n", n),
		"refresh-lookalikes":     rep("-ghr_"+strings.Repeat("a", 76), n),
		"base64-run":             rep("QUFB", n),
		"wrapped-lines":          rep(strings.Repeat("QUFB", 16)+"\n", n),
		"wrapped-odd-width":      rep(strings.Repeat("0", 54)+"\n", n),
		"wrapped-indented-crlf":  rep("    "+strings.Repeat("QUFB", 19)+"\r\n", n),
		"wrapped-needles":        rep(wrapLines(b64([]byte(strings.Repeat("ghp_", 300))), 64), n),
		"wrapped-short-lines":    rep("  "+strings.Repeat("QUFB", 14)+"\n"+strings.Repeat("  QUFB\n", 20), n),
		"wrapped-then-text":      rep(strings.Repeat(strings.Repeat("QUFB", 16)+"\n", 60)+strings.Repeat("QUFB", 15)+": x\n", n),
		"wrapped-widths":         rep(strings.Repeat("QUFB", 14)+"\n"+strings.Repeat("QUFB", 15)+"\n"+strings.Repeat("QUFB", 16)+"\n", n),
		"concat-plus":            rep(`"ghp_" + `, n),
		"concat-implicit":        rep(`'gh' '`, n),
		"concat-prefix-chain":    rep(`"g""h""p""_"`, n),
		"concat-fine-grained":    rep(`"github_pat_" . `, n),
		"concat-template":        rep("`ghp_${\"", n),
		"concat-long-payload":    rep(`"ghr_" + "`+strings.Repeat("a", 70)+`" + `, n),
		"concat-spaced":          rep(`"ghp_`+strings.Repeat("a", 35)+`"`+strings.Repeat(" ", 40)+`"a" + `, n),
		"userinfo-hosts":         rep("a@github.com", n),
		"userinfo-long":          rep(strings.Repeat("a", 90)+"@github.com", n),
		"userinfo-urls":          rep("https://u:"+strings.Repeat("a", 40)+"@github.com/", n),
		"netrc-machines":         rep("machine github.com ", n),
		"netrc-words":            rep("machine github.com"+strings.Repeat(" login x", 80)+"\n", n),
		"yaml-hosts":             rep("github.com:\n ", n),
		"yaml-nested":            rep(" github.com:\n  oauth_token: x\n", n),
		"yaml-long-lines":        rep("github.com:\n  "+strings.Repeat("x", 600)+"\n", n),
		"npmrc":                  rep("//npm.pkg.github.com/:_authToken=", n),
		"docker-hosts":           rep(`"ghcr.io": `, n),
		"docker-objects":         rep(`"ghcr.io": {"x": "`, n),
		"docker-auths":           rep(`"ghcr.io": {"auth": "`+strings.Repeat("Q", 100), n),
		"headers":                rep("Authorization: token ", n),
		"headers-hex":            rep("Authorization: token "+strings.Repeat("a", 40)+"\n", n),
		"headers-github":         rep("github Authorization: token "+strings.Repeat("a", 40)+"\n", n),
		"v1-near-github":         rep("github v1."+strings.Repeat("a", 40)+" v1.v1.v1.", n),
		"client-secrets":         rep("github client_secret: "+strings.Repeat("a", 40)+" client_id: ", n),
		"client-ids":             rep("github Ov23 Iv1.CLIENT_ID: CLIENT_SECRET=", n),
		"client-words":           rep("github clientlientLIENT", n),
		"keyword-base64":         rep("GITHUB_TOKEN: "+strings.Repeat("QUFB", 15)+"=", n),
		"headers-basic":          rep("Authorization: Basic "+strings.Repeat("QUFB", 30)+"\n", n),
		"escaped-g-unicode":      rep(`\u0067`, n),
		"escaped-g-percent":      rep("%67", n),
		"escaped-g-entity":       rep("&#103;", n),
		"escaped-g-hex-entity":   rep("&#x67;", n),
		"escaped-g-octal":        rep(`\147`, n),
		"escaped-g-braced":       rep(`\u{67}`, n),
		"escaped-g-codepoint":    rep("U+0067 ", n),
		"escaped-g-codepoint-2":  rep("U+0067", n),
		"escaped-prefix-all":     rep(`\x67\x68\x70\x5f`, n),
		"entity-introducers":     rep("&#&#&#", n),
		"percent-u":              rep("%u%u", n),
		"g-then-escape":          rep(`g\x68`, n),
		"payload-escape":         rep("ghp_"+strings.Repeat("a", 30)+"%41", n),
		"payload-escape-fg":      rep("github_pat_"+strings.Repeat("a", 22)+"_"+strings.Repeat("b", 50)+"U+0041", n),
		"identifier-with-escape": rep(strings.Repeat("abcdefgh", 8)+`\u0041`, n),
		"escaped-run-broken":     rep(`\u0067\u0068\u0070\u005f`+strings.Repeat(`\u0041`, 30)+" ", n),
		"reversed-prefixes":      rep("_phg", n),
		"reversed-fine-grained":  rep("_tap_buhtig", n),
		"reversed-classic-runs":  rep(strings.Repeat("1", 36)+"_phg", n),
		"reversed-split-runs":    rep(strings.Repeat("1", 60)+"_rhg-", n),
	}
}

// wrapLines breaks s into lines of width characters.
func wrapLines(s string, width int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += width {
		b.WriteString(s[i:min(i+width, len(s))] + "\n")
	}
	return b.String()
}

// TestFindCostLinear bounds the probes per input byte on each worst case.
// Before the bounds, "github_pat_" repeated cost a probe per remaining byte
// for every candidate: quadratic.
func TestFindCostLinear(t *testing.T) {
	for name, in := range costCases() {
		t.Run(name, func(t *testing.T) {
			_, probes := find(in, Options{Lookalikes: true}, nil)
			if limit := maxProbesPerByte*len(in) + probeSlack; probes > limit {
				t.Errorf("%d probes for %d bytes (%.1f per byte), want at most %d per byte",
					probes, len(in), float64(probes)/float64(len(in)), maxProbesPerByte)
			}
		})
	}
}

// FuzzFindCost's property is cost: the probes Find makes stay within a fixed
// bound per input byte whatever the input. The input is repeated to make
// any superlinear pattern show.
func FuzzFindCost(f *testing.F) {
	for _, s := range []string{"github_pat_", `"ghp_" + "`, "Z2hwX2docF9naHBfZ2hwX2docF9naHBfZ2hwX2docF9naHBfZ2hwX2docF9n\n", `'g' 'h`, "ghp%5F", `ghs\x5f1\x5f`, "Z2hwX2docF9naHBf", "-ghs_1_eyJ", "gh_token = ", "GITHUB_TOKEN=\n",
		"a@github.com", "machine github.com ", "github.com:\n ", `"ghcr.io": {"auth": "`, "Authorization: token ", "github client_secret: Ov23",
		`\u0067`, "&#103;", "U+0067 ", "%u0067%67", "0_phg", "_tap_buhtig"} {
		f.Add([]byte(s), uint16(4096))
	}
	f.Fuzz(func(t *testing.T, unit []byte, reps uint16) {
		if len(unit) == 0 {
			return
		}
		in := []byte(strings.Repeat(string(unit), 1+int(reps)%(1<<16/len(unit)+1)))
		for _, lookalikes := range []bool{false, true} {
			_, probes := find(in, Options{Lookalikes: lookalikes}, nil)
			if limit := maxProbesPerByte*len(in) + probeSlack; probes > limit {
				t.Fatalf("%d probes for %d bytes of %q repeated (%.1f per byte)", probes, len(in), unit, float64(probes)/float64(len(in)))
			}
		}
	})
}

// Candidates nested in a JWT header too long to decode: the outermost is a
// look-alike, and those whose header is too long as well are part of it,
// not one look-alike each (a line of them would be dozens, and memory would
// grow with them). Not decoded, none is a finding.
func TestNestedStatelessReportedOnce(t *testing.T) {
	in := []byte(strings.Repeat("-ghs_1_eyJ", 50) + ".e30.x\n")
	ms, _ := find(in, Options{Lookalikes: true}, nil)
	long := 0
	for _, m := range ms {
		if m.Confidence != Lookalike {
			t.Errorf("a finding: %+v", m)
		}
		if strings.Contains(m.Note, "not decoded") {
			long++
		}
	}
	if len(ms) == 0 || ms[0].Start != 1 || long != 1 {
		t.Errorf("%d matches, %d of them not decoded; want the outermost one first, the only one not decoded: %+v", len(ms), long, ms)
	}
	if ms, _ := find(in, Options{}, nil); len(ms) != 0 {
		t.Errorf("%d findings, want none: %+v", len(ms), ms)
	}
}

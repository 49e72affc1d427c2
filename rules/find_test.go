package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

type want struct {
	rule       *rules.Rule
	confidence rules.Confidence
	token      string // the expected matched text
}

func find(t *testing.T, text string, lookalikes bool, path string) []rules.Match {
	t.Helper()
	return rules.Find([]byte(text), rules.Options{Lookalikes: lookalikes, Path: path}, nil)
}

// docsPlaceholder is the example token in GitHub's own documentation. It
// fails the checksum; it is assembled here so that the repository holds no
// token-shaped literal for other scanners to flag.
var docsPlaceholder = "ghu" + "_" + "16C7e42F292c6912E7710c838347Ae178B4a"

func TestFindTable(t *testing.T) {
	tok := rulestest.Token
	look := rulestest.Lookalike
	ghp := tok(rulestest.ClassicPAT, "a")
	hex := tok(rulestest.Legacy, "a")
	tests := []struct {
		name string
		text string
		path string
		want []want // with look-alikes enabled
	}{
		// Positives and look-alike negatives, side by side.
		{"classic pat", "token = " + ghp + "\n", "", []want{{rules.ClassicPAT, rules.High, ghp}}},
		{"classic pat bad checksum", "token = " + look(rulestest.ClassicPAT, "a"), "", []want{{rules.ClassicPAT, rules.Lookalike, look(rulestest.ClassicPAT, "a")}}},
		{"classic pat at start and end of input", ghp, "", []want{{rules.ClassicPAT, rules.High, ghp}}},
		{"too short", ghp[:39], "", nil},
		{"after punctuation", `"` + ghp + `",`, "", []want{{rules.ClassicPAT, rules.High, ghp}}},
		{"in a URL", "https://x-access-token:" + ghp + "@github.com/o/r", "", []want{{rules.ClassicPAT, rules.High, ghp}}},
		{"oauth", tok(rulestest.OAuth, "b"), "", []want{{rules.OAuth, rules.High, tok(rulestest.OAuth, "b")}}},
		{"app user", tok(rulestest.AppUser, "b"), "", []want{{rules.AppUser, rules.High, tok(rulestest.AppUser, "b")}}},
		{"app installation", tok(rulestest.AppInstallation, "b"), "", []want{{rules.AppInstallation, rules.High, tok(rulestest.AppInstallation, "b")}}},
		{"refresh 80 chars", tok(rulestest.AppRefresh, "b"), "", []want{{rules.AppRefresh, rules.High, tok(rulestest.AppRefresh, "b")}}},
		{"refresh truncated to 40", tok(rulestest.AppRefresh, "b")[:40] + " ", "", nil},
		{"docs placeholder", docsPlaceholder, "", []want{{rules.AppUser, rules.Lookalike, docsPlaceholder}}},
		{"fine-grained", "GH=" + tok(rulestest.FineGrained, "c"), "", []want{{rules.FineGrainedPAT, rules.High, tok(rulestest.FineGrained, "c")}}},
		{"fine-grained bad checksum", tok(rulestest.FineGrainedBadChecksum, "c"), "", []want{{rules.FineGrainedPAT, rules.Low, tok(rulestest.FineGrainedBadChecksum, "c")}}},
		{"fine-grained bad structure", look(rulestest.FineGrained, "c"), "", []want{{rules.FineGrainedPAT, rules.Lookalike, look(rulestest.FineGrained, "c")}}},
		{"stateless", "Authorization: Bearer " + tok(rulestest.Stateless, "d") + ".", "", []want{{rules.StatelessInstallation, rules.Medium, tok(rulestest.Stateless, "d")}}},
		{"stateless undecodable", look(rulestest.Stateless, "d"), "", []want{{rules.StatelessInstallation, rules.Lookalike, look(rulestest.Stateless, "d")}}},
		{"legacy after keyword", "GITHUB_TOKEN=" + hex + "\n", "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy quoted", `github_token: "` + hex + `"`, "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy gh_token", `export GH_TOKEN='` + hex + `'`, "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy Github camel", `GithubApiKey := "` + hex + `"`, "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy on next line", "github_token:\n  " + hex + "\n", "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy v1", "GITHUB_TOKEN=" + tok(rulestest.LegacyV1, "e"), "", []want{{rules.Legacy, rules.Medium, tok(rulestest.LegacyV1, "e")}}},
		{"legacy after bearer", "GITHUB_AUTH: Bearer " + hex, "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy in a call", `os.Setenv("GITHUB_TOKEN", "` + hex + `")`, "", []want{{rules.Legacy, rules.Medium, hex}}},
		{"legacy after a comment", "GITHUB_TOKEN= # " + hex, "", nil},
		{"legacy two lines down", "github_token:\n\n  " + hex + "\n", "", nil},
		{"legacy after another value", "github_token: ${{ secrets.X }} " + hex, "", nil},
		{"hex without keyword", "value = " + hex, "", nil},
		{"hex after github but no credential word", "github_repo = " + hex, "", nil},
		{"commit SHA in URL", "see https://github.com/o/r/commit/" + hex + " github_token", "", nil},
		{"commit SHA after keyword in URL", "GITHUB_TOKEN docs: https://github.com/o/r/commit/" + hex, "", nil},
		{"commit SHA after keyword and URL", "github_token: https://github.com/o/r/blob/" + hex + "/x", "", nil},
		{"SHA after at", "GITHUB_TOKEN @" + hex, "", nil},
		{"keyword naming a SHA", "GITHUB_TOKEN_SHA=" + hex, "", nil},
		{"sha256 context", "github_token sha256:" + hex, "", nil},
		{"low entropy hex", "GITHUB_TOKEN=" + strings.Repeat("ab", 20), "", []want{{rules.Legacy, rules.Lookalike, strings.Repeat("ab", 20)}}},
		{"lockfile", "github_token " + hex, "sub/go.sum", nil},
		{"lockfile keeps prefixed tokens", ghp, "package-lock.json", []want{{rules.ClassicPAT, rules.High, ghp}}},
		{"two tokens ordered", tok(rulestest.OAuth, "z") + " " + ghp, "", []want{{rules.OAuth, rules.High, tok(rulestest.OAuth, "z")}, {rules.ClassicPAT, rules.High, ghp}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(t, tt.text, true, tt.path)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d matches %v, want %d", len(got), describe(tt.text, got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Rule != w.rule || g.Confidence != w.confidence || tt.text[g.Start:g.End] != w.token {
					t.Errorf("match %d = %s %s %q, want %s %s %q", i, g.Rule.ID, g.Confidence, tt.text[g.Start:g.End], w.rule.ID, w.confidence, w.token)
				}
			}
			// Without look-alikes only the confirmed matches remain.
			confirmed := 0
			for _, w := range tt.want {
				if w.confidence != rules.Lookalike {
					confirmed++
				}
			}
			if n := len(find(t, tt.text, false, tt.path)); n != confirmed {
				t.Errorf("without look-alikes: %d matches, want %d", n, confirmed)
			}
		})
	}
}

func describe(text string, ms []rules.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Rule.ID+":"+m.Confidence.String()+":"+text[m.Start:m.End]+":"+m.Note)
	}
	return out
}

func TestFineGrainedOwner(t *testing.T) {
	for _, id := range []uint32{1, 583231, 123456789, 1<<32 - 1} {
		tok := rulestest.FineGrainedFor(id, "owner")
		ms := find(t, tok, false, "")
		if len(ms) != 1 || ms[0].OwnerUserID != id || ms[0].Confidence != rules.High {
			t.Errorf("id %d: got %v", id, describe(tok, ms))
		}
	}
}

func TestStatelessClaims(t *testing.T) {
	tok := rulestest.StatelessToken(987654, 1800000000, 1800003600, "claims")
	ms := find(t, tok, false, "")
	if len(ms) != 1 {
		t.Fatalf("got %v", describe(tok, ms))
	}
	m := ms[0]
	if m.AppID != 987654 || !m.ExpiresAt.Equal(time.Unix(1800003600, 0)) || !m.IssuedAt.Equal(time.Unix(1800000000, 0)) {
		t.Errorf("claims: app %d iat %v exp %v", m.AppID, m.IssuedAt, m.ExpiresAt)
	}
}

func TestMask(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "mask")
	got := rules.Mask(rules.ClassicPAT, ghp)
	want := "ghp_" + ghp[4:8] + "…" + ghp[36:]
	if got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
	if strings.Contains(got, ghp[8:36]) {
		t.Errorf("mask leaks the middle")
	}
	fg := rulestest.Token(rulestest.FineGrained, "mask")
	if got := rules.Mask(rules.FineGrainedPAT, fg); got != "github_pat_"+fg[11:15]+"…"+fg[89:] {
		t.Errorf("Mask fine-grained = %q", got)
	}
	if got := rules.Mask(rules.Legacy, "short"); got != "…" {
		t.Errorf("short secret masked as %q", got)
	}
}

func TestChecksumKnownVector(t *testing.T) {
	// The largest CRC32 value, 0xFFFFFFFF, encodes as "4gfFC3" (FORMATS.md §1).
	// Find a payload whose CRC is known instead: CRC32("") = 0 -> "000000".
	if got := rules.Checksum62(nil); string(got[:]) != "000000" {
		t.Errorf("Checksum62(empty) = %s", got[:])
	}
	// CRC32("a") = 0xe8b7be43 = 3904355907.
	n, s := uint64(3904355907), ""
	for range 6 {
		s = string("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[n%62]) + s
		n /= 62
	}
	if got := rules.Checksum62([]byte("a")); string(got[:]) != s {
		t.Errorf("Checksum62(a) = %s, want %s", got[:], s)
	}
}

// A keyword identifier with a long prefix (a dotted config path, a
// generated name) still gives the legacy token after it: identifiers up to
// identMax are judged whole.
func TestLegacyAfterLongIdentifier(t *testing.T) {
	hex := rulestest.Token("hex40", "longident")
	for _, prefix := range []string{"", "ORG_" + strings.Repeat("X_", 70), strings.Repeat("a.", 110)} {
		src := prefix + "GITHUB_TOKEN=" + hex + "\n"
		var found bool
		for _, m := range rules.Find([]byte(src), rules.Options{}, nil) {
			found = found || m.Confidence > rules.Lookalike && strings.Contains(src[m.Start:m.End], hex)
		}
		if !found {
			t.Errorf("prefix of %d bytes: the legacy token was not found", len(prefix))
		}
	}
}

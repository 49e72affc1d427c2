package rules_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules"
)

// jwtToken builds "ghs_" + app id + "_" + a JWT from its header and payload
// text, with a made-up signature.
func jwtToken(header, payload string) string {
	enc := base64.RawURLEncoding
	return "ghs_42_" + enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString([]byte(strings.Repeat("sig", 40)))
}

func claims(iat, exp time.Time) string {
	return fmt.Sprintf(`{"iat":%d,"exp":%d,"iss":"42"}`, iat.Unix(), exp.Unix())
}

// Only a JWT whose header and payload decode to JSON objects is a finding;
// everything else shaped like one is a look-alike, listed on request. A
// token whose own times are odd is a finding with a note that says so.
func TestStatelessLookalikesAndNotes(t *testing.T) {
	const hdr = `{"alg":"RS256","typ":"JWT"}`
	past := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	future := time.Now().AddDate(10, 0, 0)
	tests := []struct {
		name     string
		token    string
		want     rules.Confidence
		wantNote string // a substring; "" for none
	}{
		{"a real one", jwtToken(hdr, claims(past, past.Add(time.Hour))), rules.Medium, ""},
		{"an hour and a minute of skew", jwtToken(hdr, claims(past, past.Add(61*time.Minute))), rules.Medium, ""},
		{"header not JSON", jwtToken("{not json at all}", claims(past, past.Add(time.Hour))), rules.Lookalike, "header does not decode"},
		{"header without alg", jwtToken(`{"typ":"JWT"}`, claims(past, past.Add(time.Hour))), rules.Lookalike, "header does not decode"},
		{"payload not JSON", jwtToken(hdr, "{iat: soon}"), rules.Lookalike, "payload does not decode"},
		{"payload null", jwtToken(hdr, "null"), rules.Lookalike, "payload does not decode"},
		{"payload an array", jwtToken(hdr, "[1,2]"), rules.Lookalike, "payload does not decode"},
		{"payload a number", jwtToken(hdr, "12345678"), rules.Lookalike, "payload does not decode"},
		{"long header, JSON", jwtToken(`{"alg":"RS256","kid":"`+strings.Repeat("k", 300)+`"}`, claims(past, past.Add(time.Hour))), rules.Lookalike, "not decoded"},
		{"long header, junk", jwtToken("{"+strings.Repeat("x", 300), claims(past, past.Add(time.Hour))), rules.Lookalike, "not decoded"},
		{"lifetime of years", jwtToken(hdr, claims(past, past.AddDate(0, 0, 2359))), rules.Medium, "lifetime of 2359 days"},
		{"lifetime of hours", jwtToken(hdr, claims(past, past.Add(8*time.Hour))), rules.Medium, "lifetime of 8 hours"},
		{"issued in the future", jwtToken(hdr, claims(future, future.Add(time.Hour))), rules.Medium, "issued in the future"},
		{"expires before issued", jwtToken(hdr, claims(past, past.Add(-time.Hour))), rules.Medium, "expires before it was issued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte("token: " + tt.token + "\n")
			ms := rules.Find(in, rules.Options{Lookalikes: true}, nil)
			if len(ms) != 1 || ms[0].Rule != rules.StatelessInstallation || ms[0].Start != 7 || ms[0].End != 7+len(tt.token) {
				t.Fatalf("%d matches, want the whole token once: %+v", len(ms), ms)
			}
			m := ms[0]
			if m.Confidence != tt.want || (tt.wantNote == "") != (m.Note == "") || !strings.Contains(m.Note, tt.wantNote) {
				t.Errorf("confidence %s, note %q; want %s, note with %q", m.Confidence, m.Note, tt.want, tt.wantNote)
			}
			if tt.want == rules.Lookalike {
				if ms := rules.Find(in, rules.Options{}, nil); len(ms) != 0 {
					t.Errorf("a look-alike is a finding by default: %+v", ms)
				}
			}
		})
	}
}

// The advice for a stateless installation token agrees with what its JWT
// says: it never suggests waiting an hour for a token that claims years.
func TestStatelessAdviceAgreesWithItsExpiry(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	place := rules.Place{Path: "ci.log", Stage: rules.StageCommitted}
	for _, stage := range []rules.Stage{rules.StageCommitted, rules.StageStaged} {
		place.Stage = stage
		long := strings.Join(rules.RemediationFor(rules.StatelessInstallation, place, rules.Facts{ExpiresAt: now.AddDate(0, 0, 2359), Now: now}), "\n")
		if strings.Contains(long, "1-hour expiry") || strings.Contains(long, "wait for it to expire at") || !strings.Contains(long, "do not wait for it to expire") {
			t.Errorf("stage %d, valid for years: %s", stage, long)
		}
		soon := strings.Join(rules.RemediationFor(rules.StatelessInstallation, place, rules.Facts{ExpiresAt: now.Add(20 * time.Minute), Now: now}), "\n")
		if !strings.Contains(soon, "wait for it to expire at 2026-05-01 12:20 UTC") || strings.Contains(soon, "do not wait") {
			t.Errorf("stage %d, valid for 20 minutes: %s", stage, soon)
		}
		// The advice is not shared between tokens of different expiries.
		again := strings.Join(rules.RemediationFor(rules.StatelessInstallation, place, rules.Facts{ExpiresAt: now.AddDate(0, 0, 2359), Now: now}), "\n")
		if again != long {
			t.Errorf("stage %d: advice for one expiry changed after another's", stage)
		}
	}
}

package rules_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules"
)

func TestRemediationExpiredInstallationToken(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	place := rules.Place{Path: "ci.log", Stage: rules.StageCommitted}
	tests := []struct {
		name      string
		rule      *rules.Rule
		expires   time.Time
		wantFirst string
	}{
		{"expired", rules.StatelessInstallation, now.Add(-72 * time.Hour), "Lower urgency: this installation token expired on 2026-04-28 12:00 UTC"},
		{"still valid", rules.StatelessInstallation, now.Add(30 * time.Minute), "Revoke this installation token now"},
		{"no expiry known", rules.AppInstallation, time.Time{}, "Revoke this installation token now"},
		// Only installation tokens carry a trusted-enough expiry offline.
		{"other kinds ignore it", rules.ClassicPAT, now.Add(-time.Hour), "Revoke this classic personal access token now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := rules.RemediationFor(tt.rule, place, rules.Facts{ExpiresAt: tt.expires, Now: now})
			if !strings.HasPrefix(steps[0], tt.wantFirst) {
				t.Errorf("first step %q, want prefix %q", steps[0], tt.wantFirst)
			}
			// Where it was found still matters: a committed token stays in history.
			if !strings.Contains(strings.Join(steps, " "), "It is in a commit") {
				t.Errorf("steps lost the stage advice: %q", steps)
			}
		})
	}
	if got, want := rules.Remediation(rules.ClassicPAT, place), rules.RemediationFor(rules.ClassicPAT, place, rules.Facts{}); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Error("Remediation and RemediationFor without facts differ")
	}
}

// A token caught by the pre-commit hook has not left the machine: the advice
// starts with removing it, and revoking is conditional.
func TestRemediationStaged(t *testing.T) {
	steps := rules.Remediation(rules.ClassicPAT, rules.Place{Path: "app.env", Stage: rules.StageStaged})
	if !strings.HasPrefix(steps[0], "It is not committed yet") {
		t.Errorf("first step %q", steps[0])
	}
	all := strings.Join(steps, "\n")
	if strings.Contains(all, "It is in a commit") || strings.Contains(all, "security log") {
		t.Errorf("staged advice speaks of an exposure that has not happened: %q", steps)
	}
	if !strings.Contains(all, "revoke it anyway") || !strings.Contains(all, "https://github.com/settings/tokens") {
		t.Errorf("staged advice lost the conditional revocation: %q", steps)
	}
	committed := rules.Remediation(rules.ClassicPAT, rules.Place{Path: "app.env", Stage: rules.StageCommitted})
	if !strings.HasPrefix(committed[0], "Revoke this classic personal access token now") {
		t.Errorf("committed first step %q", committed[0])
	}
}

// Findings share their advice: a report of a million findings of one kind
// holds one copy of it, not a million.
func TestRemediationShared(t *testing.T) {
	a := rules.RemediationFor(rules.ClassicPAT, rules.Place{Path: "a/.env"}, rules.Facts{})
	b := rules.RemediationFor(rules.ClassicPAT, rules.Place{Path: "b/.env"}, rules.Facts{})
	if &a[0] != &b[0] {
		t.Error("the same advice was built twice")
	}
	c := rules.RemediationFor(rules.ClassicPAT, rules.Place{Path: "b/run.sh"}, rules.Facts{})
	if slices.Equal(a, c) {
		t.Error("different places share advice")
	}
}

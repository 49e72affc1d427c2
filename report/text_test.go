package report

import (
	"testing"
	"time"
)

func TestRelative(t *testing.T) {
	now := mustTime(t, "2026-05-01T12:00:00Z")
	for _, tt := range []struct{ t, want string }{
		{"2026-04-28T11:00:00Z", "expired 3 days ago"},
		{"2026-05-01T12:42:30Z", "valid for 42 more minutes"},
		{"2026-05-01T12:01:00Z", "valid for 1 more minute"},
		{"2026-05-01T17:00:00Z", "valid for 5 more hours"},
	} {
		if got := relative(mustTime(t, tt.t), now); got != tt.want {
			t.Errorf("relative(%s) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

package github

import (
	"net/http"
	"testing"
	"time"
)

// FuzzRateLimit: any headers give a sane reading, without a panic: a
// refusal only on 403 or 429.
func FuzzRateLimit(f *testing.F) {
	f.Add(429, "30", "", "")
	f.Add(403, "", "0", "1800000600")
	f.Add(200, "", "0", "junk")
	f.Add(403, "Wed, 21 Oct 2015 07:28:00 GMT", "", "")
	f.Add(500, "-5", "1", "")
	f.Fuzz(func(t *testing.T, status int, retryAfter, remaining, reset string) {
		clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
		c := &Client{now: clk.now}
		h := http.Header{}
		for k, v := range map[string]string{"Retry-After": retryAfter, "X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset} {
			if v != "" {
				h.Set(k, v)
			}
		}
		l := c.rateLimit(&http.Response{StatusCode: status, Header: h})
		if l.limited && status != http.StatusForbidden && status != http.StatusTooManyRequests {
			t.Fatalf("HTTP %d read as a rate-limit refusal", status)
		}
		_ = parseExpiration(retryAfter)
	})
}

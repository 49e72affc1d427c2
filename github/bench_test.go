package github

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// BenchmarkVerify measures verification throughput against a local server,
// with and without simulated API latency, at the default concurrency limit
// and at 1. With latency, requests/s should scale with the limit; without,
// it shows the client's own overhead per token.
func BenchmarkVerify(b *testing.B) {
	toks := make([]Token, 200)
	for i := range toks {
		toks[i] = tok(rulestest.ClassicPAT, fmt.Sprint(i))
	}
	for _, latency := range []time.Duration{0, 5 * time.Millisecond} {
		for _, conc := range []int{1, defaultConcurrency} {
			b.Run(fmt.Sprintf("latency=%s/concurrency=%d", latency, conc), func(b *testing.B) {
				c, _ := newTestClient(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					time.Sleep(latency)
					w.Header().Set("X-OAuth-Scopes", "repo")
					fmt.Fprint(w, `{"login":"octocat","id":1,"type":"User"}`)
				}))
				c.Concurrency = conc
				n := 0
				start := time.Now()
				for b.Loop() {
					// Each round is a new Verify call, so every token is sent again.
					for _, v := range c.Verify(context.Background(), toks) {
						if v.Status != StatusLive {
							b.Fatalf("%s %q", v.Status, v.Reason)
						}
					}
					n += len(toks)
				}
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "requests/s")
			})
		}
	}
}

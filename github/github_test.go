package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// fakeClock lets rate-limit waits pass instantly and records them.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.waits = append(f.waits, d)
	return nil
}

func newTestClient(t testing.TB, h http.Handler) (*Client, *fakeClock) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL+"/api/v3", "ghtoken-test")
	if err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	c.now, c.sleep = clk.now, clk.sleep
	return c, clk
}

func tok(kind, seed string) Token {
	s := rulestest.Token(kind, seed)
	m := rules.Find([]byte(s), rules.Options{}, nil)
	if len(m) != 1 {
		panic(fmt.Sprintf("rulestest token %s:%s found %d times", kind, seed, len(m)))
	}
	return Token{Rule: m[0].Rule, Confidence: m[0].Confidence, Secret: s}
}

func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

// counter counts requests per token.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(s string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[s]++
	return c.n[s]
}

func (c *counter) get(s string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[s]
}

func TestVerifyStatuses(t *testing.T) {
	live := tok(rulestest.ClassicPAT, "live")
	oauth := tok(rulestest.OAuth, "oauth")
	fine := tok(rulestest.FineGrained, "fine")
	revoked := tok(rulestest.ClassicPAT, "revoked")
	restricted := tok(rulestest.AppUser, "restricted")
	install := tok(rulestest.AppInstallation, "install")
	stateless := tok(rulestest.Stateless, "stateless")
	broken := tok(rulestest.ClassicPAT, "5xx")
	odd := tok(rulestest.ClassicPAT, "418")
	refresh := tok(rulestest.AppRefresh, "refresh")
	legacyV1 := Token{Rule: rules.Legacy, Confidence: rules.Medium, Secret: rulestest.Token(rulestest.LegacyV1, "v1")}
	look := Token{Rule: rules.ClassicPAT, Confidence: rules.Lookalike, Secret: rulestest.Lookalike(rulestest.ClassicPAT, "x")}

	var seen counter
	var bad atomic.Value
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tk := bearer(r)
		seen.add(tk)
		if r.Header.Get("X-GitHub-Api-Version") != apiVersion || r.Header.Get("User-Agent") != "ghtoken-test" ||
			!strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || r.Method != http.MethodGet {
			bad.Store(fmt.Sprintf("bad request headers: %v", r.Header))
		}
		installation := tk == install.Secret || tk == stateless.Secret || tk == legacyV1.Secret
		switch r.URL.Path {
		case "/api/v3/user":
			if installation {
				// What GitHub answers an installation token on /user.
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
				return
			}
		case "/api/v3/installation/repositories":
			if !installation {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			fmt.Fprint(w, `{"total_count":7,"repositories":[]}`)
			return
		default:
			w.WriteHeader(http.StatusNotFound)
			return
		}
		switch tk {
		case live.Secret:
			w.Header().Set("X-OAuth-Scopes", "repo, read:org")
			w.Header().Set("GitHub-Authentication-Token-Expiration", "2027-01-02 03:04:05 UTC")
			fmt.Fprint(w, `{"login":"octocat","id":583231,"type":"User"}`)
		case oauth.Secret:
			w.Header().Set("X-OAuth-Scopes", "")
			w.Header().Set("X-OAuth-Client-Id", "Iv1.abc")
			fmt.Fprint(w, `{"login":"someone","id":2,"type":"User"}`)
		case fine.Secret:
			fmt.Fprint(w, `{"login":"fine","id":3,"type":"User"}`)
		case revoked.Secret:
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Bad credentials"}`)
		case restricted.Secret:
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"Although you appear to have the correct authorization credentials, the org has an IP allow list enabled"}`)
		case broken.Secret:
			w.WriteHeader(http.StatusBadGateway)
		default:
			w.WriteHeader(http.StatusTeapot)
		}
	})
	c, _ := newTestClient(t, h)
	in := []Token{live, oauth, fine, revoked, restricted, install, stateless, broken, odd, refresh, legacyV1, look, live}
	got := c.Verify(context.Background(), in)
	if s, ok := bad.Load().(string); ok {
		t.Fatal(s)
	}
	want := []struct {
		status   Status
		endpoint string
		reason   string
	}{
		{StatusLive, "/user", ""},
		{StatusLive, "/user", ""},
		{StatusLive, "/user", ""},
		{StatusRevoked, "/user", ""},
		{StatusLiveRestricted, "/user", "IP allow list"},
		{StatusLive, "/installation/repositories", ""},
		{StatusLive, "/installation/repositories", ""},
		{StatusUnknown, "/user", "server error HTTP 502"},
		{StatusUnknown, "/user", "unexpected HTTP 418"},
		{StatusNotChecked, "", "client secret"},
		{StatusLive, "/installation/repositories", ""},
		{StatusNotChecked, "", "look-alike"},
		{StatusLive, "/user", ""},
	}
	for i, w := range want {
		g := got[i]
		if g.Status != w.status || g.Endpoint != w.endpoint || !strings.Contains(g.Reason, w.reason) || (w.reason == "" && g.Reason != "") {
			t.Errorf("token %d (%s): got %s %q %q, want %s %q containing %q", i, in[i].Rule.ID, g.Status, g.Endpoint, g.Reason, w.status, w.endpoint, w.reason)
		}
	}
	v := got[0]
	if v.Login != "octocat" || v.UserID != 583231 || !v.ScopesKnown || strings.Join(v.Scopes, "|") != "repo|read:org" ||
		!v.ExpiresAt.Equal(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("classic details: %+v", v)
	}
	if v := got[1]; !v.ScopesKnown || len(v.Scopes) != 0 || v.ClientID != "Iv1.abc" {
		t.Errorf("oauth details: %+v", v)
	}
	if v := got[2]; v.ScopesKnown || v.Login != "fine" {
		t.Errorf("fine-grained details: %+v", v)
	}
	if v := got[5]; v.Repositories != 7 {
		t.Errorf("installation repositories = %d, want 7", v.Repositories)
	}
	if n := seen.get(live.Secret); n != 1 {
		t.Errorf("a token listed twice was sent %d times, want 1", n)
	}
	for _, never := range []Token{refresh, look} {
		if n := seen.get(never.Secret); n != 0 {
			t.Errorf("%s was sent %d times, want never", never.Rule.ID, n)
		}
	}
}

func TestVerifyRetryAfterShortWait(t *testing.T) {
	a, b := tok(rulestest.ClassicPAT, "a"), tok(rulestest.ClassicPAT, "b")
	var seen counter
	var limited atomic.Bool
	c, clk := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.add(bearer(r))
		if limited.CompareAndSwap(false, true) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `{"login":"x"}`)
	}))
	c.Concurrency = 1
	got := c.Verify(context.Background(), []Token{a, b})
	for i, v := range got {
		if v.Status != StatusLive {
			t.Errorf("token %d: %s %q, want live after the wait", i, v.Status, v.Reason)
		}
	}
	if len(clk.waits) != 1 || clk.waits[0] != 30*time.Second {
		t.Errorf("waits = %v, want [30s]", clk.waits)
	}
	if seen.get(a.Secret) != 2 || seen.get(b.Secret) != 1 {
		t.Errorf("requests: a=%d b=%d, want 2 (refused, then answered) and 1", seen.get(a.Secret), seen.get(b.Secret))
	}
}

func TestVerifyLongRateLimitMakesTheRestUnknown(t *testing.T) {
	tests := []struct {
		name string
		set  func(w http.ResponseWriter, now time.Time)
		code int
	}{
		{"429 retry-after", func(w http.ResponseWriter, _ time.Time) { w.Header().Set("Retry-After", "3600") }, http.StatusTooManyRequests},
		{"403 secondary", func(w http.ResponseWriter, _ time.Time) { w.Header().Set("Retry-After", "600") }, http.StatusForbidden},
		{"403 primary", func(w http.ResponseWriter, now time.Time) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(now.Add(40*time.Minute).Unix()))
		}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent atomic.Int32
			var c *Client
			c, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sent.Add(1)
				tt.set(w, c.clock())
				w.WriteHeader(tt.code)
			}))
			c.Concurrency = 1
			toks := []Token{tok(rulestest.ClassicPAT, "1"), tok(rulestest.ClassicPAT, "2"), tok(rulestest.ClassicPAT, "3")}
			got := c.Verify(context.Background(), toks)
			for i, v := range got {
				if v.Status != StatusUnknown || !strings.Contains(v.Reason, "rate limited") {
					t.Errorf("token %d: %s %q, want unknown, rate limited", i, v.Status, v.Reason)
				}
			}
			if !strings.Contains(got[2].Reason, "longer than the 1m0s this run waits") {
				t.Errorf("reason %q does not say why the rest were not sent", got[2].Reason)
			}
			if n := sent.Load(); n != 1 {
				t.Errorf("%d requests, want 1: after a long limit nothing more is sent", n)
			}
		})
	}
}

func TestVerifyRemainingZeroOnSuccess(t *testing.T) {
	var sent atomic.Int32
	var c *Client
	c, clk := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(c.clock().Add(20*time.Second).Unix()))
		fmt.Fprint(w, `{"login":"x"}`)
	}))
	c.Concurrency = 1
	got := c.Verify(context.Background(), []Token{tok(rulestest.ClassicPAT, "1"), tok(rulestest.ClassicPAT, "2")})
	if got[0].Status != StatusLive || got[1].Status != StatusLive {
		t.Fatalf("got %+v", got)
	}
	if len(clk.waits) != 1 || clk.waits[0] != 20*time.Second {
		t.Errorf("waits = %v, want one 20s wait before the second request", clk.waits)
	}
	if sent.Load() != 2 {
		t.Errorf("%d requests, want 2", sent.Load())
	}
}

func TestVerifySlowResponseTimesOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	c.Timeout = 50 * time.Millisecond
	got := c.Verify(context.Background(), []Token{tok(rulestest.ClassicPAT, "slow")})
	if got[0].Status != StatusUnknown || !strings.Contains(got[0].Reason, "timed out") {
		t.Errorf("got %s %q, want unknown, timed out", got[0].Status, got[0].Reason)
	}
}

func TestVerifyNetworkErrorAndRedirect(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	c, _ := newTestClient(t, http.RedirectHandler(other.URL+"/user", http.StatusTemporaryRedirect))
	got := c.Verify(context.Background(), []Token{tok(rulestest.ClassicPAT, "r")})
	if got[0].Status != StatusUnknown || !strings.Contains(got[0].Reason, "redirect not followed") {
		t.Errorf("redirect: got %s %q", got[0].Status, got[0].Reason)
	}
	if elsewhere.Load() != 0 {
		t.Error("the redirect was followed: the token reached another server")
	}

	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c, err := NewClient(dead.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	got = c.Verify(context.Background(), []Token{tok(rulestest.ClassicPAT, "n")})
	if got[0].Status != StatusUnknown || !strings.Contains(got[0].Reason, "request failed") {
		t.Errorf("network error: got %s %q", got[0].Status, got[0].Reason)
	}
}

func TestVerifyConcurrencyLimit(t *testing.T) {
	var inFlight, peak atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		inFlight.Add(-1)
		fmt.Fprint(w, `{}`)
	}))
	c.Concurrency = 3
	var toks []Token
	for i := range 24 {
		toks = append(toks, tok(rulestest.ClassicPAT, fmt.Sprint(i)))
	}
	for i, v := range c.Verify(context.Background(), toks) {
		if v.Status != StatusLive {
			t.Fatalf("token %d: %s %q", i, v.Status, v.Reason)
		}
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("%d requests in flight, limit 3", p)
	}
}

func TestVerifyCancelled(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("request sent after cancel") }))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := c.Verify(ctx, []Token{tok(rulestest.ClassicPAT, "c")})
	if got[0].Status != StatusUnknown {
		t.Errorf("got %s, want unknown", got[0].Status)
	}
}

func TestParseBaseURL(t *testing.T) {
	for _, ok := range []string{"https://api.github.com", "https://ghe.example.com/api/v3/", "http://127.0.0.1:8080", "http://localhost:1/api/v3", "http://[::1]:9"} {
		if _, err := parseBaseURL(ok); err != nil {
			t.Errorf("parseBaseURL(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"http://api.github.com", "http://10.0.0.1", "ftp://x", "api.github.com", "https://u:p@ghe.example", "https://x?y=1", "", "file:///etc"} {
		if _, err := parseBaseURL(bad); err == nil {
			t.Errorf("parseBaseURL(%q) accepted", bad)
		}
	}
	c, err := NewClient("https://ghe.example.com/api/v3/", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.endpoint("/user"); got != "https://ghe.example.com/api/v3/user" {
		t.Errorf("endpoint = %q", got)
	}
}

func TestParseExpiration(t *testing.T) {
	want := time.Date(2021, 10, 7, 19, 7, 53, 0, time.UTC)
	for _, s := range []string{"2021-10-07 19:07:53 UTC", "2021-10-07 21:07:53 +0200"} {
		if got := parseExpiration(s); !got.Equal(want) {
			t.Errorf("parseExpiration(%q) = %v", s, got)
		}
	}
	if got := parseExpiration("soon"); !got.IsZero() {
		t.Errorf("parseExpiration(junk) = %v", got)
	}
}

func TestRevokeBatches(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	var total []string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v3/credentials/revoke" || r.Header.Get("Authorization") != "" ||
			r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var body struct {
			Credentials []string `json:"credentials"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		sizes = append(sizes, len(body.Credentials))
		total = append(total, body.Credentials...)
		second := len(sizes) == 2
		mu.Unlock()
		if second {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"message":"Validation Failed"}`)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	toks := make([]string, 2500)
	for i := range toks {
		toks[i] = rulestest.Token(rulestest.ClassicPAT, fmt.Sprint(i))
	}
	got := c.Revoke(context.Background(), toks)
	if fmt.Sprint(sizes) != "[1000 1000 500]" {
		t.Fatalf("request sizes %v, want [1000 1000 500]", sizes)
	}
	if strings.Join(total, ",") != strings.Join(toks, ",") {
		t.Error("the requests did not carry every token once, in order")
	}
	want := []Batch{
		{First: 0, Count: 1000, Outcome: BatchAccepted, HTTPStatus: 202},
		{First: 1000, Count: 1000, Outcome: BatchRejected, HTTPStatus: 422, Message: "Validation Failed"},
		{First: 2000, Count: 500, Outcome: BatchAccepted, HTTPStatus: 202},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("batches\n got %+v\nwant %+v", got, want)
	}
}

func TestRevokeRateLimitLeavesRestNotSent(t *testing.T) {
	var sent atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusForbidden)
	}))
	toks := make([]string, 1500)
	for i := range toks {
		toks[i] = rulestest.Token(rulestest.ClassicPAT, fmt.Sprint(i))
	}
	got := c.Revoke(context.Background(), toks)
	if len(got) != 2 || got[0].Outcome != BatchFailed || got[1].Outcome != BatchNotSent || !strings.Contains(got[1].Message, "rate limited") {
		t.Errorf("got %+v", got)
	}
	if sent.Load() != 1 {
		t.Errorf("%d requests, want 1", sent.Load())
	}
}

func TestRevocable(t *testing.T) {
	for _, r := range rules.All() {
		ok, how := Revocable(r)
		wantOK := r.Kind != rules.KindAppInstallation && r.Kind != rules.KindLegacy && r.Kind != rules.KindOAuthClientSecret
		if ok != wantOK || (!ok && how == "") {
			t.Errorf("Revocable(%s) = %v, %q", r.ID, ok, how)
		}
	}
	if _, how := Revocable(rules.AppInstallation); !strings.Contains(how, "DELETE /installation/token") {
		t.Errorf("installation advice %q does not name DELETE /installation/token", how)
	}
}

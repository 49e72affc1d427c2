package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultBaseURL is the API of github.com. GitHub Enterprise Server serves the
// same API at https://HOST/api/v3.
const defaultBaseURL = "https://api.github.com"

// apiVersion is the REST API version every request asks for.
const apiVersion = "2022-11-28"

// Defaults for the zero values of Client's fields.
const (
	defaultConcurrency = 4
	defaultTimeout     = 10 * time.Second
	defaultMaxWait     = 60 * time.Second
)

// parseBaseURL checks an API base given by the person running the tool. It
// must be an absolute https URL, or http when the host is loopback (a test
// server or a local proxy): a token must never travel in clear text.
func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil {
		return nil, fmt.Errorf("github api url %q: %w", s, err)
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("github api url %q: want an absolute URL such as %s or https://HOST/api/v3", s, defaultBaseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("github api url %q: must not carry credentials, a query or a fragment", s)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("github api url %q: http is allowed only for a loopback host; tokens must not travel in clear text", s)
		}
	default:
		return nil, fmt.Errorf("github api url %q: scheme must be https", s)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Client talks to one GitHub API. The zero value of each field but BaseURL
// means its default. A Client is safe for concurrent use; Verify and Revoke
// share its rate-limit state, so a limit met by one is honoured by the other.
type Client struct {
	// BaseURL is the API root, as checked by parseBaseURL.
	BaseURL *url.URL
	// HTTP sends the requests; nil means a client with no redirects. A
	// caller-supplied client's CheckRedirect is replaced on a copy: a
	// redirect could carry a token to another host.
	HTTP *http.Client
	// UserAgent names the tool; GitHub rejects requests without one.
	UserAgent string
	// Concurrency bounds the requests in flight.
	Concurrency int
	// Timeout bounds each request, from sending to reading the body.
	Timeout time.Duration
	// MaxWait is the longest rate-limit wait the client sits out; a longer
	// one turns the remaining work into StatusUnknown (or unsent batches).
	MaxWait time.Duration

	// now and sleep are replaced by tests.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu sync.Mutex
	// resumeAt is when the API accepts requests again after a rate limit.
	resumeAt time.Time
	// limitReason, once set, is why no more requests are sent this run.
	limitReason string
}

// NewClient returns a client for the API at base ("" means defaultBaseURL).
func NewClient(base, userAgent string) (*Client, error) {
	if base == "" {
		base = defaultBaseURL
	}
	u, err := parseBaseURL(base)
	if err != nil {
		return nil, err
	}
	return &Client{BaseURL: u, UserAgent: userAgent}, nil
}

func (c *Client) httpClient() *http.Client {
	hc := http.Client{}
	if c.HTTP != nil {
		hc = *c.HTTP
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

func (c *Client) concurrency() int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return defaultConcurrency
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return defaultTimeout
}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return defaultMaxWait
}

func (c *Client) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

func (c *Client) wait(ctx context.Context, d time.Duration) error {
	if c.sleep != nil {
		return c.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// endpoint joins the base URL and an API path that may carry a query.
func (c *Client) endpoint(path string) string {
	u := *c.BaseURL
	path, query, _ := strings.Cut(path, "?")
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = query
	return u.String()
}

func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint(path), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", apiVersion)
	ua := c.UserAgent
	if ua == "" {
		ua = "ghtoken"
	}
	req.Header.Set("User-Agent", ua)
	return req, nil
}

// errRateLimited is returned by admit when the run has given up on the API.
var errRateLimited = errors.New("rate limited")

// admit waits until the API accepts requests again, if that is soon enough.
// It returns the reason the request must not be sent otherwise.
func (c *Client) admit(ctx context.Context) (string, error) {
	for {
		c.mu.Lock()
		reason, resume := c.limitReason, c.resumeAt
		c.mu.Unlock()
		if reason != "" {
			return reason, errRateLimited
		}
		d := resume.Sub(c.clock())
		if d <= 0 {
			return "", nil
		}
		if d > c.maxWait() {
			reason = fmt.Sprintf("rate limited: GitHub accepts requests again at %s, %s from now, longer than the %s this run waits",
				resume.UTC().Format(time.RFC3339), d.Round(time.Second), c.maxWait())
			c.mu.Lock()
			if c.limitReason == "" {
				c.limitReason = reason
			}
			reason = c.limitReason
			c.mu.Unlock()
			return reason, errRateLimited
		}
		if err := c.wait(ctx, d); err != nil {
			return "", err
		}
	}
}

// limit describes the rate limit a response announces.
type limit struct {
	limited  bool      // the request itself was refused because of a limit
	resumeAt time.Time // zero: no wait needed before the next request
}

// rateLimit reads GitHub's primary and secondary rate-limit signals: a 403 or
// 429 with Retry-After or X-RateLimit-Remaining: 0 is a refusal; a success
// with X-RateLimit-Remaining: 0 means waiting before the next request.
func (c *Client) rateLimit(resp *http.Response) limit {
	h := resp.Header
	var l limit
	exhausted := h.Get("X-RateLimit-Remaining") == "0"
	retryAfter, hasRetry := parseRetryAfter(h.Get("Retry-After"), c.clock())
	refused := resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode == http.StatusForbidden && (exhausted || hasRetry)
	switch {
	case hasRetry:
		l.resumeAt = c.clock().Add(retryAfter)
	case exhausted:
		if sec, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			l.resumeAt = time.Unix(sec, 0)
		} else {
			// GitHub always sends the reset time; without it, a minute is
			// what its docs advise for secondary limits.
			l.resumeAt = c.clock().Add(time.Minute)
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		l.resumeAt = c.clock().Add(time.Minute)
	}
	l.limited = refused
	if !l.resumeAt.IsZero() {
		c.mu.Lock()
		if l.resumeAt.After(c.resumeAt) {
			c.resumeAt = l.resumeAt
		}
		c.mu.Unlock()
	}
	return l
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if sec, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && sec >= 0 {
		return time.Duration(sec) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// maxBody bounds what is read of a response: the answers used are small.
const maxBody = 1 << 20

func readBody(resp *http.Response) []byte {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return b
}

// apiMessage returns the "message" of a GitHub error body, or a short excerpt.
func apiMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if err := jsonUnmarshal(body, &e); err == nil && e.Message != "" {
		return e.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ghtoken/ghtoken/rules"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// Status is what GitHub's answer says about a token. The names are part of
// ghtoken's reports.
type Status string

// Statuses. Only an explicit 401 makes a token StatusRevoked: anything GitHub
// did not clearly say is StatusUnknown, never "dead".
const (
	// StatusLive: the API accepted the token (200).
	StatusLive Status = "live"
	// StatusRevoked: the API refused it as bad credentials (401): revoked,
	// expired or never valid.
	StatusRevoked Status = "revoked"
	// StatusLiveRestricted: the token authenticated but was refused (403
	// that is not a rate limit), for instance by an organization policy.
	StatusLiveRestricted Status = "live-restricted"
	// StatusUnknown: no answer that says either way (network error, timeout,
	// 5xx, rate limit, redirect, unexpected status). Reason says which.
	StatusUnknown Status = "unknown"
	// StatusNotChecked: the token is of a kind that must not be sent
	// (refresh tokens, look-alikes, low-confidence tokens). Reason says why.
	StatusNotChecked Status = "not-checked"
)

// Token is a token to verify, with the rule that found it.
type Token struct {
	Rule       *rules.Rule
	Confidence rules.Confidence
	Secret     string
}

// Verification is what one check of one token established.
type Verification struct {
	Status Status
	// Reason explains StatusUnknown, StatusNotChecked and
	// StatusLiveRestricted (GitHub's message); empty otherwise.
	Reason string
	// Endpoint is the API path that was asked ("/user"), empty when nothing
	// was sent.
	Endpoint string
	// HTTPStatus is the answer's status code, 0 when there was none.
	HTTPStatus int
	// Login, UserID and AccountType describe the account a user token acts
	// as (from GET /user).
	Login       string
	UserID      int64
	AccountType string
	// Scopes lists the classic or OAuth scopes (X-OAuth-Scopes) when
	// ScopesKnown; fine-grained and installation tokens have none.
	Scopes      []string
	ScopesKnown bool
	// ExpiresAt is GitHub-Authentication-Token-Expiration, zero when the
	// token does not expire or the header was absent.
	ExpiresAt time.Time
	// ClientID is X-OAuth-Client-Id: the OAuth or GitHub App the token was
	// issued to.
	ClientID string
	// Repositories is how many repositories an installation token reaches
	// (total_count of GET /installation/repositories), -1 when unknown.
	Repositories int
}

// endpointFor returns the API path that tells whether t is live, or the
// reason it is not sent. The rule table says which path answers for which
// kind of token.
func endpointFor(t Token) (string, string) {
	switch {
	case t.Confidence == rules.Lookalike:
		return "", "a look-alike (fails its checksum or structure) is never sent"
	case t.Confidence == rules.Low:
		// Only tokens that pass their checks are sent (FORMATS.md §5).
		return "", "a low-confidence token (right shape, but its checksum fails: most likely not a token) is never sent"
	case t.Rule == nil:
		return "", "no rule"
	}
	return t.Rule.VerifyEndpoint(t.Secret)
}

// Verify asks the API whether each token is live. The result at index i is
// for tokens[i]. Each distinct token is sent at most once per call (a token
// listed twice shares one answer); a request the API refused for a rate limit
// is sent again once, after the wait, if the wait is at most MaxWait.
// Requests run at most Concurrency at a time, each bounded by Timeout.
//
// Verify never fails as a whole: a token whose check could not be completed
// is StatusUnknown with the reason. A cancelled ctx makes the rest unknown.
func (c *Client) Verify(ctx context.Context, tokens []Token) []Verification {
	out := make([]Verification, len(tokens))
	type job struct {
		tok     Token
		path    string
		indices []int
	}
	var jobs []*job
	bySecret := map[string]*job{}
	for i, t := range tokens {
		if j := bySecret[t.Secret]; j != nil {
			j.indices = append(j.indices, i)
			continue
		}
		path, reason := endpointFor(t)
		if path == "" {
			out[i] = Verification{Status: StatusNotChecked, Reason: reason, Repositories: -1}
			continue
		}
		j := &job{tok: t, path: path, indices: []int{i}}
		bySecret[t.Secret] = j
		jobs = append(jobs, j)
	}
	queue := make(chan *job)
	var wg sync.WaitGroup
	for range min(c.concurrency(), len(jobs)) {
		wg.Go(func() {
			for j := range queue {
				v := c.verifyOne(ctx, j.tok.Secret, j.path)
				for _, i := range j.indices {
					out[i] = v
				}
			}
		})
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	return out
}

func unknown(reason string) Verification {
	return Verification{Status: StatusUnknown, Reason: reason, Repositories: -1}
}

func (c *Client) verifyOne(ctx context.Context, secret, path string) Verification {
	var v Verification
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return unknown("not checked: " + err.Error())
		}
		reason, err := c.admit(ctx)
		if err != nil {
			if reason == "" {
				reason = "not checked: " + err.Error()
			}
			if attempt > 0 {
				v.Reason += "; " + reason
				return v
			}
			return unknown(reason)
		}
		var l limit
		v, l = c.ask(ctx, secret, path)
		if !l.limited {
			return v
		}
		if attempt == 1 {
			v.Reason = "rate limited twice; not sent again"
			return v
		}
	}
}

// ask sends one request and interprets the answer.
func (c *Client) ask(ctx context.Context, secret, path string) (Verification, limit) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	endpoint := path
	if i := strings.IndexByte(endpoint, '?'); i >= 0 {
		endpoint = endpoint[:i]
	}
	v := unknown("")
	v.Endpoint = endpoint
	req, err := c.newRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		v.Reason = "build request: " + err.Error()
		return v, limit{}
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		v.Reason = requestError(err, c.timeout())
		return v, limit{}
	}
	defer resp.Body.Close()
	body := readBody(resp)
	if err := ctx.Err(); err != nil {
		v.Reason = requestError(err, c.timeout()) + " reading the answer"
		return v, limit{}
	}
	v.HTTPStatus = resp.StatusCode
	l := c.rateLimit(resp)
	if l.limited {
		v.Reason = fmt.Sprintf("rate limited (HTTP %d)", resp.StatusCode)
		return v, l
	}
	h := resp.Header
	switch resp.StatusCode {
	case http.StatusOK:
		v.Status, v.Reason = StatusLive, ""
		if scopes, ok := h[http.CanonicalHeaderKey("X-OAuth-Scopes")]; ok {
			v.ScopesKnown = true
			v.Scopes = splitScopes(strings.Join(scopes, ","))
		}
		v.ExpiresAt = parseExpiration(h.Get("GitHub-Authentication-Token-Expiration"))
		v.ClientID = h.Get("X-OAuth-Client-Id")
		if endpoint == "/user" {
			var u struct {
				Login string `json:"login"`
				ID    int64  `json:"id"`
				Type  string `json:"type"`
			}
			if jsonUnmarshal(body, &u) == nil {
				v.Login, v.UserID, v.AccountType = u.Login, u.ID, u.Type
			}
		} else {
			var r struct {
				TotalCount *int `json:"total_count"`
			}
			if jsonUnmarshal(body, &r) == nil && r.TotalCount != nil {
				v.Repositories = *r.TotalCount
			}
		}
	case http.StatusUnauthorized:
		v.Status, v.Reason = StatusRevoked, ""
	case http.StatusForbidden:
		v.Status = StatusLiveRestricted
		v.Reason = apiMessage(body)
	default:
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			v.Reason = fmt.Sprintf("HTTP %d redirect not followed (a redirect could carry the token elsewhere)", resp.StatusCode)
		case resp.StatusCode >= 500:
			v.Reason = fmt.Sprintf("server error HTTP %d", resp.StatusCode)
		default:
			v.Reason = fmt.Sprintf("unexpected HTTP %d", resp.StatusCode)
			if msg := apiMessage(body); msg != "" {
				v.Reason += ": " + msg
			}
		}
	}
	return v, l
}

func requestError(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("timed out after %s", timeout)
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	// url.Error repeats the URL, which is the configured base: keep it.
	return "request failed: " + err.Error()
}

func splitScopes(s string) []string {
	scopes := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			scopes = append(scopes, p)
		}
	}
	return scopes
}

// parseExpiration reads GitHub-Authentication-Token-Expiration, documented as
// "2021-10-07 19:07:53 UTC"; GitHub has also sent a numeric zone.
func parseExpiration(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ghtoken/ghtoken/rules"
)

// maxRevokeBatch is the most tokens GitHub's credential revocation API takes
// in one request.
const maxRevokeBatch = 1000

// Revocable reports whether POST /credentials/revoke accepts tokens of rule
// r, and if not, how such a token is revoked instead.
func Revocable(r *rules.Rule) (bool, string) { return r.Revocable, r.NotRevocable }

// BatchOutcome is what happened to one request of a revocation.
type BatchOutcome string

// Batch outcomes.
const (
	// BatchAccepted: 202, GitHub will revoke the tokens and notify owners.
	BatchAccepted BatchOutcome = "accepted"
	// BatchRejected: 422, validation failed or the request was seen as spam.
	BatchRejected BatchOutcome = "rejected"
	// BatchFailed: no answer, or one that says neither (5xx, 403, ...).
	BatchFailed BatchOutcome = "failed"
	// BatchNotSent: a rate limit or cancellation stopped the run first.
	BatchNotSent BatchOutcome = "not-sent"
)

// Batch is one request of a revocation: tokens[First:First+Count].
type Batch struct {
	First, Count int
	Outcome      BatchOutcome
	HTTPStatus   int
	// Message is GitHub's message or the reason for a failure.
	Message string
}

// Revoke asks GitHub to revoke tokens through POST /credentials/revoke, in
// requests of at most maxRevokeBatch tokens, one request at a time. The
// requests are unauthenticated, as the API requires (an authenticated one is
// refused). It does not filter: callers pass only tokens Revocable accepts
// and only after the person running the tool confirmed. Revocation cannot be
// undone.
//
// Every batch gets an outcome; a failed batch does not stop the next ones,
// but a rate limit longer than MaxWait or a cancelled ctx leaves the rest
// BatchNotSent.
func (c *Client) Revoke(ctx context.Context, tokens []string) []Batch {
	var out []Batch
	for first := 0; first < len(tokens); first += maxRevokeBatch {
		n := min(maxRevokeBatch, len(tokens)-first)
		out = append(out, c.revokeBatch(ctx, tokens[first:first+n], Batch{First: first, Count: n}))
	}
	return out
}

func (c *Client) revokeBatch(ctx context.Context, tokens []string, b Batch) Batch {
	body, err := json.Marshal(struct {
		Credentials []string `json:"credentials"`
	}{tokens})
	if err != nil {
		b.Outcome, b.Message = BatchFailed, "encode request: "+err.Error()
		return b
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			b.Outcome, b.Message = BatchNotSent, err.Error()
			return b
		}
		reason, err := c.admit(ctx)
		if err != nil {
			if reason == "" {
				reason = err.Error()
			}
			if attempt > 0 {
				// Sent once and refused: say so, not "not sent".
				b.Message += "; " + reason
				return b
			}
			b.Outcome, b.Message = BatchNotSent, reason
			return b
		}
		var l limit
		b, l = c.sendRevoke(ctx, body, b)
		if !l.limited {
			return b
		}
		if attempt == 1 {
			b.Message = "rate limited twice; not sent again"
			return b
		}
	}
}

func (c *Client) sendRevoke(ctx context.Context, body []byte, b Batch) (Batch, limit) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodPost, "/credentials/revoke", bytes.NewReader(body))
	if err != nil {
		b.Outcome, b.Message = BatchFailed, "build request: "+err.Error()
		return b, limit{}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		// Sent or not, we cannot tell: failed, never "not sent".
		b.Outcome, b.Message = BatchFailed, requestError(err, c.timeout())
		return b, limit{}
	}
	defer resp.Body.Close()
	msg := apiMessage(readBody(resp))
	b.HTTPStatus = resp.StatusCode
	l := c.rateLimit(resp)
	switch {
	case l.limited:
		b.Outcome, b.Message = BatchFailed, fmt.Sprintf("rate limited (HTTP %d)", resp.StatusCode)
	case resp.StatusCode == http.StatusAccepted:
		b.Outcome, b.Message = BatchAccepted, ""
	case resp.StatusCode == http.StatusUnprocessableEntity:
		b.Outcome, b.Message = BatchRejected, msg
	default:
		b.Outcome = BatchFailed
		b.Message = fmt.Sprintf("HTTP %d", resp.StatusCode)
		if msg != "" {
			b.Message += ": " + msg
		}
	}
	return b, l
}

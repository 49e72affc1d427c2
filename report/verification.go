package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/github"
)

// verificationText is the one-line text form of a verification.
func verificationText(v *github.Verification, now time.Time) string {
	s := string(v.Status)
	var details []string
	if v.Login != "" {
		d := "login " + v.Login
		if v.UserID != 0 {
			d += fmt.Sprintf(" (user id %d)", v.UserID)
		}
		details = append(details, d)
	}
	if v.ScopesKnown {
		if len(v.Scopes) == 0 {
			details = append(details, "scopes: none")
		} else {
			details = append(details, "scopes: "+strings.Join(v.Scopes, ", "))
		}
	}
	if v.Repositories >= 0 && v.Endpoint == "/installation/repositories" && v.Status == github.StatusLive {
		details = append(details, fmt.Sprintf("reaches %d %s", v.Repositories, Plural(v.Repositories, "repository", "repositories")))
	}
	if !v.ExpiresAt.IsZero() {
		details = append(details, "expires "+v.ExpiresAt.UTC().Format(time.RFC3339)+" ("+relative(v.ExpiresAt, now)+")")
	}
	if v.ClientID != "" {
		details = append(details, "OAuth client id "+v.ClientID)
	}
	if v.Reason != "" {
		details = append(details, v.Reason)
	}
	if len(details) > 0 {
		s += ": " + strings.Join(details, "; ")
	}
	return s
}

// JSONVerification is the "verification" object of a JSON finding. Other
// machine formats (SARIF properties) embed the same object.
type JSONVerification struct {
	Status       string     `json:"status"`
	Reason       string     `json:"reason,omitempty"`
	Endpoint     string     `json:"endpoint,omitempty"`
	HTTPStatus   int        `json:"http_status,omitempty"`
	Login        string     `json:"login,omitempty"`
	UserID       int64      `json:"user_id,omitempty"`
	AccountType  string     `json:"account_type,omitempty"`
	Scopes       *[]string  `json:"scopes,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	ClientID     string     `json:"oauth_client_id,omitempty"`
	Repositories *int       `json:"repositories,omitempty"`
}

// newJSONVerification converts v for machine formats; nil when v is nil.
func newJSONVerification(v *github.Verification) *JSONVerification {
	if v == nil {
		return nil
	}
	j := &JSONVerification{
		Status: string(v.Status), Reason: v.Reason, Endpoint: v.Endpoint, HTTPStatus: v.HTTPStatus,
		Login: v.Login, UserID: v.UserID, AccountType: v.AccountType, ExpiresAt: timePtr(v.ExpiresAt), ClientID: v.ClientID,
	}
	if v.ScopesKnown {
		scopes := append([]string{}, v.Scopes...)
		j.Scopes = &scopes
	}
	if v.Repositories >= 0 {
		n := v.Repositories
		j.Repositories = &n
	}
	return j
}

// Package github asks GitHub's REST API about leaked tokens: whether each one
// is still live and whose it is (Verify), and revokes them through the public
// credential revocation API (Revoke).
//
// It sends a token only when a caller asks it to, only to the API base the
// caller gives (never one read from scanned content), over HTTPS unless the
// host is loopback, and never follows a redirect. It does not print, log or
// exit: every outcome, including a network failure, is a value in its result.
// It is not a scanner: package rules finds the tokens it is given.
package github

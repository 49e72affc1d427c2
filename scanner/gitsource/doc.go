// Package gitsource yields the content git knows about as scan items: the
// staged index (Staged), the lines a range of commits adds (Range, with
// SinceRange and CI choosing the range) and every blob of a history
// (History, whose Attribute folds the findings into first introductions).
//
// Git runs with a fixed, hardened configuration (no hooks, pager, external
// diff, textconv or fsmonitor from the scanned repository). A git failure is
// an error, never an empty source. The package never prints or exits.
package gitsource

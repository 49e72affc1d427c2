package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner"
)

// report is what a Reporter renders.
type report struct {
	Result         *scanner.Result
	ShowSecrets    bool // print whole tokens: only when asked on the command line
	ShowLookalikes bool
	Colour         bool
	// Verified holds what --verify learnt, by fingerprint; nil without it.
	Verified map[string]*github.Verification
}

// verification returns what --verify learnt about f's token, or nil.
func (r *report) verification(f *scanner.Finding) *github.Verification {
	return r.Verified[f.Fingerprint]
}

// secret returns the token text as the report may show it.
func (r *report) secret(f *scanner.Finding) string {
	if r.ShowSecrets {
		return f.Secret
	}
	return f.Masked()
}

// A Reporter writes a report in one format.
type Reporter interface {
	Report(w io.Writer, r *report) error
}

var (
	_ Reporter = textReporter{}
	_ Reporter = jsonReporter{}
)

var reporters = map[string]Reporter{
	"text": textReporter{},
	"json": jsonReporter{},
}

func reporterFor(format string) (Reporter, error) {
	if r, ok := reporters[format]; ok {
		return r, nil
	}
	names := make([]string, 0, len(reporters))
	for n := range reporters {
		names = append(names, n)
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(sortedStrings(names), ", "))
}

// errWriter remembers the first write error so that reporters can write
// freely and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// confirmedCount is the number of findings that are not look-alikes.
func confirmedCount(res *scanner.Result) int {
	n := 0
	for c, k := range res.Stats.ByConfidence {
		if c != rules.Lookalike {
			n += k
		}
	}
	return n
}

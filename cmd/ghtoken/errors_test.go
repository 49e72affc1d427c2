package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/scanner/gitsource"
)

// TestExitStatus covers the one mapping from a command's error to its exit
// status and message.
func TestExitStatus(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
		out  []string // substrings of the message; none when empty
	}{
		{"success", nil, exitClean, nil},
		{"findings say nothing more", errFindings, exitFindings, nil},
		{"wrapped findings", fmt.Errorf("scan: %w", errFindings), exitFindings, []string{"ghtoken scan: scan: tokens found"}},
		{"usage points at help", usageError("bad flag %q", "x"), exitError, []string{`ghtoken scan: bad flag "x"`, `"ghtoken help scan"`}},
		{"failure", errors.New("read a: denied"), exitError, []string{"ghtoken scan: read a: denied"}},
		{"strict", errIncomplete, exitError, []string{"--strict"}},
		{"git hint", fmt.Errorf("range: %w", &gitsource.GitError{Err: errors.New("exit 128"), Hint: "run it inside a repository"}), exitError,
			[]string{"ghtoken scan: what to do: run it inside a repository"}},
		{"hint", &gitsource.HintError{Err: errors.New("no range"), Hint: "set --since"}, exitError, []string{"what to do: set --since"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			if got := exitStatus(&w, "scan", tt.err); got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
			if len(tt.out) == 0 && w.Len() > 0 {
				t.Errorf("unexpected message %q", w.String())
			}
			for _, s := range tt.out {
				if !strings.Contains(w.String(), s) {
					t.Errorf("message %q lacks %q", w.String(), s)
				}
			}
		})
	}
}

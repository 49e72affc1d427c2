package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/ghtoken/ghtoken/scanner/gitsource"
)

// Exit statuses. Scripts depend on them.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

// errorKind says what a command's error means to the person and to a
// script: it decides the exit status.
type errorKind int

const (
	// kindFailed: the command could not do its work (exit 2).
	kindFailed errorKind = iota
	// kindUsage: bad flags or arguments (exit 2); the message points at the
	// command's help.
	kindUsage
	// kindFindings: the command did its work and tokens remain: found by a
	// scan, or left unrevoked (exit 1). Its report already said so.
	kindFindings
)

// cmdError is the error a subcommand returns for anything but success.
type cmdError struct {
	kind errorKind
	err  error // nil: nothing left to say
}

func (e *cmdError) Error() string {
	if e.err == nil {
		return "tokens found"
	}
	return e.err.Error()
}

func (e *cmdError) Unwrap() error { return e.err }

// errFindings is the outcome of a command that reported tokens.
var errFindings error = &cmdError{kind: kindFindings}

// usageError is a bad flag or argument.
func usageError(format string, args ...any) error {
	return &cmdError{kind: kindUsage, err: fmt.Errorf(format, args...)}
}

// usageErr wraps an error from the flag package.
func usageErr(err error) error { return &cmdError{kind: kindUsage, err: err} }

// exitStatus is the one place an error becomes an exit status and a message
// on w; cmd names the subcommand in the message ("" for ghtoken itself).
// An error of no known kind is a failure: never a clean exit.
func exitStatus(w io.Writer, cmd string, err error) int {
	if err == nil {
		return exitClean
	}
	prefix := "ghtoken"
	if cmd != "" {
		prefix += " " + cmd
	}
	kind := kindFailed
	var ce *cmdError
	if errors.As(err, &ce) {
		kind = ce.kind
		if err == error(ce) && ce.err == nil {
			err = nil // the report said it all
		}
	}
	if err != nil {
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
	}
	switch kind {
	case kindFindings:
		return exitFindings
	case kindUsage:
		help := "ghtoken help"
		if cmd != "" {
			help += " " + cmd
		}
		fmt.Fprintf(w, "Run %q for usage.\n", help)
		return exitError
	}
	var ge *gitsource.GitError
	var he *gitsource.HintError
	switch {
	case errors.As(err, &ge) && ge.Hint != "":
		fmt.Fprintf(w, "%s: what to do: %s\n", prefix, ge.Hint)
	case errors.As(err, &he) && he.Hint != "":
		fmt.Fprintf(w, "%s: what to do: %s\n", prefix, he.Hint)
	}
	return exitError
}

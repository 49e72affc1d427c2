// Package scanner feeds content to the rules and collects what they find.
//
// A Source yields Items (files of a working tree that honours .gitignore,
// standard input, and in other files git objects); Scan reads each item in
// bounded chunks on a few workers and returns a Result whose findings are in a
// deterministic order, whatever the scheduling. Every item is either scanned
// or reported as Skipped with a reason: nothing is dropped silently.
//
// The package never prints, logs or exits; presentation belongs to cmd/ghtoken.
package scanner

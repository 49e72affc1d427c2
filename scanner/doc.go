// Package scanner is the scan engine: it reads the items a Source yields,
// decodes their text, hands the bytes to the rules and collects what they
// find, applying the inline allow directives it meets while reading.
//
// Scan reads each item in bounded chunks on a few workers and returns a
// finding.Result whose findings are in a deterministic order, whatever the
// scheduling. Every item is either scanned or reported as Skipped with a
// reason: nothing is dropped silently.
//
// The engine knows no source in particular (the directory walk is in
// scanner/walk, git's staged index, ranges and history in scanner/gitsource)
// and applies no suppression file: scanner/suppress is applied to the result
// by whoever runs the scan. It never prints, logs or exits; presentation
// belongs to cmd/ghtoken.
package scanner

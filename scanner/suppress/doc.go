// Package suppress reads the exceptions a team records once, keyed on paths
// or on a token's fingerprint (never on line numbers or commits, so they
// survive edits, moves and rebases): the .ghtokenignore file, GitHub's
// .github/secret_scanning.yml and a baseline. Suppressions.Apply removes
// what they accept from a finished finding.Result and counts it.
//
// A malformed file is an error (*FileError), never a partial read. Inline
// allow directives are not here: the engine applies them while reading.
// The package never prints or exits.
package suppress

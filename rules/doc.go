// Package rules knows what GitHub tokens look like and how to tell a real one
// from a look-alike.
//
// It finds candidates in a byte slice with literal searches (never a regular
// expression over every byte), confirms each with exact checks (length,
// alphabet, word boundaries, the CRC32/base62 or SHA-256/base32 checksum, JWT
// structure, keyword context and entropy for legacy tokens) and says what to
// do about each kind of token.
//
// It is not a file walker and does no I/O: package scanner feeds it content.
// It depends on the standard library only.
package rules

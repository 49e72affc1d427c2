// Package finding is the vocabulary every part of a scan shares: what a
// source yields (Source, Item, LineSet) and what a scan produces (Finding,
// Skipped, Notice, Stats, Result), with the one order results are sorted in.
//
// It holds data and its ordering only: it never reads a file, runs git or
// prints, so the engine, the sources, the suppressions and the reporters can
// all import it without importing each other.
package finding

package rules

// NextGPair lets the benchmarks in package rules_test, which have the
// realistic source text, time the search alone.
var NextGPair = nextGPair

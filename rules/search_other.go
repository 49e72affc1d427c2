//go:build !amd64 || purego

package rules

// nextGPair is nextGPairGo where there is no assembly version (see
// search_amd64.go), or when built with the purego tag.
func nextGPair(b []byte, i int) int { return nextGPairGo(b, i) }

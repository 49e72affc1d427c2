//go:build linux

package rules

import (
	"syscall"
	"testing"
)

// The assembly search reads 33 bytes a round with unaligned loads: text
// that ends (or starts) at the edge of an unreadable page shows that it
// never reads past either end of the slice, which a check of its results
// alone could not.
func TestNextGPairGuardPages(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(mem)
	for _, guard := range [][]byte{mem[:page], mem[2*page:]} {
		if err := syscall.Mprotect(guard, syscall.PROT_NONE); err != nil {
			t.Skipf("mprotect: %v", err)
		}
	}
	mid := mem[page : 2*page : 2*page]
	// Text without pairs makes the search run to the end; pairs at the
	// very edges, and dense text, make it stop there.
	for _, edge := range []string{"", "hg", "gh", "Gi"} {
		for k := range mid {
			mid[k] = '.'
		}
		copy(mid, edge)
		copy(mid[len(mid)-len(edge):], edge)
		for n := range 101 {
			checkGPairs(t, mid[:n:n])        // starts where a guard page ends
			checkGPairs(t, mid[len(mid)-n:]) // ends where one starts
		}
	}
	for k := range mid {
		mid[k] = denseAlphabet[(k*k+k/3)%len(denseAlphabet)]
	}
	for n := range 101 {
		checkGPairs(t, mid[:n:n])
		checkGPairs(t, mid[len(mid)-n:])
	}
}

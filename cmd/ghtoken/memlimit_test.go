package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// The scan's soft memory limit is set unless the person running it set
// GOMEMLIMIT: theirs wins.
func TestSetMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)

	const theirs = 3 << 30
	debug.SetMemoryLimit(theirs)
	setMemoryLimit(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "3GiB"
		}
		return ""
	})
	if got := debug.SetMemoryLimit(-1); got != theirs {
		t.Errorf("with GOMEMLIMIT set, the limit became %d, want %d", got, theirs)
	}
	setMemoryLimit(func(string) string { return "" })
	if got, want := debug.SetMemoryLimit(-1), memoryLimit(runtime.GOMAXPROCS(0)); got != want {
		t.Errorf("without GOMEMLIMIT, the limit is %d, want %d", got, want)
	}
	if a, b := memoryLimit(2), memoryLimit(16); a >= b || a < 32<<20 {
		t.Errorf("memoryLimit(2) = %d, memoryLimit(16) = %d: want at least 32 MiB, growing with workers", a, b)
	}
}

package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// A scan gets its own garbage collector pacing, and no memory limit (past
// a limit, a scan that keeps many findings alive has the collector run back
// to back), unless the person running it set GOGC or GOMEMLIMIT: theirs
// wins.
func TestTuneGC(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	defer func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()

	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		debug.SetGCPercent(100)
		tuneGC(func(name string) string {
			if name == k {
				return "200"
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("with %s set, the GC percent became %d, want it left at 100", k, got)
		}
	}

	tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != scanGCPercent {
		t.Errorf("without GOGC or GOMEMLIMIT, the GC percent is %d, want %d", got, scanGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("without GOGC or GOMEMLIMIT, a memory limit of %d bytes is set, want none", got)
	}
}

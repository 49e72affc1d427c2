package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// A scan gets a soft memory limit unless the person running it set GOGC or
// GOMEMLIMIT: theirs wins. After each collection the limit is twice what
// was found alive, or the floor when that is more: past a fixed limit the
// collector would run back to back.
func TestTuneGC(t *testing.T) {
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(oldLimit)

	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		tuneGC(func(name string) string {
			if name == k {
				return "200"
			}
			return ""
		})
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("with %s set, a memory limit of %d bytes was set, want none", k, got)
		}
	}
	if a, b := memoryLimit(2), memoryLimit(16); a >= b || a < 32<<20 {
		t.Errorf("memoryLimit(2) = %d, memoryLimit(16) = %d: want at least 32 MiB, growing with workers", a, b)
	}

	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	floor := int64(ms.HeapAlloc) + 64<<20 // more than the test keeps alive at first
	debug.SetMemoryLimit(floor)
	defer followLiveHeap(floor)()
	// waitLimit collects until the limit satisfies ok.
	waitLimit := func(what string, ok func(int64) bool) {
		t.Helper()
		watchdog := time.After(time.Minute) // a deadlock guard, not a measurement
		for !ok(debug.SetMemoryLimit(-1)) {
			select {
			case <-watchdog:
				t.Fatalf("%s: the limit is still %d", what, debug.SetMemoryLimit(-1))
			default:
			}
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
	}
	alive := make([]byte, floor) // twice that is over the floor
	waitLimit("with the floor's worth alive", func(l int64) bool { return l >= 2*floor })
	runtime.KeepAlive(alive)
	alive = nil
	waitLimit("with that freed", func(l int64) bool { return l == floor })
}

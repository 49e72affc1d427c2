//go:build unix

package scanner_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// BenchmarkScanTree is a whole working-tree scan, as "ghtoken scan
// --no-ignore DIR" does it: the walk, the reads, archives and every
// detector, with the command's default size limit (100 MiB). DIR is
// $GHTOKEN_BENCH_TREE, or the Go tree's src/net (real source, about 900
// files). Besides the wall time it reports the CPU time (user+system) per
// scan, which stays meaningful on a busy machine. It is what to profile for
// the tree scan:
//
//	go test ./scanner -run XXX -bench ScanTree -cpuprofile cpu.out
func BenchmarkScanTree(b *testing.B) {
	benchmarkScanTree(b, scanner.Options{MaxFileSize: 100 << 20})
}

// BenchmarkScanTreeNoArchives is BenchmarkScanTree as "ghtoken scan
// --no-ignore --no-archives DIR" does it: every file read as it is, which
// is what ripgrep does, without the decompression that dominates a tree
// holding a large bzip2 file (Go's src).
func BenchmarkScanTreeNoArchives(b *testing.B) {
	benchmarkScanTree(b, scanner.Options{MaxFileSize: 100 << 20, NoArchives: true})
}

func benchmarkScanTree(b *testing.B, opt scanner.Options) {
	dir := os.Getenv("GHTOKEN_BENCH_TREE")
	if dir == "" {
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			b.Skipf("go env GOROOT: %v", err)
		}
		dir = filepath.Join(strings.TrimSpace(string(goroot)), "src", "net")
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skip(err)
	}
	src := &walk.Paths{Args: []string{dir}, NoIgnore: true}
	var bytes int64
	cpu0 := cpuTime()
	for b.Loop() {
		res, err := scanner.Scan(context.Background(), src, opt)
		if err != nil {
			b.Fatal(err)
		}
		bytes = res.Stats.BytesScanned
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.SetBytes(bytes)
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

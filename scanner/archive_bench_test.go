//go:build unix

package scanner

import (
	"archive/zip"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// memItems is a source of items held in memory.
type memItems []member

func (s memItems) Walk(_ context.Context, emit func(finding.Item) error) error {
	for _, m := range s {
		data := []byte(m.text)
		if err := emit(finding.Item{Path: m.name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
			return sizedReader{strings.NewReader(m.text)}, nil
		}}); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkArchive scans the Go files of the Go tree's src/net (real
// source, about 8 MB) as they are, one item each, and as one tar, zip
// (deflate) and tar.gz, on one worker: what reading archives costs over
// reading the same bytes uncompressed. b.SetBytes is the uncompressed size
// in every case, so MB/s compare directly.
//
//	go test ./scanner -run XXX -bench Archive
func BenchmarkArchive(b *testing.B) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(goroot)), "src", "net")
	var files []member
	var total int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files = append(files, member{filepath.ToSlash(rel), string(data)})
			total += int64(len(data))
		}
		return nil
	})
	if len(files) == 0 {
		b.Skip("no source files in " + dir)
	}
	tarData := tarOf(b, files...)
	cases := []struct {
		name string
		src  finding.Source
	}{
		{"plain", memItems(files)},
		{"tar", memItems{{"src.tar", string(tarData)}}},
		{"zip", memItems{{"src.zip", string(zipOf(b, zip.Deflate, files...))}}},
		{"tar.gz", memItems{{"src.tar.gz", string(gzipOf(b, "", tarData))}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(total)
			cpu0 := cpuTimeNow()
			for b.Loop() {
				res, err := Scan(context.Background(), c.src, Options{Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
				if res.Stats.BytesScanned != total {
					b.Fatalf("%d bytes scanned, want %d", res.Stats.BytesScanned, total)
				}
			}
			b.ReportMetric(float64((cpuTimeNow()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTimeNow is the user and system time of the process so far.
func cpuTimeNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

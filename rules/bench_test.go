package rules_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// realisticSource is about 4 MiB of the Go standard library's own source:
// real code and comments, with the usual density of "g", "G" and "github".
func realisticSource(b *testing.B) []byte {
	b.Helper()
	var buf []byte
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	root := filepath.Join(strings.TrimSpace(string(goroot)), "src", "net", "http")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || len(buf) > 4<<20 {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil {
			buf = append(buf, data...)
		}
		return nil
	})
	if len(buf) < 1<<20 {
		b.Skip("GOROOT source not available")
	}
	return buf
}

// BenchmarkFindSource measures throughput on source text without tokens.
func BenchmarkFindSource(b *testing.B) {
	data := realisticSource(b)
	b.SetBytes(int64(len(data)))
	var dst []rules.Match
	for b.Loop() {
		dst = rules.Find(data, rules.Options{Lookalikes: true}, dst[:0])
	}
}

// BenchmarkFindDense measures throughput on text with a token (of every
// kind, in turn) on every line.
func BenchmarkFindDense(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 4<<20; i++ {
		k := rulestest.Kinds[i%len(rulestest.Kinds)]
		sb.WriteString("GITHUB_TOKEN=")
		sb.WriteString(rulestest.Token(k, string(rune('a'+i%26))))
		sb.WriteString("\n")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	var dst []rules.Match
	for b.Loop() {
		dst = rules.Find(data, rules.Options{Lookalikes: true}, dst[:0])
	}
}

// BenchmarkFindKeywordDense measures throughput on code that calls a
// package named github on every line (go-github clients): every line has
// keyword candidates and none holds a token.
func BenchmarkFindKeywordDense(b *testing.B) {
	lines := []string{
		"\topts := &github.ListOptions{PerPage: 100, Page: page}\n",
		"\tpr, _, err := client.PullRequests.Get(ctx, owner, repo, github.Int(n))\n",
		"\tcomment := &github.IssueComment{Body: github.String(body)}\n",
		"\tif ghErr, ok := err.(*github.ErrorResponse); ok && ghErr.Response.StatusCode == 404 {\n",
		"\tclient := github.NewClient(nil).WithAuthToken(os.Getenv(\"GITHUB_TOKEN\"))\n",
		"\tref := github.Ptr(\"refs/heads/\" + branch)\n",
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 4<<20; i++ {
		sb.WriteString(lines[i%len(lines)])
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	var dst []rules.Match
	for b.Loop() {
		dst = rules.Find(data, rules.Options{Lookalikes: true}, dst[:0])
	}
}

// BenchmarkNextGPairSource measures the byte search that finds where tokens
// and keywords may start, alone, visiting every place it stops as Find does.
func BenchmarkNextGPairSource(b *testing.B) {
	data := realisticSource(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for p := rules.NextGPair(data, 0); p >= 0; p = rules.NextGPair(data, p+1) {
		}
	}
}

//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// --format jsonl writes a finding's line as soon as its file is read, not at
// the end of the scan: here the scan cannot end, because a named pipe it
// reads has no writer yet, and the line of the other file must already be
// out. The pipe is then fed and closed, and the summary line ends the
// output. (The deadline only turns a hang into a failure.)
func TestJSONLStreamsFindingsAsFound(t *testing.T) {
	dir := tree(t, map[string]string{"a.env": "GITHUB_TOKEN=${ghp:stream}\n"})
	fifo := filepath.Join(dir, "later")
	mkfifo(t, fifo)
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard,
			getenv: func(string) string { return "" }}
		done <- e.dispatch([]string{"scan", "--format", "jsonl", "--workers", "2", filepath.Join(dir, "a.env"), fifo})
		pw.Close()
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var first map[string]any
	select {
	case l := <-lines:
		if err := json.Unmarshal([]byte(l), &first); err != nil {
			t.Fatalf("first line %q: %v", l, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no finding line while the scan was still running")
	}
	if first["type"] != "finding" || !strings.HasSuffix(first["path"].(string), "a.env") || first["secret_masked"] != true {
		t.Errorf("first line: %v", first)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString("nothing here\n")
	w.Close()
	var rest []string
	for l := range lines {
		rest = append(rest, l)
	}
	if code := <-done; code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	if len(rest) != 1 || !strings.Contains(rest[0], `"type":"summary"`) || !strings.Contains(rest[0], `"findings":1`) {
		t.Errorf("after the first line: %q, want only the summary", rest)
	}
}

//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestRevokeStrictSendsNothingWhenAFileWasSkipped(t *testing.T) {
	dir := tree(t, map[string]string{"a.env": "GH=${ghp:one}\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Skip("no FIFO:", err)
	}
	g := newFakeGitHub(t)
	vars := map[string]string{"GITHUB_API_URL": g.URL}
	r := runEnv(t, []string{"revoke", "--yes", "--strict", dir}, "", vars, false)
	if r.code != exitError || !strings.Contains(r.stderr, "--strict") || len(g.revoked) != 0 {
		t.Errorf("exit %d, %d requests, stderr %s", r.code, len(g.revoked), r.stderr)
	}
	if r := runEnv(t, []string{"revoke", "--yes", dir}, "", vars, false); r.code != exitClean || len(g.revoked) != 1 {
		t.Errorf("without --strict: exit %d, %d requests", r.code, len(g.revoked))
	}
}

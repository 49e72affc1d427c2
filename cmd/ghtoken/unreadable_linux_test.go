package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/internal/unprivileged"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// A file that cannot be read makes the scan exit 2, with its path and the
// reason, with or without --strict: whatever else was found, the result is
// not complete. Skips by policy (size limit, links inside a walk) do not.
func TestUnreadableExits2(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	big := tree(t, map[string]string{"big.txt": strings.Repeat("x", 5000), "small.txt": "nothing\n"})
	if err := os.Symlink(filepath.Join(big, "small.txt"), filepath.Join(big, "link")); err != nil {
		t.Fatal(err)
	}
	dirty := tree(t, map[string]string{"a.txt": "x ${ghp:unreadable}\n"})
	tests := []struct {
		name string
		args []string
		want int
		msg  string
	}{
		// A socket named on the command line cannot be opened.
		{"named socket", []string{"scan", sock}, exitError, sock},
		{"named socket, strict", []string{"scan", "--strict", sock}, exitError, "--strict"},
		// Reading /proc/self/mem at offset 0 is an I/O error.
		{"read error", []string{"scan", "/proc/self/mem"}, exitError, "/proc/self/mem"},
		{"read error beside findings", []string{"scan", dirty, "/proc/self/mem"}, exitError, "/proc/self/mem"},
		{"policy skips are not errors", []string{"scan", "--max-file-size", "1KiB", big}, exitClean, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := ghtoken(t, "", tt.args...)
			if code != tt.want || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, want %d with %q; stderr:\n%s", code, tt.want, tt.msg, stderr)
			}
			if tok := rulestest.Token(rulestest.ClassicPAT, "unreadable"); strings.Contains(stderr, tok) {
				t.Errorf("token on stderr")
			}
		})
	}
}

// Permission denied, on a file in a walk or on one named, is exit 2 with the
// path, with or without --strict.
func TestPermissionDeniedExits2(t *testing.T) {
	if !unprivileged.Run(t) { // permission bits do not stop root
		return
	}
	dir := tree(t, map[string]string{"locked.txt": "x\n", "open.txt": "nothing\n"})
	locked := filepath.Join(dir, "locked.txt")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"scan", dir}, {"scan", locked}, {"scan", "--format", "json", dir}} {
		code, _, stderr := ghtoken(t, "", args...)
		if code != exitError || !strings.Contains(stderr, "locked.txt") || !strings.Contains(stderr, "permission denied") {
			t.Errorf("%v: exit %d, want %d with the path and reason; stderr:\n%s", args, code, exitError, stderr)
		}
	}
}

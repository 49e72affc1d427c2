package unprivileged

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func TestRunPattern(t *testing.T) {
	for name, want := range map[string]string{
		"TestA":         "^TestA$",
		"TestA/sub(1)":  `^TestA$/^sub\(1\)$`,
		"TestA/b/c.d+e": `^TestA$/^b$/^c\.d\+e$`,
	} {
		if got := runPattern(name); got != want {
			t.Errorf("runPattern(%q) = %q, want %q", name, got, want)
		}
		for _, part := range regexp.MustCompile("/").Split(want, -1) {
			regexp.MustCompile(part)
		}
	}
}

// The test body runs as an ordinary user: as root the child does, and it
// cannot read a file that only its owner may.
func TestRunDropsPrivileges(t *testing.T) {
	if !Run(t) {
		return
	}
	if os.Geteuid() == 0 {
		t.Fatal("still root")
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(p); err == nil {
		t.Error("read a file with mode 0")
	}
}

package walk

import (
	"path/filepath"
	"testing"
)

// joinName gives what filepath.Join gives for the clean directories and
// listed names the walk joins.
func TestJoinName(t *testing.T) {
	for _, dir := range []string{"/", "/a", "a", ".", "..", "../b", "/a/b c", filepath.Clean("./x/../y/")} {
		for _, name := range []string{"f", ".gitignore", "a b", "..f", "f.", "ü"} {
			dir = filepath.FromSlash(dir)
			if got, want := joinName(dir, name), filepath.Join(dir, name); got != want {
				t.Errorf("joinName(%q, %q) = %q, want %q", dir, name, got, want)
			}
		}
	}
}

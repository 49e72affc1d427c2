package rulestest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Tree writes files (slash-separated names; content with placeholders,
// expanded into tokens) into a new temporary directory and returns it.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	WriteFiles(t, dir, files)
	return dir
}

// WriteFiles writes files as Tree does, into dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(Expand(content)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// IsolateGit prepares the environment for tests that run git: it skips the
// test when git is not installed, hides the user's and the system's git
// configuration (a test must not depend on the machine's), gives commits a
// fixed author and committer, and clears the variables that would point git
// at another repository (set when the tests run inside a git hook).
func IsolateGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": home, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
		"GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com",
	} {
		t.Setenv(k, v)
	}
	for _, v := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"} {
		t.Setenv(v, "") // restored after the test
		os.Unsetenv(v)
	}
}

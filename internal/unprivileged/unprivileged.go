// Package unprivileged lets a test that needs the permission checks of an
// ordinary user run as one when the tests run as root (as they do in CI,
// where a test that skips for root would never run). It is for tests only:
// nothing outside _test.go files imports it.
package unprivileged

import (
	"os"
	"testing"
)

// envChild marks the re-run child, so that it never re-runs itself.
const envChild = "GHTOKEN_UNPRIVILEGED_CHILD"

// Run returns true when the calling test should go on in this process: the
// process is not root, or it is the unprivileged child. As root on Linux it
// runs this one test again in a child process as uid and gid 65534
// (nobody), logs the child's output, fails when the child fails, skips when
// it skipped, and returns false. As root elsewhere it skips the test.
//
// The test must then create what it needs itself (t.TempDir is fine): the
// child starts in a fresh temporary directory and sees only what user 65534
// may see.
func Run(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return true
	}
	if os.Getenv(envChild) != "" {
		t.Fatal("the unprivileged child is still root")
	}
	rerun(t)
	return false
}

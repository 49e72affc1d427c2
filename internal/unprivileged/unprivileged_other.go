//go:build !linux

package unprivileged

import "testing"

func rerun(t *testing.T) {
	t.Helper()
	t.Skip("running as root, and dropping privileges for one test is only done on Linux")
}

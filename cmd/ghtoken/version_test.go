package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// TestVersion: version, --version and -v print the version, commit, date
// and Go version; -v is never taken as a scan flag.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		code, out, stderr := ghtoken(t, "", args...)
		if code != exitClean || !strings.HasPrefix(out, "ghtoken ") || !strings.Contains(out, "\ncommit:  ") ||
			!strings.Contains(out, "\ndate:    ") || !strings.Contains(out, "\ngo:      "+runtime.Version()+" ") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
}

// TestVersionStamps: what -ldflags stamps wins over what the go command
// recorded, and says which date it is.
func TestVersionStamps(t *testing.T) {
	defer func(v, c, d string) { stampedVersion, stampedCommit, stampedDate = v, c, d }(stampedVersion, stampedCommit, stampedDate)
	stampedVersion, stampedCommit, stampedDate = "v1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-12-01T10:00:00Z"
	var b bytes.Buffer
	writeVersion(&b, readBuildInfo())
	want := "ghtoken v1.2.3\ncommit:  0123456789abcdef0123456789abcdef01234567\ndate:    2026-12-01T10:00:00Z (built)\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("got\n%s\nwant it to start with\n%s", b.String(), want)
	}
	if version() != "v1.2.3" {
		t.Errorf("version() = %q", version())
	}
	b.Reset()
	writeVersion(&b, buildInfo{version: "(devel)", commit: "abc", modified: true, date: "2026-11-30T09:00:00Z", dateOf: "committed", goVer: "go1.26", platform: "linux/amd64"})
	if want := "ghtoken (devel)\ncommit:  abc (with uncommitted changes)\ndate:    2026-11-30T09:00:00Z (committed)\ngo:      go1.26 linux/amd64\n"; b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

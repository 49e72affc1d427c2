package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Set at link time by builds that have no VCS information to read, such as
// the GitHub Action's, which builds from a copy of the repository without
// .git:
//
//	-ldflags "-X main.stampedVersion=v1.2.0 -X main.stampedCommit=$(git rev-parse HEAD) -X main.stampedDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
var (
	stampedVersion string
	stampedCommit  string
	stampedDate    string // when the binary was built
)

// buildInfo is what "ghtoken version" says about the binary.
type buildInfo struct {
	version  string
	commit   string // "" when unknown
	modified bool   // built from a checkout with uncommitted changes
	date     string // "" when unknown
	dateOf   string // what date is the date of: "built" or "committed"
	goVer    string
	platform string
}

// readBuildInfo gathers the stamps, else what the go command recorded.
func readBuildInfo() buildInfo {
	b := buildInfo{version: stampedVersion, commit: stampedCommit, date: stampedDate, dateOf: "built",
		goVer: runtime.Version(), platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if b.version == "" {
			b.version = "(unknown)"
		}
		return b
	}
	if b.version == "" {
		b.version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && b.commit == "":
			b.commit = s.Value
		case s.Key == "vcs.time" && b.date == "":
			b.date, b.dateOf = s.Value, "committed"
		case s.Key == "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	if b.version == "" || b.version == "(devel)" {
		b.version = "(devel)"
		if b.commit != "" {
			b.version = short(b.commit)
		}
	}
	return b
}

// short is a commit hash cut to 12 characters.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// version is the one-word version that reports and the API's User-Agent
// carry.
func version() string { return readBuildInfo().version }

// versionCmd runs "ghtoken version" (also --version and -v).
func (e *env) versionCmd(_ *flagValues, _ []string) error {
	writeVersion(e.stdout, readBuildInfo())
	return nil
}

func writeVersion(w io.Writer, b buildInfo) {
	fmt.Fprintf(w, "ghtoken %s\n", b.version)
	commit, date := "unknown", "unknown"
	if b.commit != "" {
		commit = b.commit
		if b.modified {
			commit += " (with uncommitted changes)"
		}
	}
	if b.date != "" {
		date = b.date + " (" + b.dateOf + ")"
	}
	fmt.Fprintf(w, "commit:  %s\ndate:    %s\ngo:      %s %s\n", commit, date, b.goVer, b.platform)
}

package main

import "runtime/debug"

// stampedVersion is set at link time (-ldflags "-X main.stampedVersion=v1.2.0")
// by builds that have no VCS information to read, such as the GitHub
// Action's, which builds from a copy of the repository without .git.
var stampedVersion string

// version reports the module version the binary was built from, or the VCS
// revision for a build from a checkout.
func version() string {
	if stampedVersion != "" {
		return stampedVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && (v == "" || v == "(devel)") {
			v = s.Value
			if len(v) > 12 {
				v = v[:12]
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}

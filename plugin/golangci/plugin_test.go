package golangci

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// writePackage writes a package p under a GOPATH-style testdata directory,
// with tokens built at run time from the ${kind:seed} placeholders.
func writePackage(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src", "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "p", "p.go"), []byte(rulestest.Expand(src)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The plugin golangci-lint finds by name reports a token with the
// analyzer's diagnostics, and its settings reach the analyzer.
func TestPluginRunsTheAnalyzer(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	src := "package p\n\n" +
		"const a = \"${ghp:plugin}\" // want `github-pat-classic: .*\\[high\\]`\n" +
		"const b = \"${ghp:foreign}\" /* gitleaks:allow */"
	for _, tc := range []struct {
		settings any
		src      string
	}{
		{nil, src + "\n"},
		{map[string]any{}, src + "\n"},
		// Foreign directives no longer suppress: b is reported too.
		{map[string]any{"no-foreign-allow": true}, src + " // want `github-pat-classic`\n"},
	} {
		p, err := newPlugin(tc.settings)
		if err != nil {
			t.Fatalf("settings %v: %v", tc.settings, err)
		}
		if mode := p.GetLoadMode(); mode != register.LoadModeSyntax {
			t.Errorf("load mode %q, want %q", mode, register.LoadModeSyntax)
		}
		analyzers, err := p.BuildAnalyzers()
		if err != nil || len(analyzers) != 1 || analyzers[0].Name != "ghtoken" {
			t.Fatalf("BuildAnalyzers() = %v, %v", analyzers, err)
		}
		analysistest.Run(t, writePackage(t, tc.src), analyzers[0], "p")
	}
}

// A misspelt setting is an error, not a silently ignored line.
func TestPluginRejectsUnknownSettings(t *testing.T) {
	if _, err := New(map[string]any{"no-foreign-allows": true}); err == nil {
		t.Error("an unknown setting was accepted")
	}
}

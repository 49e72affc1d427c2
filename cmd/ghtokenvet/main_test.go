package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// TestGoVetVettool runs the documented command, go vet -vettool, on a
// throw-away module: the analyzer must report through go vet's own driver.
func TestGoVetVettool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	tool := filepath.Join(dir, "ghtokenvet")
	if out, err := exec.Command(goTool, "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	mod := filepath.Join(dir, "mod")
	os.MkdirAll(mod, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module demo\n\ngo 1.26\n"), 0o644)
	src := rulestest.Expand("package demo\n\nconst deploy = \"${ghp:vet}\"\n\nvar ok = \"${ghp:ok}\" // ghtoken:allow revoked sample for the docs\n")
	os.WriteFile(filepath.Join(mod, "demo.go"), []byte(src), 0o644)

	cmd := exec.Command(goTool, "vet", "-vettool="+tool, "./...")
	cmd.Dir = mod
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet succeeded on a leaked token:\n%s", out)
	}
	got := string(out)
	if !strings.Contains(got, "demo.go:3:17: github-pat-classic") || strings.Contains(got, "demo.go:5:") {
		t.Errorf("go vet output:\n%s", got)
	}
	if strings.Contains(got, rulestest.Token(rulestest.ClassicPAT, "vet")) {
		t.Error("go vet output shows the whole token")
	}
}

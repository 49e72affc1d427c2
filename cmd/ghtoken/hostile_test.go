package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// A file name cannot forge a report line or drive the terminal.
func TestHostileNamesQuoted(t *testing.T) {
	dir := t.TempDir()
	ghp := rulestest.Token(rulestest.ClassicPAT, "names")
	name := "a\nFAKE.txt:1:1: spoof \x1b[2J"
	if err := os.WriteFile(filepath.Join(dir, name), []byte("x="+ghp+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := ghtoken(t, "", "scan", "--no-color", dir)
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(out, "\nFAKE.txt") || strings.Contains(out, "\x1b[2J") {
		t.Errorf("raw file name in the report:\n%s", out)
	}
	if !strings.Contains(out, `a\nFAKE.txt:1:1: spoof \x1b[2J`) {
		t.Errorf("quoted name missing:\n%s", out)
	}
}

// A path with a leading dash is scanned after "--" and, walked, like any other.
func TestLeadingDash(t *testing.T) {
	dir := t.TempDir()
	ghp := rulestest.Token(rulestest.ClassicPAT, "dash")
	os.WriteFile(filepath.Join(dir, "-rf"), []byte(ghp), 0o644)
	t.Chdir(dir)
	if code, out, errOut := ghtoken(t, "", "scan", "--", "-rf"); code != exitFindings {
		t.Errorf("scan -- -rf: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := ghtoken(t, "", "scan", "."); code != exitFindings {
		t.Errorf("walk: exit %d", code)
	}
}

// Encoded findings carry "encoding" in JSON and point at the encoded text.
func TestJSONEncoding(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "json-enc")
	b64 := base64.StdEncoding.EncodeToString([]byte(ghp))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte("kind: Secret\ndata:\n  token: "+b64+"\n"), 0o644)
	code, out, _ := ghtoken(t, "", "scan", "--format", "json", dir)
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Findings []struct {
			Encoding    string `json:"encoding"`
			Line        int    `json:"line"`
			Column      int    `json:"column"`
			Fingerprint string `json:"fingerprint"`
			Secret      string `json:"secret"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 {
		t.Fatalf("findings: %s", out)
	}
	f := doc.Findings[0]
	if f.Encoding != "base64" || f.Line != 3 || f.Column != 10 || f.Fingerprint != rules.Fingerprint(ghp) || strings.Contains(out, ghp) || strings.Contains(out, b64) {
		t.Errorf("got %+v", f)
	}
}

package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func zipBytes(t *testing.T, files ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, f := range files {
		fw, err := w.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(f[1]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Archives through the real command: a token in a member is a finding at
// "archive!member"; a damaged archive whose every byte was searched is
// listed with its path, and like a bomb's limit it is a policy skip, like
// too-large: a warning, exit 2 only with --strict. Undecodable data is an
// error (exit 2).
func TestScanArchives(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "cli-archive")
	dirty := zipBytes(t, [2]string{"config/app.env", "# x\nAPI=" + tok + "\n"})
	logs := gzipBytes(t, []byte(strings.Repeat("nothing to see\n", 1000)))
	bomb := gzipBytes(t, gzipBytes(t, make([]byte, 8<<20))) // 8 MiB out of a hundred bytes
	tests := []struct {
		name   string
		file   string
		data   []byte
		args   []string
		want   int
		stdout string
		stderr string
	}{
		{"token in a member", "release.zip", dirty, nil, exitFindings, "release.zip!config/app.env:2:5", ""},
		{"no archives", "release.zip", dirty, []string{"--no-archives"}, exitClean, "", ""},
		{"clean gzip", "app.log.gz", logs, nil, exitClean, "", ""},
		{"truncated", "app.log.gz", logs[:len(logs)-9], nil, exitClean, "", "app.log.gz!app.log: damaged"},
		{"truncated, strict", "app.log.gz", logs[:len(logs)-9], []string{"--strict"}, exitError, "", "app.log.gz!app.log: damaged"},
		{"undecodable", "app.log.gz", append(logs[:10:10], 0xff, 0xff, 0xff, 0xff), nil, exitError, "", "app.log.gz!app.log: corrupt"},
		// Its directory cut off, a zip is read from its local headers.
		{"truncated zip", "release.zip", dirty[:len(dirty)-30], nil, exitFindings, "release.zip!config/app.env:2:5", "release.zip: damaged: zip: not a valid zip file"},
		{"bomb", "bomb.gz", bomb, nil, exitClean, "", "bomb.gz!bomb!bomb: archive-ratio"},
		{"bomb, strict", "bomb.gz", bomb, []string{"--strict"}, exitError, "", "archive-ratio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			code, stdout, stderr := ghtoken(t, "", append([]string{"scan", "--no-color"}, tt.args...)...)
			if code != tt.want || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d (stdout should hold %q, stderr %q)\nstdout:\n%s\nstderr:\n%s", code, tt.want, tt.stdout, tt.stderr, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, tok) {
				t.Error("a whole token was printed")
			}
		})
	}
	t.Run("stdin", func(t *testing.T) {
		code, stdout, stderr := ghtoken(t, string(dirty), "scan", "-")
		if code != exitFindings || !strings.Contains(stdout, "-!config/app.env:2:5") {
			t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
		}
	})
}

// Archives in git sources are read through the same engine: a staged zip,
// and one in the history.
func TestScanArchivesInGit(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "git-archive")
	dir := gitRepo(t)
	data := zipBytes(t, [2]string{"app.env", "API=" + tok + "\n"})
	if err := os.WriteFile(filepath.Join(dir, "dist.zip"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "add", "dist.zip")
	for _, args := range [][]string{{"scan", "--staged"}, {"scan", "--history"}, {"scan", "--since", "HEAD~1"}} {
		switch args[1] {
		case "--history":
			gitIn(t, dir, "commit", "-qm", "dist")
		case "--since":
			writeFile(t, dir, "a.txt", "a\n")
			gitIn(t, dir, "add", "a.txt")
			gitIn(t, dir, "commit", "-qm", "base")
			os.WriteFile(filepath.Join(dir, "dist.zip"), zipBytes(t, [2]string{"x.txt", "x"}, [2]string{"app.env", "API=" + tok + "\n"}), 0o644)
			gitIn(t, dir, "commit", "-qam", "change the archive")
		}
		code, stdout, stderr := runGitMode(t, dir, nil, args...)
		if code != exitFindings || !strings.Contains(stdout, "dist.zip!app.env:1:5") {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
	}
}

// A path pattern naming an archive in .ghtokenignore covers its members:
// their findings and their skips (with --strict, a corrupt member exits 2
// unless ignored).
func TestIgnoreFileCoversArchiveMembers(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "ignored-archive")
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "testdata"), 0o755)
	good := zipBytes(t, [2]string{"app.env", "API=" + tok + "\n"}, [2]string{"broken.gz", "\x1f\x8b\x08\xff"})
	os.WriteFile(filepath.Join(dir, "testdata", "fixture.zip"), good, 0o644)
	t.Chdir(dir)
	if code, stdout, stderr := ghtoken(t, "", "scan", "--strict", "--no-ignore", "."); code != exitError || !strings.Contains(stdout, "fixture.zip!app.env") {
		t.Fatalf("without the ignore file: exit %d\n%s\n%s", code, stdout, stderr)
	}
	os.WriteFile(filepath.Join(dir, ".ghtokenignore"), []byte("testdata/fixture.zip\n"), 0o644)
	if code, stdout, stderr := ghtoken(t, "", "scan", "--strict", "--no-ignore", "."); code != exitClean {
		t.Errorf("with testdata/fixture.zip ignored: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

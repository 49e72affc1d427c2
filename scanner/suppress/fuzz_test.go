package suppress

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func FuzzParseIgnoreFile(f *testing.F) {
	sum := sha256.Sum256([]byte("seed"))
	fp := "sha256:" + hex.EncodeToString(sum[:])
	for _, s := range []string{
		"vendor/\n*.pem\n!keep.pem\n# comment\n",
		fp + " test fixture expires=2030-01-01\n",
		fp + "\n",
		fp + " reason unknown=1\n",
		"sha256:zz reason\n",
		"\ufeff/a/**/b\r\n\\#not-a-comment\n",
		fp + " reason expires=2030-02-30\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ig, err := parseIgnoreFile("f", data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != "f" || fe.Line < 1 || fe.Line > bytes.Count(data, []byte{'\n'})+1 {
				t.Fatalf("error %v is not a FileError with a line in the file", err)
			}
			return
		}
		for _, e := range ig.Fingerprints {
			if len(e.Fingerprint) != len(fp) || e.Reason == "" || strings.Contains(e.Reason, "expires=") && !e.Expires.IsZero() && strings.HasSuffix(e.Reason, "expires="+e.Expires.Format("2006-01-02")) {
				t.Fatalf("bad entry %+v", e)
			}
		}
		ig.patterns.MatchesPath("a/b/c.txt")
	})
}

func FuzzParseBaseline(f *testing.F) {
	sum := sha256.Sum256([]byte("seed"))
	fp := "sha256:" + hex.EncodeToString(sum[:])
	for _, s := range []string{
		`{"version":1,"findings":[{"fingerprint":"` + fp + `","rule":"r","paths":["a"]}]}`,
		`{"version":1,"findings":[]}`,
		`{"version":2}`, `[]`, `{"findings":[{"fingerprint":1}]}`, "{\n\"version\":1,\n\"x\":[]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := parseBaseline("b", data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Line < 1 || fe.Line > bytes.Count(data, []byte{'\n'})+1 {
				t.Fatalf("error %v is not a FileError with a line in the file", err)
			}
			return
		}
		for k := range b.Fingerprints {
			if len(k) != len(fp) {
				t.Fatalf("bad fingerprint %q", k)
			}
		}
	})
}

func FuzzParseSecretScanning(f *testing.F) {
	for _, s := range []string{"paths-ignore:\n  - docs/**\n", "paths-ignore: [a, b]\n", "x: 1\n", "paths-ignore:\n  - [a]\n", "{", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseSecretScanning("s.yml", data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.Path != "s.yml" {
				t.Fatalf("error %v is not a FileError", err)
			}
			return
		}
		s.patterns.MatchesPath("a/b")
	})
}

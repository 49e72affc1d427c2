package main

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf16"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func utf16LE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// A token is found whatever surrounds it: one NUL byte does not make a file
// unscanned, nor does text in UTF-16 without a byte order mark.
func TestNothingHidesAToken(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "hidden")
	noise := make([]byte, 64<<10)
	rnd := rand.New(rand.NewPCG(9, 9))
	for i := range noise {
		noise[i] = byte(rnd.Uint32())
	}
	files := map[string][]byte{
		// printf 'GITHUB_TOKEN=%s\n\0'
		"nul.env":    []byte("GITHUB_TOKEN=" + ghp + "\n\x00"),
		"random.bin": slices.Concat(noise[:40000], []byte(ghp), noise[40000:]),
		"cyrillic":   utf16LE("# Настройки доступа\nтокен = " + ghp + "\n"),
		"cjk":        utf16LE("# 访问令牌配置文件\n令牌：" + ghp + "\n"),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, stderr := ghtoken(t, "", "scan", path); code != exitFindings {
				t.Errorf("exit %d, want %d\n%s", code, exitFindings, stderr)
			}
		})
	}
}

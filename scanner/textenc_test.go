package scanner

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func utf16Bytes(s string, order binary.AppendByteOrder, bom bool) []byte {
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

func TestTextEncodings(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "textenc")
	// The token is on line 3, after "é = " (4 code points).
	text := "# PowerShell\r\n$x = 1\r\né = " + ghp + " # 🎉\r\n"
	lf := strings.ReplaceAll(text, "\r\n", "\n")
	cr := strings.ReplaceAll(text, "\r\n", "\r")
	tests := []struct {
		name     string
		data     []byte
		encoding string
	}{
		{"utf-8 lf", []byte(lf), ""},
		{"utf-8 crlf", []byte(text), ""},
		{"utf-8 cr only", []byte(cr), ""},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...), ""},
		{"utf-16le bom", utf16Bytes(text, binary.LittleEndian, true), "utf-16le"},
		{"utf-16be bom", utf16Bytes(text, binary.BigEndian, true), "utf-16be"},
		{"utf-16le no bom", utf16Bytes(text, binary.LittleEndian, false), "utf-16le"},
		{"utf-16be no bom", utf16Bytes(text, binary.BigEndian, false), "utf-16be"},
		{"utf-16le cr only", utf16Bytes(cr, binary.LittleEndian, true), "utf-16le"},
	}
	for _, tt := range tests {
		for _, chunk := range []int{7, 64, 1 << 20} {
			var got []streamMatch
			info, _, err := scanStream(bytes.NewReader(tt.data), "x.ps1", chunk, nil, func(m streamMatch) { got = append(got, m) })
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if info.n != int64(len(tt.data)) || info.binary {
				t.Errorf("%s: read %d bytes, want %d; binary %v", tt.name, info.n, len(tt.data), info.binary)
			}
			if len(got) != 1 {
				t.Fatalf("%s chunk %d: %d matches", tt.name, chunk, len(got))
			}
			m := got[0]
			if m.line != 3 || m.col != 5 || m.endCol != 45 || m.secret != ghp || m.Encoding != tt.encoding {
				t.Errorf("%s chunk %d: line %d col %d-%d encoding %q secret ok %v", tt.name, chunk, m.line, m.col, m.endCol, m.Encoding, m.secret == ghp)
			}
		}
	}
}

func TestCROnlyLines(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "cr")
	// Many short CR-terminated lines so that chunk boundaries fall everywhere,
	// including between a CR and what follows.
	var b strings.Builder
	for range 300 {
		b.WriteString("a\r")
	}
	b.WriteString("  " + ghp + "\r")
	for _, chunk := range []int{1, 2, 3, 5, 4096} {
		var got []streamMatch
		if _, _, err := scanStream(strings.NewReader(b.String()), "", chunk, nil, func(m streamMatch) { got = append(got, m) }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].line != 301 || got[0].col != 3 {
			t.Errorf("chunk %d: %+v", chunk, got)
		}
	}
}

func TestUTF16Broken(t *testing.T) {
	// Unpaired surrogates, an odd trailing byte: no panic, the token after
	// them is still found.
	ghp := rulestest.Token(rulestest.OAuth, "broken")
	data := []byte{0xFF, 0xFE, 0x00, 0xD8, 'a', 0, 0x00, 0xDC, ' ', 0}
	data = append(data, utf16Bytes(ghp+" ", binary.LittleEndian, false)...)
	data = append(data, 0x00, 0xD8, 'x')
	var got []streamMatch
	if _, _, err := scanStream(bytes.NewReader(data), "", 16, nil, func(m streamMatch) { got = append(got, m) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].secret != ghp {
		t.Fatalf("got %+v", got)
	}
}

func TestBinaryStillBinary(t *testing.T) {
	// NUL pairs are binary, not UTF-16.
	data := append([]byte("\x00\x00\x00\x00PK"), bytes.Repeat([]byte{1, 0}, 100)...)
	info, _, err := scanStream(bytes.NewReader(data), "", 64, nil, func(streamMatch) {})
	if err != nil || !info.binary {
		t.Fatalf("err = %v, binary = %v; want binary", err, info.binary)
	}
}

// UTF-16 without a byte order mark is recognised whatever the script, not
// only when it is mostly ASCII; text that only looks like UTF-16 at its
// start cannot hide a token written in ASCII further on.
func TestUTF16Scripts(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "scripts")
	for name, text := range map[string]string{
		"cyrillic": "# Настройки доступа к репозиторию\nтокен = " + ghp + "\n",
		"cjk":      "# 访问令牌配置文件\n令牌：" + ghp + "\n",
		"japanese": "# アクセストークンの設定\nトークン＝" + ghp + "\n",
	} {
		for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := utf16Bytes(text, order, false)
			var got []streamMatch
			info, _, err := scanStream(bytes.NewReader(data), "", 64, nil, func(m streamMatch) { got = append(got, m) })
			if err != nil || info.binary {
				t.Fatalf("%s %v: err %v, read as binary %v", name, order, err, info.binary)
			}
			if len(got) != 1 || got[0].secret != ghp || got[0].line != 2 || !strings.HasPrefix(got[0].Encoding, "utf-16") {
				t.Errorf("%s %v: %+v", name, order, got)
			}
		}
	}
	// UTF-16 at the start, ASCII after it: the token is found in the bytes.
	data := append(utf16Bytes(strings.Repeat("текст\n", 50), binary.LittleEndian, false), " "+ghp+" "...)
	var got []streamMatch
	if _, _, err := scanStream(bytes.NewReader(data), "", 64, nil, func(m streamMatch) { got = append(got, m) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].secret != ghp || got[0].offset != int64(bytes.Index(data, []byte(ghp))) || got[0].Encoding != "" {
		t.Errorf("ASCII after UTF-16: %+v", got)
	}
}

func BenchmarkUTF16(b *testing.B) {
	text := strings.Repeat("Set-Variable -Name x -Value 'some text here' # comment\r\n", 20000)
	data := utf16Bytes(text, binary.LittleEndian, true)
	b.SetBytes(int64(len(data)))
	var buf []byte
	for b.Loop() {
		_, buf, _ = scanStream(bytes.NewReader(data), "", 1<<20, buf, func(streamMatch) {})
	}
}

// A UTF-16 byte order mark before text that is not UTF-16 must not hide it.
func TestFakeBOM(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "fakebom")
	for _, bom := range []string{"\xff\xfe", "\xfe\xff"} {
		var got []streamMatch
		if _, _, err := scanStream(strings.NewReader(bom+" "+ghp+"\n"), "", 64, nil, func(m streamMatch) { got = append(got, m) }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].secret != ghp || got[0].Encoding != "" {
			t.Errorf("%q: %+v", bom, got)
		}
	}
}

// BenchmarkBinary scans random bytes (read as binary: prefixed tokens only)
// next to the same amount of source-like text, in MB/s.
func BenchmarkBinary(b *testing.B) {
	rnd := rand.New(rand.NewPCG(3, 4))
	random := make([]byte, 16<<20)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	random[0] = 0
	text := bytes.Repeat([]byte("\tif err := w.Write(buf[:n]); err != nil { return fmt.Errorf(\"write: %w\", err) }\n"), (16<<20)/80)
	for _, c := range []struct {
		name string
		data []byte
	}{{"random", random}, {"text", text}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			var buf []byte
			for b.Loop() {
				var info streamInfo
				info, buf, _ = scanStream(bytes.NewReader(c.data), "", defaultChunkSize, buf, func(streamMatch) {})
				if info.binary != (c.name == "random") {
					b.Fatalf("binary = %v", info.binary)
				}
			}
		})
	}
}

// A legacy token written in ASCII after a UTF-16 byte order mark (a file
// edited by tools that disagree on the encoding) is found by the raw-byte
// search, which runs every rule.
func TestLegacyTokenAfterUTF16Mark(t *testing.T) {
	hex := rulestest.Token("hex40", "afterbom")
	data := append([]byte{0xFF, 0xFE, 'a', 0, '\n', 0}, "\nGITHUB_TOKEN="+hex+"\n"...)
	var got []streamMatch
	if _, _, err := scanStream(bytes.NewReader(data), "", 64, nil, func(m streamMatch) { got = append(got, m) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].secret != hex || got[0].Confidence == rules.Lookalike {
		t.Fatalf("got %+v, want the legacy token", got)
	}
}

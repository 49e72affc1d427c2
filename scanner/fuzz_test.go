package scanner

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// FuzzScanStreamChunks checks that the chunked reader finds the same tokens,
// at the same lines, columns and offsets, whatever the chunk size: the
// overlap and the rules' locality guarantee must hold on any input. Tokens
// (plain, base64, escaped) are planted where the fuzzer says, so that there
// is something to find.
func FuzzScanStreamChunks(f *testing.F) {
	f.Add([]byte("line one\nline two\r\n"), uint16(9), uint16(1), uint8(1))
	f.Add([]byte("\r\r\r\r"), uint16(2), uint16(3), uint8(7))
	f.Add([]byte("é\u00e8\U0001F600 text\n"), uint16(3), uint16(30), uint8(13))
	f.Add([]byte("\xff\xfe"), uint16(2), uint16(50), uint8(2))
	f.Add([]byte("GITHUB_TOKEN=\n"), uint16(13), uint16(100), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, at uint16, chunk uint16, mode uint8) {
		ghp := rulestest.Token(rulestest.ClassicPAT, "chunks")
		plants := []string{ghp, base64.StdEncoding.EncodeToString([]byte(ghp)), strings.Replace(ghp, "_", `\u005f`, 1),
			rulestest.Token(rulestest.Legacy, "chunks"), rulestest.Token(rulestest.Stateless, "chunks")}
		p := int(at) % (len(data) + 1)
		in := slices.Concat(data[:p], []byte(" "+plants[int(mode)%len(plants)]+" "), data[p:], []byte(" "+ghp))
		if mode&0x80 != 0 {
			// Sometimes as UTF-16, to fuzz the transcoder with the reader.
			in = utf16Bytes(string(in), binary.LittleEndian, true)
		}
		whole := collect(t, in, 1<<20)
		size := 1 + int(chunk)%300
		if got := collect(t, in, size); !slices.Equal(got, whole) {
			t.Fatalf("chunk %d: %v\nwhole: %v", size, got, whole)
		}
	})
}

type seen struct {
	rule, secret, encoding string
	offset                 int64
	line, col, endCol      int
}

func collect(t *testing.T, in []byte, chunk int) []seen {
	var out []seen
	_, _, err := scanStream(bytes.NewReader(in), "", chunk, nil, func(m streamMatch) {
		out = append(out, seen{m.Rule.ID, m.secret, m.Encoding, m.offset, m.line, m.col, m.endCol})
	})
	if err != nil && err != errBinary {
		t.Fatal(err)
	}
	return out
}

// FuzzDecodeText feeds arbitrary bytes to the text-encoding detection and
// the UTF-16 transcoder: no panic, valid UTF-8 out of UTF-16, and text that
// went through UTF-16 comes back unchanged.
func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("\xff\xfeh\x00i\x00"), "hi")
	f.Add([]byte("\xfe\xff\x00h\xd8\x00"), "\U0001F600")
	f.Add([]byte("\xef\xbb\xbfplain"), "é")
	f.Add([]byte("a\x00b\x00c\x00"), "")
	f.Fuzz(func(t *testing.T, raw []byte, s string) {
		r, enc, _ := decodeText(bytes.NewReader(raw))
		var out bytes.Buffer
		if _, err := out.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		if enc != encUTF8 && !utf8.Valid(out.Bytes()) {
			t.Fatalf("transcoded UTF-16 is not valid UTF-8: %q", out.Bytes())
		}
		if !utf8.ValidString(s) {
			return
		}
		s = strings.ToValidUTF8(s, "")
		for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
			r, _, _ := decodeText(bytes.NewReader(utf16Bytes(s, order, true)))
			var back bytes.Buffer
			back.ReadFrom(r)
			// Surrogate code points are not valid in UTF-8 strings, so s
			// round-trips exactly.
			if back.String() != s {
				t.Fatalf("round trip %q -> %q", s, back.String())
			}
		}
	})
}

// FuzzParseIgnore feeds arbitrary .gitignore content and paths to the
// ignore matcher: no panic, whatever the patterns.
func FuzzParseIgnore(f *testing.F) {
	f.Add([]byte("*.log\n!keep.log\n/build/\n**/tmp\n"), "a/b.log")
	f.Add([]byte("[\n\\\n!\n/\n**\n"), "x")
	f.Add([]byte("a/**/b\n\\#x\n\\!y\n  \n"), "a/c/d/b")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		s := ignoreStack{parseIgnore("", data), parseIgnore("sub", data)}
		s.ignored(path, false)
		s.ignored(path, true)
		s.ignored("sub/"+path, false)
	})
}

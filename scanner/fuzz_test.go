package scanner

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeText feeds arbitrary bytes to the text-encoding detection and
// the UTF-16 transcoder: no panic, valid UTF-8 out of UTF-16, and text that
// went through UTF-16 (and has a Latin-1 character, whose high byte is NUL)
// comes back unchanged.
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
		if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x100 }) {
			// No character with a NUL byte: indistinguishable from a
			// byte order mark glued to other text (see nulAt).
			return
		}
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

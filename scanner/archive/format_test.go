package archive

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
)

func tarHeader(t *testing.T, format tar.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	if err := w.WriteHeader(&tar.Header{Name: "a.txt", Size: 2, Mode: 0o644, Format: format}); err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("x\n"))
	w.Close()
	return b.Bytes()
}

// Formats are told by their magic bytes, and text that starts like one is
// not taken for it.
func TestDetect(t *testing.T) {
	v7 := tarHeader(t, tar.FormatUSTAR)
	copy(v7[257:265], make([]byte, 8)) // no magic: an old V7 header, checksum still valid
	var sum int64
	for i, b := range v7[:512] {
		if i >= 148 && i < 156 {
			b = ' '
		}
		sum += int64(b)
	}
	copy(v7[148:156], []byte(strings.Repeat("0", 6-len(octal(sum)))+octal(sum)+"\x00 "))
	badSum := bytes.Clone(tarHeader(t, tar.FormatGNU))
	badSum[0] ^= 1
	tests := []struct {
		name string
		head []byte
		want Format
	}{
		{"zip", []byte("PK\x03\x04\x14\x00"), Zip},
		{"empty zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), Zip},
		{"gzip", []byte{0x1f, 0x8b, 8, 0}, Gzip},
		{"bzip2", []byte("BZh91AY&SY\x00"), Bzip2},
		{"zstd", []byte{0x28, 0xb5, 0x2f, 0xfd, 0x24}, Zstd},
		{"empty bzip2", []byte("BZh9\x17\x72\x45\x38\x50\x90"), Bzip2},
		{"ustar", tarHeader(t, tar.FormatUSTAR), Tar},
		{"gnu tar", tarHeader(t, tar.FormatGNU), Tar},
		{"pax tar", tarHeader(t, tar.FormatPAX), Tar},
		{"v7 tar", v7, Tar},
		{"text starting PK", []byte("PK is a primary key\n"), None},
		{"text starting BZh9", []byte("BZh9 is not a stream"), None},
		{"gzip, other method", []byte{0x1f, 0x8b, 7, 0}, None},
		{"tar, checksum broken", badSum, None},
		{"text with ustar at 257", []byte(strings.Repeat("a", 257) + "ustar" + strings.Repeat("b", 300)), None},
		{"short", []byte("P"), None},
	}
	for _, tt := range tests {
		if got := Detect(tt.head); got != tt.want {
			t.Errorf("%s: Detect = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func octal(n int64) string {
	var b []byte
	for ; n > 0; n /= 8 {
		b = append([]byte{byte('0' + n%8)}, b...)
	}
	return string(b)
}

func TestContentName(t *testing.T) {
	for in, want := range map[string]string{
		"app.log.gz": "app.log", "logs/x.TGZ": "x.tar", "a.zip!b/c.tbz2": "c.tar", "notes.bz2": "notes", "a.tzst": "a.tar", "b.zst": "b",
		"data": "data", ".gz": ".gz", "a.tar!x.gz": "x",
	} {
		if got := ContentName(in); got != want {
			t.Errorf("ContentName(%q) = %q, want %q", in, got, want)
		}
	}
}

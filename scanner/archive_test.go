package scanner

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner/archive"
	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// member is a file to put in an archive built by a test.
type member struct{ name, text string }

func zipOf(t testing.TB, method uint16, files ...member) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, f := range files {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(f.text))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarOf(t testing.TB, files ...member) []byte {
	t.Helper()
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	for _, f := range files {
		if strings.HasSuffix(f.name, "/") {
			w.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeDir, Mode: 0o755})
			continue
		}
		if err := w.WriteHeader(&tar.Header{Name: f.name, Size: int64(len(f.text)), Mode: 0o644, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.text))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Name = name
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zstdOf(t testing.TB, data []byte, opts ...zstd.EOption) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := zstd.NewWriter(&b, opts...)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zstdRaw is a zstd frame that asks for a window of 2^windowLog bytes and
// holds text in one raw block.
func zstdRaw(windowLog int, text string) string {
	size := len(text)<<3 | 1 // last block, raw
	return "\x28\xb5\x2f\xfd\x00" + string([]byte{byte((windowLog - 10) << 3), byte(size), byte(size >> 8), byte(size >> 16)}) + text
}

// bzip2Of compresses with the bzip2 command: the standard library only
// decompresses.
func bzip2Of(t testing.TB, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("no bzip2 command to build the archive with")
	}
	cmd := exec.Command("bzip2", "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// scanFiles writes files into a temporary directory and scans it; paths in
// the result are relative to that directory.
func scanFiles(t testing.TB, files map[string][]byte, opt Options) *finding.Result {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	res, err := Scan(context.Background(), &walk.Paths{Args: []string{"."}, NoIgnore: true}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// where lists findings as "path:line" and skips as "path reason".
func where(res *finding.Result) (found, skipped []string) {
	for _, f := range res.Findings {
		if f.Confidence != rules.Lookalike {
			found = append(found, fmt.Sprintf("%s:%d", f.Path, f.Line))
		}
	}
	for _, s := range res.Skipped {
		skipped = append(skipped, fmt.Sprintf("%s %s", s.Path, s.Reason))
	}
	return found, skipped
}

// Every archive type is read by its content, whatever its name, and a token
// in a member is reported at "archive!member" with its line in the member;
// the look-alike beside it is counted, not reported.
func TestArchiveTypes(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "archive")
	look := rulestest.Lookalike(rulestest.ClassicPAT, "archive")
	env := member{"config/app.env", "# settings\nGH_TOKEN=" + tok + "\n"}
	readme := member{"README.md", "example: " + look + "\n"}
	plainTar := tarOf(t, member{"config/", ""}, env, readme)
	dotTar := tarOf(t, member{"./config/app.env", env.text}, member{"./README.md", readme.text})
	layer := gzipOf(t, "", tarOf(t, member{"etc/x.conf", "token " + tok + "\n"}))
	image := tarOf(t, member{"manifest.json", "[]"}, member{"abc/layer.tar", string(layer)}, readme)
	inner := zipOf(t, zip.Deflate, env, readme)
	tests := []struct {
		name  string
		data  []byte
		found string
	}{
		{"release.zip", zipOf(t, zip.Deflate, env, readme), "release.zip!config/app.env:2"},
		{"stored.zip", zipOf(t, zip.Store, env, readme), "stored.zip!config/app.env:2"},
		{"lib.jar", zipOf(t, zip.Deflate, env, readme), "lib.jar!config/app.env:2"},
		{"pkg.whl", zipOf(t, zip.Deflate, env, readme), "pkg.whl!config/app.env:2"},
		{"no-extension", zipOf(t, zip.Deflate, env, readme), "no-extension!config/app.env:2"},
		{"a.tar", plainTar, "a.tar!config/app.env:2"},
		{"dot.tar", dotTar, "dot.tar!config/app.env:2"},
		{"a.tar.gz", gzipOf(t, "", plainTar), "a.tar.gz!config/app.env:2"},
		{"a.tgz", gzipOf(t, "a.tar", plainTar), "a.tgz!config/app.env:2"},
		{"app.log.gz", gzipOf(t, "app.log", []byte(env.text+readme.text)), "app.log.gz!app.log:2"},
		{"unnamed.gz", gzipOf(t, "", []byte(env.text+readme.text)), "unnamed.gz!unnamed:2"},
		{"zip.gz", gzipOf(t, "", inner), "zip.gz!config/app.env:2"},
		{"a.tar.zst", zstdOf(t, plainTar), "a.tar.zst!config/app.env:2"},
		{"notes.zst", zstdOf(t, []byte(env.text+readme.text)), "notes.zst!notes:2"},
		{"image.tar", image, "image.tar!abc/layer.tar!etc/x.conf:1"},
		{"outer.zip", zipOf(t, zip.Deflate, member{"lib/inner.jar", string(inner)}), "outer.zip!lib/inner.jar!config/app.env:2"},
		{"tar-in-zip.zip", zipOf(t, zip.Store, member{"x.tar", string(plainTar)}), "tar-in-zip.zip!x.tar!config/app.env:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{0, 64} {
				res := scanFiles(t, map[string][]byte{tt.name: tt.data}, Options{ChunkSize: chunk})
				found, skipped := where(res)
				if fmt.Sprint(found) != "["+tt.found+"]" || len(skipped) != 0 {
					t.Errorf("chunk %d: found %v, skipped %v; want [%s] and nothing skipped", chunk, found, skipped, tt.found)
				}
				if res.Stats.ByConfidence[rules.Lookalike] != 1 {
					t.Errorf("chunk %d: %d look-alikes, want 1", chunk, res.Stats.ByConfidence[rules.Lookalike])
				}
				for _, f := range res.Findings {
					if f.Container != tt.name {
						t.Errorf("container %q, want %q", f.Container, tt.name)
					}
				}
			}
		})
	}
	t.Run("bzip2", func(t *testing.T) {
		res := scanFiles(t, map[string][]byte{
			"a.tar.bz2": bzip2Of(t, plainTar),
			"notes.bz2": bzip2Of(t, []byte(env.text)),
		}, Options{})
		found, skipped := where(res)
		if want := "[a.tar.bz2!config/app.env:2 notes.bz2!notes:2]"; fmt.Sprint(found) != want || len(skipped) != 0 {
			t.Errorf("found %v, skipped %v; want %s", found, skipped, want)
		}
	})
}

// With NoArchives an archive is read as it is: binary, searched for
// prefixed tokens, found in a stored member's bytes.
func TestNoArchives(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "noarchives")
	data := zipOf(t, zip.Store, member{"a.env", "T=" + tok + "\n"})
	res := scanFiles(t, map[string][]byte{"a.zip": data}, Options{NoArchives: true})
	if found, _ := where(res); len(found) != 1 || !strings.HasPrefix(found[0], "a.zip:") || !slices.Contains(res.BinaryFiles, "a.zip") {
		t.Errorf("found %v, binary %v; want the token in a.zip read as binary", found, res.BinaryFiles)
	}
}

// overlapBomb is a zip whose n directory entries all point at the same
// deflated member (the non-recursive zip bomb): n times the member's size
// out of one member's compressed bytes.
func overlapBomb(t testing.TB, first member, data string, n int) []byte {
	z := zipOf(t, zip.Deflate, first, member{"zeros", data})
	eocd := bytes.LastIndex(z, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(z[eocd+16:]))
	cd := z[cdOff:eocd]
	second := bytes.Index(cd[4:], []byte("PK\x01\x02")) + 4
	var out bytes.Buffer
	out.Write(z[:cdOff])
	out.Write(cd) // first and zeros
	for i := 1; i < n; i++ {
		rec := bytes.Clone(cd[second:])
		copy(rec[46:], fmt.Sprintf("zer%02d", i)) // same length as "zeros"
		out.Write(rec)
	}
	tail := bytes.Clone(z[eocd:])
	binary.LittleEndian.PutUint16(tail[8:], uint16(n+1))
	binary.LittleEndian.PutUint16(tail[10:], uint16(n+1))
	binary.LittleEndian.PutUint32(tail[12:], uint32(out.Len()-cdOff))
	out.Write(tail)
	return out.Bytes()
}

// nestZips wraps data in depth zips.
func nestZips(t testing.TB, data []byte, depth int) []byte {
	for range depth {
		data = zipOf(t, zip.Deflate, member{"in.zip", string(data)})
	}
	return data
}

// Each limit against archive bombs is a skip, at the member where reading
// stopped, with its own reason; what was read before it is reported.
func TestArchiveLimits(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "limits")
	first := member{"a/first.env", "T=" + tok + "\n"}
	zeros := strings.Repeat("\x00", 8<<20)
	many := []member{first}
	for i := range 20 {
		many = append(many, member{fmt.Sprintf("m%02d.txt", i), "x\n"})
	}
	deep := nestZips(t, zipOf(t, zip.Deflate, first), 9)
	tests := []struct {
		name    string
		data    []byte
		lim     archive.Limits
		found   []string
		skipped []string
	}{
		{"zip bomb", overlapBomb(t, first, zeros, 20), archive.Limits{},
			[]string{"bomb.zip!a/first.env:1"}, []string{"bomb.zip!zer01 archive-ratio"}},
		{"gzip bomb", gzipOf(t, "", []byte(first.text+zeros)), archive.Limits{MaxRatio: 100},
			[]string{"bomb.zip!bomb.zip:1"}, []string{"bomb.zip!bomb.zip archive-ratio"}},
		{"total size", zipOf(t, zip.Store, first, member{"b/big", strings.Repeat("y", 5000)}), archive.Limits{MaxBytes: 1000},
			[]string{"bomb.zip!a/first.env:1"}, []string{"bomb.zip!b/big archive-size"}},
		{"entries", zipOf(t, zip.Deflate, many...), archive.Limits{MaxEntries: 10},
			[]string{"bomb.zip!a/first.env:1"}, []string{"bomb.zip!m09.txt archive-entries"}},
		{"zstd window", tarOf(t, member{"big.zst", zstdRaw(27, first.text)}, member{"ok.zst", zstdRaw(22, first.text)}), archive.Limits{},
			[]string{"bomb.zip!ok.zst!ok:1"}, []string{"bomb.zip!big.zst!big unsupported"}},
		{"depth", deep, archive.Limits{},
			nil, []string{"bomb.zip" + strings.Repeat("!in.zip", 8) + " archive-depth"}},
		{"depth allowed", deep, archive.Limits{MaxDepth: 10},
			[]string{"bomb.zip" + strings.Repeat("!in.zip", 9) + "!a/first.env:1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scanFiles(t, map[string][]byte{"bomb.zip": tt.data}, Options{ArchiveLimits: tt.lim})
			found, skipped := where(res)
			if fmt.Sprint(found) != fmt.Sprint(tt.found) || fmt.Sprint(skipped) != fmt.Sprint(tt.skipped) {
				t.Errorf("found %v, skipped %v; want %v, %v", found, skipped, tt.found, tt.skipped)
			}
			for _, s := range res.Skipped {
				if s.Reason.Failed() {
					t.Errorf("%s: a limit is a policy, like too-large, not a failure", s.Reason)
				}
			}
		})
	}
}

// A damaged archive is a skip with its path, and what could be read
// before the damage is reported. When every byte was still searched
// (truncation, a failed checksum, a tar header or zip directory that cannot
// be read) it is "damaged", a policy skip; undecodable compressed data is
// "corrupt", a failure.
func TestArchiveCorrupt(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "corrupt")
	env := member{"app.env", "T=" + tok + "\n"}
	// Text that does not compress, so that half the archive ends inside it.
	var noise strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&noise, "%x\n", sha256.Sum256([]byte(fmt.Sprint(i))))
	}
	filler := member{"filler.txt", noise.String()}
	z := zipOf(t, zip.Store, env, filler)
	tgz := gzipOf(t, "", tarOf(t, env, filler))
	badCRC := gzipOf(t, "", []byte(env.text))
	badCRC[len(badCRC)-8] ^= 0xff
	badMember := zipOf(t, zip.Deflate, filler, env)
	badMember[bytes.Index(badMember, []byte("filler.txt"))+len("filler.txt")+5] ^= 0xff
	// A damaged header before the member that holds the token: a tar
	// reader stops there, and the plain bytes after it are searched.
	badHeader := tarOf(t, filler, env)
	badHeader[512+(len(filler.text)+511)/512*512+148] ^= 0xff // the second header's checksum
	// A token appended as plain text after a gzip member: gzip readers
	// fail on it (or ignore it as trailing garbage), a plain view shows it.
	appended := append(gzipOf(t, "", []byte("hello\n")), env.text...)
	appendedAt := fmt.Sprintf("x!:%d", bytes.Count(appended, []byte("\n")))
	tests := []struct {
		name    string
		data    []byte
		found   []string
		skipped []string
	}{
		{"plain text appended to a gzip", appended, []string{appendedAt}, []string{"x!x corrupt"}},
		// The central directory is gone: the members are read from their
		// local headers, and the bytes are searched as they are.
		{"truncated zip", z[:len(z)/2], []string{"x!:1", "x!app.env:1"}, []string{"x damaged", "x damaged"}},
		{"tar header damaged before the token", badHeader, []string{"x!:2001"}, []string{"x damaged"}},
		{"truncated tar.gz", tgz[:len(tgz)/2], []string{"x!app.env:1"}, []string{"x!filler.txt damaged"}},
		{"bad gzip checksum", badCRC, []string{"x!x:1"}, []string{"x!x damaged"}},
		// Undecodable data: what follows is unknown, a failure.
		{"bad gzip header", append([]byte{0x1f, 0x8b, 8, 0xff}, make([]byte, 600)...), nil, []string{"x corrupt"}},
		{"damaged zip member", badMember, []string{"x!app.env:1"}, []string{"x!filler.txt corrupt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scanFiles(t, map[string][]byte{"x": tt.data}, Options{})
			found, skipped := where(res)
			for i := range found {
				if strings.HasPrefix(found[i], "x:") {
					found[i] = "x!" + found[i][1:]
				}
			}
			if fmt.Sprint(found) != fmt.Sprint(tt.found) || fmt.Sprint(skipped) != fmt.Sprint(tt.skipped) {
				t.Errorf("found %v, skipped %v; want %v, %v", found, skipped, tt.found, tt.skipped)
			}
			for _, s := range res.Skipped {
				if s.Reason.Failed() != (s.Reason == finding.SkipCorrupt) {
					t.Errorf("%s: Failed() = %v; only undecodable data (corrupt) is a failure", s.Reason, s.Reason.Failed())
				}
			}
		})
	}
}

// A member that cannot be read without a password or a decompressor the
// scanner lacks is a policy skip with its path; its siblings are read.
func TestArchiveUnreadableMembers(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "members")
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	enc, _ := w.CreateRaw(&zip.FileHeader{Name: "secret.env", Method: zip.Store, Flags: 1, CompressedSize64: 12, UncompressedSize64: 12})
	enc.Write([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"))
	bz, _ := w.CreateRaw(&zip.FileHeader{Name: "packed.bin", Method: 12, CompressedSize64: 4, UncompressedSize64: 40})
	bz.Write([]byte("BZh9"))
	plain, _ := w.Create("plain.env")
	plain.Write([]byte("T=" + tok + "\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	res := scanFiles(t, map[string][]byte{"x.zip": b.Bytes()}, Options{})
	found, skipped := where(res)
	if want := "[x.zip!packed.bin unsupported x.zip!secret.env encrypted]"; fmt.Sprint(found) != "[x.zip!plain.env:1]" || fmt.Sprint(skipped) != want {
		t.Errorf("found %v, skipped %v; want [x.zip!plain.env:1], %s", found, skipped, want)
	}
}

// A bzip2 stream of many blocks (decoded on several cores) is read to its
// end, and its damage is told as compress/bzip2 alone tells it: a cut is
// "damaged", a block that does not decode or a failed checksum "corrupt".
func TestArchiveBzip2Blocks(t *testing.T) {
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("no bzip2 command to build the archive with")
	}
	tok := rulestest.Token(rulestest.ClassicPAT, "bzip2 blocks")
	var text strings.Builder
	text.WriteString("T=" + tok + "\n")
	for i := range 8000 {
		fmt.Fprintf(&text, "%x\n", sha256.Sum256([]byte(fmt.Sprint(i))))
	}
	text.WriteString("U=" + tok + "\n")
	cmd := exec.Command("bzip2", "-c", "-1") // 100 kB blocks: 6 of them
	cmd.Stdin = strings.NewReader(text.String())
	whole, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	flip := func(at int) []byte {
		b := append([]byte{}, whole...)
		b[at] ^= 0x10
		return b
	}
	both := []string{"x!x:1", "x!x:8002"}
	tests := []struct {
		name    string
		data    []byte
		found   []string
		skipped []string
	}{
		{"whole", whole, both, nil},
		{"cut", whole[:len(whole)*6/10], both[:1], []string{"x!x damaged"}},
		{"a block damaged", flip(len(whole) / 2), both[:1], []string{"x!x corrupt"}},
		{"combined checksum", flip(len(whole) - 2), both, []string{"x!x corrupt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := scanFiles(t, map[string][]byte{"x": tt.data}, Options{})
			found, skipped := where(res)
			if fmt.Sprint(found) != fmt.Sprint(tt.found) || fmt.Sprint(skipped) != fmt.Sprint(tt.skipped) {
				t.Errorf("found %v, skipped %v; want %v, %v", found, skipped, tt.found, tt.skipped)
			}
		})
	}
}

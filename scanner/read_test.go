package scanner

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func collect(t testing.TB, data []byte, chunk int) []streamMatch {
	t.Helper()
	var out []streamMatch
	_, _, err := scanStream(bytes.NewReader(data), "", chunk, nil, func(m streamMatch) { out = append(out, m) })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChunkBoundaries slides a token of every kind across chunk boundaries,
// one byte at a time, and expects it exactly once at the right line and
// column, whatever the chunk size.
func TestChunkBoundaries(t *testing.T) {
	for _, kind := range []string{rulestest.ClassicPAT, rulestest.AppRefresh, rulestest.FineGrained, rulestest.Stateless} {
		tok := rulestest.Token(kind, "boundary")
		for _, chunk := range []int{13, 97} {
			// The first boundary falls after keep+chunk bytes; moving the
			// token one byte at a time from before it to past it puts every
			// byte of the token (and the byte after it) on the boundary.
			first := keep + chunk - len(tok) - 20
			for pad := first; pad < first+chunk+len(tok)+20; pad++ {
				data := []byte("line one\n" + strings.Repeat("x", pad) + " " + tok + " \nlast line\n")
				ms := collect(t, data, chunk)
				if len(ms) != 1 {
					t.Fatalf("%s chunk %d pad %d: %d matches", kind, chunk, pad, len(ms))
				}
				m := ms[0]
				if m.secret != tok || m.line != 2 || m.col != pad+2 || m.offset != int64(9+pad+1) {
					t.Fatalf("%s chunk %d pad %d: got line %d col %d offset %d", kind, chunk, pad, m.line, m.col, m.offset)
				}
			}
		}
	}
}

// TestChunkInvariance scans random text with planted tokens and keywords in
// chunks of many sizes; the matches must equal those of one rules.Find over
// the whole input.
func TestChunkInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"g", "G", "h", "_", " ", "\n", "\r\n", "é", "GITHUB_TOKEN=", "github_pat_", "ghp_", "x"}
	for round := range 10 {
		var b strings.Builder
		for b.Len() < 20000 {
			if rng.IntN(40) == 0 {
				k := rulestest.Kinds[rng.IntN(len(rulestest.Kinds))]
				b.WriteString(" " + rulestest.Token(k, fmt.Sprint(round, b.Len())) + "\n")
				continue
			}
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		whole := rules.Find(data, rules.Options{Lookalikes: true}, nil)
		for _, chunk := range []int{7, 100, 4096, 1 << 20} {
			got := collect(t, data, chunk)
			if len(got) != len(whole) {
				t.Fatalf("round %d chunk %d: %d matches, whole input has %d", round, chunk, len(got), len(whole))
			}
			for i, m := range got {
				w := whole[i]
				if m.offset != int64(w.Start) || m.Rule != w.Rule || m.Confidence != w.Confidence || m.secret != w.Text(data) {
					t.Fatalf("round %d chunk %d match %d: %s@%d, whole input has %s@%d", round, chunk, i, m.Rule.ID, m.offset, w.Rule.ID, w.Start)
				}
				wantLine := 1 + bytes.Count(data[:w.Start], []byte("\n"))
				if m.line != wantLine {
					t.Fatalf("round %d chunk %d: line %d, want %d", round, chunk, m.line, wantLine)
				}
			}
		}
	}
}

// FuzzChunkedReader checks that any chunk size gives the findings of the
// whole input: the same tokens at the same offsets, lines and columns. The
// planted token is sometimes encoded (base64, escapes) and the whole input
// sometimes UTF-16, so the decoders' locality and the transcoder are
// checked with the reader.
func FuzzChunkedReader(f *testing.F) {
	f.Add([]byte("GITHUB_TOKEN=\n"), uint16(3), uint16(5), uint8(0))
	f.Add([]byte("a\nb\r\nc"), uint16(1), uint16(0), uint8(1))
	f.Add([]byte("\r\r\r\r"), uint16(2), uint16(3), uint8(2))
	f.Add([]byte("é\u00e8\U0001F600 text\n"), uint16(30), uint16(3), uint8(0x81))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16, at uint16, mode uint8) {
		tok := rulestest.Token(rulestest.Kinds[int(at)%len(rulestest.Kinds)], "fuzz")
		switch mode % 6 {
		case 1:
			tok = base64.StdEncoding.EncodeToString([]byte(tok))
		case 2:
			tok = strings.ReplaceAll(tok, "_", `\u005f`)
		case 3:
			tok = base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte(tok))))
		case 4: // wrapped as PEM wraps it
			enc := base64.StdEncoding.EncodeToString([]byte("\n" + tok + "\n"))
			var b strings.Builder
			for i := 0; i < len(enc); i += 64 {
				b.WriteString("\n" + enc[i:min(i+64, len(enc))])
			}
			tok = b.String() + "\n"
		case 5: // split across literals
			tok = `"` + tok[:len(tok)/2] + `" + "` + tok[len(tok)/2:] + `"`
		}
		pos := int(at) % (len(data) + 1)
		data = append(append(append(append([]byte{}, data[:pos]...), ' '), tok...), append([]byte{' '}, data[pos:]...)...)
		size := int(chunk)%5000 + 1
		if mode&0x80 != 0 {
			data = utf16Bytes(string(data), binary.LittleEndian, true)
		}
		ref := collect(t, data, 1<<20)
		got := collect(t, data, size)
		if len(got) != len(ref) {
			t.Fatalf("chunk %d: %d matches, whole input has %d", size, len(got), len(ref))
		}
		for i, m := range got {
			r := ref[i]
			if m.offset != r.offset || m.Rule != r.Rule || m.line != r.line || m.col != r.col || m.endCol != r.endCol || m.secret != r.secret || m.Encoding != r.Encoding {
				t.Fatalf("chunk %d match %d: %s@%d %d:%d %q, whole input has %s@%d %d:%d %q", size, i, m.Rule.ID, m.offset, m.line, m.col, m.Encoding, r.Rule.ID, r.offset, r.line, r.col, r.Encoding)
			}
		}
		if _, enc, _ := decodeText(bytes.NewReader(data)); enc != encUTF8 {
			return // read as UTF-16: its offsets are those of the transcoding
		}
		// Read whole, the reader agrees with one rules.Find (binary
		// content is searched for prefixed tokens only).
		bin := bytes.IndexByte(data[:min(len(data), binarySniffLen)], 0) >= 0
		whole := rules.Find(data, rules.Options{Lookalikes: true, PrefixedOnly: bin}, nil)
		if len(ref) != len(whole) {
			t.Fatalf("%d matches read, one Find has %d", len(ref), len(whole))
		}
		for i, m := range ref {
			if m.offset != int64(whole[i].Start) || m.Rule != whole[i].Rule || m.secret != whole[i].Text(data) {
				t.Fatalf("match %d differs", i)
			}
		}
	})
}

// Binary content is searched for prefixed tokens, wherever they are; the
// legacy rule, which trusts the text around a 40-hex value, is for text.
func TestBinaryScanned(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "bin")
	legacy := rulestest.Token(rulestest.Legacy, "bin")
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 3*binarySniffLen)
	for i := range noise {
		noise[i] = byte(rnd.Uint32())
	}
	cases := map[string][]byte{
		"nul after the token":  []byte("GITHUB_TOKEN=" + ghp + "\n\x00"),
		"in random bytes":      slices.Concat(noise[:5000], []byte(ghp), noise[5000:]),
		"glued to letters":     slices.Concat(noise[:100], []byte("x"+ghp+"y"), noise[100:]),
		"past the first 8 KiB": slices.Concat(bytes.Repeat([]byte("ab\x00\x00"), binarySniffLen/4), []byte("\x01"+ghp+"\x02")),
	}
	for name, data := range cases {
		for _, chunk := range []int{7, 4096, 1 << 20} {
			var got []streamMatch
			info, _, err := scanStream(bytes.NewReader(data), "", chunk, nil, func(m streamMatch) { got = append(got, m) })
			if err != nil || !info.binary || info.n != int64(len(data)) {
				t.Fatalf("%s: err %v, binary %v, %d bytes of %d", name, err, info.binary, info.n, len(data))
			}
			if len(got) != 1 || got[0].secret != ghp || got[0].offset != int64(bytes.Index(data, []byte(ghp))) {
				t.Errorf("%s chunk %d: %d matches, want the token", name, chunk, len(got))
			}
		}
	}
	var got []streamMatch
	info, _, _ := scanStream(strings.NewReader("GITHUB_TOKEN="+legacy+"\n\x00"), "", 64, nil, func(m streamMatch) { got = append(got, m) })
	if !info.binary || len(got) != 0 {
		t.Errorf("legacy token in binary content: binary %v, %d matches; want binary, none", info.binary, len(got))
	}
}

// readFull reads what io.ReadFull reads, with the same error, whatever the
// stream's length around the sizes where it grows its buffer, the buffer
// it is given and how the stream's reads are cut.
func TestReadFull(t *testing.T) {
	const size = 3 * headRead
	data := make([]byte, size+10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	broken := errors.New("disk on fire")
	for _, n := range []int{0, 1, binarySniffLen, headRead - 1, headRead, headRead + 1, size - 1, size, size + 10} {
		for _, fail := range []bool{false, true} {
			for _, start := range []int{0, 100, headRead, size} {
				for _, halves := range []bool{false, true} {
					stream := func() io.Reader {
						var r io.Reader = bytes.NewReader(data[:n])
						if fail {
							r = io.MultiReader(r, iotest.ErrReader(broken))
						}
						if halves {
							r = iotest.HalfReader(r)
						}
						return r
					}
					want := make([]byte, size)
					wn, werr := io.ReadFull(stream(), want)
					buf := make([]byte, 0, start)
					gn, gerr := readFull(stream(), &buf, size)
					name := fmt.Sprintf("n=%d fail=%v start=%d halves=%v", n, fail, start, halves)
					if gn != wn || gerr != werr || !bytes.Equal(buf[:gn], want[:wn]) {
						t.Fatalf("%s: read %d, %v; io.ReadFull reads %d, %v", name, gn, gerr, wn, werr)
					}
					if gerr == nil && len(buf) != size {
						t.Fatalf("%s: buffer of %d bytes after a full read, want %d", name, len(buf), size)
					}
				}
			}
		}
	}
}

// With the default chunk size, a stream longer than a worker's first
// buffer gives the matches of one rules.Find over it: tokens on either
// side of where the buffer grows, and on it.
func TestStreamPastHeadRead(t *testing.T) {
	tok := rulestest.Token(rulestest.ClassicPAT, "head")
	var b strings.Builder
	for _, at := range []int{100, headRead - 100, headRead - 20, headRead + 30, 2 * headRead} {
		b.WriteString(strings.Repeat("x", at-b.Len()) + "\n" + tok + "\n")
	}
	data := []byte(b.String())
	whole := rules.Find(data, rules.Options{Lookalikes: true}, nil)
	got := collect(t, data, defaultChunkSize)
	if len(whole) != 5 || len(got) != len(whole) {
		t.Fatalf("%d matches read, one Find has %d, want 5", len(got), len(whole))
	}
	for i, m := range got {
		if m.offset != int64(whole[i].Start) || m.secret != tok {
			t.Errorf("match %d at %d, one Find has it at %d", i, m.offset, whole[i].Start)
		}
	}
}

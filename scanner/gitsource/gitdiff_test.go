package gitsource

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// A diff-index output as git prints it: raw records, an empty record, then
// the patch. Names with a space, a newline and a type change.
const sampleDiff = ":000000 100644 0000000000000000000000000000000000000000 87ae6b695deceaf160611414f7dcd5c7366b2e79 A\x00bin\x00" +
	":000000 100644 0000000000000000000000000000000000000000 bca70f35318f31dd1d1d1d2d2e64c19b880899ff A\x00new\nline\x00" +
	":100644 100644 814f4a422927b82f5f8a43f8fab6d3839e3983f2 814f4a422927b82f5f8a43f8fab6d3839e3983f2 R100\x00sp ace\x00sp ace2\x00" +
	":100644 120000 78981922613b2afb6025042ff6bd878ac1994e85 1de565933b05f74c75ff9a6520af5f9f8a5a2f1d T\x00f\x00" +
	":100644 100644 422c2b7ab3b3c668038da977e4e93a5fc623169c 7be73ce3c1b1cdaea86e8168dfee8575175953bf M\x00x\x00" +
	"\x00" +
	"diff --git a/bin b/bin\nnew file mode 100644\nindex 0000000..87ae6b6\nBinary files /dev/null and b/bin differ\n" +
	"diff --git \"a/new\\nline\" \"b/new\\nline\"\nnew file mode 100644\nindex 0000000..bca70f3\n--- /dev/null\n+++ \"b/new\\nline\"\n@@ -0,0 +1 @@\n+q\n" +
	"diff --git a/sp ace b/sp ace2\nsimilarity index 100%\nrename from sp ace\nrename to sp ace2\n" +
	"diff --git a/f b/f\ndeleted file mode 100644\nindex 7898192..0000000\n--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n" +
	"diff --git a/f b/f\nnew file mode 120000\nindex 0000000..1de5659\n--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+target\n\\ No newline at end of file\n" +
	"diff --git a/x b/x\nindex 422c2b7..7be73ce 100644\n--- a/x\n+++ b/x\n@@ -2 +2,2 @@ a\n-b\n+diff --git a/x b/x\n+c\n@@ -9,0 +11,3 @@\n+1\n+2\n+3\n"

func TestParseDiff(t *testing.T) {
	r := bufio.NewReader(strings.NewReader(sampleDiff))
	changes, err := parseRaw(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := parsePatch(r, changes, false); err != nil {
		t.Fatal(err)
	}
	if len(changes) != 5 {
		t.Fatalf("%d changes, want 5", len(changes))
	}
	if c := changes[0]; !c.binary || c.dstPath != "bin" {
		t.Errorf("bin: %+v", c)
	}
	if c := changes[1]; c.dstPath != "new\nline" || !c.added.Contains(1) || c.added.Contains(2) {
		t.Errorf("new\\nline: %+v", c)
	}
	if c := changes[2]; c.srcPath != "sp ace" || c.dstPath != "sp ace2" || !c.added.Empty() {
		t.Errorf("rename: %+v", c)
	}
	if c := changes[3]; c.sections != 2 || !c.added.Contains(1) {
		t.Errorf("type change: %+v", c)
	}
	c := changes[4]
	for line, want := range map[int]bool{1: false, 2: true, 3: true, 4: false, 10: false, 11: true, 13: true, 14: false} {
		if c.added.Contains(line) != want {
			t.Errorf("x line %d added = %v, want %v", line, !want, want)
		}
	}
}

func TestParseDiffRejectsMismatchedHeaders(t *testing.T) {
	bad := strings.Replace(sampleDiff, "diff --git a/x b/x\nindex", "diff --git a/y b/y\nindex", 1)
	r := bufio.NewReader(strings.NewReader(bad))
	changes, err := parseRaw(r)
	if err == nil {
		err = parsePatch(r, changes, false)
	}
	if err == nil {
		t.Fatal("a patch for another file was accepted")
	}
}

func TestAppendQuoted(t *testing.T) {
	for in, want := range map[string]string{
		"a/plain name":  "a/plain name",
		"a/new\nline":   `"a/new\nline"`,
		"a/q\"uote":     `"a/q\"uote"`,
		"a/caf\xc3\xa9": `"a/caf\303\251"`,
		"a/del\x7f":     `"a/del\177"`,
		"a/bs\\":        `"a/bs\\"`,
		"a/\x01":        `"a/\001"`,
	} {
		if got := string(appendQuoted(nil, in)); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzParseDiff feeds arbitrary bytes to the diff parser: it must return an
// error or a consistent result, never panic or loop.
func FuzzParseDiff(f *testing.F) {
	f.Add([]byte(sampleDiff))
	f.Add([]byte(":100644 100644 a b M\x00x\x00\x00diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b\n"))
	f.Add([]byte(":000000 000000 0 0 U\x00x\x00\x00* Unmerged path x\n"))
	f.Add([]byte(":100644 100644 a b M\x00x\x00\x00diff --git a/x b/x\n@@ -1,99999999999 +1,2147483648 @@\n"))
	f.Add([]byte("commit 0123\n\nA <a@b>\n2024-01-01T00:00:00Z\x00\n:100644 100644 a b M\x00x\x00\x00diff --git a/x b/x\n@@ -0,0 +1 @@\n+a\ncommit 4567\n0123\nB <b@c>\nnot a date\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bufio.NewReader(bytes.NewReader(data))
		changes, err := parseRaw(r)
		if err == nil {
			err = parsePatch(r, changes, false)
		}
		if err == nil {
			for _, c := range changes {
				if c.sections == 0 {
					t.Fatalf("accepted a change with no patch: %+v", c)
				}
				for _, rg := range c.added.Ranges() {
					if rg[0] >= rg[1] {
						t.Fatalf("empty or inverted range %v", rg)
					}
				}
			}
		}
		readLog(bufio.NewReader(bytes.NewReader(data)), true, func(*logCommit) error { return nil })
		readLog(bufio.NewReader(bytes.NewReader(data)), false, func(*logCommit) error { return nil })
	})
}

// FuzzMergeFold feeds arbitrary git log output through the merge folding:
// it must not panic, and a folded merge may keep only lines that every one
// of its diffs adds.
func FuzzMergeFold(f *testing.F) {
	f.Add([]byte(sampleMergeLog))
	f.Add([]byte("commit m\np q\nA\nd\x00\n:100644 100644 a b M\x00x\x00\x00diff --git a/x b/x\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw []*logCommit
		readLog(bufio.NewReader(bytes.NewReader(data)), true, func(lc *logCommit) error {
			cp := *lc
			cp.changes = slices.Clone(lc.changes)
			raw = append(raw, &cp)
			return nil
		})
		var folded []*logCommit
		m := &mergeFold{fn: func(lc *logCommit) error { folded = append(folded, lc); return nil }}
		for _, lc := range raw {
			cp := *lc
			cp.changes = slices.Clone(lc.changes)
			m.add(&cp)
		}
		m.flush()
		for _, out := range folded {
			for _, c := range out.changes {
				for _, in := range raw {
					if in.commit.Hash != out.commit.Hash || out.parents < 2 {
						continue
					}
					if !linesWithin(c, in.changes) {
						t.Fatalf("%s: %s keeps lines %v that a diff does not add", out.commit.Hash, c.dstPath, c.added.Ranges())
					}
				}
			}
		}
	})
}

// linesWithin reports whether the lines c adds are added by a change of the
// same path in changes.
func linesWithin(c fileChange, changes []fileChange) bool {
	for _, o := range changes {
		if o.dstPath != c.dstPath || o.status == 'D' {
			continue
		}
		if o.binary || (!c.binary && subset(&c.added, &o.added)) {
			return true
		}
	}
	return false
}

func subset(a, b *finding.LineSet) bool {
	for _, rg := range a.Ranges() {
		for l := rg[0]; l < rg[1] && l < rg[0]+1000; l++ {
			if !b.Contains(l) {
				return false
			}
		}
	}
	return true
}

// sampleMergeLog is git log --diff-merges=separate output for an evil merge
// (trimmed to the parts the parser reads).
const sampleMergeLog = "commit m\np1 p2\nA <a@b>\n2024-01-01T00:00:00Z\x00\n" +
	":100644 100644 1111 2222 M\x00f\x00:000000 100644 0000 3333 A\x00h\x00\x00" +
	"diff --git a/f b/f\n@@ -2,0 +3 @@ a\n+EVIL\n@@ -4,0 +6 @@ c\n+side\n" +
	"diff --git a/h b/h\nnew file mode 100644\n@@ -0,0 +1 @@\n+new\n" +
	"commit m\np1 p2\nA <a@b>\n2024-01-01T00:00:00Z\x00\n" +
	":100644 100644 4444 2222 M\x00f\x00:000000 100644 0000 3333 A\x00h\x00\x00" +
	"diff --git a/f b/f\n@@ -0,0 +1 @@\n+main\n@@ -1,0 +3 @@ a\n+EVIL\n" +
	"diff --git a/h b/h\nnew file mode 100644\n@@ -0,0 +1 @@\n+new\n"

func TestMergeFoldSample(t *testing.T) {
	var got []*logCommit
	m := &mergeFold{fn: func(lc *logCommit) error { got = append(got, lc); return nil }}
	if err := readLog(bufio.NewReader(strings.NewReader(sampleMergeLog)), true, m.add); err != nil {
		t.Fatal(err)
	}
	m.flush()
	if len(got) != 1 || len(got[0].changes) != 2 {
		t.Fatalf("folded = %+v, want one merge with two files", got)
	}
	f, h := got[0].changes[0], got[0].changes[1]
	if r := f.added.Ranges(); len(r) != 1 || r[0] != [2]int{3, 4} {
		t.Errorf("f: lines %v, want line 3 only", r)
	}
	if r := h.added.Ranges(); h.dstPath != "h" || len(r) != 1 || r[0] != [2]int{1, 2} {
		t.Errorf("h: %s lines %v, want line 1", h.dstPath, r)
	}
}

// FuzzParseLsFiles: ls-files records are parsed or refused, never half read.
func FuzzParseLsFiles(f *testing.F) {
	f.Add([]byte("100644 0123456789012345678901234567890123456789 0\ta b\x00160000 0123 0\tsub\x00100644 01 2\tc\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := parseLsFiles(data)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.dstPath == "" || !e.whole || e.dstMode == "160000" {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}

// FuzzParseCombinedRaw: the list of files a merge changed against every
// parent is parsed or refused, and every file belongs to a commit.
func FuzzParseCombinedRaw(f *testing.F) {
	f.Add([]byte("commit m\x00\x00::100644 100644 100644 a b c MM\x00f\x00::000000 000000 100644 0 0 d AA\x00h\x00\ncommit n\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := parseCombinedRaw(data)
		if err != nil {
			return
		}
		for c := range files {
			if c == "" {
				t.Fatalf("files of no commit: %q", files[c])
			}
		}
	})
}

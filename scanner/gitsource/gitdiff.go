package gitsource

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// This file parses what "git diff-index -z --raw -p -U0" and "git log -z
// --raw -p -U0" print: raw records (exact, NUL-separated paths and object
// ids), an empty record, then one patch section per raw record, in the same
// order. Paths are taken from the raw records only; the patch supplies the
// added line numbers (from the hunk headers, which -U0 makes exact). Each
// patch header is checked against the header git would print for its raw
// record, so a patch is never paired with the wrong file, whatever the file
// names hold (spaces, quotes, newlines, bytes that are not UTF-8).

// fileChange is one file of a diff.
type fileChange struct {
	srcMode, dstMode string
	srcOID, dstOID   string
	status           byte // A added, M modified, D deleted, R renamed, C copied, T type changed, U unmerged
	srcPath, dstPath string
	// added holds the lines of the new version that the change adds.
	added finding.LineSet
	// binary is set when git printed no lines ("Binary files ... differ",
	// also for text that .gitattributes marks -diff): every line counts.
	binary bool
	// sections counts the patch sections seen (a type change has two).
	sections int
	// whole is set for a file with no change that is to be scanned whole.
	whole bool
}

// isGitlink reports whether the new version is a submodule commit.
func (c *fileChange) isGitlink() bool { return c.dstMode == "160000" }

// maxHeaderLine bounds the part of a patch line that is kept; the rest of a
// longer line is read and dropped (hunk bodies are never kept at all).
const maxHeaderLine = 64 << 10

var errDiffSyntax = errors.New("unexpected git diff output")

// parseRaw reads raw records up to and including the empty record that ends
// them (or EOF, or, in log output, a byte that does not start a record).
func parseRaw(r *bufio.Reader) ([]fileChange, error) {
	var out []fileChange
	for {
		b, err := r.Peek(1)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch b[0] {
		case 0:
			r.Discard(1)
			return out, nil
		case ':':
		default:
			return out, nil
		}
		meta, err := readNUL(r)
		if err != nil {
			return out, err
		}
		// ":srcmode dstmode srcoid dstoid status[score]"
		f := bytes.Fields(meta[1:])
		if len(f) != 5 || len(f[4]) == 0 {
			return out, fmt.Errorf("%w: raw record %q", errDiffSyntax, meta)
		}
		c := fileChange{srcMode: string(f[0]), dstMode: string(f[1]), srcOID: string(f[2]), dstOID: string(f[3]), status: f[4][0]}
		p, err := readNUL(r)
		if err != nil {
			return out, err
		}
		c.srcPath, c.dstPath = string(p), string(p)
		if c.status == 'R' || c.status == 'C' {
			p, err := readNUL(r)
			if err != nil {
				return out, err
			}
			c.dstPath = string(p)
		}
		out = append(out, c)
	}
}

// readNUL reads up to the next NUL and returns what came before it.
func readNUL(r *bufio.Reader) ([]byte, error) {
	b, err := r.ReadBytes(0)
	if err != nil {
		if err == io.EOF {
			err = fmt.Errorf("%w: truncated raw record", errDiffSyntax)
		}
		return nil, err
	}
	return b[:len(b)-1], nil
}

// readLine reads one line and returns at most maxHeaderLine bytes of it,
// without the newline; eof is set when the input ended before a newline.
func readLine(r *bufio.Reader, buf []byte) (line []byte, eof bool, err error) {
	line = buf[:0]
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line) < maxHeaderLine {
			line = append(line, chunk[:min(len(chunk), maxHeaderLine-len(line))]...)
		}
		switch err {
		case nil:
			return bytes.TrimSuffix(line, []byte("\n")), false, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			return line, true, nil
		default:
			return line, false, err
		}
	}
}

// skipLine reads and drops one line.
func skipLine(r *bufio.Reader) error {
	for {
		_, err := r.ReadSlice('\n')
		switch err {
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			return nil
		default:
			return err
		}
	}
}

// parsePatch reads the patch sections for changes (from parseRaw) and fills
// in their added lines. It stops at EOF or, when stopAtCommit is set, at a
// line that starts with "commit " between sections (the next commit of a git
// log).
func parsePatch(r *bufio.Reader, changes []fileChange, stopAtCommit bool) error {
	next := 0 // index of the change the next section belongs to
	var buf []byte
	var cur *fileChange
	for {
		peek, err := r.Peek(len("commit "))
		if len(peek) == 0 && err != nil {
			if err == io.EOF {
				return checkAllSeen(changes)
			}
			return err
		}
		if stopAtCommit && string(peek) == "commit " {
			return checkAllSeen(changes)
		}
		line, eof, err := readLine(r, buf)
		if err != nil {
			return err
		}
		buf = line
		switch {
		case bytes.HasPrefix(line, []byte("diff --git ")):
			// A type change prints a deletion and a creation under the
			// same header: the second section belongs to the same change.
			if cur != nil && cur.status == 'T' && cur.sections == 1 && bytes.Equal(line, gitHeader(cur)) {
				cur.sections++
				break
			}
			if next >= len(changes) {
				return fmt.Errorf("%w: a patch section with no raw record: %q", errDiffSyntax, line)
			}
			cur = &changes[next]
			next++
			if want := gitHeader(cur); !bytes.Equal(line, want) {
				return fmt.Errorf("%w: patch header %q, want %q", errDiffSyntax, line, want)
			}
			cur.sections++
		case bytes.HasPrefix(line, []byte("* Unmerged path ")):
			if next >= len(changes) || changes[next].status != 'U' {
				return fmt.Errorf("%w: %q with no unmerged raw record", errDiffSyntax, line)
			}
			cur = &changes[next]
			next++
			cur.sections++
		case cur == nil:
			return fmt.Errorf("%w: %q before any patch header", errDiffSyntax, line)
		case bytes.HasPrefix(line, []byte("@@ -")):
			oldN, newStart, newN, err := parseHunkHeader(line)
			if err != nil {
				return err
			}
			cur.added.Add(newStart, newN)
			if err := skipHunkBody(r, oldN+newN); err != nil {
				return err
			}
		case bytes.HasPrefix(line, []byte("Binary files ")) || bytes.HasPrefix(line, []byte("GIT binary patch")):
			cur.binary = true
		default:
			// Extended headers: index, modes, similarity, rename from/to,
			// ---/+++. The raw record already says all of it.
		}
		if eof {
			return checkAllSeen(changes)
		}
	}
}

func checkAllSeen(changes []fileChange) error {
	for i := range changes {
		if changes[i].sections == 0 {
			return fmt.Errorf("%w: no patch section for %q", errDiffSyntax, changes[i].dstPath)
		}
	}
	return nil
}

// skipHunkBody skips n lines of "+" and "-", plus the "\ No newline at end of
// file" markers among and after them. Counting, rather than looking at the
// lines, keeps a body line such as "+diff --git ..." from being read as a
// header.
func skipHunkBody(r *bufio.Reader, n int) error {
	for {
		b, err := r.Peek(1)
		if err != nil {
			if err == io.EOF {
				if n > 0 {
					return fmt.Errorf("%w: hunk cut short", errDiffSyntax)
				}
				return nil
			}
			return err
		}
		switch {
		case b[0] == '\\':
		case n > 0 && (b[0] == '+' || b[0] == '-' || b[0] == ' '):
			n--
		case n > 0:
			return fmt.Errorf("%w: hunk line starting with %q", errDiffSyntax, b[0])
		default:
			return nil
		}
		if err := skipLine(r); err != nil {
			return err
		}
	}
}

// parseHunkHeader parses "@@ -a[,b] +c[,d] @@..." and returns b, c and d.
func parseHunkHeader(line []byte) (oldN, newStart, newN int, err error) {
	bad := func() (int, int, int, error) {
		return 0, 0, 0, fmt.Errorf("%w: hunk header %q", errDiffSyntax, line)
	}
	rest, ok := bytes.CutPrefix(line, []byte("@@ -"))
	if !ok {
		return bad()
	}
	oldSpec, rest, ok := bytes.Cut(rest, []byte(" +"))
	if !ok {
		return bad()
	}
	newSpec, _, ok := bytes.Cut(rest, []byte(" @@"))
	if !ok {
		return bad()
	}
	_, oldN, ok1 := parseRange(oldSpec)
	newStart, newN, ok2 := parseRange(newSpec)
	if !ok1 || !ok2 {
		return bad()
	}
	return oldN, newStart, newN, nil
}

// parseRange parses "start[,count]"; count defaults to 1.
func parseRange(b []byte) (start, count int, ok bool) {
	s, c, hasCount := bytes.Cut(b, []byte(","))
	start, err := strconv.Atoi(string(s))
	if err != nil || start < 0 {
		return 0, 0, false
	}
	count = 1
	if hasCount {
		count, err = strconv.Atoi(string(c))
		if err != nil || count < 0 {
			return 0, 0, false
		}
	}
	// Bound what a corrupt header can make the caller count.
	if start > 1<<31 || count > 1<<31 {
		return 0, 0, false
	}
	return start, count, true
}

// gitHeader returns the "diff --git" line git prints for c.
func gitHeader(c *fileChange) []byte {
	b := []byte("diff --git ")
	b = appendQuoted(b, "a/"+c.srcPath)
	b = append(b, ' ')
	return appendQuoted(b, "b/"+c.dstPath)
}

// appendQuoted appends name as git quotes it with core.quotePath=true:
// unchanged unless it holds a control byte, a double quote, a backslash or a
// byte of 0x80 or more; then in double quotes with C escapes.
func appendQuoted(b []byte, name string) []byte {
	needs := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			needs = true
			break
		}
	}
	if !needs {
		return append(b, name...)
	}
	b = append(b, '"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '\a':
			b = append(b, `\a`...)
		case '\b':
			b = append(b, `\b`...)
		case '\t':
			b = append(b, `\t`...)
		case '\n':
			b = append(b, `\n`...)
		case '\v':
			b = append(b, `\v`...)
		case '\f':
			b = append(b, `\f`...)
		case '\r':
			b = append(b, `\r`...)
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		default:
			if c < 0x20 || c >= 0x7f {
				b = append(b, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

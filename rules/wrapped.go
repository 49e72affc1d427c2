package rules

import "sort"

// base64 is often wrapped across lines: PEM bodies (64 characters a line),
// MIME and email bodies and GNU base64 (76), YAML block scalars holding a
// Secret's data, each line indented alike. The encoder wraps one stream, so
// the lines joined decode as one and a token may straddle a line break.
//
// A block is found from a line the base64 search already looks into (a run
// of at least minBase64Run characters, so every common wrapping width): the
// lines before it whose run fills the line after the indentation, the lines
// after it likewise, and a last line whose run ends at padding, a quote or
// the end of the input. All but the last are as long as each other and a
// multiple of 4 characters (every wrapping width in use is), and there are
// two of them unless they are as wide as a common wrapper makes them (see
// wrapWidth): lines that merely follow each other, such as an unpadded value
// and the next line of a file, are not joined. The block's runs are joined and searched as one run;
// a match is mapped back to the lines, its Start and End delimiting the
// encoded text from its first line to its last.

// maxWrapBack is how far before a line the search for earlier lines of its
// block goes: a match depends on no more than decodeWindow bytes from its
// start, so lines further back cannot change one.
const maxWrapBack = decodeWindow

// needlesInLines looks for needles in the base64 run buf[s:e] and, when the
// run is one line of a wrapped block, in the whole block joined. It returns
// the end of the text it looked at.
func (f *finder) needlesInLines(s, e int) int {
	buf := f.buf
	if !lineStart(buf, s) && !lineEnd(buf, e) || !endsLine(buf, e) {
		f.needlesIn(s, e)
		return e
	}
	// Earlier lines: as long as each other, and at least as long as this
	// one, which may be the block's last.
	w := e - s
	var lines [][2]int
	for b := s; b > s-maxWrapBack; {
		ps, pe, ok := f.prevLine(b)
		if !ok || len(lines) == 0 && pe-ps < w || len(lines) > 0 && pe-ps != w {
			break
		}
		w = pe - ps
		lines = append(lines, [2]int{ps, pe})
		if w%4 != 0 {
			// No block: each of a run of lines that are all this
			// wide would otherwise walk back over the others.
			break
		}
		if !lineStart(buf, ps) {
			break // the block's first line, after a key or a quote
		}
		b = ps
	}
	if w%4 != 0 {
		f.needlesIn(s, e)
		return e
	}
	for l, r := 0, len(lines)-1; l < r; l, r = l+1, r-1 {
		lines[l], lines[r] = lines[r], lines[l]
	}
	lines = append(lines, [2]int{s, e})
	// Later lines, while the one before fills the width.
	for end, more := e, e-s == w; more; {
		ns, ne, full := f.nextLine(end)
		if ns < 0 || ne-ns > w {
			break
		}
		lines = append(lines, [2]int{ns, ne})
		end, more = ne, full && ne-ns == w
	}
	if len(lines) == 1 || !wrapWidth(w) && lines[1][1]-lines[1][0] != w {
		f.needlesIn(s, e)
		return e
	}
	f.needlesInBlock(lines)
	return lines[len(lines)-1][1]
}

// wrapWidth reports whether w is the width of a common wrapper: PEM's 64,
// MIME's and GNU base64's 76. A block of one line that wide and a shorter
// last one is wrapped; one line of another width and a short one after it
// are more likely an unpadded value and the next line of the file, so a
// block of another width needs two lines of it.
func wrapWidth(w int) bool { return w == 64 || w == 76 }

// needlesInBlock joins the runs of a block's lines, looks for tokens in the
// result as in one run, and maps what it finds back to the lines.
func (f *finder) needlesInBlock(lines [][2]int) {
	n := 0
	for _, l := range lines {
		n += l[1] - l[0]
	}
	// One allocation: grown a line at a time it was copied over and over
	// (a sixth of a scan of Go's src, rich in PEM blocks).
	text := make([]byte, 0, n)
	// at[i] is where line i starts in text. Where byte k of text is in
	// f.buf is found from it for the few matches, rather than mapped for
	// every byte up front: four bytes of map per byte of a block that can
	// be megabytes long, and a loop over all of them.
	at := make([]int, len(lines))
	for i, l := range lines {
		at[i] = len(text)
		text = append(text, f.buf[l[0]:l[1]]...)
	}
	src := func(k int) int {
		// The last line that starts at or before k holds it.
		i := sort.Search(len(at), func(i int) bool { return at[i] > k }) - 1
		return lines[i][0] + k - at[i]
	}
	f.probes += len(text)
	inner := newFinder(finderInit{buf: text, opt: f.opt, lockfile: f.lockfile, depth: f.depth})
	defer inner.release()
	inner.needlesIn(0, len(text))
	f.probes += inner.probes
	for _, m := range inner.dst {
		s, e := src(m.Start), src(m.End-1)+1
		if e-s > decodeWindow {
			continue // the line breaks took it past the window a match may depend on
		}
		m.Start, m.End = s, e
		f.dst = append(f.dst, m)
	}
}

// lineEnd reports whether a line break follows a run ending at e, and
// lineStart whether only indentation precedes a run starting at s on its
// line (and a line break before that).
func lineEnd(buf []byte, e int) bool { return e < len(buf) && (buf[e] == '\n' || buf[e] == '\r') }

// endsLine reports whether a run ending at e may end a line of a block: at a
// line break, padding, a quote or the end of the input.
func endsLine(buf []byte, e int) bool {
	return e == len(buf) || buf[e] == '\n' || buf[e] == '\r' || buf[e] == '=' || quoteChar[buf[e]]
}

func lineStart(buf []byte, s int) bool {
	k := s - 1
	for k >= 0 && (buf[k] == ' ' || buf[k] == '\t') {
		k--
	}
	return k >= 0 && buf[k] == '\n'
}

// prevLine returns the run that ends the line before the one whose run starts
// at b, when only indentation precedes b on its line.
func (f *finder) prevLine(b int) (s, e int, ok bool) {
	buf := f.buf
	if !lineStart(buf, b) {
		return 0, 0, false
	}
	k := b - 1
	for buf[k] != '\n' {
		k--
	}
	if k > 0 && buf[k-1] == '\r' {
		k--
	}
	s = k
	for s > 0 && isB64[buf[s-1]] != 0 {
		s--
	}
	f.probes += b - s + 1
	return s, k, s < k
}

// nextLine returns the run of the line after the one whose run ends at e,
// when only indentation precedes it; more says whether it fills its line,
// so that the block may go on. s is -1 when the line does not continue the
// block.
func (f *finder) nextLine(e int) (s, end int, more bool) {
	buf := f.buf
	k := e
	switch {
	case k+1 < len(buf) && buf[k] == '\r' && buf[k+1] == '\n':
		k += 2
	case k < len(buf) && (buf[k] == '\n' || buf[k] == '\r'):
		k++
	default:
		return -1, 0, false
	}
	for k < len(buf) && (buf[k] == ' ' || buf[k] == '\t') {
		k++
	}
	s, end = k, k
	for end < len(buf) && isB64[buf[end]] != 0 {
		end++
	}
	f.probes += end - e + 1
	switch {
	case end == s || !endsLine(buf, end):
		return -1, 0, false
	case end == len(buf) || buf[end] == '\n' || buf[end] == '\r':
		return s, end, true
	}
	return s, end, false // padding or a quote: the block's last line
}

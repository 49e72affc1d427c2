package rules

import "io"

// MaskWriter masks every token the rules match, look-alikes included, in the
// text written through it, and writes the rest unchanged: whatever code path
// puts a token into a message or a report, the token does not reach the
// output whole. A token is replaced with Mask's form of it; an encoded token
// with the masked token itself.
//
// A token may be split across writes, so the writer holds back the trailing
// run of bytes a token could be part of (at most MaxTokenLen+1 of them) until
// a byte that ends it arrives or Flush is called. Everything else is written
// at once, so a prompt without a newline is seen before the answer is read.
// A MaskWriter is not safe for concurrent use.
type MaskWriter struct {
	w       io.Writer
	buf     []byte // context already written, then pending bytes
	written int    // buf[:written] has been written (kept as context)
	matches []Match
	err     error
}

// NewMaskWriter returns a MaskWriter writing to w.
func NewMaskWriter(w io.Writer) *MaskWriter { return &MaskWriter{w: w} }

var tokenish [256]bool

// tokenish marks the bytes a token, plain or encoded, can hold. It is built
// from scratch: package variables of other files may not be set yet when
// this init runs.
func init() {
	for c := range 256 {
		tokenish[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for _, c := range []byte(`_-.+/=%\`) {
		tokenish[c] = true
	}
}

// Write masks and writes what can be judged already. It returns len(p) and
// the first error of the underlying writer, if any.
func (mw *MaskWriter) Write(p []byte) (int, error) {
	if mw.err != nil {
		return 0, mw.err
	}
	mw.buf = append(mw.buf, p...)
	upto := len(mw.buf)
	for upto > mw.written && tokenish[mw.buf[upto-1]] {
		upto--
	}
	if len(mw.buf)-upto > MaxTokenLen {
		// A run too long to be one token: judge all but its tail.
		upto = len(mw.buf) - MaxTokenLen - 1
	}
	mw.emit(upto)
	return len(p), mw.err
}

// Flush masks and writes everything held back.
func (mw *MaskWriter) Flush() error {
	if mw.err == nil {
		mw.emit(len(mw.buf))
	}
	return mw.err
}

// emit writes buf[written:upto], masked, and any match that starts in it
// whole; it keeps MaxContext bytes of what was written as context for the
// next call.
func (mw *MaskWriter) emit(upto int) {
	if upto <= mw.written {
		return
	}
	buf := mw.buf
	mw.matches = Find(buf, Options{Lookalikes: true}, mw.matches[:0])
	out := make([]byte, 0, upto-mw.written+64)
	at := mw.written
	for _, m := range mw.matches {
		if m.Start < at || m.Start >= upto {
			continue
		}
		out = append(out, buf[at:m.Start]...)
		out = append(out, Mask(m.Rule, m.Text(buf))...)
		at = m.End
	}
	end := max(at, upto)
	out = append(out, buf[at:end]...)
	if _, err := mw.w.Write(out); err != nil {
		mw.err = err
	}
	// Keep MaxContext bytes before end as context, and what is pending.
	drop := max(0, end-MaxContext)
	mw.buf = append(mw.buf[:0], buf[drop:]...)
	mw.written = end - drop
}

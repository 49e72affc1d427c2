package rules_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// writeSplit writes text through a MaskWriter in pieces cut at the given
// offsets and returns the output.
func writeSplit(t *testing.T, text string, cuts ...int) string {
	t.Helper()
	var out bytes.Buffer
	mw := rules.NewMaskWriter(&out)
	prev := 0
	for _, c := range append(cuts, len(text)) {
		c = max(prev, min(c, len(text)))
		if n, err := mw.Write([]byte(text[prev:c])); n != c-prev || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		prev = c
	}
	if err := mw.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestMaskWriter(t *testing.T) {
	for _, kind := range plantKinds {
		tok := rulestest.Token(kind, "mw")
		masked := rules.Mask(rules.Find([]byte(tok), rules.Options{}, nil)[0].Rule, tok)
		for _, form := range []string{tok, base64.StdEncoding.EncodeToString([]byte(tok)), strings.ReplaceAll(tok, "_", "%5F")} {
			text := "error: bad value \"" + form + "\" on line 3\n"
			want := writeSplit(t, text)
			if !strings.HasPrefix(want, "error: bad value \""+masked) || strings.Contains(want, form) || strings.Contains(want, tok) {
				t.Fatalf("%s: %q", kind, want)
			}
			// Every cut, so that a token split between two writes is
			// still seen whole.
			for c := 0; c <= len(text); c++ {
				if got := writeSplit(t, text, c); got != want {
					t.Fatalf("%s cut at %d:\n got %q\nwant %q", kind, c, got, want)
				}
			}
		}
	}
}

// Text without a token passes unchanged, and what cannot end a token is
// written at once: a prompt is seen before its answer is read.
func TestMaskWriterPassesThrough(t *testing.T) {
	var out bytes.Buffer
	mw := rules.NewMaskWriter(&out)
	prompt := "Revoke these 2 tokens? Type \"yes\" to confirm: "
	mw.Write([]byte(prompt))
	if out.String() != prompt {
		t.Fatalf("before Flush: %q, want the whole prompt", out.String())
	}
	mw.Write([]byte("trailing_word"))
	mw.Flush()
	if out.String() != prompt+"trailing_word" {
		t.Fatalf("after Flush: %q", out.String())
	}
	long := strings.Repeat("plain text, nothing secret; ", 1000)
	if got := writeSplit(t, long, 7, 100, 5000); got != long {
		t.Fatal("plain text changed")
	}
	run := strings.Repeat("A", 3*rules.MaxTokenLen)
	if got := writeSplit(t, run, 1, rules.MaxTokenLen); got != run {
		t.Fatal("a long run changed")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestMaskWriterError(t *testing.T) {
	mw := rules.NewMaskWriter(failWriter{})
	if _, err := mw.Write([]byte("x\n")); err == nil {
		t.Fatal("no error from a failing writer")
	}
	if err := mw.Flush(); err == nil {
		t.Fatal("Flush forgot the error")
	}
}

// FuzzMaskWriter: a token planted in any text, written in any two pieces,
// never comes out whole, and text in which Find finds nothing comes out
// unchanged.
func FuzzMaskWriter(f *testing.F) {
	f.Add([]byte("value: "), uint16(3), uint16(9), uint8(0))
	f.Add([]byte("GITHUB_TOKEN="), uint16(13), uint16(20), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, at, cut uint16, kind uint8) {
		if len(rules.Find(data, rules.Options{Lookalikes: true}, nil)) == 0 {
			if got := writeSplit(t, string(data), int(cut)); got != string(data) {
				t.Fatalf("%q came out as %q", data, got)
			}
		}
		tok := rulestest.Token(plantKinds[int(kind)%len(plantKinds)], "fuzz")
		p := int(at) % (len(data) + 1)
		in := string(data[:p]) + " " + tok + " " + string(data[p:])
		if got := writeSplit(t, in, int(cut)%(len(in)+1)); strings.Contains(got, tok) {
			t.Fatalf("token whole in %q", got)
		}
	})
}

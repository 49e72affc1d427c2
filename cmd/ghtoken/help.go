package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ghtoken/ghtoken/report"
)

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

// flagColumn is where a flag's description starts in help.
const flagColumn = 24

// writeOverview writes "ghtoken help": every command in one line or more.
func writeOverview(w io.Writer) {
	var b strings.Builder
	b.WriteString("ghtoken finds leaked GitHub tokens and says what to do about each one.\n\nUsage:\n")
	for _, c := range commands {
		for _, l := range c.lines {
			fmt.Fprintf(&b, "  %-37s%s\n", "ghtoken "+l.call, l.what)
		}
	}
	b.WriteString(`
Run "ghtoken help scan" for the scan flags (--verify checks tokens against
GitHub) and "ghtoken help revoke" for revocation.

` + scanExit + "\n")
	io.WriteString(w, b.String())
}

// writeHelp writes "ghtoken help COMMAND".
func writeHelp(w io.Writer, c *command) {
	var b strings.Builder
	for i, s := range c.synopsis {
		lead := "Usage: "
		if i > 0 {
			lead = "       "
		}
		fmt.Fprintf(&b, "%sghtoken %s\n", lead, s)
	}
	for _, p := range strings.Split(c.about, "\n\n") {
		b.WriteString("\n" + wrap(p, "", helpWidth-2))
	}
	for _, g := range c.groups {
		fmt.Fprintf(&b, "\n%s:\n", g.title)
		for _, d := range g.flags {
			call := "  " + flagCall(d)
			indent := strings.Repeat(" ", flagColumn)
			text := wrap(d.help, indent, helpWidth-2)
			if len(call)+2 <= flagColumn {
				b.WriteString(call + text[len(call):])
			} else {
				b.WriteString(call + "\n" + text)
			}
		}
		if g.note != "" {
			b.WriteString("\n" + wrap(g.note, "  ", helpWidth-2))
		}
	}
	if c.exit != "" {
		b.WriteString("\n" + wrap(c.exit, "", helpWidth-2))
	}
	io.WriteString(w, b.String())
}

// flagCall is how a flag is written in help: "-o, --output FILE".
func flagCall(d *flagDef) string {
	s := "--" + d.name
	if d.short != "" {
		s = "-" + d.short + ", " + s
	}
	if d.arg != "" {
		s += " " + d.arg
	}
	return s
}

// wrap breaks text into lines of at most width bytes, each starting with
// indent, and ends it with a newline.
func wrap(text, indent string, width int) string {
	return indent + report.Wrap(text, width-len(indent), indent) + "\n"
}

package main

import (
	"fmt"
	"io"
	"strings"
)

// man runs "ghtoken man": the manual page, in roff.
func (e *env) man(_ *flagValues, _ []string) error {
	writeManPage(e.stdout)
	return nil
}

// roff escapes text for a roff line: backslashes, hyphens (so that flags
// copy and paste as ASCII) and a leading dot or quote.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, `-`, `\-`).Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

func writeManPage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`.TH GHTOKEN 1 "" "ghtoken ` + roff(version()) + `" "User Commands"
.SH NAME
ghtoken \- find leaked GitHub tokens and say what to do about each one
.SH SYNOPSIS
.nf
`)
	for _, c := range commands {
		for _, l := range c.lines {
			fmt.Fprintf(&b, "\\fBghtoken\\fR %s\n", roff(l.call))
		}
	}
	b.WriteString(`.fi
.SH DESCRIPTION
ghtoken finds GitHub tokens in files, directories, standard input, the staged
index, commit ranges and history. Prefixed tokens are confirmed offline by
their checksum. It never prints a whole token unless asked with
\fB\-\-show\-secrets\fR.
.SH COMMANDS
`)
	for _, c := range commands {
		fmt.Fprintf(&b, ".SS %s\n", roff(c.name))
		for _, s := range c.synopsis {
			fmt.Fprintf(&b, ".B ghtoken %s\n.br\n", roff(s))
		}
		for _, p := range strings.Split(c.about, "\n\n") {
			fmt.Fprintf(&b, ".PP\n%s\n", roff(p))
		}
		for _, g := range c.groups {
			fmt.Fprintf(&b, ".PP\n%s:\n", roff(g.title))
			for _, d := range g.flags {
				call := `\fB` + roff("--"+d.name) + `\fR`
				if d.short != "" {
					call = `\fB` + roff("-"+d.short) + `\fR, ` + call
				}
				if d.arg != "" {
					call += ` \fI` + roff(d.arg) + `\fR`
				}
				fmt.Fprintf(&b, ".TP\n%s\n%s\n", call, roff(d.help))
			}
			if g.note != "" {
				fmt.Fprintf(&b, ".PP\n%s\n", roff(g.note))
			}
		}
		if c.exit != "" {
			fmt.Fprintf(&b, ".PP\n%s\n", roff(c.exit))
		}
	}
	b.WriteString(`.SH EXIT STATUS
0 no findings, 1 findings, 2 an error: never 0 when something could not be
fully read.
.SH ENVIRONMENT
.TP
.B NO_COLOR
no colour in text output
.TP
.B GITHUB_API_URL
the API that \fB\-\-verify\fR and \fBrevoke\fR use
.TP
.B GITHUB_STEP_SUMMARY
with \fB\-\-format github\fR, where the job summary is appended
.SH SEE ALSO
.BR git (1),
README.md in the source repository
`)
	io.WriteString(w, b.String())
}

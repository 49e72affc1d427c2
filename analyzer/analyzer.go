// Package analyzer is ghtoken as a go/analysis analyzer: it reports GitHub
// tokens in Go string literals (interpreted and raw) and comments, with the
// same rules, rule ids and allow directives as the ghtoken command.
//
// It lives in its own package so that any go/analysis driver can load it:
// cmd/ghtokenvet (a singlechecker for go vet -vettool), gopls-style editors,
// or golangci-lint's plugin system. It sees only the Go files (and the other
// files, such as assembly, of the packages a driver analyzes); the ghtoken
// command, which sees every file and git history, remains the main tool.
package analyzer

import (
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/ghtoken/ghtoken/rules"
)

// Doc is the analyzer's documentation; its first line is the title.
const Doc = `report leaked GitHub tokens in Go source

The ghtoken analyzer finds GitHub tokens (classic, fine-grained, OAuth, GitHub
App user, installation and refresh tokens, and legacy 40-hex tokens next to a
GitHub keyword) in string literals, raw strings and comments. Each diagnostic
names the rule id used by the ghtoken command, shows the token masked and says
what to do first. Look-alikes that fail their checksum are not reported.

A finding is suppressed by a comment on its line, "ghtoken:allow <reason>", or
on the line before, "ghtoken:allow-next-line <reason>". A directive without a
reason is reported and suppresses nothing; a ghtoken directive that suppresses
nothing is reported as unused. Other tools' directives (gitleaks:allow,
trufflehog:ignore, "pragma: allowlist secret" and "pragma: allowlist nextline
secret") are honoured too unless -no-foreign-allow is set.`

// Config tunes an analyzer made by New.
type Config struct {
	// NoForeignAllow ignores other tools' allow directives.
	NoForeignAllow bool
}

// Analyzer is the ghtoken analyzer with its default configuration; its flags
// (-no-foreign-allow) belong to it alone.
var Analyzer = New(Config{})

// New returns an analyzer with its own copy of cfg, bound to its flags, so
// that two analyzers never share settings through a package variable.
func New(cfg Config) *analysis.Analyzer {
	c := &cfg
	a := &analysis.Analyzer{
		Name: "ghtoken",
		Doc:  Doc,
		URL:  "https://github.com/ghtoken/ghtoken#ghtokenvet-ghtoken-as-a-go-vet-analyzer",
		Run:  func(pass *analysis.Pass) (any, error) { return nil, c.run(pass) },
	}
	a.Flags.Init("ghtoken", flag.ContinueOnError)
	a.Flags.BoolVar(&c.NoForeignAllow, "no-foreign-allow", cfg.NoForeignAllow, "ignore gitleaks:allow, trufflehog:ignore and pragma: allowlist directives")
	return a
}

func (c *Config) run(pass *analysis.Pass) error {
	// Most files hold no token: Find runs first, and the syntax tree is
	// walked for literal ranges only when it found something.
	read := pass.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		src, err := read(tf.Name())
		if err != nil || len(src) != tf.Size() {
			// A driver that rewrote the file (cgo) or cannot give its
			// bytes: fall back to the literals and comments alone, which
			// loses only the keyword context of legacy tokens.
			c.checkPieces(pass, f, tf)
			continue
		}
		c.check(pass, tf, src, func() [][2]int { return literalRanges(f, tf) }, commentRanges(f, tf))
	}
	for _, name := range pass.OtherFiles {
		src, err := read(name)
		if err != nil {
			continue
		}
		tf := pass.Fset.AddFile(name, -1, len(src))
		tf.SetLinesForContent(src)
		c.check(pass, tf, src, nil, nil)
	}
	return nil
}

// commentRanges returns the byte ranges of f's comments, sorted: in a Go
// file only a comment holds a directive, not a string that quotes one.
func commentRanges(f *ast.File, tf *token.File) [][2]int {
	var out [][2]int
	for _, g := range f.Comments {
		for _, cm := range g.List {
			out = append(out, [2]int{tf.Offset(cm.Pos()), tf.Offset(cm.End())})
		}
	}
	return out
}

// literalRanges returns the byte ranges of f's string literals and comments,
// sorted by start: the only places the analyzer reports tokens in.
func literalRanges(f *ast.File, tf *token.File) [][2]int {
	var out [][2]int
	add := func(from, to token.Pos) {
		out = append(out, [2]int{tf.Offset(from), tf.Offset(to)})
	}
	for _, g := range f.Comments {
		for _, cm := range g.List {
			add(cm.Pos(), cm.End())
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			add(lit.Pos(), lit.End())
		}
		return true
	})
	slices.SortFunc(out, func(a, b [2]int) int { return a[0] - b[0] })
	return out
}

// inside reports whether [start, end) lies within one of the sorted ranges.
func inside(ranges [][2]int, start, end int) bool {
	i := sort.Search(len(ranges), func(i int) bool { return ranges[i][0] > start }) - 1
	return i >= 0 && end <= ranges[i][1]
}

// check reports the tokens in src, a whole file, that lie within the ranges
// returned by literals (everywhere when literals is nil), and the file's allow
// directives, those within comments when comments is not nil.
func (c *Config) check(pass *analysis.Pass, tf *token.File, src []byte, literals func() [][2]int, comments [][2]int) {
	matches := rules.Find(src, rules.Options{Path: tf.Name()}, nil)
	var ranges [][2]int
	if literals != nil && len(matches) > 0 {
		ranges = literals()
	}
	// Other tools' directives matter only where there is a token; ghtoken's
	// own are always read, to report those without a reason or unused.
	dirs := directives(src, tf, 0, !c.NoForeignAllow && len(matches) > 0)
	if comments != nil {
		dirs = slices.DeleteFunc(dirs, func(d fileDirective) bool { return !inside(comments, d.Start, d.End) })
	}
	used := make([]bool, len(dirs))
	for _, m := range matches {
		if literals != nil && !inside(ranges, m.Start, m.End) {
			continue
		}
		line := tf.Line(tf.Pos(m.Start))
		if i := suppressor(dirs, line); i >= 0 {
			used[i] = true
			continue
		}
		pass.Report(diagnostic(tf, m.Text(src), m))
	}
	reportDirectives(pass, tf, dirs, used)
}

// reportDirectives reports ghtoken directives without a reason, and those
// that allowed nothing.
func reportDirectives(pass *analysis.Pass, tf *token.File, dirs []fileDirective, used []bool) {
	for i, d := range dirs {
		pos := tf.Pos(d.Start)
		switch {
		case d.Foreign:
		case d.Reason == "":
			pass.Report(analysis.Diagnostic{Pos: pos, Category: "directive",
				Message: d.Name + " needs a reason (" + d.Name + " <why this is not a leak>); without one it suppresses nothing"})
		case !used[i]:
			pass.Report(analysis.Diagnostic{Pos: pos, Category: "directive",
				Message: "unused " + d.Name + " directive: no token on the line it applies to"})
		}
	}
}

// checkPieces checks each string literal and comment on its own, for a file
// whose bytes the driver cannot give: the directives are read from the
// comments, so they allow tokens here as they do everywhere else. Only the
// keyword context of legacy tokens across pieces is lost.
func (c *Config) checkPieces(pass *analysis.Pass, f *ast.File, tf *token.File) {
	type piece struct {
		pos  token.Pos
		text string
	}
	var pieces []piece
	var dirs []fileDirective
	for _, g := range f.Comments {
		for _, cm := range g.List {
			pieces = append(pieces, piece{cm.Pos(), cm.Text})
			dirs = append(dirs, directives([]byte(cm.Text), tf, tf.Offset(cm.Pos()), !c.NoForeignAllow)...)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			pieces = append(pieces, piece{lit.Pos(), lit.Value})
		}
		return true
	})
	used := make([]bool, len(dirs))
	for _, p := range pieces {
		text := []byte(p.text)
		for _, m := range rules.Find(text, rules.Options{Path: tf.Name()}, nil) {
			secret := m.Text(text)
			m.Start += tf.Offset(p.pos)
			m.End += tf.Offset(p.pos)
			if i := suppressor(dirs, tf.Line(tf.Pos(m.Start))); i >= 0 {
				used[i] = true
				continue
			}
			pass.Report(diagnostic(tf, secret, m))
		}
	}
	reportDirectives(pass, tf, dirs, used)
}

// diagnostic reports m, whose decoded token is secret: the message masks the
// token itself, never the encoded text it was found in.
func diagnostic(tf *token.File, secret string, m rules.Match) analysis.Diagnostic {
	steps := rules.RemediationFor(m.Rule, rules.Place{Path: tf.Name()}, rules.Facts{ExpiresAt: m.ExpiresAt})
	return analysis.Diagnostic{
		Pos:      tf.Pos(m.Start),
		End:      tf.Pos(m.End),
		Category: m.Rule.ID,
		Message:  fmt.Sprintf("%s: %s %s [%s]: %s", m.Rule.ID, m.Rule.Title, rules.Mask(m.Rule, secret), m.Confidence, steps[0]),
	}
}

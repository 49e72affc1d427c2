// Command genworst writes one of the generated worst cases of
// testdata/bench/adversarial.sh: each detector's most expensive input, and
// the inputs whose matches cost memory. Tokens are built at run time.
//
// Usage: go run ./testdata/bench/genworst -case NAME -size-mib N -o FILE
// (-list prints the case names).
package main

import (
	"bufio"
	"encoding/base64"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// repeat returns a line generator that writes unit again and again.
func repeat(unit string) func(i int) string { return func(int) string { return unit } }

// allow is the inline directive, assembled so that this file holds none.
var allow = "ghtoken" + ":allow"

var cases = map[string]func(i int) string{
	// Plain source: the yardstick for "a small constant times ordinary source".
	"source": nil,
	// Each detector's most expensive input.
	"fine-grained-prefix": repeat("github_pat_"),
	"keyword-ident":       repeat("gh_token_"),
	"keyword-lines":       repeat("GITHUB_TOKEN = \n"),
	"percent-prefix":      repeat(" ghp%5F"),
	"escaped-stateless":   repeat(`-ghs\x5f1\x5f`),
	"base64-prefix":       repeat(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("ghp_", 3)))),
	"base64-base64":       repeat(base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("github_pat_", 3)))))),
	"stateless-nested":    repeat(strings.Repeat("-ghs_1_eyJ", 50) + ".e30.x\n"),
	// Inputs whose matches cost memory.
	"lookalikes": func(i int) string {
		return fmt.Sprintf("x%d = %s\n", i, rulestest.Lookalike(rulestest.ClassicPAT, fmt.Sprint(i)))
	},
	"tokens": func(i int) string {
		return fmt.Sprintf("GITHUB_TOKEN=%s\n", rulestest.Token(rulestest.ClassicPAT, fmt.Sprint(i)))
	},
	"directives": repeat("# " + allow + " x\n"),
}

func main() {
	name := flag.String("case", "", "case name")
	size := flag.Int64("size-mib", 64, "file size in MiB")
	out := flag.String("o", "", "output file")
	list := flag.Bool("list", false, "print the case names")
	flag.Parse()
	if *list {
		var names []string
		for n := range cases {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Println(strings.Join(names, "\n"))
		return
	}
	gen, ok := cases[*name]
	if !ok || *out == "" {
		log.Fatalf("usage: genworst -case NAME -size-mib N -o FILE (unknown case %q)", *name)
	}
	if gen == nil {
		gen = sourceLines()
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	limit := *size << 20
	var written int64
	for i := 0; written < limit; i++ {
		s := gen(i)
		if rest := limit - written; int64(len(s)) > rest {
			s = s[:rest]
		}
		n, err := w.WriteString(s)
		if err != nil {
			log.Fatal(err)
		}
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// sourceLines returns the Go standard library's net/http source, line after
// line, over and over.
func sourceLines() func(int) string {
	var src []string
	root := filepath.Join(runtime.GOROOT(), "src", "net", "http")
	files, _ := filepath.Glob(filepath.Join(root, "*.go"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err == nil {
			src = append(src, strings.SplitAfter(string(data), "\n")...)
		}
	}
	if len(src) == 0 {
		log.Fatal("no Go source under GOROOT")
	}
	return func(i int) string { return src[i%len(src)] }
}

// Command mktoken prints a token built at run time by rulestest, for
// scripts that need one (the repository holds no token literal).
//
// Usage: go run ./testdata/bench/mktoken KIND SEED
package main

import (
	"fmt"
	"os"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mktoken KIND SEED")
		os.Exit(2)
	}
	fmt.Print(rulestest.Token(os.Args[1], os.Args[2]))
}

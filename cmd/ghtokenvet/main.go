// Command ghtokenvet reports leaked GitHub tokens in Go source as a go vet
// tool:
//
//	go vet -vettool=$(which ghtokenvet) ./...
//
// It runs the analyzer of package analyzer, which shares its rules, rule ids
// and allow directives with the ghtoken command. Run the ghtoken command for
// everything that is not Go source (configuration, scripts, logs, git history).
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/ghtoken/ghtoken/analyzer"
)

func main() { singlechecker.Main(analyzer.Analyzer) }

package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/txtar"

	"github.com/ghtoken/ghtoken/analyzer"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// writePackages expands testdata/analyzer.txtar into a GOPATH-style tree
// under a temporary directory, building every token at run time.
func writePackages(t testing.TB) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "analyzer.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, "src", filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		// "${allow}" is a directive without a reason: spelled out here, it
		// would be one in this repository too, and ghtoken's scan of its own
		// checkout would warn about it.
		data := strings.ReplaceAll(string(f.Data), "${allow}", "ghtoken"+":allow")
		if err := os.WriteFile(p, []byte(rulestest.Expand(data)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, writePackages(t), analyzer.Analyzer, "a")
}

// TestNoForeignAllow sets the flag as a driver would, on an analyzer of
// its own: other tools' directives stop suppressing, the shared Analyzer is
// unchanged.
func TestNoForeignAllow(t *testing.T) {
	a := analyzer.New(analyzer.Config{})
	if err := a.Flags.Set("no-foreign-allow", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, writePackages(t), a, "b")
	if f := analyzer.Analyzer.Flags.Lookup("no-foreign-allow"); f == nil || f.Value.String() != "false" {
		t.Errorf("the default analyzer's -no-foreign-allow is %v", f)
	}
}

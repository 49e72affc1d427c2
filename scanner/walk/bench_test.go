package walk_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// BenchmarkWalk times the walk alone (no file is read) over 5,000 files in
// 250 directories with a .gitignore that drops a fifth of them: inside a
// repository (git lists the files, all of them in its index), outside one (the walk matches the
// patterns) and with --no-ignore. Compare with git ls-files on the same tree
// in testdata/bench/walk.sh.
func BenchmarkWalk(b *testing.B) {
	tree := func(b *testing.B) string {
		dir := b.TempDir()
		writeBench(b, filepath.Join(dir, ".gitignore"), "*.log\nbuild/\n!keep.log\n/vendor/**/*.tmp\n")
		for d := range 250 {
			sub := fmt.Sprintf("pkg%03d/sub%d", d, d%7)
			if d%25 == 0 {
				sub = fmt.Sprintf("build/out%d", d)
			}
			for f := range 20 {
				name := fmt.Sprintf("file%02d.go", f)
				if f%10 == 0 {
					name = fmt.Sprintf("trace%02d.log", f)
				}
				writeBench(b, filepath.Join(dir, sub, name), "package x\n")
			}
		}
		return dir
	}
	run := func(b *testing.B, p *walk.Paths) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			if err := p.Walk(context.Background(), func(finding.Item) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			if n < 3000 {
				b.Fatalf("walked %d files", n)
			}
		}
	}
	b.Run("outside-repository", func(b *testing.B) { run(b, &walk.Paths{Args: []string{tree(b)}}) })
	b.Run("no-ignore", func(b *testing.B) { run(b, &walk.Paths{Args: []string{tree(b)}, NoIgnore: true}) })
	b.Run("git", func(b *testing.B) {
		if _, err := exec.LookPath("git"); err != nil {
			b.Skip("git is not installed")
		}
		dir := tree(b)
		home := b.TempDir()
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
			cmd := exec.Command("git", args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("git %s: %v\n%s", args[0], err, out)
			}
		}
		run(b, &walk.Paths{Args: []string{dir}})
	})
}

func writeBench(b *testing.B, path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}

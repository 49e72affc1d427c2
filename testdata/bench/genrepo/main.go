// Command genrepo writes a git fast-import stream for the benchmark
// repositories of testdata/bench/git.sh, so that they are built in seconds without a
// network:
//
//	genrepo -files 50000            one commit of N small generated text files
//	genrepo -from DIR -commits 3000 a history built from the files under DIR:
//	                                each commit adds a share of them and edits
//	                                two files added earlier
//
// It is a benchmark tool, not part of ghtoken.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	files := flag.Int("files", 0, "generate one commit of this many files")
	from := flag.String("from", "", "build a history from the files under this directory")
	commits := flag.Int("commits", 3000, "number of commits with -from")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	switch {
	case *files > 0:
		flat(w, *files)
	case *from != "":
		history(w, *from, *commits)
	default:
		log.Fatal("genrepo: give -files N or -from DIR")
	}
}

var when = int64(1700000000)

func commitHeader(w *bufio.Writer, n int, msg string) {
	when += 60
	fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n", n, when, len(msg), msg)
	if n > 1 {
		fmt.Fprintf(w, "from :%d\n", n-1)
	}
}

func inline(w *bufio.Writer, path string, data []byte) {
	fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", path, len(data))
	w.Write(data)
	w.WriteByte('\n')
}

func flat(w *bufio.Writer, n int) {
	commitHeader(w, 1, "many files")
	for i := range n {
		var b strings.Builder
		for j := range 20 {
			fmt.Fprintf(&b, "line %d of file %d: some ordinary configuration text = value_%d\n", j, i, i*j)
		}
		inline(w, fmt.Sprintf("dir%03d/file%05d.txt", i%500, i), []byte(b.String()))
	}
}

func history(w *bufio.Writer, root string, commits int) {
	var paths []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) == 0 {
		log.Fatalf("genrepo: no files under %s", root)
	}
	per := (len(paths) + commits - 1) / commits
	var added []string // repository paths of text files added so far
	contents := map[string][]byte{}
	next := 0
	for c := 1; c <= commits; c++ {
		commitHeader(w, c, fmt.Sprintf("commit %d", c))
		for k := 0; k < per && next < len(paths); k++ {
			p := paths[next]
			next++
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			inline(w, rel, data)
			if len(data) < 64<<10 && !strings.ContainsRune(string(data[:min(len(data), 8000)]), 0) {
				added = append(added, rel)
				contents[rel] = data
			}
		}
		// Edit two earlier files, as real histories mostly do.
		for k := 0; k < 2 && len(added) > 0; k++ {
			rel := added[(c*7919+k*104729)%len(added)]
			data := append(contents[rel], fmt.Sprintf("// edit in commit %d\n", c)...)
			contents[rel] = data
			inline(w, rel, data)
		}
	}
}

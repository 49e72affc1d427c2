// Command genfile writes a large text file of source-like lines with a
// checksum-valid token (built at run time) every few megabytes, for the
// large-file benchmark.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/ghtoken/ghtoken/rules/rulestest"
)

func main() {
	size := flag.Int64("size-mib", 1024, "file size in MiB")
	out := flag.String("o", "big.txt", "output file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var written int64
	for i := 0; written < *size<<20; i++ {
		var line string
		if i%50000 == 0 {
			line = fmt.Sprintf("token := %q // planted %d\n", rulestest.Token(rulestest.ClassicPAT, fmt.Sprint(i)), i)
		} else {
			line = fmt.Sprintf("\tresult%d := strings.TrimSpace(github.Get(ctx, %d)) // right through the night\n", i, i)
		}
		n, err := w.WriteString(line)
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

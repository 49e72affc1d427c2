package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ghtoken/ghtoken/github"
	"github.com/ghtoken/ghtoken/scanner"
)

const scanUsage = `Usage: ghtoken scan [flags] [PATH...]

Scans files and directories (default: the current directory) for GitHub
tokens. A directory walk honours .gitignore files, .git/info/exclude and never
enters .git. PATH "-" reads standard input.

Flags:
  --format FORMAT       text (default) or json
  --show-secrets        print whole tokens instead of masked ones
  --show-lookalikes     also list token-shaped text that fails its checksum
  --no-ignore           scan files that .gitignore excludes too
  --max-file-size SIZE  skip files larger than SIZE (default 100MiB; 0 = no limit;
                        suffixes KiB, MiB, GiB, KB, MB, GB)
  --strict              exit 2 when a file could not be read or was skipped for
                        a reason other than being binary or a symbolic link
  --no-color            no colour in text output (also NO_COLOR=1)
  --workers N           files read at once (default: the number of CPUs)
  --verify              ask GitHub whether each confirmed token is live (sends
                        each distinct token once to the API; off by default)
  --github-api-url URL  API for --verify (default $GITHUB_API_URL, else
                        https://api.github.com; GHES: https://HOST/api/v3)

Exit status: 0 no findings, 1 findings, 2 error.
`

// scanFlags are the flags of "ghtoken scan".
type scanFlags struct {
	format         string
	showSecrets    bool
	showLookalikes bool
	noIgnore       bool
	maxFileSize    byteSize
	strict         bool
	noColor        bool
	workers        int
	verify         bool
	githubAPIURL   string
}

func newScanFlagSet(f *scanFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.format, "format", "text", "")
	fs.BoolVar(&f.showSecrets, "show-secrets", false, "")
	fs.BoolVar(&f.showLookalikes, "show-lookalikes", false, "")
	fs.BoolVar(&f.noIgnore, "no-ignore", false, "")
	f.maxFileSize = 100 << 20
	fs.Var(&f.maxFileSize, "max-file-size", "")
	fs.BoolVar(&f.strict, "strict", false, "")
	fs.BoolVar(&f.noColor, "no-color", false, "")
	fs.IntVar(&f.workers, "workers", 0, "")
	fs.BoolVar(&f.verify, "verify", false, "")
	fs.StringVar(&f.githubAPIURL, "github-api-url", "", "")
	return fs
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments ("ghtoken scan . --format json"); "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (e *env) scan(args []string) int {
	var f scanFlags
	fs := newScanFlagSet(&f)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, scanUsage)
			return exitClean
		}
		fmt.Fprintf(e.stderr, "ghtoken scan: %v\nRun \"ghtoken help scan\" for usage.\n", err)
		return exitError
	}
	rep, err := reporterFor(f.format)
	if err != nil {
		fmt.Fprintf(e.stderr, "ghtoken scan: %v\n", err)
		return exitError
	}
	if f.noColor || e.getenv("NO_COLOR") != "" {
		e.colour = false
	}
	var api *github.Client
	if f.verify {
		// Checked before scanning: a bad URL should not cost a whole scan.
		if api, err = e.apiClient(f.githubAPIURL); err != nil {
			fmt.Fprintf(e.stderr, "ghtoken scan: %v\n", err)
			return exitError
		}
	}
	src := &scanner.Paths{Args: paths, NoIgnore: f.noIgnore, Stdin: e.stdin}
	res, err := scanner.Scan(e.ctx, src, scanner.Options{
		MaxFileSize: int64(f.maxFileSize),
		Lookalikes:  f.showLookalikes,
		Workers:     f.workers,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "ghtoken: %v\n", err)
		return exitError
	}
	r := &report{Result: res, ShowSecrets: f.showSecrets, ShowLookalikes: f.showLookalikes, Colour: e.colour}
	if api != nil {
		r.Verified = e.verifyFindings(api, res)
		writeVerifySummary(e.stderr, api, r.Verified)
	}
	if err := rep.Report(e.stdout, r); err != nil {
		fmt.Fprintf(e.stderr, "ghtoken: write report: %v\n", err)
		return exitError
	}
	if f.format != "text" {
		// Machine formats keep stdout clean; people still see what happened.
		writeSummary(e.stderr, r)
	}
	writeWarnings(e.stderr, res)
	return exitCode(res, f.strict)
}

// exitCode maps a finished scan to the exit status.
func exitCode(res *scanner.Result, strict bool) int {
	if strict {
		for _, s := range res.Skipped {
			if s.Reason != scanner.SkipBinary && s.Reason != scanner.SkipSymlink {
				return exitError
			}
		}
	}
	for _, f := range res.Findings {
		if f.Confidence > 0 { // look-alikes listed on request are not findings
			return exitFindings
		}
	}
	return exitClean
}

// byteSize is a flag.Value for sizes such as 100MiB.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000_000}, {"GB", 1000_000_000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	num := strings.TrimSpace(s)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("invalid size %q (want a number of bytes, optionally with KiB, MiB or GiB)", s)
	}
	*b = byteSize(n * mult)
	return nil
}

package main

import (
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/ghtoken/ghtoken/report"
)

// flagDef is one flag of one command. The parser, --help, the README's flag
// tables, shell completion and the man page are all made from these, so
// they cannot disagree.
type flagDef struct {
	name   string   // long name, written --name
	short  string   // one-letter alias, written -x; "" for none
	arg    string   // placeholder for its value; "" for a switch
	help   string   // what it does, in sentences the printers wrap
	values []string // the values it takes, for completion
	file   bool     // its value is a file name, for completion
	repeat bool     // it may be given more than once
	bind   func(fs *flag.FlagSet, v *flagValues, name string)
}

// with returns a copy of d that says help instead: a flag shared by commands
// may mean something slightly different to each.
func (d flagDef) with(help string) *flagDef {
	d.help = help
	return &d
}

// flagGroup is a titled list of flags, with an optional note after them.
type flagGroup struct {
	title string
	flags []*flagDef
	note  string
}

// usageLine is one line of the overview: how to call a command, and what
// for.
type usageLine struct{ call, what string }

// command is a subcommand: how it is called, what it does, its flags and
// its exit statuses.
type command struct {
	name     string
	synopsis []string    // after "ghtoken": the ways to call it
	lines    []usageLine // its lines in the overview
	about    string      // paragraphs, separated by blank lines
	groups   []flagGroup
	maxArgs  int    // positional arguments it takes; -1 for any number
	exit     string // what its exit statuses mean
	run      func(e *env, v *flagValues, args []string) error
	// printsOnly says that it prints what the binary holds and waits for
	// nothing (no file, process or network): an interrupt need not be
	// caught, so none is (see env.interrupt).
	printsOnly bool
}

// flagValues holds the value of every flag of every command; a command's
// table says which it takes.
type flagValues struct {
	format         string
	showSecrets    bool
	showLookalikes bool
	noIgnore       bool
	noArchives     bool
	maxFileSize    byteSize
	strict         bool
	failOn         failOn
	noColor        bool
	workers        int
	verify         bool
	githubAPIURL   string
	output         string
	baseline       string
	ignoreFile     string
	noForeignAllow bool
	noInline       bool
	staged         bool
	allLines       bool
	since          string
	ci             bool
	history        bool
	branches       []string
	reports        []reportTarget
	from           string
	includeLow     []string
	yes            bool
	dryRun         bool
	force          bool
	verbose        bool
	quiet          bool
}

// gitMode says whether a git mode was asked for.
func (f *flagValues) gitMode() bool { return f.staged || f.since != "" || f.ci || f.history }

func boolFlag(field func(*flagValues) *bool) func(*flag.FlagSet, *flagValues, string) {
	return func(fs *flag.FlagSet, v *flagValues, name string) { p := field(v); fs.BoolVar(p, name, *p, "") }
}

func stringFlag(field func(*flagValues) *string) func(*flag.FlagSet, *flagValues, string) {
	return func(fs *flag.FlagSet, v *flagValues, name string) { p := field(v); fs.StringVar(p, name, *p, "") }
}

// The flags, each defined once; commands list the ones they take.
var (
	flagFormat = &flagDef{name: "format", arg: "FORMAT", values: []string{"text", "json", "jsonl", "sarif", "github", "gitlab"},
		help: "output format: text (default), json, jsonl (a line per finding as it is found, then a summary line), sarif, github or gitlab",
		bind: stringFlag(func(v *flagValues) *string { return &v.format })}
	flagOutput = &flagDef{name: "output", short: "o", arg: "FILE", file: true,
		help: "write the report to FILE (atomically) instead of standard output; the one-line summary still goes to standard error",
		bind: stringFlag(func(v *flagValues) *string { return &v.output })}
	flagReport = &flagDef{name: "report", arg: "FORMAT=FILE", repeat: true,
		help: "also write a report in FORMAT to FILE (atomically), from the same scan (repeatable: --format github --report sarif=ghtoken.sarif --report json=ghtoken.json)",
		bind: func(fs *flag.FlagSet, v *flagValues, name string) {
			fs.Func(name, "", func(s string) error {
				t, err := parseReportTarget(s)
				v.reports = append(v.reports, t)
				return err
			})
		}}
	flagShowSecrets = &flagDef{name: "show-secrets",
		help: "print whole tokens instead of masked ones (text, json and jsonl only: sarif, github and gitlab never hold token text)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.showSecrets })}
	flagShowLookalikes = &flagDef{name: "show-lookalikes",
		help: "also list token-shaped text that fails its checksum (confidence lookalike; the first 100 of each file)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.showLookalikes })}
	flagNoIgnore = &flagDef{name: "no-ignore",
		help: "scan files that git ignores too (.gitignore, .git/info/exclude, core.excludesFile; needs no git)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.noIgnore })}
	flagNoArchives = &flagDef{name: "no-archives",
		help: "read archives and compressed files (zip, jar, tar, gzip, bzip2, zstd, ...) as they are instead of reading their members",
		bind: boolFlag(func(v *flagValues) *bool { return &v.noArchives })}
	flagMaxFileSize = &flagDef{name: "max-file-size", arg: "SIZE",
		help: "skip files larger than SIZE (default 100MiB; 0 = no limit; suffixes KiB, MiB, GiB, KB, MB, GB)",
		bind: func(fs *flag.FlagSet, v *flagValues, name string) { fs.Var(&v.maxFileSize, name, "") }}
	flagStrict = &flagDef{name: "strict",
		help: "also exit 2 when a file was skipped for a reason other than being a symbolic link or a submodule (a file that could not be read always exits 2)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.strict })}
	flagFailOn = &flagDef{name: "fail-on", arg: "LEVEL", values: []string{"high", "medium", "low"},
		help: "exit 1 when a finding of confidence LEVEL or higher is found: high, medium (default) or low; findings below it are warnings (listed, counted, exit 0)",
		bind: func(fs *flag.FlagSet, v *flagValues, name string) { fs.Var(&v.failOn, name, "") }}
	flagVerbose = &flagDef{name: "verbose",
		help: "text: print every finding in full (its facts and all the advice) instead of a line or two each with the advice once per token type",
		bind: boolFlag(func(v *flagValues) *bool { return &v.verbose })}
	flagQuiet = &flagDef{name: "quiet",
		help: "text: print only the summary line (warnings about what could not be read still go to standard error; -o and --report files are written in full)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.quiet })}
	flagNoColor = &flagDef{name: "no-color",
		help: "no colour in text output (colour is used only on a terminal, never when NO_COLOR is set)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.noColor })}
	flagWorkers = &flagDef{name: "workers", arg: "N",
		help: "files read at once (default: the number of CPUs)",
		bind: func(fs *flag.FlagSet, v *flagValues, name string) { fs.IntVar(&v.workers, name, 0, "") }}
	flagVerify = &flagDef{name: "verify",
		help: "ask GitHub whether each token is live (sends each distinct high- or medium-confidence token once to the API, never a low-confidence one or a look-alike; off by default)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.verify })}
	flagGitHubAPIURL = &flagDef{name: "github-api-url", arg: "URL",
		help: "API for --verify (default $GITHUB_API_URL, else https://api.github.com; GHES: https://HOST/api/v3)",
		bind: stringFlag(func(v *flagValues) *string { return &v.githubAPIURL })}

	flagBaseline = &flagDef{name: "baseline", arg: "FILE", file: true,
		help: `report only findings whose token is not in FILE (made by "ghtoken baseline")`,
		bind: stringFlag(func(v *flagValues) *string { return &v.baseline })}
	flagIgnoreFile = &flagDef{name: "ignore-file", arg: "FILE", file: true,
		help: "read FILE instead of .ghtokenignore at the scan root",
		bind: stringFlag(func(v *flagValues) *string { return &v.ignoreFile })}
	flagNoForeignAllow = &flagDef{name: "no-foreign-allow",
		help: "ignore gitleaks:allow, pragma: allowlist secret and trufflehog:ignore directives",
		bind: boolFlag(func(v *flagValues) *bool { return &v.noForeignAllow })}
	flagNoInline = &flagDef{name: "no-inline",
		help: "ignore every inline directive, ghtoken's own included",
		bind: boolFlag(func(v *flagValues) *bool { return &v.noInline })}

	flagStaged = &flagDef{name: "staged",
		help: "scan what is about to be committed (the index), only the lines the commit adds: the pre-commit hook; FILE arguments limit it to those files, and a named file with no staged change is scanned whole",
		bind: boolFlag(func(v *flagValues) *bool { return &v.staged })}
	flagAllLines = &flagDef{name: "all-lines",
		help: "with --staged: scan whole staged files",
		bind: boolFlag(func(v *flagValues) *bool { return &v.allLines })}
	flagSince = &flagDef{name: "since", arg: "REV",
		help: "scan the lines each commit in REV..HEAD adds",
		bind: stringFlag(func(v *flagValues) *string { return &v.since })}
	flagCI = &flagDef{name: "ci",
		help: "like --since, with the range chosen from the GitHub Actions or GitLab CI environment (said on standard error)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.ci })}
	flagHistory = &flagDef{name: "history",
		help: "scan every blob reachable from any ref once; report each token where it was first added, and how often",
		bind: boolFlag(func(v *flagValues) *bool { return &v.history })}
	flagBranch = &flagDef{name: "branch", arg: "REF", repeat: true,
		help: "with --history: only what REF reaches (repeatable)",
		bind: func(fs *flag.FlagSet, v *flagValues, name string) {
			fs.Func(name, "", func(s string) error { v.branches = append(v.branches, s); return nil })
		}}

	flagFrom = &flagDef{name: "from", arg: "FILE", file: true,
		help: `read tokens from a JSON report written with "ghtoken scan --format json --show-secrets" instead of scanning ("-" for standard input)`,
		bind: stringFlag(func(v *flagValues) *string { return &v.from })}
	flagIncludeLow = &flagDef{name: "include-low", arg: "FINGERPRINT", repeat: true,
		help: "also send the low-confidence token with this fingerprint (listed as not sent otherwise; repeatable)",
		bind: func(fs *flag.FlagSet, v *flagValues, name string) {
			fs.Func(name, "", func(s string) error { v.includeLow = append(v.includeLow, s); return nil })
		}}
	flagYes = &flagDef{name: "yes",
		help: "do not ask for confirmation (for scripts)",
		bind: boolFlag(func(v *flagValues) *bool { return &v.yes })}
	flagDryRun = &flagDef{name: "dry-run",
		help: "list what would be revoked and send nothing",
		bind: boolFlag(func(v *flagValues) *bool { return &v.dryRun })}
	flagForce = &flagDef{name: "force",
		help: "replace an existing pre-commit hook that ghtoken did not install",
		bind: boolFlag(func(v *flagValues) *bool { return &v.force })}
)

// The flag groups shared by scan and baseline.
var (
	suppressionFlags = flagGroup{title: "Suppressions (see README.md)", note: "The scan root is the top of the git repository that holds the first PATH (or the first PATH itself, outside a repository). Its .ghtokenignore and .github/secret_scanning.yml (paths-ignore) apply to the whole scan."}
	gitModeFlags     = flagGroup{title: "Git modes (instead of PATHs; run inside a repository)",
		flags: []*flagDef{flagStaged, flagAllLines, flagSince, flagCI, flagHistory, flagBranch}}
)

const scanExit = "Exit status: 0 no findings at or above --fail-on (warnings below it do not count), 1 findings, 2 error."

// commands lists every subcommand, in the order help shows them.
var commands []*command

func init() {
	// Assigned here, not in the declaration: the commands refer to
	// functions that read the table.
	commands = []*command{scanCommand, baselineCommand, hookCommand, unhookCommand, rulesCommand, revokeCommand,
		helpCommand, versionCommand, completionCommand, manCommand}
}

var scanCommand = &command{
	name:     "scan",
	synopsis: []string{"[scan] [flags] [PATH...]"},
	lines: []usageLine{
		{"[scan] [flags] [PATH...]", "scan files and directories (default: .)"},
		{"scan --staged [FILE...]", "scan what is about to be committed (pre-commit)"},
		{"scan --since REV | --ci", "scan the commits of a range (CI)"},
		{"scan --history", "scan every commit of every ref once (audit)"},
	},
	about: `Scans files and directories (default: the current directory) for GitHub tokens. Inside a git work tree a directory walk scans the files git would commit (git ls-files --cached --others --exclude-standard), tracked files that an ignore pattern matches included; outside one it honours .gitignore files. It never enters .git. PATH "-" reads standard input. Archives and compressed files (zip, jar, tar, gzip, bzip2, zstd, nested) are recognised by their content and read member by member: a finding's path reads release.zip!config/app.env.`,
	groups: []flagGroup{
		{title: "Flags", flags: []*flagDef{flagFormat, flagOutput, flagReport, flagShowSecrets, flagShowLookalikes, flagNoIgnore,
			flagNoArchives, flagMaxFileSize, flagStrict, flagFailOn, flagNoColor, flagVerbose, flagQuiet, flagWorkers, flagVerify, flagGitHubAPIURL}},
		withFlags(suppressionFlags, flagBaseline, flagIgnoreFile, flagNoForeignAllow, flagNoInline),
		gitModeFlags,
	},
	maxArgs: -1,
	exit:    scanExit,
	run:     (*env).scan,
}

var baselineCommand = &command{
	name:     "baseline",
	synopsis: []string{"baseline [flags] [PATH...] > .ghtoken-baseline.json"},
	lines:    []usageLine{{"baseline [flags] [PATH...]", "record today's findings (fingerprints only)"}},
	about: `Scans like "ghtoken scan" and writes a baseline: the fingerprints of today's findings (SHA-256 of each token, never the token), with their rule and files. Then "ghtoken scan --baseline .ghtoken-baseline.json" reports only tokens that are not in it. Entries are keyed on the token alone, so they survive edits, moves and renames; regenerating an unchanged baseline gives the same bytes.

Inline directives and .ghtokenignore still apply; an existing --baseline is not, so the new file lists every current token.`,
	groups: []flagGroup{
		{title: "Flags", flags: []*flagDef{flagOutput.with("write the baseline to FILE (atomically) instead of standard output"),
			flagNoIgnore, flagNoArchives, flagMaxFileSize, flagStrict.with("write nothing and exit 2 when a file could not be read or was skipped for a reason other than being a symbolic link or a submodule"),
			flagWorkers}},
		withFlags(suppressionFlags, flagIgnoreFile, flagNoForeignAllow, flagNoInline),
		gitModeFlags,
	},
	maxArgs: -1,
	exit:    "Exit status: 0 baseline written (whatever it holds), 2 error.",
	run:     (*env).baseline,
}

var hookCommand = &command{
	name:     "install-hook",
	synopsis: []string{"install-hook [--force] [--fail-on LEVEL]"},
	lines:    []usageLine{{"install-hook [--force]", "install a pre-commit hook running scan --staged"}},
	about: `Writes a pre-commit hook that runs "ghtoken scan --staged" into the hooks directory of the repository of the current directory (core.hooksPath when set, .git/hooks otherwise). It does not replace an existing hook unless --force is given.

The hook runs ghtoken from PATH, or, when it is not on PATH, this binary by its absolute path; a temporary build (go run) is refused.`,
	groups: []flagGroup{{title: "Flags", flags: []*flagDef{flagForce,
		flagFailOn.with("the hook runs scan --staged --fail-on LEVEL: high, medium (default) or low")}}},
	exit: "Exit status: 0 installed (or already there), 2 error.",
	run:  (*env).installHook,
}

var unhookCommand = &command{
	name:     "uninstall-hook",
	synopsis: []string{"uninstall-hook"},
	lines:    []usageLine{{"uninstall-hook", "remove that hook"}},
	about:    `Removes the repository's pre-commit hook, only if ghtoken installed it.`,
	exit:     "Exit status: 0 removed (or there was none), 2 error.",
	run:      (*env).uninstallHook,
}

var rulesCommand = &command{
	name:     "rules",
	synopsis: []string{"rules [--format text|json]"},
	lines:    []usageLine{{"rules [--format json]", "list the rules, what they match and their advice"}},
	about:    `Lists every rule: its id (used in reports and baselines), what it matches, the confidence of a confirmed match, and its remediation advice.`,
	groups: []flagGroup{{title: "Flags", flags: []*flagDef{
		{name: "format", arg: "FORMAT", values: report.RuleFormats, help: "output format: text (default) or json", bind: flagFormat.bind}}}},
	exit:       "Exit status: 0, or 2 on error.",
	run:        (*env).rules,
	printsOnly: true,
}

var revokeCommand = &command{
	name:     "revoke",
	synopsis: []string{"revoke [flags] [PATH...]", "revoke --from REPORT.json [--yes] [--dry-run]"},
	lines:    []usageLine{{"revoke [flags] [PATH...]", "revoke leaked tokens through GitHub's API"}},
	about: `Revokes leaked tokens through GitHub's credential revocation API (POST /credentials/revoke), which takes anyone's leaked token, unauthenticated: GitHub revokes it at once and emails its owner. This cannot be undone.

The tokens come from a fresh scan of PATH (default .; "-" reads standard input), or from a JSON report (--from). Only confirmed tokens are sent, never look-alikes; a low-confidence token (right shape, failing checksum: most likely not a token) only when named with --include-low and its fingerprint. Installation tokens (ghs_) and legacy 40-hex tokens are not accepted by the API: they are listed with how to revoke them instead.

ghtoken lists what it will revoke (masked) and asks for confirmation on the terminal. Without a terminal, --yes is required: nothing is ever sent without one or the other.`,
	groups: []flagGroup{{title: "Flags", flags: []*flagDef{flagFrom, flagYes, flagDryRun, flagIncludeLow,
		flagGitHubAPIURL.with("API base (default $GITHUB_API_URL, else https://api.github.com; GHES: https://HOST/api/v3)"),
		flagNoIgnore, flagNoArchives, flagMaxFileSize, flagStrict.with("send nothing and exit 2 when a file could not be read or was skipped for a reason other than being a symbolic link or a submodule"),
		flagWorkers}}},
	maxArgs: -1,
	exit:    `Exit status: 0 every token revoked (GitHub answered 202 to every request) or nothing found; 1 tokens remain that this command did not revoke (declined, --dry-run, or a kind the API does not take; low-confidence tokens held back do not count); 2 an error, including a request GitHub did not accept (422) or that failed.`,
	run:     (*env).revoke,
}

var helpCommand = &command{
	name:       "help",
	synopsis:   []string{"help [COMMAND]"},
	lines:      []usageLine{{"help [COMMAND]", "show help"}},
	about:      "Shows how to use ghtoken, or one of its commands.",
	maxArgs:    1,
	run:        (*env).helpCmd,
	printsOnly: true,
}

var versionCommand = &command{
	name:       "version",
	synopsis:   []string{"version", "--version", "-v"},
	lines:      []usageLine{{"version", "print the version, commit, date and Go version"}},
	about:      "Prints the version of ghtoken, the commit it was built from, the date it was built (or, without a stamped date, the date of that commit) and the Go version and platform it was built with.",
	run:        (*env).versionCmd,
	printsOnly: true,
}

var completionCommand = &command{
	name:       "completion",
	synopsis:   []string{"completion bash|zsh|fish"},
	lines:      []usageLine{{"completion bash|zsh|fish", "print a shell completion script"}},
	about:      `Prints a completion script for the shell. bash: source <(ghtoken completion bash), or write it to /etc/bash_completion.d/ghtoken. zsh: write it as _ghtoken into a directory of $fpath. fish: ghtoken completion fish > ~/.config/fish/completions/ghtoken.fish.`,
	maxArgs:    1,
	run:        (*env).completion,
	printsOnly: true,
}

var manCommand = &command{
	name:       "man",
	synopsis:   []string{"man"},
	lines:      []usageLine{{"man", "print the manual page (man -l <(ghtoken man))"}},
	about:      "Prints ghtoken's manual page in roff: man -l <(ghtoken man), or write it to ghtoken.1.",
	run:        (*env).man,
	printsOnly: true,
}

// withFlags returns g holding flags.
func withFlags(g flagGroup, flags ...*flagDef) flagGroup {
	g.flags = flags
	return g
}

// commandNamed returns the command called name, or nil.
func commandNamed(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// flags returns every flag c takes.
func (c *command) flags() []*flagDef {
	var all []*flagDef
	for _, g := range c.groups {
		all = append(all, g.flags...)
	}
	return all
}

// parse parses c's arguments into flag values that start at their
// defaults. Flags may come before, between or after the
// positional arguments ("ghtoken scan . --format json"); "--" ends them. A
// flag of another command is rejected by name, not ignored.
func (c *command) parse(args []string) (*flagValues, []string, error) {
	// Parsing with the command's own flags gives the same outcome as with
	// every command's whenever it succeeds (no other flag was given), and
	// binding them all is most of what parsing costs a command line with
	// few flags: the others are bound only to say what went wrong.
	if v, paths, err := c.parseWith(args, false); err == nil {
		return v, paths, nil
	}
	return c.parseWith(args, true)
}

// parseWith is parse with c's flags bound, and with every command's when
// all is set.
func (c *command) parseWith(args []string, all bool) (*flagValues, []string, error) {
	v := &flagValues{format: "text", maxFileSize: 100 << 20}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	bound := map[string]bool{}
	bind := func(d *flagDef) {
		if bound[d.name] {
			return
		}
		bound[d.name] = true
		d.bind(fs, v, d.name)
		if d.short != "" {
			d.bind(fs, v, d.short)
		}
	}
	for _, d := range c.flags() {
		bind(d)
	}
	if all {
		for _, other := range commands { // so that their flags are known by name
			for _, d := range other.flags() {
				bind(d)
			}
		}
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	var misplaced []string
	fs.Visit(func(f *flag.Flag) {
		if !slices.ContainsFunc(c.flags(), func(d *flagDef) bool { return d.name == f.Name || d.short == f.Name }) {
			misplaced = append(misplaced, flagName(f.Name))
		}
	})
	if len(misplaced) > 0 {
		verb := "does"
		if len(misplaced) > 1 {
			verb = "do"
		}
		return nil, nil, usageError("%s %s not apply to %s", strings.Join(misplaced, ", "), verb, c.name)
	}
	if c.maxArgs >= 0 && len(paths) > c.maxArgs {
		return nil, nil, usageError("unexpected arguments %q", paths[c.maxArgs:])
	}
	return v, paths, nil
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments; "--" ends the flags.
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

// flagName is how a flag is written on the command line.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

package main

import (
	"fmt"
	"io"
	"strings"
)

// completion runs "ghtoken completion bash|zsh|fish".
func (e *env) completion(_ *flagValues, args []string) error {
	if len(args) != 1 {
		return usageError("name the shell: bash, zsh or fish")
	}
	switch args[0] {
	case "bash":
		writeBashCompletion(e.stdout)
	case "zsh":
		writeZshCompletion(e.stdout)
	case "fish":
		writeFishCompletion(e.stdout)
	default:
		return usageError("no completion for %q (want bash, zsh or fish)", args[0])
	}
	return nil
}

// commandNames lists the commands, space-separated.
func commandNames() string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return strings.Join(names, " ")
}

// flagWords lists how c's flags are written, space-separated.
func flagWords(c *command) string {
	var words []string
	for _, d := range c.flags() {
		if d.short != "" {
			words = append(words, "-"+d.short)
		}
		words = append(words, "--"+d.name)
	}
	return strings.Join(words, " ")
}

// takesFiles reports whether c's positional arguments are paths.
func takesFiles(c *command) bool {
	return c == scanCommand || c == baselineCommand || c == revokeCommand
}

func writeBashCompletion(w io.Writer) {
	var b strings.Builder
	b.WriteString(`# bash completion for ghtoken; made by "ghtoken completion bash".
_ghtoken() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		` + strings.ReplaceAll(commandNames(), " ", "|") + `) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $cmd:$prev in
`)
	for _, c := range commands {
		for _, d := range c.flags() {
			if d.arg == "" {
				continue
			}
			pat := c.name + ":--" + d.name
			if d.short != "" {
				pat += "|" + c.name + ":-" + d.short
			}
			if c == scanCommand { // "ghtoken --format json" means scan
				pat += "|:--" + d.name
			}
			switch {
			case len(d.values) > 0:
				fmt.Fprintf(&b, "\t%s) mapfile -t COMPREPLY < <(compgen -W %q -- \"$cur\"); return ;;\n", pat, strings.Join(d.values, " "))
			case d.file:
				fmt.Fprintf(&b, "\t%s) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); return ;;\n", pat)
			default:
				fmt.Fprintf(&b, "\t%s) COMPREPLY=(); return ;;\n", pat)
			}
		}
	}
	b.WriteString("\tesac\n\tcase $cmd in\n")
	fmt.Fprintf(&b, "\t\"\") mapfile -t COMPREPLY < <(compgen -W %q -- \"$cur\") ;;\n", commandNames()+" "+flagWords(scanCommand))
	fmt.Fprintf(&b, "\thelp) mapfile -t COMPREPLY < <(compgen -W %q -- \"$cur\") ;;\n", commandNames())
	fmt.Fprintf(&b, "\tcompletion) mapfile -t COMPREPLY < <(compgen -W \"bash zsh fish\" -- \"$cur\") ;;\n")
	for _, c := range commands {
		if len(c.groups) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\t%s)\n\t\tif [[ $cur == -* ]]; then\n\t\t\tmapfile -t COMPREPLY < <(compgen -W %q -- \"$cur\")\n", c.name, flagWords(c))
		if takesFiles(c) {
			b.WriteString("\t\telse\n\t\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n")
		}
		b.WriteString("\t\tfi ;;\n")
	}
	b.WriteString("\tesac\n}\ncomplete -o filenames -F _ghtoken ghtoken\n")
	io.WriteString(w, b.String())
}

// shortHelp is the first clause of a flag's help, for completion menus.
func shortHelp(help string) string {
	for _, sep := range []string{"; ", " (", ": "} {
		if i := strings.Index(help, sep); i > 0 {
			help = help[:i]
		}
	}
	return help
}

// zshQuote escapes s for a description inside '[...]' in a single-quoted
// _arguments spec.
func zshQuote(s string) string {
	return strings.NewReplacer(`'`, `'\''`, `[`, `\[`, `]`, `\]`, `:`, `\:`).Replace(s)
}

func writeZshCompletion(w io.Writer) {
	var b strings.Builder
	b.WriteString(`#compdef ghtoken
# zsh completion for ghtoken; made by "ghtoken completion zsh".
_ghtoken() {
	local curcontext=$curcontext state line
	local -a cmds
	cmds=(
`)
	for _, c := range commands {
		fmt.Fprintf(&b, "\t\t'%s:%s'\n", c.name, zshQuote(c.lines[0].what))
	}
	b.WriteString(`	)
	_arguments -C '1: :->cmd' '*:: :->args'
	case $state in
	cmd)
		_describe -t commands 'ghtoken command' cmds
		_files
		;;
	args)
		case $words[1] in
		help) _describe -t commands 'ghtoken command' cmds ;;
		completion) _values 'shell' bash zsh fish ;;
`)
	for _, c := range commands {
		if len(c.groups) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\t\t%s)\n\t\t\t_arguments \\\n", c.name)
		for _, d := range c.flags() {
			names := "--" + d.name
			spec := ""
			if d.short != "" {
				spec = fmt.Sprintf("'(-%s --%s)'{-%s,--%s}", d.short, d.name, d.short, d.name)
			} else if d.repeat {
				spec = "'*" + names
			} else {
				spec = "'" + names
			}
			desc := "[" + zshQuote(shortHelp(d.help)) + "]"
			if d.short != "" {
				spec += "'" + desc
			} else {
				spec += desc
			}
			switch {
			case len(d.values) > 0:
				spec += ":" + strings.ToLower(d.arg) + ":(" + strings.Join(d.values, " ") + ")"
			case d.file:
				spec += ":" + strings.ToLower(d.arg) + ":_files"
			case d.arg != "":
				spec += ":" + strings.ToLower(d.arg) + ": "
			}
			fmt.Fprintf(&b, "\t\t\t\t%s' \\\n", spec)
		}
		if takesFiles(c) {
			b.WriteString("\t\t\t\t'*:path:_files'\n")
		} else {
			b.WriteString("\t\t\t\t\n")
		}
		b.WriteString("\t\t\t;;\n")
	}
	b.WriteString(`		esac
		;;
	esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_ghtoken "$@"
else
	compdef _ghtoken ghtoken
fi
`)
	io.WriteString(w, b.String())
}

// fishQuote quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func writeFishCompletion(w io.Writer) {
	var b strings.Builder
	b.WriteString("# fish completion for ghtoken; made by \"ghtoken completion fish\".\ncomplete -c ghtoken -f\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "complete -c ghtoken -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.lines[0].what))
	}
	fmt.Fprintf(&b, "complete -c ghtoken -n '__fish_seen_subcommand_from help' -a %s\n", fishQuote(commandNames()))
	b.WriteString("complete -c ghtoken -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n")
	for _, c := range commands {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		if takesFiles(c) {
			fmt.Fprintf(&b, "complete -c ghtoken -n %s -F\n", cond)
		}
		for _, d := range c.flags() {
			fmt.Fprintf(&b, "complete -c ghtoken -n %s -l %s", cond, d.name)
			if d.short != "" {
				fmt.Fprintf(&b, " -s %s", d.short)
			}
			switch {
			case len(d.values) > 0:
				fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(d.values, " ")))
			case d.file:
				b.WriteString(" -r -F")
			case d.arg != "":
				b.WriteString(" -x")
			}
			fmt.Fprintf(&b, " -d %s\n", fishQuote(shortHelp(d.help)))
		}
	}
	io.WriteString(w, b.String())
}

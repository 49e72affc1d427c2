// Package golangci registers ghtoken's analyzer as a golangci-lint module
// plugin (https://golangci-lint.run/plugins/module-plugins/): importing it
// makes the linter "ghtoken" available to a golangci-lint binary built with
// "golangci-lint custom". It holds no logic of its own; the analysis is
// package analyzer's, with the settings below passed through.
package golangci

import (
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/ghtoken/ghtoken/analyzer"
)

// Name is the linter's name in .golangci.yml (linters.settings.custom).
const Name = "ghtoken"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml, under
// linters.settings.custom.ghtoken.settings. Unknown keys are an error, so a
// misspelt setting is not silently ignored.
type Settings struct {
	// NoForeignAllow ignores other tools' allow directives
	// (gitleaks:allow, trufflehog:ignore, pragma: allowlist secret).
	NoForeignAllow bool `json:"no-foreign-allow"`
}

type plugin struct {
	settings Settings
}

// New builds the plugin from its raw settings, as golangci-lint calls it.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, err
	}
	return &plugin{settings: s}, nil
}

// BuildAnalyzers returns a fresh analyzer bound to this plugin's settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{analyzer.New(analyzer.Config{NoForeignAllow: p.settings.NoForeignAllow})}, nil
}

// GetLoadMode says the analyzer needs only syntax: it reads literals and
// comments, never types, so golangci-lint can skip type checking for it.
func (p *plugin) GetLoadMode() string {
	return register.LoadModeSyntax
}

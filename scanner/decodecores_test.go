package scanner

import (
	"context"
	"testing"

	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/gitsource"
)

type coreSource struct{ cores int }

func (coreSource) Walk(context.Context, func(finding.Item) error) error { return nil }
func (s coreSource) CoresUsed() int                                     { return s.cores }

// A source whose own processes keep cores busy (git's, for a history)
// leaves those out of the cores a compressed stream is decoded on.
func TestDecodeCores(t *testing.T) {
	if got := decodeCores(coreSource{cores: 1}, 2); got != 1 {
		t.Errorf("1 core used of 2: decodeCores = %d, want 1", got)
	}
	if got := decodeCores(coreSource{cores: 2}, 8); got != 6 {
		t.Errorf("2 cores used of 8: decodeCores = %d, want 6", got)
	}
	if got := decodeCores(&gitsource.History{Readers: 3}, 8); got != 5 {
		t.Errorf("a history with 3 readers on 8 cores: decodeCores = %d, want 5", got)
	}
	var tree finding.Source = funcSource(func(context.Context, func(finding.Item) error) error { return nil })
	if got := decodeCores(tree, 4); got != 4 {
		t.Errorf("a source without processes: decodeCores = %d, want 4", got)
	}
}

type funcSource func(context.Context, func(finding.Item) error) error

func (f funcSource) Walk(ctx context.Context, emit func(finding.Item) error) error {
	return f(ctx, emit)
}

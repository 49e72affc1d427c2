package walk

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ghtoken/ghtoken/scanner/gitsource"
	"github.com/ghtoken/ghtoken/scanner/ignore"
)

// selection decides which entries of the directories below a walk's root
// are visited. Paths are relative to the walk's root, slash-separated.
//
// There are three: every entry (--no-ignore, or a directory git ignores that
// was named on the command line), every entry but what git says it would not
// commit (inside a work tree), and .gitignore patterns matched by the walk
// (outside any repository, where git has no answer).
type selection struct {
	// all: every entry is visited.
	all bool
	// git: the sorted paths git ignores (gitsource.WorkTreeFiles.Excluded),
	// relative to the directory base (relative to the walk's root, "" for
	// the root itself).
	git      bool
	base     string
	excluded []string
	// patterns: the .gitignore files met so far, outermost first.
	stack ignore.Stack
}

// file reports whether the entry rel, which is not a directory, is visited.
func (s *selection) file(rel string) bool {
	switch {
	case s.all:
		return true
	case s.git:
		_, excluded := slices.BinarySearch(s.excluded, s.sub(rel))
		return !excluded
	}
	return !s.stack.Ignored(rel, false)
}

// dir reports whether the walk enters the directory rel.
func (s *selection) dir(rel string) bool {
	switch {
	case s.all:
		return true
	case s.git:
		// git lists an ignored directory as "rel/" (and a directory
		// holding a tracked file never).
		_, excluded := slices.BinarySearch(s.excluded, s.sub(rel)+"/")
		return !excluded
	}
	return !s.stack.Ignored(rel, true)
}

// sub is rel relative to the directory git listed.
func (s *selection) sub(rel string) string {
	if s.base == "" {
		return rel
	}
	return rel[len(s.base)+1:]
}

// withIgnoreFile returns the selection below the directory rel, whose
// .gitignore holds data. Only the pattern selection reads .gitignore files.
func (s *selection) withIgnoreFile(rel string, data []byte) *selection {
	return &selection{stack: s.stack.WithData(rel, data)}
}

// readsIgnoreFiles reports whether the walk must read .gitignore files.
func (s *selection) readsIgnoreFiles() bool { return !s.all && !s.git }

// gitTop reports whether the directory rel is the top of the repository s
// lists (so a .git in it is no news).
func (s *selection) gitTop(rel string) bool { return s.git && s.base == rel }

// rootSelection is the selection for a walk rooted at abs: git's list when
// abs is in a work tree, patterns otherwise.
func rootSelection(ctx context.Context, abs string, noIgnore bool) (*selection, error) {
	if noIgnore {
		return &selection{all: true}, nil
	}
	full, err := filepath.Abs(abs)
	if err != nil {
		return nil, err
	}
	for d := full; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return repoSelection(ctx, abs, "")
		}
		if filepath.Dir(d) == d {
			return &selection{}, nil
		}
	}
}

// repoSelection asks git about the directory abs (rel from the walk's root),
// which is in a repository.
func repoSelection(ctx context.Context, abs, rel string) (*selection, error) {
	wt, err := gitsource.ListWorkTree(ctx, abs)
	if err != nil {
		return nil, fmt.Errorf("list the files git would commit in %s: %w (--no-ignore scans every file without asking git)", abs, err)
	}
	switch {
	case !wt.InWorkTree:
		return &selection{}, nil
	case wt.Ignored:
		// Only a directory named on the command line can be
		// ignored here (the walk enters no ignored directory): the
		// user asked for it, so all of it is scanned.
		return &selection{all: true}, nil
	}
	return &selection{git: true, base: rel, excluded: wt.Excluded}, nil
}

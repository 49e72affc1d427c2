package gitsource

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path"
	"slices"
	"strings"
)

// WorkTreeFiles is git's answer to "which files below this directory would a
// commit not take?": the directory walk scans every file but these, so that
// what is scanned is what git would commit (git ls-files --cached --others
// --exclude-standard), whatever the ignore rules say. Asking git, rather than
// matching .gitignore files ourselves, also gets right what no matcher can
// see: tracked files that an ignore pattern matches (a force-added .env is
// committed content), core.excludesFile, .git/info/exclude, and the index.
//
// The list is of what to leave out, not of what to read, so that a file the
// walk meets under a spelling other than git's (a case-insensitive
// repository, core.ignorecase, or macOS's decomposed Unicode names with
// core.precomposeunicode) is scanned rather than silently passed over: the
// walk can only fail towards reading too much.
type WorkTreeFiles struct {
	// InWorkTree is false when the directory is inside a .git directory
	// or a bare repository: git has no ignore rules to apply there.
	InWorkTree bool
	// Ignored is true when git ignores the directory itself (a pattern
	// matches it or a directory above it): git lists nothing below it.
	Ignored bool
	// Excluded are the untracked files and directories git ignores (git
	// ls-files --others --ignored --exclude-standard --directory),
	// relative to the directory, slash-separated and sorted bytewise; a
	// directory ends in "/" and holds no tracked file. Tracked files are
	// never in it, whatever the patterns say.
	Excluded []string
}

// ListWorkTree asks git which files below dir it would not commit. dir must be
// inside a repository (a .git above or at it); any failure of git (not
// installed, a broken .git/config, a repository owned by someone else) is an
// error, never an empty list.
//
// The repository is the one git finds from dir: GIT_DIR, GIT_WORK_TREE,
// GIT_INDEX_FILE and the other variables that point git elsewhere are not
// passed on, because the question is about the directory on disk.
func ListWorkTree(ctx context.Context, dir string) (*WorkTreeFiles, error) {
	g := &Git{Dir: dir, fromDir: true}
	out, err := g.output(ctx, "rev-parse", "--is-inside-work-tree", "--show-prefix")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	res := &WorkTreeFiles{InWorkTree: lines[0] == "true"}
	if !res.InWorkTree {
		return res, nil
	}
	prefix := ""
	if len(lines) > 1 {
		prefix = strings.TrimSuffix(lines[1], "/")
	}
	if prefix != "" {
		// "../name" rather than ".": git checks "." as "dir/", which a
		// pattern "dir/*" matches although it ignores only what is
		// inside. The relative form also avoids comparing absolute
		// paths through symbolic links.
		if res.Ignored, err = g.checkIgnored(ctx, "../"+path.Base(prefix)); err != nil {
			return nil, err
		}
		if res.Ignored {
			return res, nil
		}
	}
	out, err = g.output(ctx, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
	if err != nil {
		return nil, err
	}
	for p := range bytes.SplitSeq(out, []byte{0}) {
		if len(p) > 0 {
			res.Excluded = append(res.Excluded, string(p))
		}
	}
	slices.Sort(res.Excluded) // for binary search
	return res, nil
}

// checkIgnored reports whether git ignores p (git check-ignore, whose exit
// status 1 means "not ignored").
func (g *Git) checkIgnored(ctx context.Context, p string) (bool, error) {
	_, err := g.output(ctx, "check-ignore", "-q", "--", p)
	var ge *GitError
	var ee *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &ge) && errors.As(ge.Err, &ee) && ee.ExitCode() == 1 && ge.Stderr == "":
		return false, nil
	}
	return false, fmt.Errorf("is %s ignored: %w", p, err)
}

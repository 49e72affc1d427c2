package gitsource

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Base is the commit the range starts from (its first excluded commit), or
// "" when the range reaches the first commit of the history.
func (rg *Range) Base() string {
	if len(rg.Exclude) == 0 {
		return ""
	}
	return rg.Exclude[0]
}

// Head is the commit the range ends at.
func (rg *Range) Head() string {
	if rg.Include == "" {
		return "HEAD"
	}
	return rg.Include
}

// toplevel returns the top of the work tree, with symbolic links resolved.
func (g *Git) toplevel(ctx context.Context) (string, error) {
	out, err := g.output(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(out), "\n"), nil
}

// repoPath returns p (a file-system path) relative to top, slash-separated,
// and false when p is outside the work tree.
func repoPath(top, p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	dir, file := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		abs = filepath.Join(real, file)
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// FilesAt returns a function that reads files of the work tree as they are
// at commit rev (nothing exists there when rev is ""), and files outside the
// work tree from the file system. The code under review cannot then change
// what the files say.
func (g *Git) FilesAt(ctx context.Context, rev string) (func(path string, must bool) ([]byte, bool, error), error) {
	top, err := g.toplevel(ctx)
	if err != nil {
		return nil, err
	}
	return func(p string, must bool) ([]byte, bool, error) {
		rel, inside := repoPath(top, p)
		if !inside {
			data, err := os.ReadFile(p)
			if err != nil {
				if os.IsNotExist(err) && !must {
					return nil, false, nil
				}
				return nil, false, fmt.Errorf("read %s: %w", p, err)
			}
			return data, true, nil
		}
		if rev == "" {
			return nil, false, nil
		}
		// "rev:path^{blob}" would read as a path ending in "^{blob}".
		out, err := g.output(ctx, "rev-parse", "-q", "--verify", rev+":"+rel)
		if err != nil {
			var ge *GitError
			if errors.As(err, &ge) && ge.Stderr == "" {
				return nil, false, nil
			}
			return nil, false, err
		}
		data, err := g.output(ctx, "cat-file", "blob", strings.TrimSpace(string(out)))
		if err != nil {
			return nil, false, err
		}
		return data, true, nil
	}, nil
}

// SuppressionChanges lists, as suppression-added notices, the lines that
// the range adds to the given suppression files (file-system paths; those
// outside the work tree are not the range's).
func (rg *Range) SuppressionChanges(ctx context.Context, paths []string) ([]finding.Notice, error) {
	top, err := rg.Git.toplevel(ctx)
	if err != nil {
		return nil, err
	}
	var rels []string
	for _, p := range paths {
		if rel, ok := repoPath(top, p); ok {
			rels = append(rels, rel)
		}
	}
	if len(rels) == 0 {
		return nil, nil
	}
	base := rg.Base()
	if base == "" {
		// The range starts at the first commit: compare with an empty tree.
		out, err := rg.Git.output(ctx, "hash-object", "-t", "tree", "/dev/null")
		if err != nil {
			return nil, err
		}
		base = strings.TrimSpace(string(out))
	}
	args := append(append([]string{"diff-tree", "-r"}, diffArgs...), base, rg.Head(), "--")
	out, err := rg.Git.output(ctx, append(args, rels...)...)
	if err != nil {
		return nil, err
	}
	return suppressionNotices(out, rg.Base())
}

// suppressionNotices turns the diff of the suppression files into notices:
// one per run of added lines.
func suppressionNotices(diff []byte, base string) ([]finding.Notice, error) {
	r := bufio.NewReader(bytes.NewReader(diff))
	changes, err := parseRaw(r)
	if err == nil && len(changes) > 0 {
		err = parsePatch(r, changes, false)
	}
	if err != nil {
		return nil, err
	}
	from := "the base commit " + base
	if base == "" {
		from = "the base commit (there is none: the range starts at the first commit)"
	}
	var out []finding.Notice
	for _, c := range changes {
		if c.status == 'D' {
			continue
		}
		msg := func(what string) string {
			return what + " in the scanned range: suppression files are read from " + from + ", so the range's own changes suppress nothing; review them"
		}
		if c.binary {
			out = append(out, finding.Notice{Path: c.dstPath, Code: finding.NoticeSuppressionAdded, Message: msg("changed")})
			continue
		}
		for _, rg := range c.added.Ranges() {
			what := fmt.Sprintf("line %d added", rg[0])
			if rg[1]-rg[0] > 1 {
				what = fmt.Sprintf("lines %d-%d added", rg[0], rg[1]-1)
			}
			out = append(out, finding.Notice{Path: c.dstPath, Line: rg[0], Code: finding.NoticeSuppressionAdded, Message: msg(what)})
		}
	}
	return out, nil
}

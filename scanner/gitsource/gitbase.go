package gitsource

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// BaseFiles are files of the work tree (suppression files) as a commit
// range's base has them: the code under review cannot change what they say
// for its own scan. Files outside the work tree are read from the file
// system.
type BaseFiles struct {
	rg   *Range
	ctx  context.Context
	rels map[string]string // file-system path → path in the repository
	oids map[string]string // path in the repository → blob at the base
}

// BaseFiles looks up paths (file-system paths) in the range's base commit:
// one git ls-tree for all of them.
func (rg *Range) BaseFiles(ctx context.Context, paths []string) (*BaseFiles, error) {
	info, err := rg.Git.repoInfo(ctx)
	if err != nil {
		return nil, err
	}
	rg.info = &info // Walk needs it too
	b := &BaseFiles{rg: rg, ctx: ctx, rels: map[string]string{}, oids: map[string]string{}}
	var rels []string
	for _, p := range paths {
		// A bare repository has no work tree: every file is outside.
		if rel, ok := repoPath(info.top, p); ok && info.top != "" {
			b.rels[p] = rel
			rels = append(rels, rel)
		}
	}
	if len(rels) == 0 || rg.Base() == "" {
		return b, nil
	}
	args := append([]string{"--literal-pathspecs", "ls-tree", "-z", "--full-tree", "--full-name", rg.Base(), "--"}, rels...)
	out, err := rg.Git.output(ctx, args...)
	if err != nil {
		return nil, err
	}
	for _, rec := range bytes.Split(out, []byte{0}) {
		meta, path, ok := bytes.Cut(rec, []byte("\t"))
		if f := bytes.Fields(meta); ok && len(f) == 3 && string(f[1]) == "blob" {
			b.oids[string(path)] = string(f[2])
		}
	}
	return b, nil
}

// Read reads p as the base has it (a suppress.ReadFunc): a file of the
// work tree that the base lacks does not exist, whatever must says.
func (b *BaseFiles) Read(p string, must bool) ([]byte, bool, error) {
	rel, inside := b.rels[p]
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
	oid, ok := b.oids[rel]
	if !ok {
		return nil, false, nil
	}
	data, err := b.rg.Git.output(b.ctx, "cat-file", "blob", oid)
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// Changes lists, as suppression-added notices, the lines that the range
// adds to the files (those outside the work tree are not the range's).
func (b *BaseFiles) Changes(ctx context.Context) ([]finding.Notice, error) {
	var rels []string
	for _, rel := range b.rels {
		rels = append(rels, ":(top,literal)"+rel)
	}
	if len(rels) == 0 {
		return nil, nil
	}
	slices.Sort(rels)
	rg := b.rg
	base := rg.Base()
	if base == "" {
		// The range starts at the first commit: compare with an empty tree.
		empty, err := rg.Git.emptyTree(ctx)
		if err != nil {
			return nil, err
		}
		base = empty
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

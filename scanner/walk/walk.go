package walk

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// Paths is the Source for the working tree: each entry of Args is a
// directory (walked), a file, or "-" for Stdin.
//
// Inside a git work tree a directory walk visits the files git would commit
// (gitsource.ListWorkTree): git's own ignore rules, and tracked files whatever
// they say. A repository found inside the walk is asked the same about its
// files; a directory named in Args that git ignores is walked whole. Outside
// any repository the walk honours the .gitignore files below the directory.
// NoIgnore visits every file and needs no git. A git failure ends the walk
// with an error. It never enters .git, does not follow
// symbolic links (they are reported as skipped), and skips FIFOs, sockets and
// devices without opening them. Entries are visited in lexical order, so the
// walk is deterministic. Explicit arguments are followed even when they are
// symbolic links, like find -H, and read whatever they are (see namedItem).
type Paths struct {
	Args     []string
	NoIgnore bool
	Stdin    io.Reader // read for "-"; os.Stdin when nil
}

// LazyItems implements finding.LazySource: a file is opened by the worker
// that reads it (deep down, an item holds an open file, and no memory).
func (p *Paths) LazyItems() {}

// Walk implements Source.
func (p *Paths) Walk(ctx context.Context, emit func(finding.Item) error) error {
	args := p.Args
	if len(args) == 0 {
		args = []string{"."}
	}
	for _, arg := range args {
		if arg == "-" {
			in := p.Stdin
			if in == nil {
				in = os.Stdin
			}
			it := finding.Item{Path: "-", Size: -1, Stage: rules.StageStream, NoSizeLimit: true,
				Open: func() (io.ReadCloser, error) { return io.NopCloser(in), nil }}
			if err := emit(it); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			return fmt.Errorf("scan %s: %w", arg, err)
		}
		display := filepath.ToSlash(filepath.Clean(arg))
		if !info.IsDir() {
			if err := emit(namedItem(ctx, arg, display, info)); err != nil {
				return err
			}
			continue
		}
		w := walker{ctx: ctx, emit: emit, noIgnore: p.NoIgnore}
		if err := w.walkRoot(arg, display); err != nil {
			return err
		}
	}
	return nil
}

// fileItem makes the Item for a file whose type is known from info.
func fileItem(abs, display string, info fs.FileInfo) finding.Item {
	it := finding.Item{Path: display, Size: info.Size(), Stage: rules.StageWorkTree}
	if !info.Mode().IsRegular() {
		it.Skip = &finding.Skipped{Path: display, Reason: finding.SkipNotRegular, Detail: describeMode(info.Mode())}
		return it
	}
	it.Open = func() (io.ReadCloser, error) { return openRegular(abs) }
	return it
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO): reading could block forever"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeIrregular != 0:
		return "irregular file"
	}
	return "not a regular file (" + m.Type().String() + ")"
}

// checkRegular returns f if it is a regular file, and closes it otherwise.
func checkRegular(f *os.File) (io.ReadCloser, error) {
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, &finding.SkipError{Reason: finding.SkipNotRegular, Detail: describeMode(info.Mode())}
	}
	return sizedFile{f, info.Size()}, nil
}

// sizedFile is an open file that knows its size at open time.
type sizedFile struct {
	*os.File
	size int64
}

func (f sizedFile) Size() int64 { return f.size }

type walker struct {
	ctx      context.Context
	emit     func(finding.Item) error
	noIgnore bool
	// prefix is the display path of the walk's root ("" for "."), rel the
	// path of the directory being walked relative to it. rel is one buffer
	// for the whole walk, not a string per level: 10,000 levels of
	// nesting would otherwise hold hundreds of MiB of paths.
	prefix string
	rel    []byte
}

// walkRoot walks the directory abs, displayed as display.
func (w *walker) walkRoot(abs, display string) error {
	sel, err := rootSelection(w.ctx, abs, w.noIgnore)
	if err != nil {
		return err
	}
	w.prefix = display
	if w.prefix == "." {
		w.prefix = ""
	}
	w.rel = w.rel[:0]
	// Clean once here: below, paths are the root and names joined as is.
	return w.walkDir(dirRef{abs: filepath.Clean(abs)}, sel)
}

// walkDir walks dir, whose path relative to the walk's root is w.rel.
func (w *walker) walkDir(dir dirRef, sel *selection) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	rel := string(w.rel)
	display := w.prefix
	if rel != "" {
		display = join(w.prefix, rel)
	}
	// The directory is listed before its .gitignore is read: when it
	// cannot be (permissions, too many open files), the directory is the
	// one thing reported.
	entries, err := dir.readDir()
	if err != nil && len(entries) == 0 {
		label := display
		if label == "" {
			label = "."
		}
		return w.emitSkip(label+"/", finding.SkipUnreadable, err.Error())
	}
	sel, err = w.selectIn(dir, rel, display, entries, sel)
	if err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	// rel and display are not used past this point: deep down, strings
	// kept alive at every level of the recursion would add up to O(depth²).
	for _, e := range entries {
		name := e.Name()
		childRel := w.child(name)
		childDisplay := join(w.prefix, childRel)
		typ := e.Type()
		switch {
		case typ.IsDir():
			if name != ".git" && sel.dir(childRel) {
				err = w.descend(dir, name, childDisplay, sel)
			}
		case sel.file(childRel):
			err = w.visitFile(dir, name, typ, childDisplay)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// descend walks the subdirectory name of dir.
func (w *walker) descend(dir dirRef, name, display string, sel *selection) error {
	child, err := dir.child(name)
	if err != nil {
		return w.emitSkip(display+"/", finding.SkipUnreadable, err.Error())
	}
	n := len(w.rel)
	if n > 0 {
		w.rel = append(w.rel, '/')
	}
	w.rel = append(w.rel, name...)
	err = w.walkDir(child, sel)
	child.close()
	w.rel = w.rel[:n]
	return err
}

// visitFile emits the entry name of dir, which is not a directory: as an
// item to read when it is a regular file, else as skipped.
func (w *walker) visitFile(dir dirRef, name string, typ fs.FileMode, display string) error {
	switch {
	case typ&fs.ModeSymlink != 0:
		target, _ := dir.readlink(name)
		return w.emitSkip(display, finding.SkipSymlink, "symbolic link to "+target+" (not followed)")
	case typ.IsRegular():
		// The size comes from the worker's fstat: a stat here would
		// cost a second system call per file.
		open, done, err := dir.opener(name)
		if err != nil {
			return w.emitSkip(display, finding.SkipUnreadable, err.Error())
		}
		err = w.emit(finding.Item{Path: display, Size: -1, Stage: rules.StageWorkTree, Open: open})
		done(err == nil)
		return err
	}
	return w.emitSkip(display, finding.SkipNotRegular, describeMode(typ))
}

// selectIn returns the selection for the entries of dir: a directory that
// holds .git is the top of a repository (a submodule, or a repository inside
// a tree that is not one), whose files git lists; outside a repository, a
// .gitignore adds its patterns.
func (w *walker) selectIn(dir dirRef, rel, display string, entries []fs.DirEntry, sel *selection) (*selection, error) {
	if sel.all {
		return sel, nil
	}
	has := func(name string) bool {
		return slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == name })
	}
	if has(".git") && !sel.gitTop(rel) {
		if dir.abs == "" {
			// Too deep for a path git could be given.
			return nil, fmt.Errorf("repository %s is nested too deep to ask git which files it would commit", display)
		}
		return repoSelection(w.ctx, dir.abs, rel)
	}
	// Only a listed .gitignore is read: one system call less per
	// directory.
	if !sel.readsIgnoreFiles() || !has(".gitignore") {
		return sel, nil
	}
	data, err := dir.readFile(".gitignore")
	if err != nil {
		return sel, w.emitSkip(join(display, ".gitignore"), finding.SkipUnreadable, err.Error())
	}
	return sel.withIgnoreFile(rel, data), nil
}

// child returns the path of name in the directory being walked, relative
// to the walk's root.
func (w *walker) child(name string) string {
	if len(w.rel) == 0 {
		return name
	}
	return string(w.rel) + "/" + name
}

func (w *walker) emitSkip(display string, reason finding.SkipReason, detail string) error {
	return w.emit(finding.Item{Path: display, Skip: &finding.Skipped{Path: display, Reason: reason, Detail: detail}})
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

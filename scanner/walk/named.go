package walk

import (
	"context"
	"io"
	"io/fs"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// namedItem makes the Item for a path named on the command line that is not
// a directory. A regular file is opened as in a walk. Anything else is read
// because it was asked for by name, as cat would: a pipe ("ghtoken scan
// <(cmd)", /dev/stdin), a FIFO (the read waits for a writer: a FIFO read
// before its writer came would look empty, and clean), a device. Its size is
// not known in advance, so --max-file-size bounds what is read: /dev/zero
// ends as too-large. Waiting ends when ctx is done. Inside a walk, none of
// these is ever opened (see fileItem).
func namedItem(ctx context.Context, abs, display string, info fs.FileInfo) finding.Item {
	if info.Mode().IsRegular() {
		return fileItem(abs, display, info)
	}
	return finding.Item{Path: display, Size: -1, Stage: rules.StageWorkTree,
		Open: func() (io.ReadCloser, error) { return openNamed(ctx, abs) }}
}

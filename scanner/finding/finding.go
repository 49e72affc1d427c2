package finding

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/ghtoken/ghtoken/rules"
)

// Finding is one token found in one place.
type Finding struct {
	Rule       *rules.Rule
	Confidence rules.Confidence
	// Path is slash-separated: relative to the current directory for paths
	// given as relative, or as given; "-" (or the name given) for a stream.
	Path string
	// Line and Column are 1-based; Column counts Unicode code points from
	// the start of the line. EndColumn is the column just past the token.
	Line, Column, EndColumn int
	// Offset is the byte offset of the token in its file.
	Offset int64
	// Secret is the whole token. Reporters must mask it unless the person
	// running the tool asked to see it.
	Secret string
	// Fingerprint is rules.Fingerprint(Secret).
	Fingerprint string
	// Note explains a low confidence or a look-alike.
	Note string
	// Encoding says how the token was encoded in the file ("base64",
	// "percent", "base64>base64", ...; see rules.Match.Encoding), empty when
	// it was there as is. Line, Column, EndColumn and Offset then delimit
	// the encoded text, and Secret is the decoded token.
	Encoding string
	// Glued is set when the token was glued to the text around it (a
	// letter, digit or "_" right before or after it): only its checksum
	// proves it (see rules.Match.Glued).
	Glued bool
	// Facts decoded from the token itself, zero when unknown.
	OwnerUserID uint32
	AppID       int64
	IssuedAt    time.Time
	ExpiresAt   time.Time
	// Stage and Commit say where in git's life the token was found.
	Stage  rules.Stage
	Commit *Commit
	// Blob is the git object id of the content, for findings in git
	// objects; "" otherwise.
	Blob string
	// Container is, for a finding inside an archive, the path of the file
	// (or blob) that holds the archive; "" otherwise. Path then names the
	// member through every level: "release.zip!config/app.env",
	// "image.tar!layer.tar!etc/x". Line, Column and Offset are in the
	// member's content.
	Container string
	// Binary is set when the content was read as binary (see
	// Result.BinaryFiles).
	Binary bool
	// Occurrences is set by a history scan: the number of places (commit,
	// path, line) in the history where this token was added, this one (the
	// first) included. 0 elsewhere.
	Occurrences int
}

// Masked returns the token with its middle hidden.
func (f *Finding) Masked() string { return rules.Mask(f.Rule, f.Secret) }

// Remediation returns the advice for this finding, most urgent first.
func (f *Finding) Remediation() []string {
	return rules.RemediationFor(f.Rule, rules.Place{Path: f.Path, Stage: f.Stage}, rules.Facts{ExpiresAt: f.ExpiresAt})
}

// Commit identifies the commit a finding comes from.
type Commit struct {
	Hash   string
	Author string // "Name <email>"
	Date   time.Time
}

// SkipReason says why an item was not scanned.
type SkipReason string

// Skip reasons. They are part of the JSON report.
const (
	SkipTooLarge   SkipReason = "too-large"   // over Options.MaxFileSize
	SkipNotRegular SkipReason = "not-regular" // FIFO, socket, device: reading could block forever
	SkipSymlink    SkipReason = "symlink"     // links are not followed inside a walk
	SkipUnreadable SkipReason = "unreadable"  // the OS refused: Detail has its error
	SkipSubmodule  SkipReason = "submodule"   // a submodule's commit: its content lives in another repository
	SkipUnmerged   SkipReason = "unmerged"    // a merge conflict not yet resolved in the index
	SkipMissing    SkipReason = "missing"     // a git object the history refers to is not in the repository
	// SkipCorrupt is compressed data that cannot be decompressed past some
	// point (a deflate, bzip2 or zstd stream that is not one, a gzip header
	// that is not one): what follows the damage is unknown, and another
	// decoder might still read it. A failure.
	SkipCorrupt SkipReason = "corrupt"
	// SkipDamaged is an archive whose structure is damaged but whose every
	// byte was still searched: a truncated file (nothing follows the cut),
	// a checksum that fails after all was decoded, a tar header that cannot
	// be read (the rest of the tar is searched as it is), a zip directory
	// that cannot be read (its members are read from their local headers,
	// its bytes searched as they are). A policy skip.
	SkipDamaged SkipReason = "damaged"
	// The limits against archive bombs (see scanner/archive.Limits): the
	// path is the member where reading stopped.
	SkipArchiveDepth   SkipReason = "archive-depth"   // archives nested deeper than the limit
	SkipArchiveSize    SkipReason = "archive-size"    // more uncompressed bytes than the limit
	SkipArchiveRatio   SkipReason = "archive-ratio"   // uncompressed bytes too many times the archive's size
	SkipArchiveEntries SkipReason = "archive-entries" // more members than the limit
	SkipEncrypted      SkipReason = "encrypted"       // an encrypted archive member
	SkipUnsupported    SkipReason = "unsupported"     // an archive member compressed by a method not supported
)

// Failed reports whether the skip is a failure to read (the operating
// system's error, a git object that is not there, compressed data that
// cannot be decompressed) rather than a policy (a size limit, links not
// followed, content that lives elsewhere, an archive bomb's limits, a
// damaged archive whose bytes were all searched). A scan with a failed skip
// cannot say "clean".
//
// Damaged archives are common test data (Go's own source tree holds eight),
// and an error on each would teach people to switch archive reading off;
// since every byte of one is searched, it is a warning, and exit 2 with
// --strict.
func (r SkipReason) Failed() bool {
	return r == SkipUnreadable || r == SkipMissing || r == SkipCorrupt
}

// Skipped is an item that was seen but not (completely) scanned.
type Skipped struct {
	Path   string
	Reason SkipReason
	Detail string
	// Container is, for a member of an archive, the path of the file that
	// holds the archive (see Finding.Container); "" otherwise.
	Container string
}

// Stats counts what a scan did.
type Stats struct {
	FilesScanned int
	BytesScanned int64
	// BinaryFiles counts the scanned items read as binary.
	BinaryFiles int
	Skipped     map[SkipReason]int
	// ByConfidence counts findings by confidence, look-alikes included
	// whether or not they were asked for.
	ByConfidence map[rules.Confidence]int
	// Suppressed counts the findings (look-alikes not included) that each
	// suppression mechanism removed; they are in neither Findings nor
	// ByConfidence.
	Suppressed map[SuppressedBy]int
	Duration   time.Duration
	// Commits is the number of commits a git source went through.
	Commits int
	// LookalikesNotListed counts, when look-alikes were asked for, those
	// over the first 100 of a file: in ByConfidence, not in Findings.
	LookalikesNotListed int
	// NoticesNotListed counts the notices over the first 100 of a file,
	// counted but not kept.
	NoticesNotListed int
}

// ListedPerFile is how many notices, and look-alikes when they are asked
// for, a scan keeps per file: those over it are counted
// (Stats.NoticesNotListed, Stats.LookalikesNotListed), so that no file's
// content can make the result grow without bound.
const ListedPerFile = 100

// FilesSeen is the number of items that were scanned or skipped.
func (s *Stats) FilesSeen() int {
	n := s.FilesScanned
	for _, k := range s.Skipped {
		n += k
	}
	return n
}

// Result is what Scan returns. Findings are sorted by path, line, column,
// rule, then commit; Skipped by path.
type Result struct {
	Findings []Finding
	Skipped  []Skipped
	// Notices are warnings about suppressions (a directive without a
	// reason, an unused directive, an expired ignore entry), sorted by
	// path, line and column.
	Notices []Notice
	// BinaryFiles are the paths of the items read as binary: not text (a
	// NUL byte in the first 8 KiB, and not UTF-16), so searched for the
	// tokens that prove themselves (a prefix and a checksum) but not for
	// legacy 40-hex ones. Sorted.
	BinaryFiles []string
	Stats       Stats
}

// CompareFindings orders findings by path, line, column, rule and commit,
// then by what else tells two findings at one place apart (their end,
// encoding, text and stage), so that an order sorted with it does not
// depend on the order the findings came in.
func CompareFindings(a, b *Finding) int {
	if c := cmp.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Column, b.Column); c != 0 {
		return c
	}
	if c := cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule)); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(commitKey(a.Commit), commitKey(b.Commit)),
		cmp.Compare(a.EndColumn, b.EndColumn), cmp.Compare(a.Offset, b.Offset), cmp.Compare(a.Encoding, b.Encoding),
		cmp.Compare(a.Secret, b.Secret), cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Blob, b.Blob), cmp.Compare(a.Container, b.Container))
}

// ruleIndex is made the first time two findings at one place are compared:
// most runs never do, and a map made at start-up is paid by every run of
// the program.
var ruleIndex = sync.OnceValue(func() map[*rules.Rule]int {
	m := map[*rules.Rule]int{}
	for i, r := range rules.All() {
		m[r] = i
	}
	return m
})

func ruleOrder(r *rules.Rule) int { return ruleIndex()[r] }

func commitKey(c *Commit) string {
	if c == nil {
		return ""
	}
	return c.Hash
}

func (r *Result) Sort() {
	slices.SortFunc(r.Findings, func(a, b Finding) int { return CompareFindings(&a, &b) })
	slices.SortFunc(r.Notices, compareNotices)
	// Every field is a key: workers hand their results over in an order
	// that depends on scheduling, and one file may be skipped twice for
	// one reason (a damaged zip: its directory, then a member).
	slices.SortFunc(r.Skipped, func(a, b Skipped) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Reason, b.Reason), cmp.Compare(a.Detail, b.Detail), cmp.Compare(a.Container, b.Container))
	})
	slices.Sort(r.BinaryFiles)
}

// SuppressedBy names the mechanism that removed a finding. The names are part
// of the JSON report.
type SuppressedBy string

// NoticeCode classifies a Notice. The codes are part of the JSON report.
type NoticeCode string

// Notice is a warning about a suppression: it does not change the exit
// status, but people should act on it.
type Notice struct {
	Path         string
	Line, Column int // Column is 0 when the notice is about a whole line
	Code         NoticeCode
	Message      string
}

func compareNotices(a, b Notice) int {
	return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Message, b.Message))
}

// Suppression mechanisms.
const (
	ByInline         SuppressedBy = "inline"          // "ghtoken:allow", "ghtoken:allow-next-line"
	ByForeign        SuppressedBy = "foreign"         // gitleaks:allow, pragma: allowlist secret, trufflehog:ignore
	ByIgnoreFile     SuppressedBy = "ignore-file"     // .ghtokenignore path pattern or fingerprint
	BySecretScanning SuppressedBy = "secret-scanning" // .github/secret_scanning.yml paths-ignore
	ByBaseline       SuppressedBy = "baseline"        // --baseline FILE
)

// Notice codes.
const (
	NoticeMissingReason   NoticeCode = "missing-reason"   // a ghtoken directive without a reason (it allows nothing)
	NoticeUnusedDirective NoticeCode = "unused-directive" // a ghtoken directive with no token on its line
	NoticeExpiredEntry    NoticeCode = "expired-entry"    // a .ghtokenignore entry past its expires= date
	// NoticeSuppressionAdded is a suppression that the scanned commit range
	// adds itself (--since, --ci): the code under review wrote it.
	NoticeSuppressionAdded NoticeCode = "suppression-added"
)

// SkipError lets an Item's Open say that the item is to be skipped for a
// reason other than an I/O error (it turned out to be a FIFO, say).
type SkipError struct {
	Reason SkipReason
	Detail string
}

func (e *SkipError) Error() string { return string(e.Reason) + ": " + e.Detail }

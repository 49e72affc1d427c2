package suppress

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ghtoken/ghtoken/scanner/finding"
	"github.com/ghtoken/ghtoken/scanner/ignore"
	"github.com/goccy/go-yaml"
)

// FileError is a problem in a suppression file: the scan stops, because a
// half-read exception list would hide or show the wrong findings.
type FileError struct {
	Path   string
	Line   int // 0 when the problem is not tied to a line
	Reason string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
	}
	return e.Path + ": " + e.Reason
}

// Suppressions are the file-based exceptions applied after a scan.
type Suppressions struct {
	// Root is the directory that path patterns are relative to (the scan
	// root). Finding paths are taken relative to the current directory.
	Root string
	// IgnoreRoot, when not empty, is the directory that the ignore file's
	// patterns are relative to instead (the directory of --ignore-file).
	IgnoreRoot     string
	Ignore         *IgnoreFile
	SecretScanning *SecretScanning
	Baseline       *Baseline
	// RootPaths says that the paths of findings are relative to Root (as
	// in the git modes, whose paths are relative to the top of the work
	// tree), not to the current directory.
	RootPaths bool
	// Now decides which expires= dates have passed; zero means time.Now().
	Now time.Time
}

// IgnoreFile is a parsed .ghtokenignore.
//
// Each line is blank, a comment (#), a fingerprint entry or a path pattern:
//
//	sha256:<64 hex digits> <reason> [expires=YYYY-MM-DD]
//	vendor/**          (gitignore syntax, relative to the file's directory)
type IgnoreFile struct {
	Path         string
	Fingerprints []IgnoreEntry
	patterns     *ignore.File
}

// IgnoreEntry is one fingerprint line of a .ghtokenignore.
type IgnoreEntry struct {
	Fingerprint string
	Reason      string
	Expires     time.Time // zero: never; otherwise the entry applies through that day (UTC)
	Line        int
}

// IgnoreFileName is the ignore file read at the scan root.
const IgnoreFileName = ".ghtokenignore"

// SecretScanningFile is GitHub's secret scanning configuration, relative to
// the scan root.
const SecretScanningFile = ".github/secret_scanning.yml"

// parseIgnoreFile parses the content of a .ghtokenignore called name. A
// syntax error is a *FileError.
func parseIgnoreFile(name string, data []byte) (*IgnoreFile, error) {
	f := &IgnoreFile{Path: name}
	var patterns bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		if n == 1 {
			trimmed = strings.TrimPrefix(trimmed, "\ufeff")
			line = strings.TrimPrefix(line, "\ufeff")
		}
		switch {
		case trimmed == "" || trimmed[0] == '#':
			patterns.WriteString("\n") // keep line numbers aligned
			continue
		case strings.HasPrefix(strings.ToLower(trimmed), "sha256:"):
			e, err := parseIgnoreEntry(trimmed)
			if err != nil {
				return nil, &FileError{Path: name, Line: n, Reason: err.Error()}
			}
			e.Line = n
			f.Fingerprints = append(f.Fingerprints, e)
			patterns.WriteString("\n")
		default:
			if !utf8Valid(line) {
				return nil, &FileError{Path: name, Line: n, Reason: "not valid UTF-8"}
			}
			patterns.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &FileError{Path: name, Line: n + 1, Reason: err.Error()}
	}
	f.patterns = ignore.Parse("", patterns.Bytes())
	if len(f.patterns.Invalid()) > 0 {
		return nil, &FileError{Path: name, Line: f.patterns.Invalid()[0], Reason: "path pattern cannot be used (a [ never closed, or an unknown [:class:]?)"}
	}
	return f, nil
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// parseIgnoreEntry parses "sha256:<hex> <reason> [expires=YYYY-MM-DD]".
func parseIgnoreEntry(line string) (IgnoreEntry, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return IgnoreEntry{}, errors.New("empty entry")
	}
	fp := fields[0]
	if err := checkFingerprint(fp); err != nil {
		return IgnoreEntry{}, err
	}
	e := IgnoreEntry{Fingerprint: fp}
	words := fields[1:]
	// Options are key=value words at the end of the line.
	for len(words) > 0 {
		w := words[len(words)-1]
		k, v, ok := strings.Cut(w, "=")
		if !ok || !isOptionKey(k) {
			break
		}
		switch k {
		case "expires":
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return IgnoreEntry{}, fmt.Errorf("bad expires=%q: want a date such as expires=2026-12-31", v)
			}
			if !e.Expires.IsZero() {
				return IgnoreEntry{}, errors.New("expires= given twice")
			}
			e.Expires = t
		default:
			return IgnoreEntry{}, fmt.Errorf("unknown option %q (the only option is expires=YYYY-MM-DD)", k+"=")
		}
		words = words[:len(words)-1]
	}
	e.Reason = strings.Join(words, " ")
	if e.Reason == "" {
		return IgnoreEntry{}, fmt.Errorf("fingerprint entry without a reason: write why the token may stay after the fingerprint")
	}
	return e, nil
}

// checkFingerprint accepts "sha256:" and 64 lower-case hex digits, the form
// ghtoken prints.
func checkFingerprint(fp string) error {
	prefix, hexPart, ok := strings.Cut(fp, ":")
	switch {
	case !ok || !strings.EqualFold(prefix, "sha256"):
		return fmt.Errorf("malformed fingerprint %q: want sha256: and 64 hex digits, as ghtoken prints it", short(fp))
	case prefix != "sha256":
		return fmt.Errorf("fingerprint %q: write the sha256 prefix in lower case", short(fp))
	case len(hexPart) != 64:
		return fmt.Errorf("malformed fingerprint %q: want sha256: and 64 hex digits, as ghtoken prints it", short(fp))
	}
	if _, err := hex.DecodeString(hexPart); err != nil || strings.ToLower(hexPart) != hexPart {
		return fmt.Errorf("malformed fingerprint %q: want 64 lower-case hex digits after the sha256 prefix", short(fp))
	}
	return nil
}

func isOptionKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// short quotes the start of a malformed fingerprint field: enough to find
// it on its line, too little to be a secret when a token was pasted there
// (a whole token is masked on output, but a cut one no longer matches).
func short(s string) string {
	const keep = len("sha256:") + 4
	if len(s) > keep {
		return s[:keep] + "…"
	}
	return s
}

// expired reports whether the entry no longer applies at now.
func (e *IgnoreEntry) expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.UTC().Before(e.Expires.AddDate(0, 0, 1))
}

// unmarshalYAML decodes strictly (unknown keys are errors). The file comes
// from the scanned repository, so it may be hostile: a panic inside the YAML
// library (go-yaml v1.19.2 panics on "key: ! ") becomes an error that names
// the file, not a crash.
func unmarshalYAML(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("not valid YAML (the parser failed: %v)", r)
		}
	}()
	return yaml.UnmarshalWithOptions(data, v, yaml.DisallowUnknownField())
}

// SecretScanning is the part of GitHub's .github/secret_scanning.yml that
// ghtoken honours: paths-ignore, so that local runs and GitHub agree.
type SecretScanning struct {
	Path        string
	PathsIgnore []string
	patterns    *ignore.File
}

// parseSecretScanning parses .github/secret_scanning.yml. Unknown keys and
// YAML errors are a *FileError.
func parseSecretScanning(name string, data []byte) (*SecretScanning, error) {
	var doc struct {
		PathsIgnore []string `yaml:"paths-ignore"`
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := unmarshalYAML(data, &doc); err != nil {
			fe := &FileError{Path: name, Reason: err.Error()}
			var ye yaml.Error
			if errors.As(err, &ye) {
				fe.Reason = ye.GetMessage()
				if tk := ye.GetToken(); tk != nil && tk.Position != nil {
					fe.Line = tk.Position.Line
				}
			}
			return nil, fe
		}
	}
	s := &SecretScanning{Path: name, PathsIgnore: doc.PathsIgnore}
	var lines []string
	for _, p := range doc.PathsIgnore {
		if strings.TrimSpace(p) == "" {
			return nil, &FileError{Path: name, Reason: "paths-ignore has an empty pattern"}
		}
		lines = append(lines, p)
	}
	s.patterns = ignore.Parse("", []byte(strings.Join(lines, "\n")))
	if len(s.patterns.Invalid()) > 0 {
		return nil, &FileError{Path: name, Reason: fmt.Sprintf("paths-ignore pattern %q cannot be used (a [ never closed, or an unknown [:class:]?)", lines[s.patterns.Invalid()[0]-1])}
	}
	return s, nil
}

// Baseline is a set of fingerprints of findings accepted at some point:
// findings whose token is in it are not reported. It names tokens by hash
// only, so it never holds token text and never hides a token it does not name.
type Baseline struct {
	Path         string
	Fingerprints map[string]bool
}

// BaselineDoc is the JSON form of a baseline file (version 1).
type BaselineDoc struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one token in a baseline. Rule and Paths help people review
// the file; only Fingerprint is used for matching.
type BaselineEntry struct {
	Fingerprint string   `json:"fingerprint"`
	Rule        string   `json:"rule"`
	Paths       []string `json:"paths,omitempty"`
}

// NewBaselineDoc builds the baseline of res's findings (look-alikes left
// out), one entry per token, sorted by fingerprint so that regenerating an
// unchanged baseline gives the same bytes.
func NewBaselineDoc(res *finding.Result) *BaselineDoc {
	byFP := map[string]*BaselineEntry{}
	for _, f := range res.Findings {
		if f.Confidence == 0 {
			continue
		}
		e := byFP[f.Fingerprint]
		if e == nil {
			e = &BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule.ID}
			byFP[f.Fingerprint] = e
		}
		if !slices.Contains(e.Paths, f.Path) {
			e.Paths = append(e.Paths, f.Path)
		}
	}
	doc := &BaselineDoc{Version: 1, Findings: []BaselineEntry{}}
	for _, e := range byFP {
		slices.Sort(e.Paths)
		doc.Findings = append(doc.Findings, *e)
	}
	slices.SortFunc(doc.Findings, func(a, b BaselineEntry) int { return cmp.Compare(a.Fingerprint, b.Fingerprint) })
	return doc
}

// parseBaseline parses a baseline file. Unknown keys, a wrong version and a
// malformed fingerprint are a *FileError with the line of the problem.
func parseBaseline(name string, data []byte) (*Baseline, error) {
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte{'\n'}) }
	fail := func(off int64, format string, args ...any) error {
		return &FileError{Path: name, Line: lineAt(off), Reason: fmt.Sprintf(format, args...)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	b := &Baseline{Path: name, Fingerprints: map[string]bool{}}
	expect := func(want json.Delim) error {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return jsonError(name, data, dec, err)
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(off, "want %q, found %v", string(want), tok)
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return nil, err
	}
	version, sawFindings := 0, false
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(name, data, dec, err)
		}
		switch key := tok.(string); key {
		case "version":
			if err := dec.Decode(&version); err != nil {
				return nil, jsonError(name, data, dec, err)
			}
			if version != 1 {
				return nil, fail(off, "unsupported baseline version %d (this ghtoken reads version 1)", version)
			}
		case "findings":
			sawFindings = true
			if err := expect('['); err != nil {
				return nil, err
			}
			for dec.More() {
				eoff := dec.InputOffset()
				var e BaselineEntry
				if err := dec.Decode(&e); err != nil {
					return nil, jsonError(name, data, dec, err)
				}
				// InputOffset is at the end of the previous value; the entry
				// starts after the separator and white space.
				eoff = skipJSONSpace(data, eoff)
				if checkFingerprint(e.Fingerprint) != nil {
					return nil, fail(eoff, "malformed fingerprint %q: want sha256: and 64 lower-case hex digits", short(e.Fingerprint))
				}
				b.Fingerprints[e.Fingerprint] = true
			}
			if err := expect(']'); err != nil {
				return nil, err
			}
		default:
			return nil, fail(skipJSONSpace(data, off), "unknown key %q (a baseline has version and findings)", key)
		}
	}
	if err := expect('}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(dec.InputOffset(), "unexpected data after the baseline object")
	}
	if version == 0 || !sawFindings {
		return nil, &FileError{Path: name, Line: 1, Reason: "not a ghtoken baseline: want {\"version\": 1, \"findings\": [...]} (make one with: ghtoken baseline > FILE)"}
	}
	return b, nil
}

func skipJSONSpace(data []byte, off int64) int64 {
	for int(off) < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return off
}

// jsonError turns a decoding error into a *FileError with a line number.
func jsonError(name string, data []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data))
	}
	reason := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		reason = "unexpected end of file"
	}
	return &FileError{Path: name, Line: 1 + bytes.Count(data[:min(int(off), len(data))], []byte{'\n'}), Reason: reason}
}

// Load reads the suppression files that apply to a scan rooted
// at root: root/.ghtokenignore (or ignorePath when not empty) and
// root/.github/secret_scanning.yml, each only if it exists, and the baseline
// at baselinePath when not empty. A file that exists but is malformed is an
// error (a *FileError), never a partial read.
func Load(root, ignorePath, baselinePath string) (*Suppressions, error) {
	return LoadWith(root, ignorePath, baselinePath, readFile)
}

// ReadFunc reads a suppression file: its content and true, or false when it
// does not exist and need not (must is false). LoadWith uses it
// to read the files from somewhere else than the file system (a commit).
type ReadFunc func(path string, must bool) ([]byte, bool, error)

// readFile is the ReadFunc of the file system.
func readFile(p string, must bool) ([]byte, bool, error) {
	data, err := os.ReadFile(p)
	switch {
	case err == nil:
		return data, true, nil
	case errors.Is(err, os.ErrNotExist) && !must:
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("read %s: %w", p, err)
}

// LoadWith is Load with the files read by read.
func LoadWith(root, ignorePath, baselinePath string, read ReadFunc) (*Suppressions, error) {
	s := &Suppressions{Root: root}
	ip := ignorePath
	if ip == "" {
		ip = filepath.Join(root, IgnoreFileName)
	}
	if data, ok, err := read(ip, ignorePath != ""); err != nil {
		return nil, err
	} else if ok {
		f, err := parseIgnoreFile(displayPath(ip), data)
		if err != nil {
			return nil, err
		}
		s.Ignore = f
		if ignorePath != "" {
			// Patterns are relative to the file's directory.
			s.IgnoreRoot = filepath.Dir(ignorePath)
		}
	}
	sp := filepath.Join(root, filepath.FromSlash(SecretScanningFile))
	if data, ok, err := read(sp, false); err != nil {
		return nil, err
	} else if ok {
		f, err := parseSecretScanning(displayPath(sp), data)
		if err != nil {
			return nil, err
		}
		s.SecretScanning = f
	}
	if baselinePath != "" {
		data, ok, err := read(baselinePath, true)
		if err != nil || !ok {
			return s, err
		}
		b, err := parseBaseline(displayPath(baselinePath), data)
		if err != nil {
			return nil, err
		}
		s.Baseline = b
	}
	return s, nil
}

// displayPath shows p relative to the current directory when that is
// shorter, so that messages name files the way people would type them.
func displayPath(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && len(rel) < len(p) {
				p = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// Empty reports whether s suppresses nothing.
func (s *Suppressions) Empty() bool {
	return s == nil || s.Ignore == nil && s.SecretScanning == nil && s.Baseline == nil
}

// Apply removes suppressed findings from res, counting them by mechanism,
// drops skips under ignored paths, and adds notices for expired entries.
func (s *Suppressions) Apply(res *finding.Result) {
	if s.Empty() {
		return
	}
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	ignoreFP := map[string]bool{}
	if s.Ignore != nil {
		for _, e := range s.Ignore.Fingerprints {
			if e.expired(now) {
				res.Notices = append(res.Notices, finding.Notice{Path: s.Ignore.Path, Line: e.Line, Code: finding.NoticeExpiredEntry,
					Message: fmt.Sprintf("entry for %s… (%s) expired on %s and no longer suppresses anything", e.Fingerprint[:len("sha256:")+12], e.Reason, e.Expires.Format(time.DateOnly))})
				continue
			}
			ignoreFP[e.Fingerprint] = true
		}
	}
	abs := func(dir string) string {
		if a, err := filepath.Abs(dir); err == nil {
			return a
		}
		return dir
	}
	rootAbs, ignoreAbs := abs(s.Root), abs(cmp.Or(s.IgnoreRoot, s.Root))
	pathRule := func(p string) finding.SuppressedBy {
		if s.RootPaths && p != "" && !filepath.IsAbs(p) {
			p = filepath.Join(rootAbs, filepath.FromSlash(p))
		}
		if s.Ignore != nil {
			if rel, ok := relativeTo(ignoreAbs, p); ok && s.Ignore.patterns.MatchesPath(rel) {
				return finding.ByIgnoreFile
			}
		}
		if s.SecretScanning != nil {
			if rel, ok := relativeTo(rootAbs, p); ok && s.SecretScanning.patterns.MatchesPath(rel) {
				return finding.BySecretScanning
			}
		}
		return ""
	}
	// A member of an archive is under the archive's path too: a pattern
	// naming the archive covers everything in it.
	memberRule := func(p, container string) finding.SuppressedBy {
		if by := pathRule(p); by != "" || container == "" {
			return by
		}
		return pathRule(container)
	}
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		by := memberRule(f.Path, f.Container)
		switch {
		case by != "":
		case ignoreFP[f.Fingerprint]:
			by = finding.ByIgnoreFile
		case s.Baseline != nil && s.Baseline.Fingerprints[f.Fingerprint]:
			by = finding.ByBaseline
		default:
			kept = append(kept, f)
			continue
		}
		res.Stats.ByConfidence[f.Confidence]--
		if f.Confidence != 0 {
			res.Stats.Suppressed[by]++
		}
	}
	res.Findings = kept
	keptSkips := res.Skipped[:0]
	for _, sk := range res.Skipped {
		if memberRule(strings.TrimSuffix(sk.Path, "/"), sk.Container) == "" {
			keptSkips = append(keptSkips, sk)
		}
	}
	res.Skipped = keptSkips
}

// relativeTo returns p (relative to the current directory, or absolute) as
// a slash-separated path relative to rootAbs, and false when p is outside it
// or is not a file path.
func relativeTo(rootAbs, p string) (string, bool) {
	if p == "-" || p == "" {
		return "", false
	}
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(rootAbs, abs)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return rel, true
}

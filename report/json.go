package report

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// jsonReporter writes one JSON document (schema in README.md, version 1).
type jsonReporter struct{}

type JSONDoc struct {
	Version  int           `json:"version"`
	Findings []JSONFinding `json:"findings"`
	Skipped  []JSONSkipped `json:"skipped"`
	Notices  []JSONNotice  `json:"notices"`
	// BinaryFiles lists the files read as binary (searched for prefixed
	// tokens only).
	BinaryFiles []string  `json:"binary_files,omitempty"`
	Stats       JSONStats `json:"stats"`
}

type JSONNotice struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type JSONFinding struct {
	Rule             string     `json:"rule"`
	Title            string     `json:"title"`
	Confidence       string     `json:"confidence"`
	Path             string     `json:"path"`
	Line             int        `json:"line"`
	Column           int        `json:"column"`
	EndColumn        int        `json:"end_column"`
	Offset           int64      `json:"offset"`
	Secret           string     `json:"secret"`
	SecretMasked     bool       `json:"secret_masked"`
	Fingerprint      string     `json:"fingerprint"`
	Remediation      string     `json:"remediation"`
	RemediationSteps []string   `json:"remediation_steps"`
	Note             string     `json:"note,omitempty"`
	Encoding         string     `json:"encoding,omitempty"`
	Glued            bool       `json:"glued,omitempty"`
	OwnerUserID      uint32     `json:"owner_user_id,omitempty"`
	AppID            int64      `json:"app_id,omitempty"`
	IssuedAt         *time.Time `json:"issued_at,omitempty"`
	ExpiresAt        *time.Time `json:"expires_at,omitempty"`
	// Git modes: the commit that holds the finding, its author ("Name
	// <email>") and its date, as the git issue names them.
	Commit string     `json:"commit,omitempty"`
	Author string     `json:"author,omitempty"`
	Date   *time.Time `json:"date,omitempty"`
	// Verification is present only with --verify.
	Verification *JSONVerification `json:"verification,omitempty"`
	Blob         string            `json:"blob,omitempty"`
	Occurrences  int               `json:"occurrences,omitempty"`
	// Binary is set when the file was read as binary.
	Binary bool `json:"binary,omitempty"`
	// Container is, for a finding in an archive member (Path
	// "release.zip!config/app.env"), the file that holds the archive.
	Container string `json:"container,omitempty"`
}

type JSONSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
	// Container is, for a member of an archive, the file that holds it.
	Container string `json:"container,omitempty"`
}

type JSONStats struct {
	FilesSeen    int            `json:"files_seen"`
	FilesScanned int            `json:"files_scanned"`
	BytesScanned int64          `json:"bytes_scanned"`
	BinaryFiles  int            `json:"binary_files,omitempty"`
	Skipped      map[string]int `json:"skipped"`
	Findings     map[string]int `json:"findings"`
	// Warnings counts the findings below FailOn: listed and counted in
	// Findings, but they do not fail the run.
	Warnings   int    `json:"warnings"`
	FailOn     string `json:"fail_on"`
	Lookalikes int    `json:"lookalikes"`
	// LookalikesNotListed counts, with --show-lookalikes, the look-alikes
	// over 100 in a file: counted, not in findings.
	LookalikesNotListed int `json:"lookalikes_not_listed,omitempty"`
	// NoticesNotListed counts the notices over 100 in a file.
	NoticesNotListed int            `json:"notices_not_listed,omitempty"`
	Suppressed       map[string]int `json:"suppressed"`
	DurationSeconds  float64        `json:"duration_seconds"`
	Commits          int            `json:"commits,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Report writes the document as it goes, one finding at a time, so that a
// report of many findings costs the memory of one; the bytes are those
// json.Encoder with a two-space indent writes for a JSONDoc.
func (jsonReporter) Report(w io.Writer, r *Report) error {
	res := r.Result
	bw := bufio.NewWriterSize(w, 64<<10)
	ew := &errWriter{w: bw}
	ew.printf("{\n  \"version\": 1,\n  \"findings\": ")
	writeJSONArray(ew, len(res.Findings), func(i int) any { return newJSONFinding(r, &res.Findings[i]) })
	ew.printf(",\n  \"skipped\": ")
	writeJSONArray(ew, len(res.Skipped), func(i int) any {
		s := &res.Skipped[i]
		return JSONSkipped{Path: s.Path, Reason: string(s.Reason), Detail: s.Detail, Container: s.Container}
	})
	ew.printf(",\n  \"notices\": ")
	writeJSONArray(ew, len(res.Notices), func(i int) any {
		n := &res.Notices[i]
		return JSONNotice{Path: n.Path, Line: n.Line, Column: n.Column, Code: string(n.Code), Message: n.Message}
	})
	if len(res.BinaryFiles) > 0 {
		ew.printf(",\n  \"binary_files\": ")
		writeJSONArray(ew, len(res.BinaryFiles), func(i int) any { return res.BinaryFiles[i] })
	}
	ew.printf(",\n  \"stats\": ")
	writeJSONValue(ew, newJSONStats(r), "  ")
	ew.printf("\n}\n")
	if ew.err != nil {
		return ew.err
	}
	return bw.Flush()
}

// writeJSONArray writes n values as an array that is a member of the
// top-level object.
func writeJSONArray(ew *errWriter, n int, item func(i int) any) {
	if n == 0 {
		ew.printf("[]")
		return
	}
	ew.printf("[\n")
	for i := range n {
		ew.printf("    ")
		writeJSONValue(ew, item(i), "    ")
		if i < n-1 {
			ew.printf(",\n")
		} else {
			ew.printf("\n")
		}
	}
	ew.printf("  ]")
}

// writeJSONValue writes v indented as at the given depth.
func writeJSONValue(ew *errWriter, v any, prefix string) {
	if ew.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		ew.err = err
		return
	}
	_, ew.err = ew.w.Write(b)
}

func newJSONFinding(r *Report, f *finding.Finding) JSONFinding {
	steps := f.Remediation()
	if f.Confidence == rules.Lookalike {
		steps = []string{"Not a finding: " + f.Note + "."}
	}
	jf := JSONFinding{
		Rule: f.Rule.ID, Title: f.Rule.Title, Confidence: f.Confidence.String(),
		Path: f.Path, Line: f.Line, Column: f.Column, EndColumn: f.EndColumn, Offset: f.Offset,
		Secret: r.secret(f), SecretMasked: !r.ShowSecrets, Fingerprint: f.Fingerprint,
		Remediation: steps[0], RemediationSteps: steps, Note: f.Note, Encoding: f.Encoding, Glued: f.Glued,
		OwnerUserID: f.OwnerUserID, AppID: f.AppID, IssuedAt: timePtr(f.IssuedAt), ExpiresAt: timePtr(f.ExpiresAt),
	}
	jf.Verification = newJSONVerification(r.verification(f))
	if c := f.Commit; c != nil {
		jf.Commit, jf.Author, jf.Date = c.Hash, c.Author, timePtr(c.Date)
	}
	jf.Blob, jf.Occurrences, jf.Binary, jf.Container = f.Blob, f.Occurrences, f.Binary, f.Container
	return jf
}

func newJSONStats(r *Report) JSONStats {
	st := &r.Result.Stats
	js := JSONStats{Warnings: r.warningCount(), FailOn: r.Threshold().String(),
		FilesSeen: st.FilesSeen(), FilesScanned: st.FilesScanned, BytesScanned: st.BytesScanned, BinaryFiles: st.BinaryFiles,
		Skipped: map[string]int{}, Findings: map[string]int{}, Suppressed: map[string]int{},
		Lookalikes: st.ByConfidence[rules.Lookalike], LookalikesNotListed: st.LookalikesNotListed,
		NoticesNotListed: st.NoticesNotListed, DurationSeconds: st.Duration.Seconds(), Commits: st.Commits,
	}
	for reason, n := range st.Skipped {
		js.Skipped[string(reason)] = n
	}
	for _, c := range []rules.Confidence{rules.High, rules.Medium, rules.Low} {
		js.Findings[c.String()] = st.ByConfidence[c]
	}
	for _, by := range suppressionOrder {
		js.Suppressed[string(by)] = st.Suppressed[by]
	}
	return js
}

package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/ghtoken/ghtoken/rules"
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
}

type JSONSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

type JSONStats struct {
	FilesSeen       int            `json:"files_seen"`
	FilesScanned    int            `json:"files_scanned"`
	BytesScanned    int64          `json:"bytes_scanned"`
	BinaryFiles     int            `json:"binary_files,omitempty"`
	Skipped         map[string]int `json:"skipped"`
	Findings        map[string]int `json:"findings"`
	Lookalikes      int            `json:"lookalikes"`
	Suppressed      map[string]int `json:"suppressed"`
	DurationSeconds float64        `json:"duration_seconds"`
	Commits         int            `json:"commits,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func (jsonReporter) Report(w io.Writer, r *Report) error {
	res := r.Result
	doc := JSONDoc{Version: 1, Findings: []JSONFinding{}, Skipped: []JSONSkipped{}, Notices: []JSONNotice{}}
	for i := range res.Findings {
		f := &res.Findings[i]
		steps := f.Remediation()
		if f.Confidence == rules.Lookalike {
			steps = []string{"Not a finding: " + f.Note + "."}
		}
		jf := JSONFinding{
			Rule: f.Rule.ID, Title: f.Rule.Title, Confidence: f.Confidence.String(),
			Path: f.Path, Line: f.Line, Column: f.Column, EndColumn: f.EndColumn, Offset: f.Offset,
			Secret: r.secret(f), SecretMasked: !r.ShowSecrets, Fingerprint: f.Fingerprint,
			Remediation: steps[0], RemediationSteps: steps, Note: f.Note, Encoding: f.Encoding,
			OwnerUserID: f.OwnerUserID, AppID: f.AppID, IssuedAt: timePtr(f.IssuedAt), ExpiresAt: timePtr(f.ExpiresAt),
		}
		jf.Verification = newJSONVerification(r.verification(f))
		if c := f.Commit; c != nil {
			jf.Commit, jf.Author, jf.Date = c.Hash, c.Author, timePtr(c.Date)
		}
		jf.Blob, jf.Occurrences, jf.Binary = f.Blob, f.Occurrences, f.Binary
		doc.Findings = append(doc.Findings, jf)
	}
	for _, s := range res.Skipped {
		doc.Skipped = append(doc.Skipped, JSONSkipped{Path: s.Path, Reason: string(s.Reason), Detail: s.Detail})
	}
	for _, n := range res.Notices {
		doc.Notices = append(doc.Notices, JSONNotice{Path: n.Path, Line: n.Line, Column: n.Column, Code: string(n.Code), Message: n.Message})
	}
	doc.BinaryFiles = res.BinaryFiles
	st := &res.Stats
	doc.Stats = JSONStats{
		FilesSeen: st.FilesSeen(), FilesScanned: st.FilesScanned, BytesScanned: st.BytesScanned, BinaryFiles: st.BinaryFiles,
		Skipped: map[string]int{}, Findings: map[string]int{}, Suppressed: map[string]int{},
		Lookalikes: st.ByConfidence[rules.Lookalike], DurationSeconds: st.Duration.Seconds(),
		Commits: st.Commits,
	}
	for reason, n := range st.Skipped {
		doc.Stats.Skipped[string(reason)] = n
	}
	for _, c := range []rules.Confidence{rules.High, rules.Medium, rules.Low} {
		doc.Stats.Findings[c.String()] = st.ByConfidence[c]
	}
	for _, by := range suppressionOrder {
		doc.Stats.Suppressed[string(by)] = st.Suppressed[by]
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

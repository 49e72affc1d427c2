package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/ghtoken/ghtoken/scanner/finding"
)

// jsonlReporter writes JSON Lines: one object per finding, then one summary
// object, each on a line of its own. The finding lines are those of the
// json format with "type": "finding"; the summary has "type": "summary" and
// the json format's skipped, notices, binary_files and stats. A consumer can
// act on each line as it arrives, which is why the command writes finding
// lines while the scan runs (see WriteJSONLFinding).
type jsonlReporter struct{}

// JSONLFinding is a finding line.
type JSONLFinding struct {
	Type string `json:"type"` // "finding"
	JSONFinding
}

// JSONLSummary is the last line.
type JSONLSummary struct {
	Type        string        `json:"type"` // "summary"
	Version     int           `json:"version"`
	Findings    int           `json:"findings"` // finding lines written
	Skipped     []JSONSkipped `json:"skipped"`
	Notices     []JSONNotice  `json:"notices"`
	BinaryFiles []string      `json:"binary_files,omitempty"`
	Stats       JSONStats     `json:"stats"`
}

func (jsonlReporter) Report(w io.Writer, r *Report) error {
	for i := range r.Result.Findings {
		if err := WriteJSONLFinding(w, r, &r.Result.Findings[i]); err != nil {
			return err
		}
	}
	return WriteJSONLSummary(w, r, len(r.Result.Findings))
}

// WriteJSONLFinding writes f as one line, in one write. r gives what the
// line depends on besides f: ShowSecrets and verification results.
func WriteJSONLFinding(w io.Writer, r *Report, f *finding.Finding) error {
	return writeJSONLine(w, JSONLFinding{Type: "finding", JSONFinding: newJSONFinding(r, f)})
}

// WriteJSONLSummary writes the summary line; findings is the number of
// finding lines written before it.
func WriteJSONLSummary(w io.Writer, r *Report, findings int) error {
	res := r.Result
	s := JSONLSummary{Type: "summary", Version: 1, Findings: findings,
		Skipped: []JSONSkipped{}, Notices: []JSONNotice{}, BinaryFiles: res.BinaryFiles, Stats: newJSONStats(r)}
	for _, sk := range res.Skipped {
		s.Skipped = append(s.Skipped, JSONSkipped{Path: sk.Path, Reason: string(sk.Reason), Detail: sk.Detail})
	}
	for _, n := range res.Notices {
		s.Notices = append(s.Notices, JSONNotice{Path: n.Path, Line: n.Line, Column: n.Column, Code: string(n.Code), Message: n.Message})
	}
	return writeJSONLine(w, s)
}

func writeJSONLine(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode ends the line
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

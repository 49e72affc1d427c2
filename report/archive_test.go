package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ghtoken/ghtoken/rules/rulestest"
	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/walk"
)

// archiveReport scans a directory holding release.zip, whose
// config/app.env holds a token and whose other member is damaged.
func archiveReport(t *testing.T) *Report {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	fw, _ := w.Create("config/app.env")
	fw.Write([]byte("# settings\nAPI=" + rulestest.Token(rulestest.ClassicPAT, "member") + "\n"))
	fw, _ = w.CreateHeader(&zip.FileHeader{Name: "lib/x.gz", Method: zip.Store})
	fw.Write([]byte{0x1f, 0x8b, 8, 0xff, 0, 0, 0, 0, 0, 0, 1, 2, 3})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("release.zip", b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := scanner.Scan(context.Background(), &walk.Paths{Args: []string{"release.zip"}}, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || len(res.Skipped) != 1 {
		t.Fatalf("%d findings, %d skipped; want 1 and 1", len(res.Findings), len(res.Skipped))
	}
	return &Report{Result: res, Version: "v0.0.0-test"}
}

// A finding in an archive member reads "archive!member" in every format;
// SARIF and GitHub annotations, which can only point at files of the
// repository, point at the archive and name the member in the message.
func TestArchiveMemberLocations(t *testing.T) {
	r := archiveReport(t)
	const member, corrupt = "release.zip!config/app.env", "release.zip!lib/x.gz"

	var text bytes.Buffer
	if err := (textReporter{}).Report(&text, r); err != nil || !strings.Contains(text.String(), member+":2:5") {
		t.Errorf("text report (%v) does not name %s:2:5:\n%s", err, member, text.String())
	}

	var js bytes.Buffer
	if err := (jsonReporter{}).Report(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc JSONDoc
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if f := doc.Findings[0]; f.Path != member || f.Container != "release.zip" || f.Line != 2 {
		t.Errorf("JSON finding at %s (container %q) line %d; want %s in release.zip, line 2", f.Path, f.Container, f.Line, member)
	}
	if s := doc.Skipped[0]; s.Path != corrupt || s.Reason != "damaged" || s.Container != "release.zip" {
		t.Errorf("JSON skip %+v; want %s damaged in release.zip", s, corrupt)
	}

	var sarif bytes.Buffer
	if err := (sarifReporter{}).Report(&sarif, r); err != nil {
		t.Fatal(err)
	}
	var sdoc struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(sarif.Bytes(), &sdoc); err != nil {
		t.Fatal(err)
	}
	res := sdoc.Runs[0].Results[0]
	if loc := res.Locations[0].PhysicalLocation; loc.ArtifactLocation.URI != "release.zip" || loc.Region != nil || !strings.Contains(res.Message.Text, member+", line 2") {
		t.Errorf("SARIF location %q (region %v), message %q; want release.zip, no region, the member in the message", loc.ArtifactLocation.URI, loc.Region, res.Message.Text)
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	sd, _ := jsonschema.UnmarshalJSON(bytes.NewReader(sarif.Bytes()))
	if err := sch.Validate(sd); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}

	var gh bytes.Buffer
	if err := (githubReporter{}).Report(&gh, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(gh.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "::error file=release.zip,title=") || !strings.Contains(lines[0], "in "+member+":2:5") ||
		!strings.HasPrefix(lines[1], "::warning file=release.zip,") || !strings.Contains(lines[1], corrupt) {
		t.Errorf("GitHub annotations:\n%s\nwant an error and a warning on release.zip naming the members", gh.String())
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ghtoken/ghtoken/rules"
	"github.com/ghtoken/ghtoken/rules/rulestest"
)

// fakeGitHub plays the parts of GitHub's API that ghtoken uses and records
// every token it is sent.
type fakeGitHub struct {
	*httptest.Server
	mu           sync.Mutex
	verified     map[string]int
	revoked      [][]string
	live         map[string]bool
	revokeStatus int
}

func newFakeGitHub(t *testing.T, live ...string) *fakeGitHub {
	g := &fakeGitHub{verified: map[string]int{}, live: map[string]bool{}, revokeStatus: http.StatusAccepted}
	for _, s := range live {
		g.live[s] = true
	}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		switch r.URL.Path {
		case "/user", "/installation/repositories":
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			g.verified[tok]++
			if !g.live[tok] {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.Header().Set("X-OAuth-Scopes", "repo, gist")
			fmt.Fprint(w, `{"login":"octocat","id":1,"type":"User","total_count":3}`)
		case "/credentials/revoke":
			var body struct{ Credentials []string }
			if r.Header.Get("Authorization") != "" || json.NewDecoder(r.Body).Decode(&body) != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			g.revoked = append(g.revoked, body.Credentials)
			w.WriteHeader(g.revokeStatus)
			if g.revokeStatus == http.StatusUnprocessableEntity {
				fmt.Fprint(w, `{"message":"Validation Failed"}`)
			}
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *fakeGitHub) sentCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, k := range g.verified {
		n += k
	}
	for _, b := range g.revoked {
		n += len(b)
	}
	return n
}

type cmdRun struct {
	code           int
	stdout, stderr string
}

func runEnv(t *testing.T, args []string, stdin string, vars map[string]string, terminal bool) cmdRun {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return vars[k] },
		isTerminal: func(io.Reader) bool { return terminal },
	}
	code := e.dispatch(args)
	return cmdRun{code, out.String(), errb.String()}
}

func TestScanVerify(t *testing.T) {
	live := rulestest.Token(rulestest.ClassicPAT, "live")
	ghs := rulestest.Token(rulestest.AppInstallation, "inst")
	g := newFakeGitHub(t, live, ghs)
	dir := tree(t, map[string]string{
		"a.env":   "GH=${ghp:live}\nOLD=${ghp:dead}\nREFRESH=${ghr:r}\nFAKE=${ghp~:x}\n",
		"b/c.txt": "again ${ghp:live} and ${ghs:inst}\n",
	})
	r := runEnv(t, []string{"scan", "--verify", "--github-api-url", g.URL, "--format", "json", "--show-lookalikes", dir}, "", nil, false)
	if r.code != exitFindings {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	var doc struct {
		Findings []struct {
			Rule, Secret, Confidence string
			Verification             *struct {
				Status, Login, Reason, Endpoint string
				Scopes                          *[]string
				Repositories                    *int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range doc.Findings {
		if f.Confidence == "lookalike" {
			if f.Verification != nil {
				t.Errorf("look-alike has a verification %+v: look-alikes are not verified", f.Verification)
			}
			continue
		}
		if f.Verification == nil {
			t.Fatalf("finding %s has no verification", f.Rule)
		}
		got[f.Rule+"/"+f.Verification.Status] = f.Verification.Login
		if f.Verification.Status == "live" && f.Verification.Endpoint == "/user" && (f.Verification.Scopes == nil || strings.Join(*f.Verification.Scopes, ",") != "repo,gist") {
			t.Errorf("scopes %v", f.Verification.Scopes)
		}
	}
	want := map[string]string{
		"github-pat-classic/live":              "octocat",
		"github-pat-classic/revoked":           "",
		"github-app-refresh-token/not-checked": "",
		"github-app-installation-token/live":   "",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("verifications %v, want %v", got, want)
	}
	if n := g.verified[live]; n != 1 {
		t.Errorf("a token found twice was sent %d times, want 1", n)
	}
	if g.sentCount() != 3 {
		t.Errorf("%d requests, want 3 (live, dead, installation; never refresh or look-alike)", g.sentCount())
	}
	if !strings.Contains(r.stderr, "verified 4 distinct tokens against "+g.URL+": 2 live, 1 revoked, 1 not-checked") {
		t.Errorf("stderr summary: %s", r.stderr)
	}

	// Text: the verification line, and GITHUB_API_URL as the API base.
	r = runEnv(t, []string{"scan", "--verify", "--no-color", filepath.Join(dir, "a.env")}, "", map[string]string{"GITHUB_API_URL": g.URL}, false)
	if !strings.Contains(r.stdout, " (live: login octocat (user id 1); scopes: repo, gist)\n") ||
		!strings.Contains(r.stdout, " (revoked)\n") {
		t.Errorf("text report:\n%s", r.stdout)
	}
	r = runEnv(t, []string{"scan", "--verify", "--verbose", "--no-color", filepath.Join(dir, "a.env")}, "", map[string]string{"GITHUB_API_URL": g.URL}, false)
	if !strings.Contains(r.stdout, "verified:    live: login octocat (user id 1); scopes: repo, gist") ||
		!strings.Contains(r.stdout, "verified:    revoked") {
		t.Errorf("verbose text report:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, live) {
		t.Error("the text report printed a whole token")
	}
}

func TestScanWithoutVerifySendsNothing(t *testing.T) {
	g := newFakeGitHub(t)
	dir := tree(t, map[string]string{"a.env": "GH=${ghp:live}\n"})
	r := runEnv(t, []string{"scan", "--format", "json", dir}, "", map[string]string{"GITHUB_API_URL": g.URL}, false)
	if r.code != exitFindings || strings.Contains(r.stdout, `"verification"`) || g.sentCount() != 0 {
		t.Errorf("exit %d, %d requests, output has verification: %v", r.code, g.sentCount(), strings.Contains(r.stdout, `"verification"`))
	}
}

func TestScanVerifyRefusesCleartextAPI(t *testing.T) {
	dir := tree(t, map[string]string{"a.env": "GH=${ghp:live}\n"})
	for _, args := range [][]string{
		{"scan", "--verify", "--github-api-url", "http://api.example.com", dir},
		{"revoke", "--yes", "--github-api-url", "http://api.example.com", dir},
	} {
		r := runEnv(t, args, "", nil, false)
		if r.code != exitError || !strings.Contains(r.stderr, "http is allowed only for a loopback host") {
			t.Errorf("%v: exit %d, stderr %s", args, r.code, r.stderr)
		}
	}
}

func TestRevoke(t *testing.T) {
	files := map[string]string{
		"a.env": "GH=${ghp:one}\nFG=${github_pat:two}\nINST=${ghs:three}\nFAKE=${ghp~:x}\n",
		"b.sh":  "export T=${ghp:one}\n",
	}
	ghp, fine := rulestest.Token(rulestest.ClassicPAT, "one"), rulestest.Token(rulestest.FineGrained, "two")
	tests := []struct {
		name     string
		args     []string // DIR and URL are replaced
		stdin    string
		terminal bool
		status   int
		wantCode int
		wantSent bool
		wantOut  string
	}{
		{"yes", []string{"revoke", "--yes", "DIR"}, "", false, 202, exitFindings, true, "request 1 (tokens 1-2): accepted (HTTP 202)"},
		{"no terminal, no yes", []string{"revoke", "DIR"}, "", false, 202, exitError, false, "no terminal to ask for confirmation on; nothing was sent"},
		{"terminal confirms", []string{"revoke", "DIR"}, "yes\n", true, 202, exitFindings, true, "accepted"},
		{"terminal declines", []string{"revoke", "DIR"}, "n\n", true, 202, exitFindings, false, "Not confirmed: nothing was sent."},
		{"dry run", []string{"revoke", "--dry-run", "--yes", "DIR"}, "", false, 202, exitFindings, false, "Dry run: nothing was sent."},
		{"422", []string{"revoke", "--yes", "DIR"}, "", false, 422, exitError, true, "rejected (HTTP 422): Validation Failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFakeGitHub(t)
			g.revokeStatus = tt.status
			dir := tree(t, files)
			args := append([]string{}, tt.args...)
			for i, a := range args {
				if a == "DIR" {
					args[i] = dir
				}
			}
			r := runEnv(t, args, tt.stdin, map[string]string{"GITHUB_API_URL": g.URL}, tt.terminal)
			if r.code != tt.wantCode || !strings.Contains(r.stdout+r.stderr, tt.wantOut) {
				t.Errorf("exit %d (want %d); output:\n%s%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			sent := len(g.revoked) > 0
			if sent != tt.wantSent {
				t.Fatalf("sent = %v, want %v", sent, tt.wantSent)
			}
			if sent && fmt.Sprint(g.revoked) != fmt.Sprint([][]string{{ghp, fine}}) {
				t.Errorf("revoked %d requests: want one with the classic and fine-grained tokens, each once", len(g.revoked))
			}
			out := r.stdout + r.stderr
			if !strings.Contains(out, "Not revocable through GitHub's API (1)") || !strings.Contains(out, "DELETE /installation/token") {
				t.Errorf("the installation token's advice is missing:\n%s", out)
			}
			if strings.Contains(out, ghp) || strings.Contains(out, fine) {
				t.Error("output shows a whole token")
			}
			if !strings.Contains(out, "(and 1 more place)") {
				t.Errorf("the list does not say the token was found twice:\n%s", out)
			}
		})
	}
}

func TestRevokeRejectsReportFlags(t *testing.T) {
	dir := tree(t, map[string]string{"a.env": "GH=${ghp:one}\n"})
	g := newFakeGitHub(t)
	r := runEnv(t, []string{"revoke", "--yes", "--show-lookalikes", "--format", "json", dir}, "", map[string]string{"GITHUB_API_URL": g.URL}, false)
	if r.code != exitError || !strings.Contains(r.stderr, "--format, --show-lookalikes do not apply to revoke") || len(g.revoked) != 0 {
		t.Errorf("exit %d, %d requests, stderr %s", r.code, len(g.revoked), r.stderr)
	}
}

func TestRevokeFromReportAndStdin(t *testing.T) {
	g := newFakeGitHub(t)
	ghp := rulestest.Token(rulestest.ClassicPAT, "one")
	dir := tree(t, map[string]string{"a.env": "GH=${ghp:one}\n"})
	vars := map[string]string{"GITHUB_API_URL": g.URL}

	masked := runEnv(t, []string{"scan", "--format", "json", dir}, "", nil, false)
	report := filepath.Join(t.TempDir(), "report.json")
	os.WriteFile(report, []byte(masked.stdout), 0o644)
	r := runEnv(t, []string{"revoke", "--yes", "--from", report}, "", vars, false)
	if r.code != exitError || !strings.Contains(r.stderr, "has a masked token") || len(g.revoked) != 0 {
		t.Errorf("masked report: exit %d, %d requests, stderr %s", r.code, len(g.revoked), r.stderr)
	}

	full := runEnv(t, []string{"scan", "--format", "json", "--show-secrets", dir}, "", nil, false)
	os.WriteFile(report, []byte(full.stdout), 0o644)
	r = runEnv(t, []string{"revoke", "--yes", "--from", report}, "", vars, false)
	if r.code != exitClean || fmt.Sprint(g.revoked) != fmt.Sprint([][]string{{ghp}}) {
		t.Errorf("report: exit %d, revoked %d requests; %s%s", r.code, len(g.revoked), r.stdout, r.stderr)
	}

	// A report on stdin cannot also answer the confirmation.
	r = runEnv(t, []string{"revoke", "--from", "-"}, full.stdout, vars, true)
	if r.code != exitError || !strings.Contains(r.stderr, "cannot answer the confirmation") || len(g.revoked) != 1 {
		t.Errorf("stdin without --yes: exit %d, %d requests, %s", r.code, len(g.revoked), r.stderr)
	}
	// Plain text on stdin is scanned.
	r = runEnv(t, []string{"revoke", "--yes", "-"}, "leaked: "+ghp+"\n", vars, false)
	if r.code != exitClean || len(g.revoked) != 2 {
		t.Errorf("stdin scan: exit %d, %d requests, %s%s", r.code, len(g.revoked), r.stdout, r.stderr)
	}

	// A hand-edited report cannot send arbitrary text as a token.
	edited := strings.Replace(full.stdout, ghp, "not-a-token", 1)
	os.WriteFile(report, []byte(edited), 0o644)
	r = runEnv(t, []string{"revoke", "--yes", "--from", report}, "", vars, false)
	if r.code != exitError || !strings.Contains(r.stderr, "is not a github-pat-classic token") || len(g.revoked) != 2 {
		t.Errorf("edited report: exit %d, %d requests, %s", r.code, len(g.revoked), r.stderr)
	}
}

// A low-confidence token (right shape, failing checksum) is never revoked
// unless named by its fingerprint, whether it comes from a scan or from a
// report that calls it something else; --verify never sends it.
func TestRevokeAndVerifyHoldBackLowTokens(t *testing.T) {
	ghp := rulestest.Token(rulestest.ClassicPAT, "sure")
	low := rulestest.Token(rulestest.FineGrainedBadChecksum, "unsure")
	lowFP := rules.Fingerprint(low)
	files := map[string]string{"a.env": "GH=${ghp:sure}\nFG=${github_pat_badsum:unsure}\n"}
	for _, tt := range []struct {
		name     string
		files    map[string]string
		extra    []string
		wantCode int
		wantSent [][]string
		wantOut  string
	}{
		{"held back", files, nil, exitClean, [][]string{{ghp}}, "Not sent: low confidence"},
		{"named", files, []string{"--include-low", lowFP}, exitClean, [][]string{{ghp, low}}, "Will revoke 2 tokens"},
		{"named without sha256:", files, []string{"--include-low", strings.TrimPrefix(lowFP, "sha256:")}, exitClean, [][]string{{ghp, low}}, "Will revoke 2 tokens"},
		{"a name that matches nothing", files, []string{"--include-low", rules.Fingerprint(ghp)}, exitError, nil, "no low-confidence token found has that fingerprint"},
		{"only a low token", map[string]string{"a.env": "FG=${github_pat_badsum:unsure}\n"}, nil, exitClean, nil, "nothing to revoke"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newFakeGitHub(t)
			dir := tree(t, tt.files)
			r := runEnv(t, append(append([]string{"revoke", "--yes"}, tt.extra...), dir), "", map[string]string{"GITHUB_API_URL": g.URL}, false)
			if r.code != tt.wantCode || !strings.Contains(r.stdout+r.stderr, tt.wantOut) {
				t.Errorf("exit %d (want %d); output:\n%s%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if fmt.Sprint(g.revoked) != fmt.Sprint(tt.wantSent) {
				t.Errorf("sent %d requests, want %d (or not the tokens wanted)", len(g.revoked), len(tt.wantSent))
			}
			if strings.Contains(r.stdout+r.stderr, low) {
				t.Error("output shows a whole token")
			}
		})
	}

	// From a report, the token is judged again: calling it high does not
	// make it so.
	g := newFakeGitHub(t)
	vars := map[string]string{"GITHUB_API_URL": g.URL}
	dir := tree(t, files)
	full := runEnv(t, []string{"scan", "--format", "json", "--show-secrets", dir}, "", nil, false)
	edited := strings.ReplaceAll(full.stdout, `"confidence": "low"`, `"confidence": "high"`)
	report := filepath.Join(t.TempDir(), "report.json")
	os.WriteFile(report, []byte(edited), 0o644)
	r := runEnv(t, []string{"revoke", "--yes", "--from", report}, "", vars, false)
	if r.code != exitClean || fmt.Sprint(g.revoked) != fmt.Sprint([][]string{{ghp}}) {
		t.Errorf("report: exit %d, revoked %v requests\n%s%s", r.code, len(g.revoked), r.stdout, r.stderr)
	}

	// --verify sends the checksum-valid token only.
	g = newFakeGitHub(t)
	r = runEnv(t, []string{"scan", "--verify", "--github-api-url", g.URL, "--format", "json", dir}, "", nil, false)
	if g.verified[low] != 0 || g.verified[ghp] != 1 {
		t.Errorf("verified %d low and %d high, want 0 and 1", g.verified[low], g.verified[ghp])
	}
	if !strings.Contains(r.stdout, `"status": "not-checked"`) || !strings.Contains(r.stdout, "a low-confidence token") {
		t.Errorf("the low token's verification does not say why it was not sent:\n%s", r.stdout)
	}
}

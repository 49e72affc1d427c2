package gitsource

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghtoken/ghtoken/scanner"
	"github.com/ghtoken/ghtoken/scanner/finding"
)

// ciRepo is main with one commit, then a topic branch with two, one of
// which adds a token; origin/main points at main.
func ciRepo(t *testing.T) (r *testRepo, base, tokenCommit string) {
	r = newRepo(t)
	r.write("a.txt", "a\n")
	base = r.commit("base")
	r.git("update-ref", "refs/remotes/origin/main", base)
	r.git("checkout", "-q", "-b", "topic")
	r.write("b.txt", "B=${ghp:pr}\n")
	tokenCommit = r.commit("pr")
	r.write("c.txt", "c\n")
	r.commit("more")
	return r, base, tokenCommit
}

func ciEnv(vars map[string]string, event string) CI {
	return CI{
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			if p != "event.json" {
				return nil, os.ErrNotExist
			}
			return []byte(event), nil
		},
	}
}

func TestCIRange(t *testing.T) {
	r, base, tokenCommit := ciRepo(t)
	gh := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": "event.json"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	zero := strings.Repeat("0", 40)
	for _, tc := range []struct {
		name    string
		env     map[string]string
		event   string
		desc    string // a part of the description
		commits int
	}{
		{"pull request", with(gh, "GITHUB_EVENT_NAME", "pull_request"), `{"pull_request":{"base":{"sha":"` + base + `","ref":"main"}}}`, "base commit of the pull request", 2},
		{"pull request, base ref only", with(gh, "GITHUB_EVENT_NAME", "pull_request", "GITHUB_BASE_REF", "main"), `{}`, "origin/main..HEAD", 2},
		{"push", with(gh, "GITHUB_EVENT_NAME", "push"), `{"before":"` + tokenCommit + `"}`, "before commit", 1},
		{"new branch", with(gh, "GITHUB_EVENT_NAME", "push"), `{"before":"` + zero + `","ref":"refs/heads/topic","repository":{"default_branch":"main"}}`, "not on the default branch", 2},
		{"new default branch", with(gh, "GITHUB_EVENT_NAME", "push"), `{"before":"` + zero + `","ref":"refs/heads/main","repository":{"default_branch":"main"}}`, "every commit of HEAD", 3},
		{"gitlab merge request", map[string]string{"GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}, "", "CI_MERGE_REQUEST_DIFF_BASE_SHA", 2},
		{"gitlab push", map[string]string{"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": tokenCommit}, "", "CI_COMMIT_BEFORE_SHA", 1},
		{"gitlab new branch", map[string]string{"GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": zero, "CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "topic"}, "", "not on the default branch", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rg, desc, err := ciEnv(tc.env, tc.event).Range(context.Background(), r.g())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(desc, tc.desc) {
				t.Errorf("description %q does not say %q", desc, tc.desc)
			}
			res := scanSrc(t, rg)
			if rg.Commits != tc.commits {
				t.Errorf("%d commits, want %d", rg.Commits, tc.commits)
			}
			var want []gitWhere
			if tc.commits >= 2 {
				want = []gitWhere{{Path: "b.txt", Line: 1, Secret: tok("pr"), Commit: tokenCommit}}
			}
			if got := gitWheres(res); !slices.Equal(got, want) {
				t.Errorf("findings %+v, want %+v", got, want)
			}
		})
	}

	var he *HintError
	if _, _, err := ciEnv(map[string]string{}, "").Range(context.Background(), r.g()); !errors.As(err, &he) {
		t.Errorf("outside CI: %v, want an error with a hint", err)
	}
	ev := with(gh, "GITHUB_EVENT_NAME", "schedule")
	if _, _, err := ciEnv(ev, "{}").Range(context.Background(), r.g()); err == nil {
		t.Errorf("schedule event: no error")
	}
}

func TestCIShallowCloneWithoutBase(t *testing.T) {
	r, base, _ := ciRepo(t)
	clone := filepath.Join(t.TempDir(), "clone")
	cmd := exec.Command("git", "clone", "-q", "--depth", "1", "--branch", "topic", "file://"+r.dir, clone)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "event.json"}
	_, _, err := ciEnv(env, `{"pull_request":{"base":{"sha":"`+base+`"}}}`).Range(context.Background(), Git{Dir: clone})
	var he *HintError
	if !errors.As(err, &he) || !strings.Contains(he.Hint, "fetch-depth: 0") || !strings.Contains(err.Error(), "shallow") {
		t.Errorf("shallow clone without the base: %v, want an error saying how to fetch", err)
	}
	_, err = SinceRange(context.Background(), Git{Dir: clone}, "HEAD~5")
	if !errors.As(err, &he) {
		t.Errorf("--since past the shallow boundary: %v, want an error with a hint", err)
	}
}

// shallowClone clones r's topic branch one commit deep, then fetches main
// one commit deep: the base is there, the commits between it and HEAD are
// not.
func shallowClone(t *testing.T, r *testRepo) string {
	t.Helper()
	clone := filepath.Join(t.TempDir(), "clone")
	for _, args := range [][]string{
		{"clone", "-q", "--depth", "1", "--branch", "topic", "file://" + r.dir, clone},
		{"-C", clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return clone
}

// TestRangeCutByShallowClone: the base is in the clone but the commits
// between it and HEAD are not; scanning HEAD alone as if it were the whole
// range would miss the token two commits back.
func TestRangeCutByShallowClone(t *testing.T) {
	r, base, _ := ciRepo(t)
	r.git("branch", "-f", "main", base)
	clone := shallowClone(t, r)
	g := Git{Dir: clone}
	rg, err := SinceRange(context.Background(), g, "origin/main")
	if err != nil {
		t.Fatalf("the base is in the clone: %v", err)
	}
	_, err = scanner.Scan(context.Background(), rg, scanner.Options{})
	var he *HintError
	if !errors.As(err, &he) || !strings.Contains(he.Hint, "git fetch --unshallow") || !strings.Contains(err.Error(), "shallow") {
		t.Errorf("range cut by a shallow clone: %v, want an error saying how to fetch", err)
	}
	_, err = scanner.Scan(context.Background(), &History{Git: g}, scanner.Options{})
	if !errors.As(err, &he) || !strings.Contains(he.Hint, "fetch-depth: 0") {
		t.Errorf("--history of a shallow clone: %v, want an error saying how to fetch", err)
	}
	// Once the history is fetched, the same range scans.
	if out, err := exec.Command("git", "-C", clone, "fetch", "-q", "--unshallow", "origin", "topic").CombinedOutput(); err != nil {
		t.Fatalf("unshallow: %v\n%s", err, out)
	}
	rg, _ = SinceRange(context.Background(), g, "origin/main")
	if res := scanSrc(t, rg); len(res.Findings) != 1 || rg.Commits != 2 {
		t.Errorf("after --unshallow: %d findings in %d commits, want 1 in 2", len(res.Findings), rg.Commits)
	}
}

// TestCIPullRequestTargetScansTheHead: pull_request_target checks out the
// base branch, so base..HEAD is empty; the pull request's head commit from
// the event is what must be scanned, and a head not in the clone is an error.
func TestCIPullRequestTargetScansTheHead(t *testing.T) {
	r, base, tokenCommit := ciRepo(t)
	head := r.git("rev-parse", "topic")
	r.git("checkout", "-q", "--detach", base)
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request_target", "GITHUB_EVENT_PATH": "event.json"}
	event := func(head string) string {
		return `{"pull_request":{"number":7,"base":{"sha":"` + base + `","ref":"main"},"head":{"sha":"` + head + `"}}}`
	}
	rg, desc, err := ciEnv(env, event(head)).Range(context.Background(), r.g())
	if err != nil {
		t.Fatal(err)
	}
	res := scanSrc(t, rg)
	want := []gitWhere{{Path: "b.txt", Line: 1, Secret: tok("pr"), Commit: tokenCommit}}
	if got := gitWheres(res); !slices.Equal(got, want) || rg.Commits != 2 || !strings.Contains(desc, head) {
		t.Errorf("%q: %d commits, findings %+v, want 2 and %+v", desc, rg.Commits, got, want)
	}

	_, _, err = ciEnv(env, event(strings.Repeat("1", 40))).Range(context.Background(), r.g())
	var he *HintError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), "not in the clone") || !strings.Contains(he.Hint, "pull/7/head") {
		t.Errorf("head not in the clone: %v, want an error saying how to check it out", err)
	}
}

// TestCIForcePushFallsBackToTheDefaultBranch: after a force push the before
// commit is on no branch any more, so no clone has it; the commits not on
// the default branch are scanned instead, and the description says so.
func TestCIForcePushFallsBackToTheDefaultBranch(t *testing.T) {
	r, _, tokenCommit := ciRepo(t)
	gone := strings.Repeat("2", 40)
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": "event.json"}
	event := `{"before":"` + gone + `","forced":true,"ref":"refs/heads/topic","repository":{"default_branch":"main"}}`
	rg, desc, err := ciEnv(env, event).Range(context.Background(), r.g())
	if err != nil {
		t.Fatal(err)
	}
	res := scanSrc(t, rg)
	want := []gitWhere{{Path: "b.txt", Line: 1, Secret: tok("pr"), Commit: tokenCommit}}
	if got := gitWheres(res); !slices.Equal(got, want) || !strings.Contains(desc, "force push") || !strings.Contains(desc, "origin/main..HEAD") {
		t.Errorf("%q: findings %+v, want %+v", desc, got, want)
	}
	// Without "forced", a missing before commit is still an error.
	event = `{"before":"` + gone + `","ref":"refs/heads/topic","repository":{"default_branch":"main"}}`
	if _, _, err := ciEnv(env, event).Range(context.Background(), r.g()); err == nil {
		t.Errorf("a before commit missing without a force push: no error")
	}
}

// TestHistoryPartialClone: a clone made with --filter=blob:none has no
// blobs, and git here never fetches them: each is a "missing" skip at the
// path it was committed at, not a failure of the whole walk.
func TestHistoryPartialClone(t *testing.T) {
	r, _, _ := ciRepo(t)
	r.git("config", "uploadpack.allowFilter", "true")
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "-q", "--filter=blob:none", "--no-checkout", "--branch", "topic", "file://"+r.dir, clone).CombinedOutput(); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}
	res, err := scanner.Scan(context.Background(), &History{Git: Git{Dir: clone}}, scanner.Options{})
	if err != nil {
		t.Fatalf("history of a partial clone: %v", err)
	}
	got := skips(res)
	for _, p := range []string{"a.txt", "b.txt", "c.txt"} {
		if got[p] != finding.SkipMissing {
			t.Errorf("skipped = %v, want %s missing", got, p)
		}
	}
	_, err = scanner.Scan(context.Background(), &Range{Git: Git{Dir: clone}, Exclude: []string{"HEAD~2"}}, scanner.Options{})
	var ge *GitError
	if !errors.As(err, &ge) || ge.Hint != PartialCloneHint {
		t.Errorf("--since in a partial clone: %v, want git's error with how to fetch the blobs", err)
	}
}

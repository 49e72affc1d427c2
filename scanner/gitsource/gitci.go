package gitsource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// HintError is an error that comes with what to do about it.
type HintError struct {
	Err  error
	Hint string
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

// fetchHint says how to get the history a range needs.
const fetchHint = "fetch the history: in GitHub Actions set fetch-depth: 0 on actions/checkout; in GitLab CI set GIT_DEPTH: 0 (variables:); elsewhere run git fetch --unshallow, or git fetch origin BRANCH for a missing branch"

// SinceRange returns the Range of the commits in rev..HEAD, after checking
// that rev names a commit of the repository. In a shallow clone that lacks
// it, the error says how to fetch more history: an empty range there would
// be a silent pass.
func SinceRange(ctx context.Context, g Git, rev string) (*Range, error) {
	oid, err := g.needCommit(ctx, rev)
	if err != nil {
		return nil, err
	}
	return &Range{Git: g, Exclude: []string{oid}}, nil
}

// needCommit resolves rev to a commit id or explains why it cannot.
func (g *Git) needCommit(ctx context.Context, rev string) (string, error) {
	oid, ok, err := g.resolveCommit(ctx, rev)
	if err != nil {
		return "", err
	}
	if ok {
		return oid, nil
	}
	shallow, err := g.isShallow(ctx)
	if err != nil {
		return "", err
	}
	if shallow {
		return "", &HintError{Err: fmt.Errorf("revision %s is not in this shallow clone: the range cannot be scanned", rev), Hint: fetchHint}
	}
	return "", &HintError{Err: fmt.Errorf("revision %s is not a commit of this repository", rev),
		Hint: "check the name (git rev-parse --verify " + rev + "); if it is a remote branch or a commit of a fork, fetch it first (git fetch origin ...)"}
}

// CI is what a continuous-integration job tells about itself.
type CI struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

// ghEvent holds the parts of a GitHub Actions event payload used here.
type ghEvent struct {
	Before      string `json:"before"`
	Ref         string `json:"ref"`
	Forced      bool   `json:"forced"`
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
		} `json:"head"`
	} `json:"pull_request"`
	MergeGroup *struct {
		BaseSHA string `json:"base_sha"`
	} `json:"merge_group"`
	Repository struct {
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
}

func isZeroID(s string) bool { return strings.Trim(s, "0") == "" }

// Range chooses the commits a CI job should scan and describes its choice:
//
//   - GitHub Actions pull_request: base commit of the pull request (event's
//     pull_request.base.sha, else origin/$GITHUB_BASE_REF) to HEAD;
//     pull_request_target: the same base to the event's pull_request.head.sha
//     (HEAD is the base there), an error when that commit is not in the clone;
//     merge_group: the group's base_sha;
//   - GitHub Actions push: the event's before commit to HEAD; a new branch
//     (before is all zeros), or a force push whose before commit is not in
//     the repository: the commits not on origin/<default branch>, or the
//     whole history of HEAD when the default branch itself is new;
//   - GitLab CI: CI_MERGE_REQUEST_DIFF_BASE_SHA to HEAD in merge request
//     pipelines, else CI_COMMIT_BEFORE_SHA, else, for a new branch, the
//     commits not on origin/$CI_DEFAULT_BRANCH.
//
// A base that is not in the clone is an error that says how to fetch it.
func (ci CI) Range(ctx context.Context, g Git) (*Range, string, error) {
	get := ci.Getenv
	switch {
	case get("GITHUB_ACTIONS") == "true":
		return ci.github(ctx, g)
	case get("GITLAB_CI") == "true":
		return ci.gitlab(ctx, g)
	}
	return nil, "", &HintError{Err: fmt.Errorf("--ci: no CI environment recognised (neither GITHUB_ACTIONS nor GITLAB_CI is true)"),
		Hint: "name the range yourself with --since REV (for example --since origin/main), or scan everything with --history"}
}

func (ci CI) github(ctx context.Context, g Git) (*Range, string, error) {
	name := ci.Getenv("GITHUB_EVENT_NAME")
	var ev ghEvent
	if p := ci.Getenv("GITHUB_EVENT_PATH"); p != "" {
		data, err := ci.ReadFile(p)
		if err != nil {
			return nil, "", fmt.Errorf("--ci: read the GitHub event: %w", err)
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			return nil, "", fmt.Errorf("--ci: parse the GitHub event %s: %w", p, err)
		}
	}
	switch name {
	case "pull_request", "pull_request_target":
		base, what := "", ""
		if ev.PullRequest != nil && ev.PullRequest.Base.SHA != "" {
			base, what = ev.PullRequest.Base.SHA, "base commit of the pull request"
		} else if ref := ci.Getenv("GITHUB_BASE_REF"); ref != "" {
			base, what = "origin/"+ref, "base branch of the pull request"
		} else {
			return nil, "", fmt.Errorf("--ci: %s event without a base (no pull_request.base.sha, no GITHUB_BASE_REF)", name)
		}
		if name == "pull_request_target" {
			return ci.prTarget(ctx, g, &ev, base, what)
		}
		return ci.since(ctx, g, base, "GitHub Actions "+name+": commits in "+base+"..HEAD ("+what+")")
	case "merge_group":
		if ev.MergeGroup == nil || ev.MergeGroup.BaseSHA == "" {
			return nil, "", fmt.Errorf("--ci: merge_group event without base_sha")
		}
		b := ev.MergeGroup.BaseSHA
		return ci.since(ctx, g, b, "GitHub Actions merge_group: commits in "+b+"..HEAD")
	case "push":
		return ci.githubPush(ctx, g, &ev)
	}
	return nil, "", &HintError{Err: fmt.Errorf("--ci: GitHub Actions event %q has no commit range", name),
		Hint: "run --ci on push and pull_request events; for other events use --since REV or --history"}
}

// githubPush is the range of a push: before..HEAD, or the commits not on
// the default branch for a new branch and for a force push whose before
// commit is gone (it is no longer on any branch, so no clone has it).
func (ci CI) githubPush(ctx context.Context, g Git, ev *ghEvent) (*Range, string, error) {
	what := "GitHub Actions push of a new branch"
	if ev.Before != "" && !isZeroID(ev.Before) {
		_, ok, err := g.resolveCommit(ctx, ev.Before)
		if err != nil {
			return nil, "", err
		}
		if ok || !ev.Forced {
			return ci.since(ctx, g, ev.Before, "GitHub Actions push: commits in "+ev.Before+"..HEAD (the push's before commit)")
		}
		what = "GitHub Actions force push (the before commit " + ev.Before + " is not in the repository)"
	}
	def := ev.Repository.DefaultBranch
	if def == "" {
		return nil, "", fmt.Errorf("--ci: %s, but the event names no default branch", what)
	}
	return ci.newBranch(ctx, g, def, strings.TrimPrefix(cmpRef(ev.Ref, ci.Getenv("GITHUB_REF")), "refs/heads/"), what)
}

// prTarget is the range of a pull_request_target run. Its default checkout
// is the base branch, not the pull request: HEAD would give an empty range.
// The pull request's head commit is scanned instead, when it is in the
// clone.
func (ci CI) prTarget(ctx context.Context, g Git, ev *ghEvent, base, what string) (*Range, string, error) {
	head := ""
	if ev.PullRequest != nil {
		head = ev.PullRequest.Head.SHA
	}
	if head == "" {
		return nil, "", &HintError{Err: errors.New("--ci: pull_request_target event without pull_request.head.sha: the pull request's commits are unknown"),
			Hint: "run --ci with the event payload GitHub writes (GITHUB_EVENT_PATH), or name the range with --since"}
	}
	oid, ok, err := g.resolveCommit(ctx, head)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		pr := "N"
		if ev.PullRequest.Number > 0 {
			pr = strconv.Itoa(ev.PullRequest.Number)
		}
		return nil, "", &HintError{Err: fmt.Errorf("--ci: pull_request_target checks out the base branch, and the pull request's head commit %s is not in the clone: its commits cannot be scanned", head),
			Hint: "check out the head with actions/checkout (ref: ${{ github.event.pull_request.head.sha }}, fetch-depth: 0), or fetch it: git fetch origin pull/" + pr + "/head"}
	}
	r, err := SinceRange(ctx, g, base)
	if err != nil {
		return nil, "", err
	}
	r.Include = oid
	return r, "GitHub Actions pull_request_target: commits in " + base + ".." + head + " (" + what + " to the pull request's head commit)", nil
}

func cmpRef(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (ci CI) gitlab(ctx context.Context, g Git) (*Range, string, error) {
	if b := ci.Getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA"); b != "" {
		return ci.since(ctx, g, b, "GitLab CI merge request: commits in "+b+"..HEAD (CI_MERGE_REQUEST_DIFF_BASE_SHA)")
	}
	if b := ci.Getenv("CI_COMMIT_BEFORE_SHA"); b != "" && !isZeroID(b) {
		return ci.since(ctx, g, b, "GitLab CI push: commits in "+b+"..HEAD (CI_COMMIT_BEFORE_SHA)")
	}
	def := ci.Getenv("CI_DEFAULT_BRANCH")
	if def == "" {
		return nil, "", fmt.Errorf("--ci: GitLab CI pipeline with no before commit and no CI_DEFAULT_BRANCH")
	}
	return ci.newBranch(ctx, g, def, ci.Getenv("CI_COMMIT_BRANCH"), "GitLab CI pipeline of a new branch")
}

func (ci CI) since(ctx context.Context, g Git, base, desc string) (*Range, string, error) {
	r, err := SinceRange(ctx, g, base)
	if err != nil {
		return nil, "", err
	}
	return r, desc, nil
}

// newBranch is the range of a branch pushed for the first time: what is not
// on the default branch yet, or everything when it is the default branch.
func (ci CI) newBranch(ctx context.Context, g Git, def, branch, what string) (*Range, string, error) {
	if branch == def {
		shallow, err := g.isShallow(ctx)
		if err != nil {
			return nil, "", err
		}
		if shallow {
			return nil, "", &HintError{Err: fmt.Errorf("--ci: %s (the default branch %s) needs every commit of HEAD, and this clone is shallow", what, def), Hint: fetchHint}
		}
		return &Range{Git: g}, what + " (the default branch " + def + "): every commit of HEAD", nil
	}
	ref := "origin/" + def
	r, err := SinceRange(ctx, g, ref)
	if err != nil {
		return nil, "", err
	}
	return r, what + ": commits not on the default branch (" + ref + "..HEAD)", nil
}

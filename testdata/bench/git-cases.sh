#!/usr/bin/env bash
# Builds each git-mode case that once passed silently and prints the exit
# status of every ghtoken binary given, side by side (0 clean, 1 findings,
# 2 error), then times --since on a 100-commit range with merges next to
# "git log -p" of the same range.
#
# Usage: testdata/bench/git-cases.sh [GHTOKEN_BINARY...]
#        (default: one built from this checkout)
# Tokens are built at run time (testdata/bench/mktoken); repositories go
# under $BENCH_DIR (default: a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/../.."

work=${BENCH_DIR:-$(mktemp -d)}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
unset GITHUB_ACTIONS GITLAB_CI GITHUB_EVENT_NAME GITHUB_EVENT_PATH || true

go build -o "$work/mktoken" ./testdata/bench/mktoken
if [ $# -eq 0 ]; then
  go build -o "$work/ghtoken" ./cmd/ghtoken
  set -- "$work/ghtoken"
fi
bins=("$@")
tok() { "$work/mktoken" ghp "$1"; }

# repo DIR: a fresh repository with a base commit on main.
repo() {
  rm -rf "$1"
  git init -q -b main "$1"
  echo a >"$1/a.txt"
  git -C "$1" add -A
  git -C "$1" commit -qm base
}
commit() { git -C "$1" add -A && git -C "$1" commit -q --no-verify -m "$2"; }

# row CASE DIR [ENV=VALUE...] -- ARGS...: one line, one exit status per binary.
row() {
  local name=$1 dir=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  printf '%-36s' "$name"
  for b in "${bins[@]}"; do
    local code=0
    (cd "$dir" && env "${envs[@]}" "$b" scan "$@" >"$work/out.txt" 2>"$work/err.txt") || code=$?
    local note=""
    if grep -q 'suppression-added' "$work/out.txt" "$work/err.txt"; then note="+notice"; fi
    if grep -q 'missing: ' "$work/err.txt"; then note="+missing"; fi
    printf ' %-10s' "$code$note"
  done
  echo
}

printf '%-36s' "case"
for b in "${bins[@]}"; do printf ' %-10s' "$(basename "$b")"; done
echo

# An evil merge: the merge commit itself adds a token.
d=$work/evil; repo "$d"; base=$(git -C "$d" rev-parse HEAD)
git -C "$d" checkout -q -b side; echo s >"$d/s.txt"; commit "$d" side
git -C "$d" checkout -q main; echo m >"$d/m.txt"; commit "$d" main
git -C "$d" merge -q --no-commit side >/dev/null 2>&1
echo "T=$(tok evil)" >>"$d/a.txt"; commit "$d" merge
row "evil merge --since" "$d" -- --since "$base"

# A shallow clone with the base but not the commits in between.
d=$work/cut; repo "$d"; git -C "$d" update-ref refs/remotes/origin/main HEAD
git -C "$d" checkout -q -b topic; echo "T=$(tok cut)" >"$d/b.txt"; commit "$d" token
echo c >"$d/c.txt"; commit "$d" more
rm -rf "$d-clone"
git clone -q --depth 1 --branch topic "file://$d" "$d-clone"
git -C "$d-clone" fetch -q --depth 1 origin main:refs/remotes/origin/main
row "shallow cut --since" "$d-clone" -- --since origin/main
row "shallow --history" "$d-clone" -- --history

# pull_request_target: the checkout is the base; the head is in the clone.
d=$work/prt; repo "$d"; base=$(git -C "$d" rev-parse HEAD)
git -C "$d" checkout -q -b pr; echo "T=$(tok prt)" >"$d/b.txt"; commit "$d" pr
head=$(git -C "$d" rev-parse HEAD); git -C "$d" checkout -q main
printf '{"pull_request":{"number":1,"base":{"sha":"%s","ref":"main"},"head":{"sha":"%s"}}}' "$base" "$head" >"$work/prt.json"
row "pull_request_target --ci" "$d" GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request_target GITHUB_EVENT_PATH="$work/prt.json" -- --ci

# A force push: the before commit is on no branch any more.
d=$work/force; repo "$d"; git -C "$d" update-ref refs/remotes/origin/main HEAD
git -C "$d" checkout -q -b topic; echo "T=$(tok force)" >"$d/b.txt"; commit "$d" rewritten
printf '{"before":"%s","forced":true,"ref":"refs/heads/topic","repository":{"default_branch":"main"}}' \
  "$(printf '1%.0s' $(seq 40))" >"$work/force.json"
row "force push --ci" "$d" GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$work/force.json" -- --ci

# A partial clone: no blobs, and git here never fetches.
d=$work/partial; repo "$d"; echo "T=$(tok partial)" >"$d/b.txt"; commit "$d" token
git -C "$d" config uploadpack.allowFilter true
rm -rf "$d-clone"; git clone -q --filter=blob:none --no-checkout "file://$d" "$d-clone"
row "partial clone --history" "$d-clone" -- --history

# The range switches its own scan off.
for c in ignore secret-scanning gitleaks; do
  d=$work/sup-$c; repo "$d"; base=$(git -C "$d" rev-parse HEAD)
  case $c in
  ignore) echo '*' >"$d/.ghtokenignore"; echo "T=$(tok "$c")" >"$d/b.txt" ;;
  secret-scanning) mkdir -p "$d/.github"; printf 'paths-ignore:\n  - "**"\n' >"$d/.github/secret_scanning.yml"
    echo "T=$(tok "$c")" >"$d/b.txt" ;;
  gitleaks) echo "T=$(tok "$c") # gitleaks"':allow' >"$d/b.txt" ;;
  esac
  commit "$d" "switch the scan off"
  row "range adds $c --since" "$d" -- --since "$base"
done

# pre-commit run --all-files: nothing staged, a token committed earlier.
d=$work/allfiles; repo "$d"; echo "T=$(tok allfiles)" >"$d/b.txt"; commit "$d" token
# shellcheck disable=SC2046 # one argument per tracked file, as pre-commit passes them
row "--staged, no names" "$d" -- --staged
# shellcheck disable=SC2046
row "--staged FILE... (all)" "$d" -- --staged $(git -C "$d" ls-files)

echo
echo "== --since on a 100-commit range with 20 merges (best of ${BENCH_RUNS:-5})"
d=$work/timing
if [ ! -d "$d/.git" ]; then
  repo "$d"
  for i in $(seq 20); do
    git -C "$d" checkout -q -b "b$i" main
    for j in 1 2 3 4; do seq $((i * 1000 + j)) $((i * 1000 + j + 2000)) >"$d/f$i-$j.txt"; commit "$d" "b$i $j"; done
    git -C "$d" checkout -q main
    seq 1 $((i * 50)) >"$d/main.txt"; git -C "$d" add -A; git -C "$d" commit -qm "main $i"
    git -C "$d" merge -q --no-ff -m "merge $i" "b$i"
  done
fi
base=$(git -C "$d" rev-list --max-parents=0 HEAD)
echo "commits in range: $(git -C "$d" rev-list --count "$base..HEAD"), merges: $(git -C "$d" rev-list --merges --count "$base..HEAD")"
best() {
  local b=999999
  for _ in $(seq "${BENCH_RUNS:-5}"); do
    local s e
    s=$(date +%s.%N); (cd "$d" && "$@" >/dev/null 2>&1) || true; e=$(date +%s.%N)
    b=$(awk -v b="$b" -v t="$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}')" 'BEGIN{print (t<b)?t:b}')
  done
  printf '%-52s %8.3f s\n' "$(basename "$1") ${*:2}" "$b"
}
best git log -p "$base..HEAD"
for b in "${bins[@]}"; do best "$b" scan --since "$base"; done

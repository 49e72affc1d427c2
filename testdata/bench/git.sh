#!/usr/bin/env bash
# Times ghtoken's git modes against git itself, in the same run:
#   --staged  on a 5-file change in a 50,000-file repository (goal: < 50 ms);
#   --history versus "git log -p --all > /dev/null" on a history of a few
#             thousand commits built from real source files (the Go tree);
#   --since   on a 100-commit range of that history.
# Wall time and peak memory come from /usr/bin/time -v. Repositories are
# built under $BENCH_DIR (default: a temporary directory) with git fast-import.
#
# Usage: testdata/bench/git.sh [SOURCE_DIR_FOR_HISTORY]   (default: $(go env GOROOT)/src)
set -euo pipefail
cd "$(dirname "$0")/../.."

src=${1:-$(go env GOROOT)/src}
work=${BENCH_DIR:-$(mktemp -d)}
commits=${BENCH_COMMITS:-3000}
runs=${BENCH_RUNS:-5}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

go build -o "$work/ghtoken" ./cmd/ghtoken
go build -o "$work/genrepo" ./testdata/bench/genrepo
gt=$work/ghtoken

# measure LABEL CMD...: prints wall seconds and peak RSS of the best of $runs.
measure() {
  local label=$1; shift
  local best_wall=999999 best_rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    if awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall=$wall; best_rss=$rss; fi
  done
  printf '%-52s %8.3f s %9d KiB peak RSS\n' "$label" "$best_wall" "$best_rss"
}

# ownpeak CMD...: the peak RSS of the ghtoken process alone (time -v reports
# the largest of it and its git children).
ownpeak() {
  "$@" >/dev/null 2>&1 &
  local pid=$! hwm=0 v
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.02
  done
  wait "$pid" || true
  printf '%-52s %21d KiB peak RSS (ghtoken alone)\n' "  $(basename "$1") $2 $3" "$hwm"
}

echo "== --staged: 5-file change in a 50,000-file repository"
flat=$work/flat
if [ ! -d "$flat/.git" ]; then
  git init -q -b main "$flat"
  "$work/genrepo" -files 50000 | git -C "$flat" fast-import --quiet
  git -C "$flat" checkout -q -f main
fi
git -C "$flat" reset -q --hard
for i in 1 2 3 4 5; do
  f=$(printf '%s/dir%03d/file%05d.txt' "$flat" $((i * 7)) $((i * 7 + 500 * i)))
  echo "added line $i" >>"$f"
  git -C "$flat" add "$f"
done
echo "files: $(git -C "$flat" ls-files | wc -l), staged: $(git -C "$flat" diff --cached --name-only | wc -l)"
(cd "$flat" && measure "git diff --cached (baseline)" git diff --cached --no-ext-diff)
(cd "$flat" && measure "ghtoken scan --staged" "$gt" scan --staged)

echo
echo "== --history versus git log -p --all, history built from $src"
hist=$work/history
if [ ! -d "$hist/.git" ]; then
  git init -q -b main "$hist"
  "$work/genrepo" -from "$src" -commits "$commits" | git -C "$hist" fast-import --quiet
  git -C "$hist" gc -q
fi
echo "commits: $(git -C "$hist" rev-list --all --count), objects: $(git -C "$hist" rev-list --objects --all | wc -l)," \
  "blobs: $(git -C "$hist" rev-list --objects --all --filter=object:type=blob --filter-provided-objects | wc -l)," \
  "pack: $(git -C "$hist" count-objects -vH | awk -F': ' '/size-pack/ {print $2}')," \
  "blob bytes: $(git -C "$hist" rev-list --objects --all --filter=object:type=blob --filter-provided-objects --no-object-names | git -C "$hist" cat-file --batch-check='%(objectsize)' | awk '{s+=$1} END {printf "%.1f MiB", s/1048576}')"
runs=${BENCH_HISTORY_RUNS:-1}
(cd "$hist" && measure "git log -p --all > /dev/null (baseline)" git log -p --all)
(cd "$hist" && measure "ghtoken scan --history" "$gt" scan --history)
(cd "$hist" && ownpeak "$gt" scan --history)

echo
echo "== --since on a 100-commit range"
runs=${BENCH_RUNS:-5}
(cd "$hist" && measure "git log -p HEAD~100..HEAD > /dev/null (baseline)" git log -p HEAD~100..HEAD)
(cd "$hist" && measure "ghtoken scan --since HEAD~100" "$gt" scan --since HEAD~100)

#!/usr/bin/env bash
# Prints ghtoken's time next to its baseline's, measured in the same run, for
# each row of the performance table (README "Performance"):
#
#   tree       ghtoken scan --no-ignore TREE...   vs rg -uu -c and rg -uuu -c with
#              the bare token regex (ripgrep reads binary files only with -uuu;
#              ghtoken always does); vs rg -uuu -z -c, which also reads inside
#              compressed files (gzip, bzip2, xz, zstd... through their own
#              command-line tools; not zip or tar members), the like-for-like
#              baseline for ghtoken's default; and with --no-archives against
#              rg -uuu -c (neither decompresses)
#   staged     ghtoken scan --staged              vs git diff --cached, 5 files
#              changed in a generated 50,000-file repository
#   startup    ghtoken version                    vs a hello-world Go binary built
#              the same way (go build, same toolchain); and vs a hello-world that
#              imports every package ghtoken's packages import (the floor that
#              linking them sets: their initialisation and a binary of that size)
#   history    ghtoken scan --history             vs git log -p --all, on a history
#              generated from the Go tree's files ($COMPARE_COMMITS commits), or
#              on the repository $HISTORY_REPO when set; again with --no-archives
#              (the Go tree's bzip2 file is most of the difference), and that
#              against git alone reading every distinct blob once (rev-list of
#              the blobs piped into one cat-file --batch: what --history cannot
#              do without)
#
# For each: both times (hyperfine's median when hyperfine is installed, else the
# best of N runs), both CPU times (user+system), their ratio, and the peak RSS
# of each command (/usr/bin/time -v; for git modes it includes git's own
# processes, the largest of them). All TREE arguments are scanned together, as
# one tree. Everything built goes under a temporary directory.
#
# Usage: testdata/bench/compare.sh TREE...
#   COMPARE_ROWS     rows to run (default "tree staged startup history")
#   COMPARE_RUNS     timed runs per command (default 10; history 3)
#   COMPARE_COMMITS  commits of the generated history (default 2500)
#   HISTORY_REPO     a repository to time --history on instead
#   GHTOKEN_BIN      the binary to measure (default: built from this checkout)
#   COMPARE_HYPERFINE=0  time with the best of N runs even when hyperfine is there
# Needs: go, git, ripgrep, /usr/bin/time; hyperfine when available.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -eq 0 ]; then
  echo "usage: testdata/bench/compare.sh TREE..." >&2
  exit 2
fi
trees=("$@")
for t in "${trees[@]}"; do
  [ -d "$t" ] || { echo "compare.sh: $t is not a directory" >&2; exit 2; }
done
for tool in go git rg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare.sh: needs $tool" >&2; exit 2; }
done
rows=${COMPARE_ROWS:-tree staged startup history}
runs=${COMPARE_RUNS:-10}
commits=${COMPARE_COMMITS:-2500}
hyperfine=$(command -v hyperfine || true)
[ "${COMPARE_HYPERFINE:-1}" != 0 ] || hyperfine=""
regex='gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82}'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
unset GITHUB_ACTIONS GITLAB_CI GITHUB_EVENT_NAME GITHUB_EVENT_PATH || true

bin=${GHTOKEN_BIN:-$work/ghtoken}
[ -n "${GHTOKEN_BIN:-}" ] || go build -o "$bin" ./cmd/ghtoken
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# timeit NAME RUNS CMD...: the command's median wall time and mean CPU time
# in seconds, into $work/NAME.t ("wall cpu"). Exit statuses are ignored
# (ghtoken exits 1 on findings, rg -c 1 on no match).
timeit() {
  local name=$1 n=$2; shift 2
  if [ -n "$hyperfine" ]; then
    local q
    q=$(printf '%q ' "$@")
    "$hyperfine" -N -i --style none --warmup 1 --runs "$n" --export-csv "$work/$name.csv" "$q" >/dev/null 2>&1
    # command,mean,stddev,median,user,system,min,max: counted from the end,
    # as the command may hold commas.
    awk -F, 'NR == 2 { printf "%s %s\n", $(NF - 4), $(NF - 3) + $(NF - 2) }' "$work/$name.csv" >"$work/$name.t"
  else
    local best=""
    for _ in $(seq "$n"); do
      /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>&1 || true
      read -r w u s <"$work/time"
      if [ -z "$best" ] || awk -v w="$w" -v b="${best%% *}" 'BEGIN { exit !(w < b) }'; then
        best="$w $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"
      fi
    done
    echo "$best" >"$work/$name.t"
  fi
}

# peak NAME CMD...: peak RSS in KiB into $work/NAME.rss.
peak() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/time" "$@" >/dev/null 2>&1 || true
  awk '/Maximum resident set size/ { print $NF }' "$work/time" >"$work/$name.rss"
}

# row LABEL BASELINE GHTOKEN_NAME BASE_NAME GOAL: one table row.
row() {
  local label=$1 baseline=$2 g=$3 b=$4 goal=$5
  local gw gc bw bc
  read -r gw gc <"$work/$g.t"
  read -r bw bc <"$work/$b.t"
  awk -v l="$label" -v base="$baseline" -v gw="$gw" -v gc="$gc" -v bw="$bw" -v bc="$bc" -v goal="$goal" \
    -v gr="$(cat "$work/$g.rss")" -v br="$(cat "$work/$b.rss")" '
    # ms: seconds as milliseconds, with a decimal below 10 ms (start-up).
    function ms(s) { return sprintf(s < 0.01 && s > -0.01 ? "%.1f" : "%.0f", s * 1000) }
    BEGIN {
      d = gw - bw
      printf "| %s | %s | %s ms (cpu %s) | %s ms (cpu %s) | %.2f× (%s%s ms) | %s | %.1f MiB | %.1f MiB |\n",
        l, base, ms(gw), ms(gc), ms(bw), ms(bc), (bw > 0 ? gw / bw : 0), (d >= 0 ? "+" : ""), ms(d), goal, gr / 1024, br / 1024 }'
}

"$bin" version >"$work/version" 2>&1 || true
rg --version >"$work/rg-version" 2>&1 || true
echo "$(head -1 "$work/version"); $(go version | cut -d' ' -f3); $(head -1 "$work/rg-version");" \
  "$(git --version); $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "times: $([ -n "$hyperfine" ] && echo "hyperfine median of $runs runs" || echo "best of $runs runs");" \
  "cpu = user+system; ratio = ghtoken / baseline wall time"
echo
echo "| work | baseline | ghtoken time | baseline time | ratio (difference) | goal | ghtoken peak RSS | baseline peak RSS |"
echo "|---|---|---|---|---|---|---|---|"

for r in $rows; do
  case $r in
  tree)
    files=$(find "${trees[@]}" -type f | wc -l)
    size=$(du -scm "${trees[@]}" | tail -1 | cut -f1)
    find "${trees[@]}" -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
    timeit gt "$runs" "$bin" scan --no-ignore "${trees[@]}"
    timeit rg "$runs" rg -uu -c "$regex" "${trees[@]}"
    timeit rg3 "$runs" rg -uuu -c "$regex" "${trees[@]}"
    timeit rgz "$runs" rg -uuu -z -c "$regex" "${trees[@]}"
    timeit gtplain "$runs" "$bin" scan --no-ignore --no-archives "${trees[@]}"
    peak gt "$bin" scan --no-ignore "${trees[@]}"
    peak gtplain "$bin" scan --no-ignore --no-archives "${trees[@]}"
    peak rg rg -uu -c "$regex" "${trees[@]}"
    peak rg3 rg -uuu -c "$regex" "${trees[@]}"
    peak rgz rg -uuu -z -c "$regex" "${trees[@]}"
    row "tree: $files files, $size MiB" 'rg -uu -c' gt rg '≤ 1.0×, ≤ 64 MiB'
    row "tree: $files files, $size MiB" 'rg -uuu -c' gt rg3 '≤ 1.0×'
    row "tree: $files files, $size MiB" 'rg -uuu -z -c' gt rgz '≤ 1.0×'
    row "tree, --no-archives" 'rg -uuu -c' gtplain rg3 '≤ 1.0×'
    ;;
  staged)
    repo=$work/flat
    go build -o "$work/genrepo" ./testdata/bench/genrepo
    git init -q -b main "$repo"
    "$work/genrepo" -files 50000 | git -C "$repo" fast-import --quiet
    git -C "$repo" checkout -q -f main
    for i in 1 2 3 4 5; do
      f=$(printf '%s/dir%03d/file%05d.txt' "$repo" $((i * 7)) $((i * 7 + 500 * i)))
      echo "added line $i" >>"$f"
      git -C "$repo" add "$f"
    done
    git -C "$repo" status --porcelain >/dev/null # refresh the index once, as a hook's git would have
    (
      cd "$repo"
      timeit gt "$runs" "$bin" scan --staged
      timeit git "$runs" git diff --cached --no-ext-diff
      peak gt "$bin" scan --staged
      peak git git diff --cached --no-ext-diff
    )
    row "--staged, 5 files changed of $(git -C "$repo" ls-files | wc -l)" 'git diff --cached' gt git '≤ git + 10 ms'
    ;;
  startup)
    mkdir -p "$work/hello"
    printf 'module hello\n\ngo 1.21\n' >"$work/hello/go.mod"
    printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n' >"$work/hello/main.go"
    (cd "$work/hello" && go build -o "$work/hello-bin" .)
    # The floor set by what ghtoken links: a hello-world that imports
    # every package ghtoken's own packages import (their init runs, and the
    # kernel maps a binary of similar size). Built inside this module, so
    # that the same dependency versions are used, through an overlay: no
    # file is written into the checkout.
    {
      echo 'package main'
      echo 'import ('
      echo '	"fmt"'
      go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./cmd/ghtoken | grep '^github.com/ghtoken/ghtoken' |
        xargs go list -f '{{join .Imports "\n"}}' | grep -v -e '^github.com/ghtoken/ghtoken' -e '^fmt$' | sort -u |
        sed 's/.*/	_ "&"/'
      echo ')'
      echo 'func main() { fmt.Println("hello, world") }'
    } >"$work/deps.go"
    printf '{"Replace":{"%s/testdata/bench/depsfloor/main.go":"%s"}}' "$PWD" "$work/deps.go" >"$work/overlay.json"
    go build -overlay "$work/overlay.json" -o "$work/deps-bin" ./testdata/bench/depsfloor
    timeit gt $((runs * 5)) "$bin" version
    timeit hello $((runs * 5)) "$work/hello-bin"
    timeit deps $((runs * 5)) "$work/deps-bin"
    peak gt "$bin" version
    peak hello "$work/hello-bin"
    peak deps "$work/deps-bin"
    row 'start-up: ghtoken version' 'hello-world Go binary' gt hello '≤ 1.3×'
    row 'start-up: ghtoken version' "hello-world importing ghtoken's dependencies" gt deps '—'
    ;;
  history)
    hist=${HISTORY_REPO:-}
    if [ -z "$hist" ]; then
      hist=$work/history
      go build -o "$work/genrepo" ./testdata/bench/genrepo
      git init -q -b main "$hist"
      "$work/genrepo" -from "$(go env GOROOT)/src" -commits "$commits" | git -C "$hist" fast-import --quiet
      git -C "$hist" gc -q
    fi
    hruns=$((runs < 3 ? runs : 3))
    (
      cd "$hist"
      blobs='git rev-list --objects --all --filter=object:type=blob --filter-provided-objects --no-object-names | git cat-file --batch'
      timeit gt "$hruns" "$bin" scan --history
      timeit git "$hruns" git log -p --all
      timeit gtplain "$hruns" "$bin" scan --history --no-archives
      timeit blobs "$hruns" sh -c "$blobs >/dev/null"
      peak gt "$bin" scan --history
      peak git git log -p --all
      peak gtplain "$bin" scan --history --no-archives
      peak blobs sh -c "$blobs >/dev/null"
    )
    n=$(git -C "$hist" rev-list --all --count)
    row "--history, $n commits" 'git log -p --all' gt git '≤ 0.5×'
    row "--history --no-archives, $n commits" 'git log -p --all' gtplain git '≤ 0.5×'
    row "--history --no-archives, $n commits" 'git cat-file of every blob' gtplain blobs '—'
    ;;
  *)
    echo "compare.sh: unknown row $r (tree, staged, startup, history)" >&2
    exit 2
    ;;
  esac
done

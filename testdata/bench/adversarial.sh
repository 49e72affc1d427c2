#!/usr/bin/env bash
# Runs the real ghtoken binary on generated worst cases, one file each: each
# detector's most expensive input (testdata/bench/genworst) and the inputs
# whose matches cost memory, next to cat of the same file and next to
# ordinary Go source of the same size. Prints, per case, the exit status,
# wall and CPU time, the time ratio to cat and to the source case, and the
# peak RSS (/usr/bin/time -v).
#
# Usage: testdata/bench/adversarial.sh [CASE...]     (default: every case)
#   ADV_SIZE_MIB  file size per case (default 64)
#   ADV_TIMEOUT   seconds before a run is stopped (default 600; exit 124)
#   GHTOKEN_BIN   the binary to measure (default: built from this checkout)
#   ADV_FORMAT    report format (default json)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v /usr/bin/time >/dev/null || { echo "adversarial.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
size=${ADV_SIZE_MIB:-64}
limit=${ADV_TIMEOUT:-600}
format=${ADV_FORMAT:-json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${GHTOKEN_BIN:-$work/ghtoken}
[ -n "${GHTOKEN_BIN:-}" ] || go build -o "$bin" ./cmd/ghtoken
go build -o "$work/genworst" ./testdata/bench/genworst
if [ $# -gt 0 ]; then cases=("$@"); else mapfile -t cases < <("$work/genworst" -list); cases+=(lookalikes+show); fi

# measure OUT CMD...: run CMD with a time limit; OUT gets "exit wall cpu rss_kib".
measure() {
  local out=$1; shift
  local code=0
  /usr/bin/time -v -o "$work/time" timeout "$limit" "$@" >/dev/null 2>"$work/err" || code=$?
  awk -v code="$code" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/   { cpu += $NF }
    /System time/ { cpu += $NF }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%s %.2f %.2f %d\n", code, wall, cpu, rss }' "$work/time" >"$out"
}

# The yardstick: ordinary source of the same size.
"$work/genworst" -case source -size-mib "$size" -o "$work/source"
measure "$work/m.source" "$bin" scan --format "$format" --max-file-size 0 "$work/source"
read -r _ src_wall _ _ <"$work/m.source"

echo "ghtoken: $("$bin" version 2>/dev/null | head -1); $size MiB per case; --format $format; timeout ${limit}s"
echo
echo "| case | exit | wall s | cpu s | cat s | × cat | × source | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|"
for c in "${cases[@]}"; do
  extra=()
  name=$c
  case $c in
    lookalikes+show) c=lookalikes; extra=(--show-lookalikes) ;;
  esac
  f=$work/case
  if [ "$c" = source ]; then f=$work/source; else "$work/genworst" -case "$c" -size-mib "$size" -o "$f"; fi
  cat "$f" >/dev/null # warm the page cache for both runs
  measure "$work/m.cat" cat "$f"
  measure "$work/m.run" "$bin" scan --format "$format" --max-file-size 0 "${extra[@]}" "$f"
  read -r _ cat_wall _ _ <"$work/m.cat"
  read -r code wall cpu rss <"$work/m.run"
  awk -v n="$name" -v code="$code" -v wall="$wall" -v cpu="$cpu" -v cw="$cat_wall" -v sw="$src_wall" -v rss="$rss" 'BEGIN {
    cw = (cw < 0.01) ? 0.01 : cw; sw = (sw < 0.01) ? 0.01 : sw
    note = (code == 124) ? " (stopped)" : ""
    printf "| %s | %s%s | %.2f | %.2f | %.2f | %.0f | %.1f | %.0f |\n", n, code, note, wall, cpu, cw, wall / cw, wall / sw, rss / 1024 }'
  [ "$f" = "$work/source" ] || rm -f "$f"
done

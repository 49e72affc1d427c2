#!/usr/bin/env bash
# Time and peak memory of scanning one random binary file (default 64 MiB)
# with a token planted in the middle, against cat reading the same file.
# A binary file is searched for prefixed tokens only (see "What is scanned").
# Usage: testdata/bench/binary.sh [SIZE_MIB] [BASELINE_GHTOKEN]
#   BASELINE_GHTOKEN: another ghtoken binary to time on the same file.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
size=${1:-64}
base=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ghtoken" ./cmd/ghtoken
tok=$(go run ./testdata/bench/mktoken ghp binary)
half=$((size * 512))
{ head -c "${half}K" /dev/urandom; printf '\0%s\0' "$tok"; head -c "${half}K" /dev/urandom; } >"$work/random.bin"
ls -l "$work/random.bin"
cat "$work/random.bin" >/dev/null # warm the page cache
run() {
  local name=$1; shift
  local code=0
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>/dev/null || code=$?
  read -r secs kib < <(tail -n 1 "$work/time")
  printf '| %s | %s | %s s | %s MiB |\n' "$name" "$code" "$secs" "$((kib / 1024))"
}
echo "| command | exit | wall | peak RSS |"
echo "| --- | --- | --- | --- |"
for _ in 1 2 3; do
  run cat cat "$work/random.bin"
  run ghtoken "$work/ghtoken" scan "$work/random.bin"
  if [ -n "$base" ]; then run baseline "$base" scan "$work/random.bin"; fi
done

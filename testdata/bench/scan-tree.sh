#!/usr/bin/env bash
# Times ghtoken on a source tree against two baselines in the same run:
# reading every file with cat (the read floor) and ripgrep searching for the
# bare token regex. Usage: testdata/bench/scan-tree.sh [DIR] (default: GOROOT/src).
# Needs: go, hyperfine, ripgrep, GNU time (apt-get install hyperfine ripgrep time).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-$(go env GOROOT)/src}
bin=$(mktemp -d)/ghtoken
go build -o "$bin" ./cmd/ghtoken
echo "tree: $dir ($(find "$dir" -type f | wc -l) files, $(du -sh "$dir" | cut -f1))"
# Warm the page cache so every command reads from memory.
find "$dir" -type f -print0 | xargs -0 cat > /dev/null
hyperfine --warmup 2 --runs 10 -N --ignore-failure \
  --command-name cat "bash -c 'find $dir -type f -print0 | xargs -0 -P2 cat > /dev/null'" \
  --command-name ripgrep "rg -uuu -c 'gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82}' $dir" \
  --command-name ghtoken "$bin --no-ignore $dir"
echo "peak memory (ghtoken --no-ignore):"
/usr/bin/time -v "$bin" --no-ignore "$dir" 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed|Percent of CPU'

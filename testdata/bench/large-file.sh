#!/usr/bin/env bash
# Peak memory and time scanning one large generated file (default 1 GiB) with
# tokens spread through it, against cat reading the same file.
# Usage: testdata/bench/large-file.sh [SIZE_MIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ghtoken" ./cmd/ghtoken
go run ./testdata/bench/genfile -size-mib "$size" -o "$work/big.txt"
ls -l "$work/big.txt"
cat "$work/big.txt" > /dev/null
echo "cat:";     /usr/bin/time -f '  %e s, %M KiB peak' cat "$work/big.txt" > /dev/null
echo "ghtoken:"; /usr/bin/time -f '  %e s, %M KiB peak' "$work/ghtoken" --max-file-size 0 --format json "$work/big.txt" \
  | grep -E '"(files_scanned|bytes_scanned|high)": [0-9]' || true

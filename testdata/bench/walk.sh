#!/usr/bin/env bash
# Times the directory walk of the real binary next to the listings it must
# agree with, in the same run, on the same tree (a copy of SOURCE_DIR, default
# the Go tree, with a .gitignore that drops test files and testdata):
#   inside a repository (every file committed):  ghtoken, git ls-files -z
#     --cached --others --exclude-standard (the list the walk asks git for),
#     rg --files;
#   the same tree outside any repository:        ghtoken, rg --files
#     --no-require-git (the same .gitignore rules, matched by ripgrep);
#   --no-ignore:                                 ghtoken, rg --files -uu.
# ghtoken also reads and scans every file it lists, so "cat" of git's list is
# printed as the read floor. GHTOKEN=/path/to/binary times another build (for
# a before/after comparison); the default builds this checkout.
# Needs: go, git, hyperfine, ripgrep.
#
# Usage: testdata/bench/walk.sh [SOURCE_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:-$(go env GOROOT)/src}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
bin=${GHTOKEN:-}
if [ -z "$bin" ]; then
  bin=$work/ghtoken
  go build -o "$bin" ./cmd/ghtoken
fi

repo=$work/repo
plain=$work/plain
mkdir -p "$repo" "$plain"
cp -R "$src/." "$repo/"
printf '%s\n' '*_test.go' 'testdata/' '!go/build/testdata/' > "$repo/.gitignore"
cp -R "$repo/." "$plain/"
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" commit -q -m tree
echo "tree: $src -> $(find "$repo" -type f -not -path '*/.git/*' | wc -l) files;" \
  "git lists $(git -C "$repo" ls-files --cached --others --exclude-standard | wc -l)"
# Warm the page cache.
find "$repo" "$plain" -type f -print0 | xargs -0 cat > /dev/null

hyperfine --warmup 2 --runs 10 -N --ignore-failure \
  --command-name "ghtoken (in a repository)" "$bin $repo" \
  --command-name "git ls-files" "git -C $repo ls-files -z --cached --others --exclude-standard" \
  --command-name "rg --files (in a repository)" "rg --files $repo" \
  --command-name "cat of git's list" "bash -c 'cd $repo && git ls-files -z | xargs -0 -P2 cat > /dev/null'" \
  --command-name "ghtoken (outside a repository)" "$bin $plain" \
  --command-name "rg --files --no-require-git" "rg --files --no-require-git $plain" \
  --command-name "ghtoken --no-ignore" "$bin --no-ignore $plain" \
  --command-name "rg --files -uu" "rg --files -uu $plain"

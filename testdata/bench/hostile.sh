#!/usr/bin/env bash
# Runs the real ghtoken binary on hostile inputs too big for go test (a
# 1 GiB file with no newline, 100,000 files in one directory, 10,000 levels
# of nesting, ...) and prints, for each, the exit code, the findings, the
# skip reasons, the wall time and the peak memory (/usr/bin/time -v).
# Usage: testdata/bench/hostile.sh [WORKDIR]   (needs about 2.2 GiB free)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
work=${1:-$(mktemp -d)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
bin=$work/ghtoken
go build -o "$bin" ./cmd/ghtoken
tok=$(go run ./testdata/bench/mktoken ghp hostile)

# case NAME ARGS...: run ghtoken scan --format json ARGS and summarise.
case_() {
  local name=$1; shift
  local code=0
  /usr/bin/time -v -o "$work/time" "$bin" scan --format json "$@" >"$work/out.json" 2>"$work/err" || code=$?
  python3 - "$name" "$code" "$work/out.json" "$work/time" <<'PY'
import json, sys, re
name, code, out, tf = sys.argv[1:]
t = open(tf).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t).group(1)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
try:
    d = json.load(open(out))
    s = d["stats"]
    enc = sorted({f.get("encoding", "") or "plain" for f in d["findings"]})
    skipped = ",".join(f"{k}:{v}" for k, v in sorted(s["skipped"].items())) or "-"
    ok = s["files_seen"] == s["files_scanned"] + sum(s["skipped"].values())
    print(f"| {name} | {code} | {len(d['findings'])} {'/'.join(enc) if enc else ''} | {skipped} | {s['files_seen']}={s['files_scanned']}+{sum(s['skipped'].values())} {'ok' if ok else 'MISMATCH'} | {wall} | {rss/1024:.0f} MiB |")
except Exception as e:
    print(f"| {name} | {code} | (no JSON: {open(out).read()[:60]!r}) | - | - | {wall} | {rss/1024:.0f} MiB |")
PY
}

echo "| case | exit | findings | skipped | seen=scanned+skipped | wall | peak RSS |"
echo "|---|---|---|---|---|---|---|"

# 1 GiB, one line, the token at the very end.
big=$work/big/min.js
mkdir -p "$work/big"
python3 - "$big" "$tok" <<'PY'
import sys
blk = b"var a=1;" * 131072  # 1 MiB
with open(sys.argv[1], "wb") as f:
    for _ in range(1024):
        f.write(blk)
    f.write(b";" + sys.argv[2].encode())
PY
case_ "1 GiB no newline (default --max-file-size)" "$big"
case_ "1 GiB no newline, --max-file-size 0" --max-file-size 0 "$big"
/usr/bin/time -v -o "$work/time" "$bin" scan --format json - <"$big" >"$work/out.json" 2>/dev/null || true
python3 -c "
import json,re;d=json.load(open('$work/out.json'));t=open('$work/time').read()
print('| 1 GiB no newline on stdin |', 1 if d['findings'] else 0, '|', len(d['findings']), '| - | - |', re.search(r'wall clock\) time.*: (\S+)',t).group(1), '|', int(re.search(r'Maximum resident set size \(kbytes\): (\d+)',t).group(1))//1024, 'MiB |')"
rm -rf "$work/big"

# 100,000 files in one directory, one token.
many=$work/many
mkdir -p "$many"
python3 - "$many" "$tok" <<'PY'
import sys, os
d, tok = sys.argv[1:]
for i in range(100000):
    with open(os.path.join(d, f"f{i:06d}.txt"), "w") as f:
        f.write(tok if i == 77777 else "nothing\n")
PY
case_ "100,000 files in one directory" "$many"
rm -rf "$many"

# 10,000 levels of nesting, a token at levels 100 and 9,999.
deep=$work/deep
mkdir -p "$deep"
python3 - "$deep" "$tok" <<'PY'
import sys, os
d, tok = sys.argv[1:]
fd = os.open(d, os.O_RDONLY)
for i in range(10000):
    if i in (100, 9999):
        f = os.open("t.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd); os.write(f, tok.encode()); os.close(f)
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
os.close(fd)
PY
case_ "10,000 levels of nesting" "$deep"
case_ "10,000 levels of nesting, --strict" --strict "$deep"
rm -rf "$deep"

# Awkward entries.
odd=$work/odd
mkdir -p "$odd"
mkfifo "$odd/fifo"
python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.bind('$odd/sock')"
ln -s loop-b "$odd/loop-a"; ln -s loop-a "$odd/loop-b"; ln -s /dev/zero "$odd/zero"; ln -s / "$odd/root"
for n in $'new\nline.txt' $'bad-\xff-utf8.txt' "-leading-dash.txt"; do printf 'x=%s\n' "$tok" >"$odd/$n"; done
case_ "FIFO, socket, symlink loop, links to /dev/zero and /, odd names" "$odd"
# A FIFO named as an argument is waited for until its writer comes: give it
# one, which writes a token and closes.
(sleep 1; printf 'x=%s\n' "$tok" >"$odd/fifo") &
case_ "FIFO as an argument (a writer comes after 1 s)" "$odd/fifo"
wait
case_ "/dev/zero as an argument" /dev/zero
case_ "symlink loop as an argument" "$odd/loop-a"
case_ "file named -leading-dash.txt after --" -- "$odd/-leading-dash.txt"

# A pathological .gitignore: 100,000 deep-wildcard patterns, a 4 MiB line,
# broken patterns; 1,000 files.
ign=$work/ign
mkdir -p "$ign"
python3 - "$ign" "$tok" <<'PY'
import sys, os
d, tok = sys.argv[1:]
with open(os.path.join(d, ".gitignore"), "w") as f:
    f.write("a" * (4 << 20) + "\n")
    for i in range(100000):
        f.write("**/" * 10 + f"*x{i}*y*z*\n")
    f.write("[\n\\\n!\n/\n" + "*?" * 2000 + "\nignored.txt\n")
for i in range(1000):
    open(os.path.join(d, f"f{i}.txt"), "w").write("x\n")
open(os.path.join(d, "ignored.txt"), "w").write(tok)
open(os.path.join(d, "kept.txt"), "w").write(tok)
PY
case_ "pathological .gitignore (100k patterns, 4 MiB line), 1,000 files" "$ign"

# Encodings.
enc=$work/enc
mkdir -p "$enc"
python3 - "$enc" "$tok" <<'PY'
import sys, os, base64
d, tok = sys.argv[1:]
b = lambda s: base64.b64encode(s.encode()).decode()
docker = '{"auths":{"ghcr.io":{"auth":"' + b("u:" + tok) + '"}}}'
open(os.path.join(d, "secret.yaml"), "w").write("kind: Secret\ndata:\n  token: " + b(tok) + "\n  .dockerconfigjson: " + b(docker) + "\n")
open(os.path.join(d, "script.ps1"), "wb").write(("\r\n$t = '" + tok + "'\r\n").encode("utf-16"))
open(os.path.join(d, "mac.txt"), "w", newline="").write("a\rb\rt=" + tok + "\r")
open(os.path.join(d, "url.txt"), "w").write("https://x-access-token:" + tok.replace("_", "%5F") + "@github.com/o/r\n")
PY
case_ "base64, base64>base64, UTF-16, CR-only, %5F" "$enc"

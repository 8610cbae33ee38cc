#!/usr/bin/env bash
# Load benchmark for doppel serve (issue 12): a reference index of N documents (PAN13 sources, then synthetic ones),
# the server started by its own command on a temp data directory, C concurrent clients submitting M checks of
# 5,000 words between them and polling each to completion. Prints errors, lost jobs, throughput, p50/p95
# time-to-result and the server's peak RSS.
#   bench/server/load.sh [N=10000] [C=50] [M=500] [WORKERS=default]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N=${1:-10000}; C=${2:-50}; M=${3:-500}; WORKERS=${4:-}
src="${PAN13_SRC:-$root/../shared/corpora/pan13-train/src}"
port=${PORT:-5391}
tmp="$(mktemp -d /tmp/doppel-load-XXXXXX)"
data="$tmp/data"; mkdir -p "$data" "$tmp/refs"
echo "load: N=$N C=$C M=$M in $tmp; $(uptime)"

# References: up to N PAN13 sources, the rest synthetic.
npan=$(ls "$src" | wc -l); (( npan > N )) && npan=$N
ls "$src" | head -n "$npan" | sed "s|^|$src/|" | xargs cp -t "$tmp/refs"
(( N > npan )) && python3 "$root/bench/server/gen.py" refs "$src" "$tmp/refs/synthetic" $((N - npan))
python3 "$root/bench/server/gen.py" subs "$src" "$tmp/subs" "$M"
t0=$(date +%s.%N)
"$root/doppel" index add --index "$data/index" "$tmp/refs" -q >/dev/null
echo "load: indexed $N documents in $(echo "$(date +%s.%N) - $t0" | bc) s"

export DOPPEL_ADMIN_PASSWORD="load-bench-password"
args=(serve --data "$data" --urls "http://127.0.0.1:$port")
[[ -n "$WORKERS" ]] && args+=(--workers "$WORKERS")
"$root/doppel" "${args[@]}" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
until curl -sf "$base/health" >/dev/null; do sleep 0.5; kill -0 $server || { cat "$tmp/server.log"; exit 1; }; done
# ./doppel execs dotnet, so $server is the server process itself.
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$DOPPEL_ADMIN_PASSWORD\"}" "$base/api/v1/tokens" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export base token

# One check: submit, poll every 0.5 s until finished; prints "file status seconds id".
check() {
  local f=$1 t0 id status body
  t0=$(date +%s.%N)
  body=$(curl -s -H "Authorization: Bearer $token" -F "file=@$f" "$base/api/v1/checks") || { echo "$f submit-error 0 -"; return; }
  id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$body")
  [[ -z "$id" ]] && { echo "$f submit-error 0 - $body" | tr '\n' ' '; echo; return; }
  while :; do
    status=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/checks/$id" | head -c 400 | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
    case "$status" in done|failed|cancelled) break;; esac
    if (( $(echo "$(date +%s.%N) - $t0 > 3600" | bc) )); then status=lost; break; fi
    sleep 0.5
  done
  echo "$f $status $(echo "$(date +%s.%N) - $t0" | bc) $id"
}
export -f check

# Samples the server's RSS once a second (VmHWM also gives the peak at the end).
( while kill -0 $server 2>/dev/null; do grep VmRSS /proc/$server/status 2>/dev/null | awk '{print $2}'; sleep 1; done ) >"$tmp/rss.txt" &
sampler=$!
start=$(date +%s.%N)
ls "$tmp/subs"/*.txt | xargs -P "$C" -I{} bash -c 'check {}' >"$tmp/results.txt"
wall=$(echo "$(date +%s.%N) - $start" | bc)
hwm=$(awk '/VmHWM/{print $2}' /proc/$server/status)
kill $sampler 2>/dev/null || true
# Lost: submitted but the server's list does not hold it as finished.
curl -s -H "Authorization: Bearer $token" "$base/api/v1/checks" >"$tmp/list.json"
python3 - "$tmp" "$M" "$wall" "$hwm" <<'PY'
import json, sys
tmp, m, wall, hwm = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rows = [l.split() for l in open(f"{tmp}/results.txt") if l.strip()]
done = sorted(float(r[2]) for r in rows if r[1] == "done")
errors = [r for r in rows if r[1] != "done"]
listed = {j["id"]: j["status"] for j in json.load(open(f"{tmp}/list.json"))}
ids = [r[3] for r in rows if r[3] != "-"]
lost = m - sum(1 for i in ids if listed.get(i) == "done")
pct = lambda p: done[min(len(done) - 1, int(p * len(done)))] if done else float("nan")
print(f"load: {len(rows)} of {m} checks returned, {len(done)} done, {len(errors)} errors, {lost} lost (not done in the server's list)")
print(f"load: wall {wall:.1f} s, throughput {len(done) / wall:.2f} checks/s ({len(done) / wall * 60:.0f}/min)")
print(f"load: time-to-result p50 {pct(0.5):.1f} s, p95 {pct(0.95):.1f} s, max {done[-1] if done else 0:.1f} s")
print(f"load: server peak RSS {hwm / 1024:.0f} MB")
for r in errors[:5]: print("load: error:", " ".join(r))
PY
echo "load: $(uptime)"
kill $server; wait $server 2>/dev/null || true
[[ -n "${KEEP:-}" ]] || rm -rf "$tmp"

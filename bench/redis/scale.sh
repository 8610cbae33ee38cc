#!/usr/bin/env bash
# Issue 13 bar "scale": DOCS synthetic documents (default 100000, bench/corpus's generator) indexed embedded, on a
# 3-master cluster and on a 1-master cluster (each master with one replica). For each: the build (index add: wall,
# client CPU, the Redis servers' CPU), check latency of the same 50 planted queries in one process (p50/p95/max after
# 5 warm-up queries, bench/corpus latency), one `doppel check` of the 50 (wall), the detections of both compared with
# the embedded index's, used_memory per master and per document, and the keys each master holds. `uptime` is printed
# around every timing: on a shared machine the load says how much the figures are worth.
# Usage: bench/redis/scale.sh [DOCS] [PORT_BASE]   (default 100000 7600; the 1-master cluster uses PORT_BASE+10)
# MASTERS (default "3 1"): the clusters to run, in that order.
# WORK (default /tmp/doppel-redis-bench) holds the corpus, the indexes and the clusters; all but the corpus and the
# outputs are removed at the end, the corpus too unless KEEP_CORPUS=1. Memory: about 10 KB per document on the
# masters at 100k (26 KB at 2,000, where the 2^18 posting buckets cost most) and as much on the replicas: 100k
# documents take about 2 GB for the cluster under test, plus 0.8 GB of corpus and 0.7 GB of embedded index on disk.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pan="${DOPPEL_SHARED:-$root/../shared}/corpora/pan13-train"
n=${1:-100000} base=${2:-7600}
work="${WORK:-/tmp/doppel-redis-bench}/scale"
doppel="$root/doppel" cluster="$root/scripts/redis-cluster.sh"
out="$work/out$n"
mkdir -p "$work" "$out"
dotnet build "$root/bench/corpus/Doppel.CorpusBench" -c Release -nologo -v quiet
bench=(dotnet "$root/bench/corpus/Doppel.CorpusBench/bin/Release/net10.0/Doppel.CorpusBench.dll")
"$doppel" --help >/dev/null # build first, outside the timings
syn="$work/syn$n"
[[ -d "$syn/queries" ]] || "${bench[@]}" generate "$pan/src" "$syn" "$n" 1
mapfile -t queries < <(cut -f1 "$syn/queries/truth.tsv" | LC_ALL=C sort | head -50 | sed "s|^|$syn/queries/|")
cleanup() {
  "$cluster" stop "$work/c3" || true
  "$cluster" stop "$work/c1" || true
  rm -rf "$work/c3" "$work/c1" "$work/embedded"
  [[ "${KEEP_CORPUS:-0}" == 1 ]] || rm -rf "$syn"
}
trap cleanup EXIT

load() { echo "load: $(uptime | sed 's/.*load average: //')"; }
# Sum of a numeric INFO field over the ports given.
info_sum() { local field=$1 section=$2 t=0 p v; shift 2; for p in "$@"; do
  v=$(redis-cli -p "$p" info "$section" | grep "^$field:" | cut -d: -f2 | tr -d '\r'); t=$(echo "$t + $v" | bc); done; echo "$t"; }
server_cpu() { echo "$(info_sum used_cpu_user cpu "$@") + $(info_sum used_cpu_sys cpu "$@")" | bc; }
# A check's JSON reduced to what it detected: document, source, offsets (no timings or locations).
detections() { python3 -c '
import json, sys
reports = json.load(open(sys.argv[1]))
for r in reports if isinstance(reports, list) else [reports]:
    for s in r["sources"]:
        for p in s["passages"]:
            print(r["suspicious"]["name"], s["name"], p["suspicious"]["start"], p["suspicious"]["length"],
                  p["source"]["start"], p["source"]["length"], p["score"], p["kind"], sep="\t")
' "$1"; }

run() { # NAME INDEX [PORTS...]
  local name=$1 index=$2; shift 2
  echo "== $name ($n documents)"
  local cpu0=0 cpu1=0
  [[ $# -gt 0 ]] && cpu0=$(server_cpu "$@")
  load
  /usr/bin/time -f "index add: %e s wall, %U s user + %S s sys client CPU, %M KB max RSS" "$doppel" index add "$syn/ref" --index "$index" -q
  [[ $# -gt 0 ]] && { cpu1=$(server_cpu "$@"); echo "redis servers' CPU during the add: $(echo "$cpu1 - $cpu0" | bc) s (masters and replicas)"; }
  load
  /usr/bin/time -f "latency run: %e s wall, %M KB max RSS" "${bench[@]}" latency "$index" "$syn/queries" 50 50 "$out/$name.latency.tsv"
  load
  /usr/bin/time -f "one check of the 50 queries: %e s wall, %U s user, %M KB max RSS" "$doppel" check "${queries[@]}" --index "$index" --format json -o "$out/$name.json" -q || echo "check exit $?"
  load
  detections "$out/$name.json" > "$out/$name.check.tsv"
  echo "detections: $(wc -l < "$out/$name.latency.tsv") passages (latency run), $(wc -l < "$out/$name.check.tsv") (check)"
  if [[ $name != embedded ]]; then
    cmp -s "$out/embedded.latency.tsv" "$out/$name.latency.tsv" && echo "latency-run detections: identical to the embedded index's" || echo "latency-run detections: DIFFER from the embedded index's"
    cmp -s "$out/embedded.check.tsv" "$out/$name.check.tsv" && echo "check detections: identical to the embedded index's" || echo "check detections: DIFFER from the embedded index's"
  fi
}

rm -rf "$work/embedded"
run embedded "$work/embedded"
echo "embedded index: $(du -sb "$work/embedded" | cut -f1) bytes on disk, $(( $(du -sb "$work/embedded" | cut -f1) / n )) per document"
rm -rf "$work/embedded"
for masters in ${MASTERS:-3 1}; do # MASTERS="1 3": the other order, to see what the time of the run does
  c="$work/c$masters"
  rm -rf "$c"
  addr=$("$cluster" start "$c" $((base + (masters == 1 ? 10 : 0))) "$masters")
  mapfile -t ms < <("$cluster" masters "$c")
  declare -A before=()
  for p in "${ms[@]}"; do before[$p]=$(info_sum used_memory memory "$p"); done
  run "cluster-$masters-masters" "$addr/scale" $(cat "$c/ports")
  total=0 keys=0
  for p in "${ms[@]}"; do keys=$((keys + $(redis-cli -p "$p" dbsize))); done
  for p in "${ms[@]}"; do
    used=$(( $(info_sum used_memory memory "$p") - before[$p] ))
    total=$((total + used))
    k=$(redis-cli -p "$p" dbsize)
    printf 'master %s: used_memory +%d bytes (%.1f MB), %d keys (%.2f%%)\n' "$p" "$used" "$(echo "$used / 1048576" | bc -l)" "$k" "$(echo "100 * $k / $keys" | bc -l)"
  done
  echo "memory: $total bytes over the masters, $((total / n)) bytes per document (replicas hold as much again)"
  "$cluster" stop "$c"
  rm -rf "$c"
  unset before
done
left=$(pgrep -f "redis-server 127.0.0.1:($base|$((base + 1))|$((base + 2))|$((base + 3))|$((base + 4))|$((base + 5))|$((base + 10))|$((base + 11)))" || true)
[[ -z "$left" ]] && echo "no redis-server of this run left" || echo "redis-server processes still running: $left"

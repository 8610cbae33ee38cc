#!/usr/bin/env bash
# Issue 13 bar "scale": DOCS synthetic documents (default 100000, bench/corpus's generator) indexed embedded, on a
# 3-master cluster and on a 1-master cluster: build time, check latency (50 planted queries in one check), memory
# per document (used_memory of the masters), and the keys each master holds.
# Usage: bench/redis/scale.sh [DOCS] [PORT_BASE]   (default 100000 7600; the 1-master cluster uses PORT_BASE+10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pan="${DOPPEL_SHARED:-$root/../shared}/corpora/pan13-train"
n=${1:-100000} base=${2:-7600}
work="${WORK:-/tmp/doppel-redis-bench}/scale"
doppel="$root/doppel" cluster="$root/scripts/redis-cluster.sh"
mkdir -p "$work"
dotnet build "$root/bench/corpus/Doppel.CorpusBench" -c Release -nologo -v quiet
syn="$work/syn$n"
[[ -d "$syn" ]] || dotnet "$root/bench/corpus/Doppel.CorpusBench/bin/Release/net10.0/Doppel.CorpusBench.dll" generate "$pan/src" "$syn" "$n" 1
queries=$(ls "$syn"/queries/*.txt | sort | head -50)
trap '"$cluster" stop "$work/c3"; "$cluster" stop "$work/c1"' EXIT
used() { local t=0 p; for p in $("$cluster" masters "$1"); do t=$((t + $(redis-cli -p "$p" info memory | grep '^used_memory:' | cut -d: -f2 | tr -d '\r'))); done; echo $t; }
run() { # NAME INDEX
  echo "== $1"
  uptime
  /usr/bin/time -f "index add: %e s wall, %U s user, %M KB max RSS" "$doppel" index add "$syn/ref" --index "$2" -q
  /usr/bin/time -f "check of 50 queries: %e s wall, %M KB max RSS" "$doppel" check $queries --index "$2" --format json -o "$work/$1.json" -q || true
}
rm -rf "$work/embedded"
run embedded "$work/embedded"
du -sb "$work/embedded"
for masters in 3 1; do
  c="$work/c$masters"
  rm -rf "$c"
  addr=$("$cluster" start "$c" $((base + (masters == 1 ? 10 : 0))) "$masters")
  before=$(used "$c")
  run "cluster-$masters-masters" "$addr/scale"
  after=$(used "$c")
  echo "memory: $((after - before)) bytes over the masters, $(( (after - before) / n )) bytes per document (replicas hold as much again)"
  for p in $("$cluster" masters "$c"); do echo "master $p: $(redis-cli -p "$p" dbsize) keys"; done
  "$cluster" stop "$c"
done

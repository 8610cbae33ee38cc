#!/usr/bin/env bash
# Issue 13 bar "same results": pan13-train sources indexed embedded and on a local Redis Cluster, every suspicious
# document checked against each with --format pan, both evaluated; prints both plagdet lines and whether the
# detections are byte-identical. Usage: bench/redis/same-results.sh [PORT_BASE]   (default 7400)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pan="${DOPPEL_SHARED:-$root/../shared}/corpora/pan13-train"
work="${WORK:-/tmp/doppel-redis-bench}/same"
base=${1:-7400}
doppel="$root/doppel"
rm -rf "$work"; mkdir -p "$work"
trap '"$root/scripts/redis-cluster.sh" stop "$work/cluster"' EXIT
addr=$("$root/scripts/redis-cluster.sh" start "$work/cluster" "$base")
uptime
for backend in embedded redis; do
  if [[ $backend == embedded ]]; then index="$work/embedded-index"; else index="$addr/pan13"; fi
  echo "== $backend ($index)"
  /usr/bin/time -f "index add: %e s wall, %M KB max RSS" "$doppel" index add "$pan/src" --index "$index" -q
  /usr/bin/time -f "check: %e s wall, %M KB max RSS" "$doppel" check "$pan"/susp/*.txt --index "$index" --format pan -o "$work/$backend-det" -q
  "$doppel" eval "$pan" "$work/$backend-det" | tee "$work/$backend-eval.txt"
  echo "detections: $(cd "$work/$backend-det" && cat $(ls | sort) | sha256sum | cut -c1-8)"
done
uptime
if diff -r -q "$work/embedded-det" "$work/redis-det" >/dev/null; then echo "detections identical"; else echo "detections differ: $(diff -r -q "$work/embedded-det" "$work/redis-det" | wc -l) files"; fi

#!/usr/bin/env bash
# Corpus-mode benchmark: pan13-train retrieval and end-to-end plagdet, then synthetic scale runs.
# Usage: bench/corpus/run.sh [SIZES...]   (default: 10000 100000; 1000000 needs ~6 GB of disk and about an hour)
# SEMANTIC=on also measures check --semantic on (the first SEMANTIC_QUERIES queries, default 30): with the candidates
# encoded at check, then with the vectors of the candidates aligned stored by 'index add --semantic on' (only those:
# the transformer encodes ~170 sentences/s, so storing all 100k documents' ~4M sentences would take hours).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The corpus: $DOPPEL_SHARED, else ../shared beside the repository, else beside the main checkout of a worktree.
find_corpus() {
  if [[ -n "${DOPPEL_SHARED:-}" ]]; then echo "$DOPPEL_SHARED/corpora/pan13-train"; return; fi
  local c="$root/../shared/corpora/pan13-train"
  if [[ -d "$c" ]]; then echo "$c"; return; fi
  local common
  common=$(cd "$root" && cd "$(git rev-parse --git-common-dir)" && pwd)
  echo "$(dirname "$common")/../shared/corpora/pan13-train"
}
pan="$(find_corpus)"
if [[ ! -d "$pan/src" || ! -d "$pan/susp" ]]; then
  echo "corpus bench: the PAN 2013 training corpus is absent (looked for $pan); set DOPPEL_SHARED." >&2
  exit 2
fi
[[ -x /usr/bin/time ]] || { echo "corpus bench: needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 2; }
work="${WORK:-/tmp/doppel-corpus-bench}"
if [[ $# -gt 0 ]]; then sizes=("$@"); else sizes=(10000 100000); fi
mkdir -p "$work"
dotnet build "$root/bench/corpus/Doppel.CorpusBench" -c Release -nologo -v quiet
bench=(dotnet "$root/bench/corpus/Doppel.CorpusBench/bin/Release/net10.0/Doppel.CorpusBench.dll")
doppel="$root/doppel"

echo "== pan13-train: index the sources, retrieval recall, end to end"
rm -rf "$work/pan13-index" "$work/pan13-detections"
uptime
/usr/bin/time -f "index add: %e s wall, %U s user, %M KB max RSS" "$doppel" index add "$pan/src" --index "$work/pan13-index" -q
"$doppel" index stats --index "$work/pan13-index"
"${bench[@]}" recall "$pan" "$work/pan13-index" 5
/usr/bin/time -f "check: %e s wall, %U s user, %M KB max RSS" "$doppel" check "$pan"/susp/*.txt --index "$work/pan13-index" --format pan -o "$work/pan13-detections" -q
"$doppel" eval "$pan" "$work/pan13-detections"
uptime

for n in "${sizes[@]}"; do
  echo "== synthetic, $n documents"
  [[ -d "$work/syn$n" ]] || "${bench[@]}" generate "$pan/src" "$work/syn$n" "$n" 1
  rm -rf "$work/idx$n"
  uptime
  /usr/bin/time -f "index add: %e s wall, %U s user, %S s sys, %M KB max RSS" "$doppel" index add "$work/syn$n/ref" --index "$work/idx$n" -q
  "$doppel" index stats --index "$work/idx$n"
  du -sb "$work/syn$n/ref"
  "${bench[@]}" latency "$work/idx$n" "$work/syn$n/queries" 50
  uptime
  /usr/bin/time -f "index optimize: %e s wall, %U s user, %S s sys, %M KB max RSS" "$doppel" index optimize --index "$work/idx$n" -q
  "$doppel" index stats --index "$work/idx$n"
  "${bench[@]}" latency "$work/idx$n" "$work/syn$n/queries" 50
  uptime
  if [[ "${SEMANTIC:-off}" == on ]]; then
    q="${SEMANTIC_QUERIES:-30}"
    echo "== synthetic, $n documents, semantic on, $q queries: candidates encoded at check"
    "${bench[@]}" latency "$work/idx$n" "$work/syn$n/queries" 50 --semantic on --queries "$q" --candidates "$work/cand$n.txt"
    uptime
    rm -rf "$work/fill$n"
    while read -r id; do mkdir -p "$work/fill$n/$(dirname "$id")"; cp "$work/syn$n/ref/$id" "$work/fill$n/$id"; done < "$work/cand$n.txt"
    /usr/bin/time -f "index add --semantic on ($(wc -l < "$work/cand$n.txt") candidates): %e s wall, %U s user, %M KB max RSS" \
      "$doppel" index add "$work/fill$n" --index "$work/idx$n" --semantic on -q
    "$doppel" index stats --index "$work/idx$n"
    echo "== synthetic, $n documents, semantic on, $q queries: candidates' vectors from the index"
    "${bench[@]}" latency "$work/idx$n" "$work/syn$n/queries" 50 --semantic on --queries "$q"
    "${bench[@]}" latency "$work/idx$n" "$work/syn$n/queries" 50 --semantic off --queries "$q"
    uptime
  fi
done

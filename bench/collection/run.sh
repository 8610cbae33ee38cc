#!/usr/bin/env bash
# Collection-mode scale benchmark: generate (once) N synthetic essays with planted copying, time
# `doppel cross` over them with /usr/bin/time -v, and score the reported pairs against the planted truth.
#   bench/collection/run.sh 10000            # 10k essays (generated under ${BENCH_DIR:-/tmp}/doppel-cross-10000)
#   SEED=7 WORDS=1000 bench/collection/run.sh 1000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:?usage: run.sh DOCUMENTS}"
seed="${SEED:-20261121}"
words="${WORDS:-1000}"
dir="${BENCH_DIR:-/tmp}/doppel-cross-$n-$seed-$words"
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null
dotnet build "$root/bench/collection/Doppel.CollectionBench" -c Release -nologo -v quiet >/dev/null
bench="dotnet $root/bench/collection/Doppel.CollectionBench/bin/Release/net10.0/collection-bench.dll"
[[ -f "$dir/truth.csv" ]] || $bench generate "$dir" "$n" "$seed" "$words"
"$root/doppel" --help >/dev/null   # build the CLI before timing
echo "commit $(git -C "$root" rev-parse --short HEAD), $n documents, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$root/doppel" cross "$dir/docs" --format csv -o "$dir/pairs.csv" 2> "$dir/time.txt" || true
grep -E '^doppel: [0-9]+ documents|Elapsed \(wall|Maximum resident|Percent of CPU|User time|System time' "$dir/time.txt" | sed 's/^\t//'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
$bench score "$dir/truth.csv" "$dir/pairs.csv"

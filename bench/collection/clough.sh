#!/usr/bin/env bash
# The Clough-Stevenson bar: `doppel cross` over the 100 files, each answer scored by its coverage by its task's
# original; prints per-class mean coverage and the ROC AUCs (cut+light vs non, heavy vs non).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
corpus="${CLOUGH:-$root/../shared/corpora/clough-stevenson}"
[[ -d "$corpus" ]] || corpus="$(git -C "$root" worktree list --porcelain | awk '/^worktree/{print $2; exit}')/../shared/corpora/clough-stevenson"
[[ -d "$corpus/corpus-20090418" ]] || { echo "clough-stevenson corpus not found (set CLOUGH=...)" >&2; exit 3; }
out="$(mktemp -d)"
dotnet build "$root/bench/collection/Doppel.CollectionBench" -c Release -nologo -v quiet >/dev/null
"$root/doppel" cross "$corpus/corpus-20090418" --format csv -o "$out/pairs.csv" -q
dotnet "$root/bench/collection/Doppel.CollectionBench/bin/Release/net10.0/collection-bench.dll" clough "$corpus/file_list_from_corpus-final09.csv" "$out/pairs.csv"
rm -rf "$out"

#!/usr/bin/env bash
# Large single documents (issue 14 item 5): `doppel compare X X` (and a near copy) at 1, 3, 10 and 30 MB, each
# timed with GNU time (wall time, peak RSS).
#
#   bench/large-files.sh                 # sizes 1 3 10 30 (MB), self-compare and near copy
#   SIZES="1 3" bench/large-files.sh     # other sizes
#   NEAR=0 bench/large-files.sh          # self-compare only
#   LIMIT=600 bench/large-files.sh       # seconds before a run is stopped (default 900)
#   DOPPEL_SHARED=/path/to/shared bench/large-files.sh
#
# Inputs are made at run time (never committed) in a temporary folder: distinct PAN 2013 training documents (the
# sources, then the suspicious documents) concatenated in name order until the size is reached, so the text is
# natural and not one block repeated. The near copy drops every 7th line and lowercases every 5th of the rest.
set -euo pipefail

SIZES=${SIZES:-"1 3 10 30"}
NEAR=${NEAR:-1}
LIMIT=${LIMIT:-900}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
cd "$root"

# shellcheck source=pan13-path.sh
source "$here/pan13-path.sh"
corpus=$(find_corpus)
if [[ ! -d "$corpus/src" || ! -d "$corpus/susp" ]]; then
  echo "large-files: the PAN 2013 training corpus is absent (looked for $corpus with src/, susp/)." >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "large-files: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2
  exit 2
fi

"$root/doppel" --help >/dev/null # build now, not inside a timed run
work=$(mktemp -d "${TMPDIR:-/tmp}/doppel-large.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The first MB megabytes (10^6 bytes) of the corpus documents in name order (head stops cat early: no pipefail).
make_input() { # MB OUT
  local bytes=$(($1 * 1000 * 1000))
  (set +o pipefail; find "$corpus/src" "$corpus/susp" -name '*.txt' -print0 | sort -z | xargs -0 cat 2>/dev/null |
    head -c "$bytes" >"$2")
}
make_near() { # IN OUT
  LC_ALL=C awk '{ if (NR % 7 == 0) next; if (NR % 5 == 0) print tolower($0); else print }' "$1" >"$2"
}

to_seconds() { awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$1"; }

run() { # LABEL SUSP SRC
  local t="$work/time.txt" rc load wall rss secs
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  set +e
  /usr/bin/time -v -o "$t" timeout "$LIMIT" "$root/doppel" compare --format json -o "$work/out.json" "$2" "$3" \
    2>"$work/stderr.txt"
  rc=$?
  set -e
  wall=$(sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$t")
  rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$t")
  secs=$(to_seconds "$wall")
  local passages="" coverage=""
  if ((rc == 0)); then
    passages=$(grep -o '"kind"' "$work/out.json" | wc -l)
    coverage=$(grep -m1 -o '"coverage": [0-9.]*' "$work/out.json" | cut -d' ' -f2)
  fi
  if ((rc == 124)); then
    printf '%-14s %8s  did not finish in %d s (peak RSS %d MB so far; load %s)\n' "$1" "$(du -h "$2" | cut -f1)" \
      "$LIMIT" $((rss / 1024)) "$load"
  else
    printf '%-14s %8s  wall %8.2f s  peak RSS %6d MB  exit %d  passages %s  coverage %s  (load %s)\n' "$1" \
      "$(du -h "$2" | cut -f1)" "$secs" $((rss / 1024)) "$rc" "${passages:-?}" "${coverage:-?}" "$load"
    if ((rc != 0 && rc != 124)); then sed 's/^/    /' "$work/stderr.txt" | tail -3; fi
  fi
}

echo "large-files: commit $(git rev-parse --short HEAD), $(nproc) cores, corpus $corpus"
for mb in $SIZES; do
  in="$work/doc-$mb.txt"
  make_input "$mb" "$in"
  run "self ${mb}MB" "$in" "$in"
  if [[ "$NEAR" != 0 ]]; then
    make_near "$in" "$work/near-$mb.txt"
    run "near ${mb}MB" "$work/near-$mb.txt" "$in"
  fi
  rm -f "$work"/doc-"$mb".txt "$work"/near-"$mb".txt
done

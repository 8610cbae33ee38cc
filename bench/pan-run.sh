#!/usr/bin/env bash
# Times the whole `doppel pan` over the PAN 2013 training corpus (5185 pairs) and scores it with `doppel eval`.
#
#   bench/pan-run.sh            # 3 timed runs, median wall time, then the plagdet table
#   RUNS=5 bench/pan-run.sh     # more runs
#   KEEP=1 bench/pan-run.sh     # keep the detection folders (printed at the end)
#   DOPPEL_SHARED=/path/to/shared bench/pan-run.sh   # corpora elsewhere
#   PAN_ARGS="--semantic auto" bench/pan-run.sh      # extra options for `doppel pan`
#
# The corpus is ../shared/corpora/pan13-train relative to the repository root; in a git worktree that has no
# ../shared beside it, the main checkout's ../shared is used. Needs /usr/bin/time (GNU time); installs it with
# apt-get when missing and running as root.
set -euo pipefail

RUNS=${RUNS:-3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
cd "$root"

# --- corpus ---------------------------------------------------------------------------------------------------
# shellcheck source=pan13-path.sh
source "$here/pan13-path.sh"
corpus=$(find_corpus)
if [[ ! -f "$corpus/pairs" || ! -d "$corpus/src" || ! -d "$corpus/susp" ]]; then
  echo "pan-run: the PAN 2013 training corpus is absent (looked for $corpus with pairs, src/, susp/)." >&2
  echo "pan-run: it belongs at ../shared/corpora/pan13-train beside the repository; set DOPPEL_SHARED otherwise." >&2
  exit 2
fi
corpus=$(cd "$corpus" && pwd)

# --- GNU time -------------------------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "pan-run: installing GNU time" >&2
    apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
  else
    echo "pan-run: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2
    exit 2
  fi
fi

# --- build ----------------------------------------------------------------------------------------------------
if [[ -x "$root/doppel" ]]; then
  doppel=("$root/doppel")
  echo "pan-run: using the ./doppel launcher (warming it up so the build is not timed)" >&2
  "${doppel[@]}" --help >/dev/null
else
  echo "pan-run: dotnet build src/Doppel.Cli -c Release" >&2
  dotnet build "$root/src/Doppel.Cli/Doppel.Cli.csproj" -c Release -nologo -v quiet >/dev/null
  bin="$root/src/Doppel.Cli/bin/Release/net10.0"
  if [[ -x "$bin/doppel" ]]; then doppel=("$bin/doppel"); else doppel=(dotnet "$bin/doppel.dll"); fi
fi

commit=$(git rev-parse --short HEAD)
dirty=$(git status --porcelain --untracked-files=no | grep -q . && echo " (+ uncommitted changes)" || true)
echo "pan-run: commit $commit$dirty, corpus $corpus, $RUNS run(s), $(nproc) cores${PAN_ARGS:+, options: $PAN_ARGS}"

# --- timed runs -----------------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/doppel-pan-run.XXXXXX")
walls=()
sums=()
to_seconds() { # GNU time's "h:mm:ss" or "m:ss.ss"
  awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$1"
}
# CPU well under 200% on this 2-core machine means other processes competed for the cores: rerun then.
# user + sys CPU seconds are much less sensitive to such competition than the wall time.
for ((i = 1; i <= RUNS; i++)); do
  out="$work/out$i"
  load=$(cut -d' ' -f1 /proc/loadavg)
  set +e
  /usr/bin/time -v -o "$work/time$i.txt" "${doppel[@]}" pan --quiet ${PAN_ARGS:-} "$corpus/pairs" "$corpus/src" "$corpus/susp" "$out"
  rc=$?
  set -e
  wall=$(sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time$i.txt")
  rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/time$i.txt")
  cpu=$(sed -n 's/^\s*Percent of CPU this job got: //p' "$work/time$i.txt")
  user=$(sed -n 's/^\s*User time (seconds): //p' "$work/time$i.txt")
  sys=$(sed -n 's/^\s*System time (seconds): //p' "$work/time$i.txt")
  secs=$(to_seconds "$wall")
  walls+=("$secs")
  n=$(find "$out" -name '*.xml' | wc -l)
  sums+=("$(cd "$out" && find . -name '*.xml' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)")
  printf 'run %d: wall %.2f s, peak RSS %d MB, CPU %s (user %s s + sys %s s), exit %d, %d XML files (load average before: %s)\n' \
    "$i" "$secs" $((rss / 1024)) "$cpu" "$user" "$sys" "$rc" "$n" "$load"
  if ((rc != 0)); then echo "pan-run: doppel pan exited $rc" >&2; fi
done
median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
fastest=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
printf 'median wall time over %d run(s): %.2f s (fastest %.2f s)\n' "$RUNS" "$median" "$fastest"
if [[ $(printf '%s\n' "${sums[@]}" | sort -u | wc -l) -eq 1 ]]; then
  echo "detections identical across runs (sha256 ${sums[0]})"
else
  echo "WARNING: detections differ between runs: ${sums[*]}"
fi

# --- evaluation -----------------------------------------------------------------------------------------------
echo
echo "doppel eval $corpus $work/out$RUNS"
"${doppel[@]}" eval "$corpus" "$work/out$RUNS"

if [[ -n "${KEEP:-}" ]]; then
  echo "pan-run: detections kept in $work"
else
  rm -rf "$work"
fi

#!/usr/bin/env bash
# Issue 13 bar "failover": TRIALS times (default 10), index add of the 3,230 pan13-train sources into a fresh index
# on a local Redis Cluster while one master is SIGKILLed (after KILL_AFTER seconds, default 5) and brought back as a
# replica once its replica has taken over. Per trial: add's exit code, the documents it named as not added, the
# documents and aliases index stats shows (pan13-train has 15 sources whose text another has), and the documents lost (acknowledged but missing: must be 0).
# Then CHECK_TRIALS times (default 3), the check side: `doppel check --format pan` of the first CHECK_DOCS (default
# 150) pan13-train suspicious documents against a complete index while one master is SIGKILLed (after CHECK_KILL_AFTER
# seconds, default 3): the check must end with exactly the detections of a check without the kill, or exit 7 with a
# one-line message that it can be retried; never another exit code, a stack trace, or different detections.
# Usage: bench/redis/failover.sh [TRIALS] [PORT_BASE]   (default 10 7500)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pan="${DOPPEL_SHARED:-$root/../shared}/corpora/pan13-train"
work="${WORK:-/tmp/doppel-redis-bench}/failover"
trials=${1:-10} base=${2:-7500}
doppel="$root/doppel" cluster="$root/scripts/redis-cluster.sh"
rm -rf "$work"; mkdir -p "$work"
trap '"$cluster" stop "$work/cluster"; rm -rf "$work/cluster" "$work"/check*/' EXIT
addr=$("$cluster" start "$work/cluster" "$base")
total=$(find "$pan/src" -name '*.txt' | wc -l)
"$doppel" --help >/dev/null  # build first
uptime
# SIGKILLs a master (chosen by the seed $1), waits until its replica has taken over, and brings it back as a
# replica; sets victim, and the times killed and promoted.
failover() {
  victim=$("$cluster" masters "$work/cluster" | shuf -n1 --random-source=<(yes "$1"))
  "$cluster" kill "$work/cluster" "$victim"
  killed=$(date +%s.%N)
  for i in $(seq 1 200); do [[ $("$cluster" masters "$work/cluster" | wc -l) -ge 3 ]] && break; sleep 0.2; done
  promoted=$(date +%s.%N)
  "$cluster" revive "$work/cluster" "$victim"
}
lost_total=0
for t in $(seq 1 "$trials"); do
  index="$addr/trial$t"
  start=$(date +%s.%N)
  "$doppel" index add "$pan/src" --index "$index" --batch 200 -q 2>"$work/add$t.err" &
  add=$!
  sleep "${KILL_AFTER:-5}"
  failover "$t"
  wait $add; code=$?
  end=$(date +%s.%N)
  notadded=$(grep -c '^doppel: not added: ' "$work/add$t.err" || true)
  stored=$("$doppel" index stats --index "$index" --format json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["documents"] + s["aliases"])')
  # Lost: documents neither in the index nor named as not added (the sources are distinct, so one each).
  lost=$((total - stored - notadded))
  lost_total=$((lost_total + lost))
  printf 'trial %d: killed master %s after %.1f s, replica promoted %.1f s later; add exit %d in %.1f s; %d stored, %d named not added, %d lost\n' \
    "$t" "$victim" "$(echo "$killed - $start" | bc)" "$(echo "$promoted - $killed" | bc)" "$code" "$(echo "$end - $start" | bc)" "$stored" "$notadded" "$lost"
  "$doppel" index verify --index "$index" -q || echo "trial $t: verify found problems"
  # Back to 3 masters with a replica each before the next trial.
  sleep 2
done
uptime
echo "documents lost over $trials trials: $lost_total"

# ---- the check side ----
check_trials=${CHECK_TRIALS:-3}
[[ $check_trials -gt 0 ]] || exit 0
index="$addr/checks"
"$doppel" index add "$pan/src" --index "$index" --batch 200 -q
mapfile -t susp < <(find "$pan/susp" -name '*.txt' | LC_ALL=C sort | head -"${CHECK_DOCS:-150}")
uptime
start=$(date +%s.%N)
"$doppel" check "${susp[@]}" --index "$index" --format pan -o "$work/check-expected" -q
printf 'check of %d documents without a kill: %.1f s, %d detection files\n' "${#susp[@]}" "$(echo "$(date +%s.%N) - $start" | bc)" "$(ls "$work/check-expected" | wc -l)"
same=0 retryable=0 wrong=0
for t in $(seq 1 "$check_trials"); do
  rm -rf "$work/check$t"
  start=$(date +%s.%N)
  "$doppel" check "${susp[@]}" --index "$index" --format pan -o "$work/check$t" -q 2>"$work/check$t.err" &
  check=$!
  sleep "${CHECK_KILL_AFTER:-3}"
  running=$(kill -0 $check 2>/dev/null && echo "while it ran" || echo "AFTER IT ENDED")
  failover "c$t"
  wait $check; code=$?
  end=$(date +%s.%N)
  if [[ $code -eq 0 ]] && diff -r -q "$work/check-expected" "$work/check$t" >/dev/null && [[ ! -s "$work/check$t.err" ]]; then
    verdict="same detections"; same=$((same + 1))
  elif [[ $code -eq 7 && $(wc -l < "$work/check$t.err") -eq 1 ]] && grep -q "can be retried" "$work/check$t.err"; then
    verdict="exit 7, retryable: $(cat "$work/check$t.err")"; retryable=$((retryable + 1))
  else
    verdict="WRONG (exit $code, $(wc -l < "$work/check$t.err") lines on stderr, outputs $(diff -r -q "$work/check-expected" "$work/check$t" >/dev/null 2>&1 && echo same || echo differ))"; wrong=$((wrong + 1))
  fi
  printf 'check trial %d: killed master %s after %.1f s (%s), replica promoted %.1f s later; check exit %d in %.1f s: %s\n' \
    "$t" "$victim" "$(echo "$killed - $start" | bc)" "$running" "$(echo "$promoted - $killed" | bc)" "$code" "$(echo "$end - $start" | bc)" "$verdict"
  sleep 2
done
uptime
echo "check trials: $check_trials; same detections $same, exit 7 (retryable) $retryable, wrong $wrong"

#!/usr/bin/env bash
# Issue 13 bar "shared work", repeated: TRIALS times (default 3) the test SharedWorkTests (tests/Doppel.Server.Tests):
# two `doppel serve` processes (2 workers each) on one local Redis Cluster (--jobs and --index on it), CHECKS checks
# (default 100) submitted to server A, server B SIGKILLed while it holds jobs; every check must complete with the
# report of its reference run. Prints one line of figures per trial (wall, jobs held by B when killed, jobs taken
# over, attempts) and the load.
# Usage: bench/redis/shared-work.sh [TRIALS] [CHECKS]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
trials=${1:-3} checks=${2:-100}
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
dotnet build "$root/tests/Doppel.Server.Tests" -c Release -v q -nologo >/dev/null || exit 1
uptime
failed=0
for t in $(seq 1 "$trials"); do
  : >"$out"
  DOPPEL_SHARED_WORK_CHECKS=$checks DOPPEL_SHARED_WORK_OUT="$out" dotnet test "$root/tests/Doppel.Server.Tests" -c Release --no-build \
    --filter "FullyQualifiedName~SharedWorkTests" >"$out.log" 2>&1 || { failed=$((failed + 1)); grep -E 'Failed|Assert|Error Message' -A3 "$out.log" | head -20; }
  echo "trial $t: $(tail -n1 "$out")"
done
rm -f "$out.log"
uptime
echo "$trials trials, $failed failed"
[[ $failed -eq 0 ]]

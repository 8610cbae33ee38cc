# Sourced by the bench scripts: find_corpus prints where the PAN 2013 training corpus is (needs $root, the
# repository root): $DOPPEL_SHARED/corpora/pan13-train when set, else ../shared/corpora/pan13-train beside the
# repository, else (in a git worktree without ../shared beside it) beside the main checkout.
find_corpus() {
  local c
  if [[ -n "${DOPPEL_SHARED:-}" ]]; then echo "$DOPPEL_SHARED/corpora/pan13-train"; return; fi
  c="$root/../shared/corpora/pan13-train"
  if [[ -d "$c" ]]; then (cd "$c" && pwd); return; fi
  local common main
  common=$(cd "$root" && cd "$(git rev-parse --git-common-dir)" && pwd)
  main=$(dirname "$common")
  echo "$main/../shared/corpora/pan13-train"
}

#!/usr/bin/env bash
# The GitHub Action's scan step (action.yml): builds piimap into
# $PIIMAP_HOME unless the cache restored it, picks the scope from the event,
# writes SARIF to $PIIMAP_SARIF and records piimap's exit code as the step
# output `exit-code` (the step itself succeeds, so the upload still runs).
#
# Environment (set by action.yml): PIIMAP_HOME, PIIMAP_SCOPE (auto|all|staged),
# PIIMAP_FAIL_ON, PIIMAP_BASELINE, PIIMAP_ARGS, PIIMAP_SARIF, PIIMAP_BASE_SHA,
# PIIMAP_HEAD_SHA; GITHUB_ACTION_PATH, GITHUB_EVENT_NAME, GITHUB_OUTPUT.
set -euo pipefail
bin="$PIIMAP_HOME/bin/piimap"
if [ ! -x "$bin" ]; then
  echo "piimap: building (cached for the next run)" >&2
  cargo install --locked --quiet --path "$GITHUB_ACTION_PATH" --root "$PIIMAP_HOME"
fi

args=(scan --quiet --format sarif -o "${PIIMAP_SARIF:-piimap.sarif}" --fail-on "${PIIMAP_FAIL_ON:-low}")
zero=0000000000000000000000000000000000000000
base=${PIIMAP_BASE_SHA:-}
case "${PIIMAP_SCOPE:-auto}" in
  all) ;;
  staged) args+=(--staged) ;;
  auto)
    # A pull request's added lines, a push's new commits; a new branch
    # (no "before") or any other event: the whole tree.
    if [ -n "$base" ] && [ "$base" != "$zero" ] && git cat-file -e "$base^{commit}" 2>/dev/null; then
      args+=(--diff "$base..${PIIMAP_HEAD_SHA:-HEAD}")
    fi
    ;;
  *) echo "piimap: scope must be auto, all or staged, not ${PIIMAP_SCOPE}" >&2; exit 2 ;;
esac
if [ -n "${PIIMAP_BASELINE:-}" ]; then
  args+=(--baseline "$PIIMAP_BASELINE")
fi
# Extra arguments split on spaces, as a shell would (no globbing).
set -f
# shellcheck disable=SC2206
extra=(${PIIMAP_ARGS:-})
set +f

code=0
"$bin" "${args[@]}" "${extra[@]}" || code=$?
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "piimap: exit $code, report ${PIIMAP_SARIF:-piimap.sarif}" >&2

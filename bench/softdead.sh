#!/usr/bin/env bash
# The soft-dead link bench (issue 14) on both page sets: the shared bench's own templates and
# this repository's second set (tests/fixtures/softdead/second: other wording and structure).
#   bash bench/softdead.sh ['COMMAND']     default: awesome-lint --links --allow-private --no-cache --format json
# Prints one score line per set (recall over the 24 gone links, false_gone over the 58 alive).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SOFTDEAD:-$HERE/../../shared/softdead}
CMD=${1:-awesome-lint --links --allow-private --no-cache --format json}
for pages in "$SHARED/pages" "$HERE/../tests/fixtures/softdead/second"; do
  echo "== $pages"
  OUT=$(mktemp -d) bash "$SHARED/run.sh" "$CMD" "$pages" | tail -1
done

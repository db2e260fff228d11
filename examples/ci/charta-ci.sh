#!/usr/bin/env bash
# What a town's CI runs on a change to its charta: validate, then diff against the
# version on the target branch, fail on what the town chose, and write the Markdown
# diff for the merge-request comment.  The GitLab and GitHub files next to this one
# call it; a test in charta's suite runs it in a real git repository.
#
# Usage: charta-ci.sh CHARTA BASE-REF [FAIL-ON]
#   CHARTA    the charta file, e.g. leitmotive.toml
#   BASE-REF  the git revision to compare with, e.g. origin/main
#   FAIL-ON   error (default), warning or info
# Writes charta-diff.md; exits 1 when the charta is invalid or a difference is at or
# above FAIL-ON (levels.txt and reviewed.txt next to the charta are used if present).
set -euo pipefail
charta_file=$1
base=$2
fail_on=${3:-error}

charta validate "$charta_file"

# The old version goes next to the charta, so that relative references (a source
# file beside it) resolve as they do for the new one, and the diff names it readably.
old="${charta_file%.toml}.base.toml"
trap 'rm -f "$old"' EXIT
if ! git show "$base:$charta_file" > "$old" 2>/dev/null; then
    echo "charta-ci: $charta_file is new on this branch: nothing to compare" > charta-diff.md
    cat charta-diff.md
    exit 0
fi

options=(--fail-on "$fail_on")
dir=$(dirname "$charta_file")
[ -f "$dir/levels.txt" ] && options+=(--levels "$dir/levels.txt")
[ -f "$dir/reviewed.txt" ] && options+=(--ignore "$dir/reviewed.txt")

status=0
charta diff "$old" "$charta_file" --format markdown "${options[@]}" > charta-diff.md || status=$?
cat charta-diff.md
exit "$status"

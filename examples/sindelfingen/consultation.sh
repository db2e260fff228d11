#!/usr/bin/env bash
# Sindelfingen's consultation of autumn 2020, replayed with charta: from the draft
# put to consultation to the charta in this folder. tests/test_consult.py runs it on
# the draft (the file before the consultation) and checks that the result equals
# leitmotive.toml and leitmotive.personal.toml.
#
#   bash examples/sindelfingen/consultation.sh DRAFT.toml
#
# DRAFT.toml is changed in place; its personal-data file is written beside it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
file=$1
charta=${CHARTA:-charta}

# 1. The one comment on our copy of the page, from the form's export.
$charta consult import "$file" "$here/consultation.csv"

# 2. The office's answer (its salutation named the citizen: letters add that).
$charta consult respond "$file" comment-2 --decision accepted --date '' \
  --text "vielen Dank für Ihre Nachricht. Wir haben Ihren Vorschlag in der konzentrierten Digitalstrategie aufgenommen und das 2. Leitmotiv entsprechend ergänzt." \
  --note "The salutation, which names the commenter, is left out on purpose (personal data), as is the sign-off; the text therefore starts in lower case as on the page. No date is shown."

# 3. The amendment it caused: Leitmotiv 2 names education institutions.
$charta consult amend "$file" vorne-dabei --because comment-2 --date 2020-11 --before-inferred \
  --text "Die Stadt Sindelfingen schafft Rahmenbedingungen und unterstützt dadurch die Gestaltung der digitalen Transformation zur Stärkung des Standorts. Die Stadt Sindelfingen setzt Digitalisierung gezielt ein, um lokale Wirtschaft und neue Wertschöpfungsprozesse sowie Bildungseinrichtungen zu stärken und stellt passende Infrastrukturangebote zur Verfügung." \
  --reason "A citizen asked for a clear commitment to digitalisation in education; the office added education institutions to Leitmotiv 2." \
  --note "We have not seen the pre-consultation wording. It is reconstructed by removing the words the office says it added ('entsprechend ergänzt'); the comment's complaint about a 'reiner Bezug auf die Wirtschaft' fits that reconstruction. The month is inferred too: most likely after the consultation closed (8 Nov 2020) and before the committee meeting (27 Nov 2020); a change while the consultation was still running (from 23 Oct) cannot be ruled out."

# 4. The weighing table.
$charta consult report "$file" --format markdown

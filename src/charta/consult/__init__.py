"""The consultation: import comments, respond, amend, report, write letters.

- :mod:`charta.consult.files`: one function per command on a file
  (``respond``, ``amend``, ``report``, ``letters``) and
  :func:`~charta.consult.record.import_file` (``import``); what the ``charta
  consult`` commands call.
- :mod:`charta.consult.record`: the pure steps, charta in, charta out, and
  the consultation's :class:`~charta.consult.record.State`.
- :mod:`charta.consult.report`: the weighing table in four formats.
- :mod:`charta.consult.sheet`: the weighing table as a spreadsheet (xlsx, ods),
  and the responses of a filled one read back (``import-responses``).
- :mod:`charta.consult.letters`: the replies, the only output that names commenters.
"""

from __future__ import annotations

from charta.consult.files import (
    LettersWritten,
    amend_file,
    report_file,
    respond_file,
    write_letters,
)
from charta.consult.record import ImportResult, State, import_file, state
from charta.consult.report import WeighingTable, build_report, render_report
from charta.consult.sheet import (
    ResponsesRead,
    import_responses,
    import_responses_file,
    weighing_sheet,
    write_weighing_sheet,
)

__all__ = [
    "ImportResult",
    "LettersWritten",
    "ResponsesRead",
    "State",
    "WeighingTable",
    "amend_file",
    "build_report",
    "import_file",
    "import_responses",
    "import_responses_file",
    "render_report",
    "report_file",
    "respond_file",
    "state",
    "weighing_sheet",
    "write_letters",
    "write_weighing_sheet",
]

"""Did-you-mean suggestions, with a bound on the work they may cost.

One helper for every misspelt name (keys, values, sources, items, comments).
A hostile file can hold thousands of misspelt references against thousands
of ids; comparing each with each would take minutes.  So suggestions draw on
a budget of comparisons: within a :func:`budget` block (one per checked
file), once it is spent, messages simply come without a suggestion.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Callable, Collection, Iterator
from itertools import accumulate

__all__ = ["budget", "did_you_mean"]

DEFAULT_BUDGET = 100_000
"""Characters of candidates compared per checked file: about a twentieth of a
second (difflib compares about two million characters a second here)."""

_LONGEST = 80
"""Names longer than this get no suggestion and are no candidates."""

# The comparisons left, one entry per open budget block (innermost last).
# A plain list, not a ContextVar: charta checks one file at a time.
_budgets: list[list[int]] = []


@contextlib.contextmanager
def budget(comparisons: int = DEFAULT_BUDGET) -> Iterator[None]:
    """Bound the comparisons that suggestions made inside this block may cost."""
    _budgets.append([comparisons])
    try:
        yield
    finally:
        _budgets.pop()


def did_you_mean(
    word: str,
    candidates: Collection[str] | Callable[[], Collection[str]],
    *,
    style: str = " (did you mean '{}'?)",
) -> str:
    """``style`` filled with the closest candidate, or ``""`` when none is close.

    ``candidates`` may be a function, so that a caller whose budget is spent
    does not even build the list.
    """
    left = _budgets[-1] if _budgets else None
    if (left is not None and left[0] <= 0) or len(word) > _LONGEST:
        return ""
    # Comparing costs about the product of the two lengths: long ids are not
    # misspellings of each other, and the budget counts characters, not names.
    pool = [c for c in (candidates() if callable(candidates) else candidates) if len(c) <= _LONGEST]
    if left is not None:
        # One call may not spend more than is left: a file of 30,000 ids is
        # searched only as far as the budget reaches.
        cost = list(accumulate(len(c) + 1 for c in pool))
        pool = pool[: bisect.bisect_right(cost, left[0])]
        left[0] -= cost[len(pool) - 1] + 1 if pool else 1
    from difflib import get_close_matches  # lazy: only on the error path

    close = get_close_matches(word, pool, n=1, cutoff=0.6)
    return style.format(close[0]) if close else ""

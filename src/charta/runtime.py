"""How charta runs: the one switch it sets on the interpreter.

Reading a large charta creates a few hundred thousand small objects that all
stay alive until the run ends.  Python's cycle collector is triggered by
allocations and, with that many live objects, walks them again and again
while nothing can be freed: at 5 MiB it took about a third of ``validate``.
charta's model holds no reference cycles, so the walks find nothing;
:func:`paused_gc` switches the collector off for one bounded piece of work
and back on after it (memory freed by reference counting is freed at once
either way; a cycle made meanwhile is collected afterwards).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cycle collector off while the block runs, then as it was (nesting is safe)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()

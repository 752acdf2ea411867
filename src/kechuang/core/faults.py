"""Fault injection for the crash tests: a named point inside a write where the process can be made to wait,
so that a test can kill it (kill -9) in the middle of its transaction and check what the database kept.

Inert unless `settings.FAULT_INJECTION` is true, which only `settings/test.py` sets (`prod.py` pins it
false, and no setting reads it from the environment). Then the environment chooses the point:

    KECHUANG_FAULT_PAUSE=platforms.import.row@3   pause the 3rd time this process reaches that point
    KECHUANG_FAULT_SIGNAL=/tmp/x                  file written (with the pid) when the pause begins; while
                                                  it exists the point no longer pauses (one crash per test)
    KECHUANG_FAULT_SECONDS=60                     how long to wait (the test kills the process before)
"""

import os
import time
from pathlib import Path

from django.conf import settings

_hits: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Pause here when the crash tests ask for it; otherwise (always in production) do nothing."""
    if not getattr(settings, "FAULT_INJECTION", False):
        return
    target, _sep, nth = os.environ.get("KECHUANG_FAULT_PAUSE", "").partition("@")
    if target != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] != int(nth or 1):
        return
    signal = os.environ.get("KECHUANG_FAULT_SIGNAL", "")
    if signal:
        if Path(signal).exists():
            return  # once only, across processes: the run after the crash goes through
        Path(signal).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("KECHUANG_FAULT_SECONDS", "60")))

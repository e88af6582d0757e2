"""Waiting, bounded, for another process to do something."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], object], *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")

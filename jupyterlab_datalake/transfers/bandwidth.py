"""A limit on the bytes per second that all transfers of the server share, so that an admin
can keep one user's upload from saturating the lake's network."""

from __future__ import annotations

import threading
import time

from .records import Stop


class Bandwidth:
    """A limit shared by all transfers of the server, so an admin can keep one user's upload
    from saturating the lake's network."""

    def __init__(self, per_second: int | None):
        self.per_second = per_second
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def take(self, n: int, cancel: threading.Event) -> None:
        if not self.per_second:
            return
        with self._lock:
            now = time.monotonic()
            start = max(self._next, now)
            self._next = start + n / self.per_second
        # Waiting on the event wakes a cancel at once rather than after the pause.
        if start > now and cancel.wait(start - now):
            raise Stop("cancelled", "Cancelled.")

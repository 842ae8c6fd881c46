"""Many renders at once: at most N requests in flight, N lowered when the server says the
account has too many (429 `too_many_concurrent_requests`, a request it did not take).

`Limiter` holds the number of free places; `send_limited` runs one request inside a place
and, on that 429, lowers the limit to one below what was in flight and sends again once a
place is free. Nothing else is retried here: the session's own retry policy (docs/api.md,
"Errors and the retry policy") stays the only one, so a request the server may have taken is
never sent twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from . import session
from .session import TooManyConcurrent, retry_delay

T = TypeVar("T")
# how often one request may meet the 429 at a limit of 1 (another program uses the account)
MAX_BUSY_ROUNDS = 6


class Limiter:
    """A counting gate whose size can shrink while requests are in flight."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.active = 0
        self._condition = threading.Condition()

    def acquire(self) -> None:
        with self._condition:
            while self.active >= self.limit:
                self._condition.wait()
            self.active += 1

    def release(self) -> None:
        with self._condition:
            self.active -= 1
            self._condition.notify_all()

    def lower(self) -> int:
        """After a 429 from one of the `active` requests: allow one fewer (at least 1)."""
        with self._condition:
            self.limit = max(1, min(self.limit, self.active) - 1)
            return self.limit


def send_limited(limiter: Limiter, send: Callable[[], T],
                 lowered: Callable[[int], None] = lambda _: None) -> T:
    """`send()` inside a place of `limiter`; a TooManyConcurrent lowers the limit (told to
    `lowered`) and sends again when a place is free; at a limit of 1, after a pause, at most
    MAX_BUSY_ROUNDS times before the error is raised."""
    rounds = 0
    while True:
        limiter.acquire()
        try:
            return send()
        except TooManyConcurrent:
            before = limiter.limit
            now = limiter.lower()
            if now < before:
                lowered(now)
            else:
                rounds += 1
                if rounds >= MAX_BUSY_ROUNDS:
                    raise
                session.sleep(retry_delay(rounds, None))
        finally:
            limiter.release()

"""Clocks behind a protocol so tests can move time by hand."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    """Source of wall-clock dates and monotonic seconds."""

    def today(self) -> dt.date: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clock (local date, monotonic seconds)."""

    def today(self) -> dt.date:
        return dt.date.today()

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that only moves when told to; for tests and the demo tour."""

    def __init__(self, today: dt.date | None = None, start: float = 1000.0) -> None:
        self._today = today or dt.date(2026, 11, 30)
        self._now = start

    def today(self) -> dt.date:
        return self._today

    def monotonic(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds

    def set_today(self, day: dt.date) -> None:
        self._today = day

"""Idle policy: warn after a quiet spell, then end the visit if nobody answers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.clock import Clock


class IdleState(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass
class IdlePolicy:
    """Tracks the last touch and says whether to warn or to end the session.

    ``idle_after`` seconds without a touch shows the "Do you need more time?"
    warning, which counts down ``countdown`` seconds before the session ends.
    A touch at any time (including "Yes" on the warning) starts again.
    """

    clock: Clock
    idle_after: float = 60.0
    countdown: float = 30.0

    def __post_init__(self) -> None:
        if self.idle_after <= 0 or self.countdown <= 0:
            raise ValueError("idle_after and countdown must be positive")
        self._last_touch = self.clock.monotonic()

    def touched(self) -> None:
        self._last_touch = self.clock.monotonic()

    def state(self) -> IdleState:
        quiet = self.clock.monotonic() - self._last_touch
        if quiet < self.idle_after:
            return IdleState.ACTIVE
        if quiet < self.idle_after + self.countdown:
            return IdleState.WARNING
        return IdleState.EXPIRED

    def seconds_left(self) -> int:
        """Whole seconds left on the warning countdown (0 once expired)."""
        quiet = self.clock.monotonic() - self._last_touch
        left = self.idle_after + self.countdown - quiet
        return max(0, min(int(self.countdown), math.ceil(left)))

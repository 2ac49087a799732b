import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.idle import IdlePolicy, IdleState


def test_warns_after_idle_time_then_expires_after_countdown() -> None:
    clock = FakeClock()
    policy = IdlePolicy(clock, idle_after=60, countdown=30)
    clock.advance(59.9)
    assert policy.state() is IdleState.ACTIVE
    clock.advance(0.2)
    assert policy.state() is IdleState.WARNING
    assert policy.seconds_left() == 30
    clock.advance(20)
    assert policy.seconds_left() == 10
    clock.advance(10)
    assert policy.state() is IdleState.EXPIRED
    assert policy.seconds_left() == 0


def test_a_touch_during_the_warning_starts_again() -> None:
    clock = FakeClock()
    policy = IdlePolicy(clock, idle_after=10, countdown=5)
    clock.advance(12)
    assert policy.state() is IdleState.WARNING
    policy.touched()
    assert policy.state() is IdleState.ACTIVE
    clock.advance(9)
    assert policy.state() is IdleState.ACTIVE


def test_refuses_nonsense_timings() -> None:
    with pytest.raises(ValueError):
        IdlePolicy(FakeClock(), idle_after=0, countdown=30)

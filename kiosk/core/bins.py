"""Bin collection days from the pack's offline table of streets and rounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.core.content import BinRounds, BinType, Street, Text


@dataclass(frozen=True)
class CollectionDate:
    """One collection. ``moved_from`` and ``reason`` are set when a bank holiday moved it."""

    date: dt.date
    moved_from: dt.date | None = None
    reason: Text | None = None


@dataclass(frozen=True)
class Collection:
    """The next collections of one bin type, soonest first."""

    bin: BinType
    dates: tuple[CollectionDate, ...]


def find_street(rounds: BinRounds, postcode: str) -> Street | None:
    """The demo street for a normalised postcode, if the table has it."""
    for street in rounds.streets:
        if street.postcode.replace(" ", "").upper() == postcode.replace(" ", "").upper():
            return street
    return None


def next_collections(
    rounds: BinRounds, round_id: str, today: dt.date, count: int = 2
) -> list[Collection]:
    """The next ``count`` collections (today included) of each bin on a round.

    Each bin repeats every ``every_weeks`` weeks from its ``first`` date; a date
    listed in ``holiday_shifts`` is replaced by its ``moved_to`` date.
    """
    shifts = {s.original: s for s in rounds.holiday_shifts}
    bins = {b.id: b for b in rounds.bins}
    round_ = next(r for r in rounds.rounds if r.id == round_id)
    result: list[Collection] = []
    for entry in round_.bins:
        period = dt.timedelta(weeks=entry.every_weeks)
        # first scheduled date that could still fall on or after today, allowing
        # for a shift of up to a week later
        start = entry.first
        if start < today - dt.timedelta(days=7):
            skips = (today - dt.timedelta(days=7) - start) // period
            start = start + period * skips
        dates: list[CollectionDate] = []
        scheduled = start
        while len(dates) < count:
            shift = shifts.get(scheduled)
            actual = shift.moved_to if shift else scheduled
            if actual >= today:
                dates.append(
                    CollectionDate(
                        actual, scheduled if shift else None, shift.reason if shift else None
                    )
                )
            scheduled += period
        dates.sort(key=lambda d: d.date)
        result.append(Collection(bins[entry.bin], tuple(dates)))
    return result

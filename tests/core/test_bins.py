import datetime as dt

import pytest

from kiosk.core.bins import find_street, next_collections
from kiosk.core.content import BinRounds, ContentPack

D = dt.date

ROUNDS = BinRounds.model_validate(
    {
        "bins": [
            {"id": "general", "name": {"en": "Rubbish"}, "colour": {"en": "black"}},
            {"id": "recycling", "name": {"en": "Recycling"}, "colour": {"en": "blue"}},
            {"id": "food", "name": {"en": "Food"}, "colour": {"en": "green"}},
        ],
        "rounds": [
            {
                "id": "mon_a",
                "bins": [
                    {"bin": "general", "first": "2026-11-02", "every_weeks": 2},
                    {"bin": "recycling", "first": "2026-11-09", "every_weeks": 2},
                    {"bin": "food", "first": "2026-11-02", "every_weeks": 1},
                ],
            }
        ],
        "streets": [{"postcode": "AN1 2TW", "street": "Acacia Avenue", "round": "mon_a"}],
        "holiday_shifts": [
            {"original": "2026-12-28", "moved_to": "2026-12-29", "reason": {"en": "Bank holiday"}}
        ],
    }
)


def dates(collections, bin_id):  # type: ignore[no-untyped-def]
    return [d.date for c in collections if c.bin.id == bin_id for d in c.dates]


def test_fortnightly_bins_alternate_weeks() -> None:
    result = next_collections(ROUNDS, "mon_a", D(2026, 11, 30))
    assert dates(result, "general") == [D(2026, 11, 30), D(2026, 12, 14)]
    assert dates(result, "recycling") == [D(2026, 12, 7), D(2026, 12, 21)]
    assert dates(result, "food") == [D(2026, 11, 30), D(2026, 12, 7)]


def test_the_day_after_collection_looks_ahead() -> None:
    result = next_collections(ROUNDS, "mon_a", D(2026, 12, 1))
    assert dates(result, "general") == [D(2026, 12, 14), D(2026, 12, 28 + 1)]


def test_bank_holiday_moves_the_collection_and_says_why() -> None:
    result = next_collections(ROUNDS, "mon_a", D(2026, 12, 22))
    general = next(c for c in result if c.bin.id == "general")
    moved = general.dates[0]
    assert moved.date == D(2026, 12, 29)
    assert moved.moved_from == D(2026, 12, 28)
    assert moved.reason == {"en": "Bank holiday"}
    assert general.dates[1].moved_from is None


def test_a_shifted_collection_still_counts_on_its_new_day() -> None:
    # on the 29th the general bin moved from the 28th is still to come (today)
    result = next_collections(ROUNDS, "mon_a", D(2026, 12, 29))
    assert dates(result, "general")[0] == D(2026, 12, 29)


def test_far_future_dates_keep_the_pattern() -> None:
    result = next_collections(ROUNDS, "mon_a", D(2030, 6, 3))
    for when in dates(result, "general") + dates(result, "recycling"):
        assert when.weekday() == 0
        assert (when - D(2026, 11, 2)).days % 7 == 0


def test_find_street_ignores_spacing_and_case() -> None:
    street = find_street(ROUNDS, "an12tw")
    assert street is not None and street.round == "mon_a"
    assert find_street(ROUNDS, "ZZ9 9ZZ") is None


def test_every_demo_street_has_upcoming_collections(pack: ContentPack) -> None:
    rounds = pack.bin_rounds
    assert rounds is not None, "the demo pack ships data/bin_rounds.yaml"
    assert len(rounds.streets) >= 5
    today = D(2026, 12, 20)
    for street in rounds.streets:
        for collection in next_collections(rounds, street.round, today):
            days = [d.date for d in collection.dates]
            assert days == sorted(days) and days[0] >= today
            assert (days[0] - today).days <= 7 * 4


def test_demo_table_moves_christmas_collections(pack: ContentPack) -> None:
    rounds = pack.bin_rounds
    assert rounds is not None
    holidays = {D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)}
    assert holidays & {s.original for s in rounds.holiday_shifts}
    for street in rounds.streets:
        for day in (D(2026, 12, 21), D(2026, 12, 28)):
            for collection in next_collections(rounds, street.round, day, count=3):
                for when in collection.dates:
                    assert when.date not in holidays, (street.postcode, when)


@pytest.mark.parametrize("count", [1, 3])
def test_count_is_respected(count: int) -> None:
    for collection in next_collections(ROUNDS, "mon_a", D(2026, 11, 30), count=count):
        assert len(collection.dates) == count

"""Walk every branch of every journey in the demo pack, in every language, without Qt."""

from __future__ import annotations

import pytest

from kiosk.core.bins import find_street
from kiosk.core.content import (
    CheckPage,
    ChoicePage,
    ContentPack,
    OutcomePage,
    PostcodePage,
    Service,
    iter_texts,
)
from kiosk.core.i18n import Catalogue
from kiosk.core.postcode import PostcodeError
from kiosk.core.session import Screen, Session

MAX_STEPS = 40


def _postcodes(pack: ContentPack, page: PostcodePage) -> list[str]:
    """A known demo postcode and (for lookups) one outside the table."""
    known = pack.bin_rounds.streets[0].postcode if pack.bin_rounds else "AN1 2TW"
    return [known, "CF10 1EP"] if page.lookup else [known]


def walk(pack: ContentPack, service: Service) -> list[list[str]]:
    """Every path from the start page to an outcome, as lists of page ids."""
    finished: list[list[str]] = []

    def explore(session: Session, depth: int) -> None:
        assert depth < MAX_STEPS, f"{service.id}: a path runs past {MAX_STEPS} pages"
        page = session.page
        assert page is not None
        path = [p.page or "" for p in session.stack if p.service == service.id]
        if isinstance(page, OutcomePage):
            finished.append(path)
            return
        if isinstance(page, ChoicePage):
            moves = [lambda s, v=o.value: s.choose(v) for o in page.options]
        elif isinstance(page, PostcodePage):
            moves = [lambda s, pc=pc: s.enter_postcode(pc) for pc in _postcodes(pack, page)]
        else:
            assert isinstance(page, CheckPage)
            rows = session.answer_rows()
            assert rows, f"{service.id}.{page.id}: check page with no answers to check"
            moves = [lambda s: s.confirm_answers()]
        for move in moves:
            branch = Session(pack, stack=list(session.stack), answers=dict(session.answers))
            move(branch)
            explore(branch, depth + 1)

    session = Session(pack)
    session.begin()
    session.open_service(service.id)
    explore(session, 0)
    return finished


def journeys(pack: ContentPack) -> list[Service]:
    return [s for s in pack.services.values() if s.is_journey]


def test_the_pack_has_at_least_twelve_branching_journeys(pack: ContentPack) -> None:
    branching = [s for s in journeys(pack) if len(walk(pack, s)) >= 2]
    assert len(branching) >= 12, sorted(s.id for s in branching)


def test_required_journeys_are_guided(pack: ContentPack) -> None:
    required = {
        "council_tax.discount",
        "bins.collection_day",
        "bins.missed",
        "housing.repair",
        "housing.homeless",
        "transport.blue_badge",
        "register.death",
        "register.birth",
        "library.join",
        "library.renew",
        "parking.fine",
        "report.pothole",
    }
    assert required <= {s.id for s in journeys(pack)}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_branch_reaches_an_outcome_and_reads_in_every_language(
    pack: ContentPack, catalogue: Catalogue, lang: str
) -> None:
    total = 0
    for service in pack.services.values():
        paths = walk(pack, service)
        assert paths, f"{service.id}: no path reaches an outcome"
        reached = {path[-1] for path in paths}
        outcomes = {p.id for p in service.pages if isinstance(p, OutcomePage)}
        assert reached == outcomes, f"{service.id}: outcomes never reached: {outcomes - reached}"
        total += len(paths)
    for text in iter_texts(pack):
        assert catalogue.pick(lang, text).strip()
    assert total >= 60


def test_every_text_is_translated_into_welsh(pack: ContentPack) -> None:
    assert pack.missing_translations() == {"en": 0, "cy": 0}


def test_every_catalogue_intent_is_handled(pack: ContentPack, all_intents: list[str]) -> None:
    assert len(all_intents) == 41
    assert pack.unmapped_intents(all_intents) == []


def test_urgent_homelessness_path_alerts_staff(pack: ContentPack) -> None:
    service = pack.services["housing.homeless"]
    urgent = [p for p in service.pages if isinstance(p, OutcomePage) and p.alert_staff]
    assert urgent and all(p.urgent for p in urgent)
    assert any(ph.number for p in urgent for ph in p.phone)
    # the very first question leads straight to an urgent outcome on one answer
    first = service.page(service.start)
    assert isinstance(first, ChoicePage)
    assert any(service.page(o.next) in urgent for o in first.options)


def test_housing_repair_triage_comes_first_and_shows_numbers(pack: ContentPack) -> None:
    service = pack.services["housing.repair"]
    first = service.page(service.start)
    assert isinstance(first, ChoicePage)
    emergency = [service.page(o.next) for o in first.options]
    urgent = [p for p in emergency if isinstance(p, OutcomePage) and p.urgent]
    assert urgent and all(p.phone for p in urgent)


def test_every_service_cites_a_source_and_review_date(pack: ContentPack) -> None:
    for service in pack.services.values():
        assert service.source.scheme == "https"
        assert service.reviewed.year >= 2026


def test_bin_journey_lookup_uses_demo_streets(pack: ContentPack) -> None:
    assert pack.bin_rounds is not None
    session = Session(pack)
    session.begin()
    session.open_service("bins.collection_day")
    known = pack.bin_rounds.streets[0].postcode
    assert find_street(pack.bin_rounds, known)
    session.enter_postcode(known.lower().replace(" ", ""))
    page = session.page
    assert isinstance(page, OutcomePage) and page.dynamic == "bin_collections"
    import datetime as dt

    assert session.collections(dt.date(2026, 12, 1))


def test_bad_postcode_keeps_the_visitor_on_the_page(pack: ContentPack) -> None:
    session = Session(pack)
    session.begin()
    session.open_service("bins.collection_day")
    before = session.place
    with pytest.raises(PostcodeError):
        session.enter_postcode("not a postcode")
    assert session.place == before
    assert session.place.screen is Screen.PAGE


def test_each_intent_finds_its_service_or_action(pack: ContentPack, all_intents: list[str]) -> None:
    for intent in all_intents:
        if intent == "out_of_scope":
            assert pack.service_for_intent(intent) is None
            continue
        service = pack.service_for_intent(intent)
        assert service is not None or intent in pack.info.actions, intent
        if service is not None:
            assert intent in service.intents

"""The Ask box in the session: each classifier decision goes to the right place.

The results are made by hand, so these tests need no model (the real model is
driven end to end in tests/ui/test_ask.py).
"""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.core.content import ContentPack
from kiosk.core.session import NotAllowedHere, Screen, Session
from kiosk.nlu.types import OUT_OF_SCOPE, Alternative, Decision, IntentResult

WORDS = "my bin wasn't emptied"


def result(intent: str, decision: Decision = Decision.CONFIDENT, *others: str) -> IntentResult:
    ranked = (intent, *others) if intent != OUT_OF_SCOPE else others
    alternatives = tuple(Alternative(i, 0.5 - n * 0.1) for n, i in enumerate(ranked))
    return IntentResult(WORDS, intent, 0.9, alternatives, decision)


def asking(pack: ContentPack, language: str = "en") -> Session:
    session = Session(pack)
    session.begin(language)
    session.open_ask()
    return session


def test_open_ask_pushes_the_ask_place_once(pack: ContentPack) -> None:
    session = asking(pack)
    assert session.place.screen is Screen.ASK
    session.open_ask()
    assert [p.screen for p in session.stack] == [Screen.ATTRACT, Screen.HOME, Screen.ASK]
    session.back()
    assert session.place.screen is Screen.HOME


def test_confident_opens_the_service_at_its_first_page(pack: ContentPack) -> None:
    session = asking(pack)
    assert session.apply_result(result("bins.missed")) is None
    service = pack.services["bins.missed"]
    assert session.place.screen is Screen.PAGE
    assert (session.place.service, session.place.page) == ("bins.missed", service.start)
    assert session.services_reached == ["bins.missed"]
    session.back()
    assert session.place.screen is Screen.ASK


def test_confident_urgent_intent_reaches_its_triage(pack: ContentPack) -> None:
    session = asking(pack)
    session.apply_result(result("housing.homeless"))
    assert session.place.service == "housing.homeless"
    assert session.place.page == pack.services["housing.homeless"].start


@pytest.mark.parametrize("action", ["staff", "language", "restart"])
def test_confident_action_intent_returns_the_action(pack: ContentPack, action: str) -> None:
    intent = next(i for i, a in pack.info.actions.items() if a == action)
    session = asking(pack)
    assert session.apply_result(result(intent)) == action
    if action == "staff":
        assert session.place.screen is Screen.STAFF_HELP and session.staff_alert
    else:  # the UI runs the others; the session stays put
        assert session.place.screen is Screen.ASK and not session.staff_alert


def test_clarify_offers_the_two_best_intents(pack: ContentPack) -> None:
    session = asking(pack)
    answer = result("bins.new_bin", Decision.CLARIFY, "bins.collection_day", "bins.missed")
    assert session.apply_result(answer) is None
    assert session.place.screen is Screen.CLARIFY
    assert session.clarify == ("bins.new_bin", "bins.collection_day")
    session.choose_intent("bins.collection_day")
    assert session.place.service == "bins.collection_day"
    session.back()
    assert session.place.screen is Screen.CLARIFY and session.clarify is not None


def test_clarify_with_an_action_candidate(pack: ContentPack) -> None:
    session = asking(pack)
    session.apply_result(result("bins.new_bin", Decision.CLARIFY, "kiosk.staff"))
    assert session.clarify == ("bins.new_bin", "kiosk.staff")
    assert session.choose_intent("kiosk.staff") == "staff"
    assert session.place.screen is Screen.STAFF_HELP and session.staff_alert


def test_choose_intent_only_from_the_clarification(pack: ContentPack) -> None:
    session = asking(pack)
    with pytest.raises(NotAllowedHere):
        session.choose_intent("bins.missed")
    session.apply_result(result("bins.new_bin", Decision.CLARIFY, "bins.collection_day"))
    with pytest.raises(ValueError, match="not offered"):
        session.choose_intent("parking.fine")


def test_clarify_skips_intents_nothing_handles(pack: ContentPack) -> None:
    session = asking(pack)
    session.apply_result(result("bins.missed", Decision.CLARIFY, "no.such_intent"))
    assert session.place.service == "bins.missed" and session.clarify is None


def test_out_of_scope_shows_no_match_and_counts_it(pack: ContentPack) -> None:
    session = asking(pack)
    assert session.apply_result(result(OUT_OF_SCOPE, Decision.OUT_OF_SCOPE)) is None
    assert session.place.screen is Screen.NO_MATCH
    assert session.not_understood == 1
    session.ask_again()
    assert session.place.screen is Screen.ASK
    assert [p.screen for p in session.stack].count(Screen.ASK) == 1
    session.apply_result(result(OUT_OF_SCOPE, Decision.OUT_OF_SCOPE))
    assert session.not_understood == 2


def test_a_confident_intent_nothing_handles_is_out_of_scope(pack: ContentPack) -> None:
    session = asking(pack)
    session.apply_result(result("no.such_intent"))
    assert session.place.screen is Screen.NO_MATCH and session.not_understood == 1


def test_the_visitors_words_are_never_kept(pack: ContentPack) -> None:
    session = asking(pack, "cy")
    session.apply_result(result(OUT_OF_SCOPE, Decision.OUT_OF_SCOPE))
    session.ask_again()
    session.apply_result(result("bins.new_bin", Decision.CLARIFY, "bins.collection_day"))
    session.choose_intent("bins.new_bin")
    kept = repr([getattr(session, f.name) for f in dataclasses.fields(session) if f.name != "pack"])
    assert WORDS not in kept and "emptied" not in kept


def test_wipe_and_start_again_reset_the_ask_state(pack: ContentPack) -> None:
    session = asking(pack)
    session.apply_result(result(OUT_OF_SCOPE, Decision.OUT_OF_SCOPE))
    session.ask_again()
    session.apply_result(result("bins.new_bin", Decision.CLARIFY, "bins.collection_day"))
    session.start_again()
    assert session.clarify is None and session.not_understood == 1
    session.wipe()
    assert session.clarify is None and session.not_understood == 0
    assert session.place.screen is Screen.ATTRACT


def test_ask_again_from_anywhere_opens_the_ask_box(pack: ContentPack) -> None:
    session = Session(pack)
    session.begin()
    session.ask_again()
    assert session.place.screen is Screen.ASK


def test_clarify_never_promotes_a_third_intent(pack: ContentPack) -> None:
    session = asking(pack)
    answer = result("no.such_intent", Decision.CLARIFY, "bins.new_bin", "bins.missed")
    session.apply_result(answer)
    assert session.clarify is None and session.place.service == "bins.new_bin"


def test_entities_found_in_the_question_are_offered_then_wiped(pack: ContentPack) -> None:
    from kiosk.nlu.types import Alternative, Decision, IntentResult

    session = Session(pack)
    session.begin("en")
    result = IntentResult(
        "bin missed an1 2tw",
        "bins.missed",
        0.9,
        (Alternative("bins.missed", 0.9),),
        Decision.CONFIDENT,
    )
    session.apply_result(result, {"postcode": "AN1 2TW"})
    assert session.place.service == "bins.missed"
    assert session.prefill == {"postcode": "AN1 2TW"}
    assert "an1 2tw" not in repr(session.answers)
    session.wipe()
    assert session.prefill == {}

"""Grammar phrases from a screen's options, and recognised words mapped back to one option."""

from __future__ import annotations

import pytest

from kiosk.speech.grammar import (
    grammar_phrases,
    is_phrase_sequence,
    match_option,
    normalise,
    words,
)

YES_NO = {"yes": ["Yes", "Yeah", "Yes please"], "no": ["No", "No thanks", "Nope"]}
SERVICES = {
    "council_tax": ["Council tax", "Pay council tax"],
    "council_housing": ["Council housing"],
    "parking": ["Parking permit", "Parking"],
    "post_office": ["Post office"],
    "office_hours": ["Office", "Opening hours"],
}
KOREAN = {"yes": ["네", "예"], "no": ["아니요", "아니오"], "where": ["어디에 있어요"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Yes, please!  ", "yes please"),
        ("DON’T know", "don't know"),
        ("'quoted'", "quoted"),
        ("e-mail / post", "e mail post"),
        ("Gwasanaeth Treth y Cyngor", "gwasanaeth treth y cyngor"),
        ("어디에  있어요?", "어디에 있어요"),
        ("[unk] yes", "[unk] yes"),
        ("Ḱ", "ḱ"),  # decomposed input comes out composed (NFC)
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_hangul_in_decomposed_form_matches_composed() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "네")
    assert decomposed != "네"
    assert words(decomposed) == ["네"]
    assert match_option(decomposed, KOREAN) == "yes"


def test_grammar_phrases_are_lower_case_unique_and_ordered() -> None:
    options = {"yes": ["Yes", "yes", "Yes please"], "no": ["No", " no ", "Yes please"]}
    assert grammar_phrases(options) == ["yes", "yes please", "no"]
    assert grammar_phrases({"x": ["", "?!"]}) == []
    assert grammar_phrases(KOREAN) == ["네", "예", "아니요", "아니오", "어디에 있어요"]


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        # 1. the whole text is a phrase
        ("yes", YES_NO, "yes"),
        ("Nope", YES_NO, "no"),
        ("no thanks", YES_NO, "no"),
        ("어디에 있어요", KOREAN, "where"),
        ("어디에 있어 요", KOREAN, "where"),  # spacing forgiven for the whole text
        # 2. whole phrases inside the text
        ("yes yes", YES_NO, "yes"),
        ("um yeah", YES_NO, "yes"),
        ("[unk] no", YES_NO, "no"),
        ("i want to pay council tax today", SERVICES, "council_tax"),
        ("the post office", SERVICES, "post_office"),  # beats "office" inside it
        ("yes no", YES_NO, None),  # two options: no guess
        ("office parking", SERVICES, None),
        ("네 아니요", KOREAN, None),
        # 3. a fragment of one option's phrase, keeping its distinctive words
        ("tax", SERVICES, "council_tax"),
        ("pay council", SERVICES, None),  # "tax" is distinctive and missing
        ("council", SERVICES, None),  # council tax or council housing?
        ("housing", SERVICES, "council_housing"),
        ("permit", SERVICES, None),  # "parking" is distinctive and missing
        ("thanks", YES_NO, None),  # "no" is distinctive too
        ("어디에", KOREAN, None),  # grammar mode stopped inside "어디에 있어요"
        # nothing
        ("", YES_NO, None),
        ("[unk]", YES_NO, None),
        ("maybe", YES_NO, None),
        ("knows", YES_NO, None),  # whole words only: "no" is not inside "knows"
    ],
)
def test_match_option(text: str, options: dict[str, list[str]], expected: str | None) -> None:
    assert match_option(text, options) == expected


def test_a_phrase_shared_by_two_options_matches_neither() -> None:
    assert match_option("ok", {"a": ["ok", "alpha"], "b": ["ok", "bravo"]}) is None
    assert match_option("alpha", {"a": ["ok", "alpha"], "b": ["ok", "bravo"]}) == "a"


def test_options_without_usable_phrases() -> None:
    assert match_option("yes", {}) is None
    assert match_option("yes", {"yes": ["", "!"]}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("yes please", True),
        ("yes yes please", True),
        ("no thanks yes", True),
        ("please", False),
        ("yes [unk]", False),
        ("", False),
    ],
)
def test_is_phrase_sequence(text: str, expected: bool) -> None:
    assert is_phrase_sequence(text, grammar_phrases(YES_NO)) is expected

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.postcode import PostcodeError, is_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("AN1 2TW", "AN1 2TW"),
        ("an12tw", "AN1 2TW"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("CF10 1EP", "CF10 1EP"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_valid_postcodes_are_normalised(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["AN1", "12345", "AN1 2T", "AN1 2TWX", "A 1AA", "AN1 2CI", "AN1-2TW", "ANYTOWN"]
)
def test_malformed_postcodes_are_refused(typed: str) -> None:
    with pytest.raises(PostcodeError) as info:
        normalise_postcode(typed)
    assert info.value.reason == "format"


@pytest.mark.parametrize("typed", ["", "   ", "\t"])
def test_empty_postcode_says_enter_one(typed: str) -> None:
    with pytest.raises(PostcodeError) as info:
        normalise_postcode(typed)
    assert info.value.reason == "empty"


OUTWARD = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True)
INWARD = st.from_regex(r"[0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True)


@given(OUTWARD, INWARD, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_wellformed_postcode_normalises_to_one_spaced_form(
    outward: str, inward: str, gap: str, lower: bool
) -> None:
    typed = outward + gap + inward
    result = normalise_postcode(typed.lower() if lower else typed)
    assert result == f"{outward} {inward}"
    assert normalise_postcode(result) == result  # idempotent


@given(st.text(max_size=12))
def test_never_crashes_on_any_text(text: str) -> None:
    assert is_postcode(text) in (True, False)

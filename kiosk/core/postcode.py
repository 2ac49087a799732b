"""UK postcodes: validate the format and normalise to the standard 'AB1 2CD' form."""

from __future__ import annotations

import re

# Outward code: A9, A99, AA9, AA99, A9A, AA9A; inward code: digit + two letters
# (never C, I, K, M, O or V). GIR 0AA is the one historic exception.
_POSTCODE = re.compile(r"^(?:([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})|(GIR)(0AA))$")


class PostcodeError(ValueError):
    """The text is not a UK postcode. ``reason`` is 'empty' or 'format'."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            "enter a postcode" if reason == "empty" else "not a UK postcode, like AN1 2TW"
        )


def normalise_postcode(text: str) -> str:
    """Return the postcode upper-cased with one space before the inward code.

    Spaces anywhere and lower case are accepted ("an12tw", " AN1  2TW ").
    Raises :class:`PostcodeError` when the text is empty or not a postcode.
    """
    compact = re.sub(r"\s+", "", text).upper()
    if not compact:
        raise PostcodeError("empty")
    match = _POSTCODE.match(compact)
    if not match:
        raise PostcodeError("format")
    outward = match.group(1) or match.group(3)
    inward = match.group(2) or match.group(4)
    return f"{outward} {inward}"


def is_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except PostcodeError:
        return False
    return True

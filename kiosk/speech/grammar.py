"""Screens with a fixed set of answers: grammar phrases in, the chosen option out.

A screen offers options (yes/no, a list of services); each option has phrases
in the visitor's language: its label and its synonyms. :func:`grammar_phrases`
turns them into the phrase list a recogniser's restricted-grammar mode takes,
and :func:`match_option` maps what was recognised back to one option, or to
None when the words do not pick exactly one.

Text is compared after :func:`normalise`: Unicode NFC, lower case,
punctuation and symbols turned into spaces (apostrophes kept, since
recogniser vocabularies hold words like "don't"), single spaces. Nothing here
assumes Latin script; Korean, Welsh or Urdu text goes through unchanged apart
from that.

The matching rule (:func:`match_option`), in order:

1. **Whole text.** The recognised text equals a phrase. Differences in
   spacing are forgiven here only (Korean recognisers split words
   differently from how labels are written: "어디에 있어 요" is "어디에 있어요").
2. **Whole phrases inside.** The text contains one or more phrases as whole
   words ("council tax please" contains "council tax"). A phrase found inside
   a longer phrase of another option at the same place does not count ("post
   office" beats "office"). The answer is the option, if exactly one remains.
3. **Part of a phrase.** Grammar mode can stop inside a phrase and return its
   first words. Such a fragment counts only when (a) it is whole words of
   phrases of exactly one option, and (b) it keeps every *distinctive* word
   of such a phrase: the words that appear in no other option's phrases. So
   with "council tax" and "council housing", "tax" means council tax (the
   words left out could not tell the options apart anyway) but "council"
   means nothing; with "yes please" and "no thanks", "yes" alone does not
   count, because "please" was distinctive too.

Anything else, including ties between options, is None: the kiosk asks again
or lets the visitor touch the answer, rather than guess.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

UNKNOWN = "[unk]"
"""What Vosk returns, in grammar mode, for speech outside the grammar."""

_APOSTROPHES = {"'", "’", "ʼ"}


def normalise(text: str) -> str:
    """Text as recognisers spell it: NFC, lower case, no punctuation, single spaces.

    Tokens in square brackets (Vosk's ``[unk]``, noise markers) are kept as they are.
    """
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (see :func:`normalise`)."""
    out: list[str] = []
    for token in unicodedata.normalize("NFC", text).split():
        if len(token) > 2 and token.startswith("[") and token.endswith("]"):
            out.append(token.lower())
            continue
        cleaned = "".join(
            "'" if ch in _APOSTROPHES else " " if _is_separator(ch) else ch for ch in token.lower()
        )
        out.extend(w.strip("'") for w in cleaned.split() if w.strip("'"))
    return out


def _is_separator(ch: str) -> bool:
    # Format characters (Cf: zero-width joiners, used inside Urdu and Bengali words) stay.
    category = unicodedata.category(ch)
    return category[0] in ("P", "S", "Z") or category == "Cc"


def grammar_phrases(options: Mapping[str, Sequence[str]]) -> list[str]:
    """Every option's phrases, normalised, without duplicates or empties, in order.

    ``options`` maps each option's value to its phrases (label and synonyms).
    The result is what :meth:`Recogniser.start` takes as ``grammar``.
    """
    seen: dict[str, None] = {}
    for phrases in options.values():
        for phrase in phrases:
            norm = normalise(phrase)
            if norm:
                seen.setdefault(norm, None)
    return list(seen)


def match_option(text: str, options: Mapping[str, Sequence[str]]) -> str | None:
    """The option whose phrases the recognised ``text`` picks, or None (see the module rule)."""
    heard = tuple(words(text))
    if not heard:
        return None
    table = [
        (value, tuple(words(phrase)))
        for value, phrases in options.items()
        for phrase in phrases
        if words(phrase)
    ]
    if not table:
        return None

    # 1. The whole text is a phrase (spacing forgiven).
    joined = "".join(heard)
    exact = {value for value, phrase in table if "".join(phrase) == joined}
    if exact:
        return _only(exact)

    # 2. Whole phrases inside the text; a phrase covered by another option's longer one drops.
    spans = [
        (value, start, start + len(phrase))
        for value, phrase in table
        for start in _occurrences(phrase, heard)
    ]
    if spans:
        kept = {
            value
            for value, start, end in spans
            if not any(
                other != value
                and o_start <= start
                and end <= o_end
                and o_end - o_start > end - start
                for other, o_start, o_end in spans
            )
        }
        return _only(kept)

    # 3. A fragment of a multi-word phrase: unique, and keeping every distinctive word.
    holders = {value for value, phrase in table if len(phrase) > 1 and _occurrences(heard, phrase)}
    if len(holders) != 1:
        return None
    value = next(iter(holders))
    other_words = {w for other, phrase in table if other != value for w in phrase}
    for owner, phrase in table:
        if owner != value or len(phrase) < 2 or not _occurrences(heard, phrase):
            continue
        distinctive = set(phrase) - other_words
        if distinctive and distinctive <= set(heard):
            return value
    return None


def is_phrase_sequence(text: str, phrases: Iterable[str]) -> bool:
    """Whether ``text`` is made entirely of whole phrases (one, or several in a row).

    Vosk's grammar mode can loop ("yes yes") or stop inside a phrase ("council"
    for "council tax"); only the first kind is a result the grammar allowed.
    """
    heard = tuple(words(text))
    options = {tuple(words(p)) for p in phrases}
    options.discard(())
    if not heard or not options:
        return False
    reachable = [True] + [False] * len(heard)
    for i in range(len(heard)):
        if not reachable[i]:
            continue
        for phrase in options:
            if heard[i : i + len(phrase)] == phrase:
                reachable[i + len(phrase)] = True
    return reachable[-1]


def _occurrences(needle: Sequence[str], haystack: Sequence[str]) -> list[int]:
    """Start indexes where ``needle`` appears in ``haystack`` as consecutive whole words."""
    size = len(needle)
    return [
        i for i in range(len(haystack) - size + 1) if tuple(haystack[i : i + size]) == tuple(needle)
    ]


def _only(values: set[str]) -> str | None:
    return next(iter(values)) if len(values) == 1 else None

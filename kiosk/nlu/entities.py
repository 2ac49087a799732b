"""Pull simple entities out of what a visitor typed or said, in English and Welsh.

Four rule-based extractors, pure standard library, for the answers the kiosk asks for:

* :func:`find_postcode` - a UK postcode anywhere in free text, normalised ("AN1 2TW").
* :func:`parse_yes_no` - yes / no / unclear, including the Welsh echo answers
  ("Ydw", "Nac oes", "Naddo").
* :func:`parse_number` - digits or number words 0-100 (and a little beyond),
  including the Welsh traditional and decimal systems with mutations.
* :func:`parse_date` - relative days, weekdays, day-and-month dates and UK
  day-first numeric dates.

Behaviour choices
-----------------
* Only the first :data:`MAX_CHARS` characters are read, so every function is
  linear in a bounded input and never raises on any ``str`` (``lang`` included).
* Text is compared lower-cased with accents removed ("ŵ" = "w", "siŵr" = "siwr");
  apostrophes are dropped ("that's" = "thats") and other punctuation separates words.
* ``lang`` is a language tag: anything starting ``cy`` ("cy", "cy-GB", "CY_gb") is
  Welsh, anything else English. Welsh text also accepts English words, because
  people code-switch; English text accepts English words only (so "do", "dim" and
  "un" keep their English meanings there).
* Yes/no: any recognised yes cue and no recognised no cue gives ``True`` (and the
  reverse ``False``); both kinds ("yes no") or neither gives ``None``. Longer
  phrases win over their parts: "not really", "nac oes", "na allaf",
  "ddim yn iawn" are no; "not sure", "dwn i ddim", "no problem" are unclear.
* Numbers: the first number in the text wins ("3 or four" -> 3). Digits may carry
  a suffix ("3rd", "5kg"); "1,000" is a thousand. A token that starts with letters
  ("an12tw") is not a number. Number words cover 0-100 as asked, plus
  "<unit> hundred [and] <n>" / "<unit> cant [a] <n>" up to 999.
* Dates, with ``today`` as the reference:

  - A bare weekday ("saturday", "dydd Sadwrn", "this saturday", "dydd Sadwrn yma")
    is the next occurrence ON OR AFTER today: said on a Saturday, "saturday" is
    today. A visitor asking about "Saturday" on a Saturday almost always means
    today; for the week after they say "next Saturday".
  - "next <day>" / "<day> nesaf" / "<day> next week" is that day in NEXT calendar
    week (weeks start on Monday), so always strictly after today: on Monday
    30 Nov 2026 "next tuesday" is 8 Dec, while "tuesday" is 1 Dec.
  - "last <day>" / "<day> diwethaf" is the most recent such day strictly before today.
  - A day and month without a year ("3 march", "3/3") is the next occurrence on or
    after today (29 February looks ahead to the next leap year). With a year it is
    taken as given; two-digit years are 20xx. Numeric dates are day-first (UK);
    "." and "-" separators need a year ("2.5" is not a date); ISO "2027-03-03" works.
  - In Welsh "Mawrth" is March when a day number sits next to it ("3 Mawrth",
    "Mawrth 3", "y 3ydd o Fawrth") or it follows "mis"/"fis"/"o"/"ym"; otherwise
    (after "dydd"/"nos", or alone) it is Tuesday.
  - A written calendar date (numeric, or day and month) beats relative words and
    weekdays in the same text ("tuesday 1 december" -> 1 December); otherwise the
    first relative expression wins. An impossible date ("31 february") is skipped,
    never an error; dates beyond ``datetime.date`` range give ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from kiosk.core.postcode import PostcodeError, normalise_postcode

__all__ = ["MAX_CHARS", "find_postcode", "parse_date", "parse_number", "parse_yes_no"]

MAX_CHARS = 2000
"""Only this many characters of the input are looked at."""

# --------------------------------------------------------------------------------------
# Text handling
# --------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`")
# A numeric date ("3/3", "03/03/2027", "2027-03-03"), a number with thousands
# separators ("1,000"), or a run of letters and digits.
_TOKEN = re.compile(r"\d{1,4}(?:[/.\-]\d{1,4}){1,2}|\d{1,3}(?:,\d{3})+(?!\d)|[^\W_]+")
_LEADING_DIGITS = re.compile(r"\d+(?:,\d{3})*")


def _is_welsh(lang: str) -> bool:
    primary = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary in {"cy", "cym", "wel"}


def _tokens(text: str) -> list[str]:
    """Lower-cased, accent-free words of the first :data:`MAX_CHARS` characters."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS])
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD can expand a character ("½" -> "1⁄2"); cap again so digit runs stay small.
    plain = plain.lower()[: 2 * MAX_CHARS].translate(_APOSTROPHES)
    return _TOKEN.findall(plain)


def _at(tokens: Sequence[str], index: int) -> str:
    return tokens[index] if 0 <= index < len(tokens) else ""


# --------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------

# Loose shape of a postcode, spaced or not, standing on its own (not inside a longer
# word). kiosk.core.postcode decides whether the candidate really is one.
_POSTCODE_CANDIDATE = re.compile(
    r"(?<!\w)"
    r"(?:[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s{0,3}[0-9][A-Za-z]{2}|[Gg][Ii][Rr]\s{0,3}0[Aa]{2})"
    r"(?!\w)"
)


def find_postcode(text: str) -> str | None:
    """Return the first UK postcode in ``text``, normalised ("AN1 2TW"), or ``None``.

    Spaced and unspaced forms and any case are found ("it's an12tw please"), but not
    inside longer words ("SWAN1 2TW" has none).
    """
    for match in _POSTCODE_CANDIDATE.finditer(text[:MAX_CHARS]):
        try:
            return normalise_postcode(match.group(0))
        except PostcodeError:
            continue
    return None


# --------------------------------------------------------------------------------------
# Yes / no
# --------------------------------------------------------------------------------------


def _phrase_table(
    yes: Iterable[str], no: Iterable[str], unclear: Iterable[str]
) -> dict[tuple[str, ...], bool | None]:
    table: dict[tuple[str, ...], bool | None] = {}
    for phrases, cue in ((yes, True), (no, False), (unclear, None)):
        for phrase in phrases:
            key = tuple(_tokens(phrase))
            if key:
                table[key] = cue
    return table


_EN_YES_WORDS = [
    "yes",
    "yeah",
    "yeh",
    "yea",
    "yep",
    "yup",
    "aye",
    "correct",
    "sure",
    "ok",
    "okay",
    "please",
    "definitely",
    "absolutely",
    "certainly",
    "alright",
    "affirmative",
]
_EN_YES = [
    *_EN_YES_WORDS,
    "that's right",
    "that is right",
    "that's correct",
    "that is correct",
    "yes please",
    "of course",
    "all right",
    "i think so",
    "go ahead",
]
_EN_NO = [
    "no",
    "nope",
    "nah",
    "not really",
    "no thanks",
    "no thank you",
    "wrong",
    "incorrect",
    "that's wrong",
    "that is wrong",
    "not at all",
    "not quite",
    "no way",
    "never",
    "negative",
    "i don't think so",
    "don't think so",
    "not yet",
    "not now",
    "do not",
    *(f"not {word}" for word in _EN_YES_WORDS if word not in {"sure", "certainly"}),
    "not right",
]
_EN_UNCLEAR = [
    "not sure",
    "i'm not sure",
    "not certain",
    "don't know",
    "i don't know",
    "dunno",
    "no idea",
    "maybe",
    "perhaps",
    "no problem",
    "no worries",
]

# Welsh answers echo the verb of the question; "na"/"nac"/"nag" + verb is the no form.
_CY_VERBS = [
    "oes",
    "ydw",
    "yndw",
    "ydy",
    "ydi",
    "yndi",
    "ydyn",
    "ydan",
    "ydych",
    "ydach",
    "ydyw",
    "oedd",
    "oeddwn",
    "roedd",
    "gallaf",
    "galla",
    "gallwn",
    "allaf",
    "alla",
    "allwn",
    "hoffwn",
    "byddaf",
    "bydda",
    "bydd",
    "fyddaf",
    "fydda",
    "fydd",
    "gwnaf",
    "wnaf",
    "gwnes",
    "wnes",
]
_CY_YES = [
    "ie",
    "ia",
    "do",
    *(verb for verb in _CY_VERBS if not verb.startswith(("all", "fy", "wn"))),
    "wrth gwrs",
    "iawn",
    "cywir",
    "gywir",
    "siŵr",
    "yn sicr",
    "plis",
    "os gwelwch yn dda",
    "os gweli di'n dda",
]
_CY_NO = [
    "na",
    "nage",
    "naddo",
    "nadw",
    "nac",
    "nag",
    "dim",
    "ddim",
    "anghywir",
    "na diolch",
    "dim diolch",
    "dim o gwbl",
    *(f"{neg} {verb}" for neg in ("na", "nac", "nag") for verb in _CY_VERBS),
    *(
        f"{neg}{yn} {word}"
        for neg in ("dim", "ddim")
        for yn in ("", " yn")
        for word in ("iawn", "cywir", "gywir")
    ),
]
_CY_UNCLEAR = [
    "ddim yn siŵr",
    "dwi ddim yn siŵr",
    "ddim yn gwybod",
    "dwn i ddim",
    "wn i ddim",
    "sai'n gwybod",
    "sa i'n gwybod",
    "dim syniad",
    "efallai",
    "falle",
    "dim problem",
    "dim ond",
]

_YES_NO_EN = _phrase_table(_EN_YES, _EN_NO, _EN_UNCLEAR)
_YES_NO_CY = {**_YES_NO_EN, **_phrase_table(_CY_YES, _CY_NO, _CY_UNCLEAR)}
_YES_NO_LONGEST = max(len(key) for key in _YES_NO_CY)


def parse_yes_no(text: str, lang: str) -> bool | None:
    """``True`` for a yes answer, ``False`` for a no, ``None`` when unclear or mixed.

    Welsh (``lang`` "cy...") understands the echo answers ("Ydw", "Oes", "Do",
    "Nac ydw", "Nac oes", "Naddo") and English words too. Case, punctuation and
    missing accents do not matter.
    """
    table = _YES_NO_CY if _is_welsh(lang) else _YES_NO_EN
    tokens = _tokens(text)
    seen: set[bool] = set()
    index = 0
    while index < len(tokens):
        for size in range(min(_YES_NO_LONGEST, len(tokens) - index), 0, -1):
            key = tuple(tokens[index : index + size])
            if key in table:
                cue = table[key]
                if cue is not None:
                    seen.add(cue)
                index += size
                break
        else:
            index += 1
        if len(seen) > 1:
            return None
    return seen.pop() if seen else None


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------

_Found = tuple[int, int]
"""A value and the index of the first token after it."""

_EN_UNITS: dict[str, int] = {
    "zero": 0,
    "nought": 0,
    "nil": 0,
    "none": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

_CY_UNITS: dict[str, int] = {
    "un": 1,
    **dict.fromkeys(("dau", "ddau", "dwy", "ddwy"), 2),
    **dict.fromkeys(("tri", "dri", "thri", "nhri", "tair", "dair", "thair", "nhair"), 3),
    **dict.fromkeys(
        ("pedwar", "bedwar", "phedwar", "mhedwar", "pedair", "bedair", "phedair", "mhedair"), 4
    ),
    # "bum" is left out: it is far more often "bûm" (I was).
    **dict.fromkeys(("pump", "bump", "phump", "mhump", "pum", "phum", "mhum"), 5),
    **dict.fromkeys(("chwech", "chwe"), 6),
    "saith": 7,
    "wyth": 8,
    "naw": 9,
}
_CY_TEN = frozenset({"deg", "ddeg", "deng", "ddeng"})
_CY_FIFTEEN = frozenset({"pymtheg", "bymtheg", "phymtheg", "mhymtheg", "pymtheng", "bymtheng"})
_CY_TEENS: dict[str, int] = {
    **dict.fromkeys(("deuddeg", "ddeuddeg", "deuddeng", "ddeuddeng"), 12),
    **dict.fromkeys(_CY_FIFTEEN, 15),
    **dict.fromkeys(("deunaw", "ddeunaw"), 18),
}
_CY_SCORES: dict[str, int] = {
    **dict.fromkeys(("ugain", "hugain"), 20),
    **dict.fromkeys(("deugain", "ddeugain"), 40),
    **dict.fromkeys(("trigain", "drigain", "thrigain", "nhrigain"), 60),
}
_CY_HUNDRED = frozenset({"cant", "gant", "chant", "nghant"})


def _digits_at(tokens: Sequence[str], index: int) -> _Found | None:
    match = _LEADING_DIGITS.match(_at(tokens, index))
    if match is None:
        return None
    try:
        return int(match.group(0).replace(",", "")), index + 1
    except ValueError:
        return None


def _en_below_hundred(tokens: Sequence[str], index: int) -> _Found | None:
    word = _at(tokens, index)
    if word in _EN_TENS:
        unit = _EN_UNITS.get(_at(tokens, index + 1), 0)
        if 1 <= unit <= 9:
            return _EN_TENS[word] + unit, index + 2
        return _EN_TENS[word], index + 1
    if word in _EN_UNITS:
        return _EN_UNITS[word], index + 1
    return None


def _en_hundreds(tokens: Sequence[str], hundreds: int, index: int) -> _Found:
    after = index + 1 if _at(tokens, index) == "and" else index
    rest = _en_below_hundred(tokens, after)
    if rest is not None and rest[0] > 0:
        return hundreds * 100 + rest[0], rest[1]
    return hundreds * 100, index


def _en_number_at(tokens: Sequence[str], index: int) -> _Found | None:
    word = _at(tokens, index)
    following = _at(tokens, index + 1)
    if word in {"a", "an"}:
        if following == "couple":
            return 2, index + 2
        if following == "dozen":
            return 12, index + 2
        if following == "hundred":
            return _en_hundreds(tokens, 1, index + 2)
        return None
    if word == "couple":
        return 2, index + 1
    if word == "dozen":
        return 12, index + 1
    if word == "half" and following == "a" and _at(tokens, index + 2) == "dozen":
        return 6, index + 3
    if word == "hundred":
        return _en_hundreds(tokens, 1, index + 1)
    found = _en_below_hundred(tokens, index)
    if found is not None and 1 <= found[0] <= 9 and _at(tokens, found[1]) == "hundred":
        return _en_hundreds(tokens, found[0], found[1] + 1)
    return found


def _cy_score_at(tokens: Sequence[str], index: int) -> _Found | None:
    """20, 40, 60 or 80 in the traditional (vigesimal) system."""
    word = _at(tokens, index)
    if word in _CY_SCORES:
        return _CY_SCORES[word], index + 1
    if _CY_UNITS.get(word) == 4 and _at(tokens, index + 1) in {"ugain", "hugain"}:
        return 80, index + 2
    return None


def _cy_below_hundred(tokens: Sequence[str], index: int) -> _Found | None:
    word = _at(tokens, index)
    if word == "dim":
        return 0, index + 1
    if word == "hanner" and _at(tokens, index + 1) in _CY_HUNDRED:
        return 50, index + 2
    score = _cy_score_at(tokens, index)
    if score is not None:
        return score
    if word in _CY_UNITS:
        unit = _CY_UNITS[word]
        after = index + 1
        if _at(tokens, after) in _CY_TEN:  # decimal system: "dau ddeg un" = 21
            last = _CY_UNITS.get(_at(tokens, after + 1))
            if last is not None:
                return unit * 10 + last, after + 2
            return unit * 10, after + 1
        if _at(tokens, after) == "ar" and _at(tokens, after + 1) in _CY_TEN:
            small = (unit + 10, after + 2)  # "un ar ddeg" = 11
        elif _at(tokens, after) == "ar" and _at(tokens, after + 1) in _CY_FIFTEEN:
            small = (unit + 15, after + 2)  # "un ar bymtheg" = 16
        else:
            small = (unit, after)
    elif word in _CY_TEN:
        small = (10, index + 1)
    elif word in _CY_TEENS:
        small = (_CY_TEENS[word], index + 1)
    else:
        return None
    value, after = small
    if _at(tokens, after) in {"ar", "a", "ac"}:  # "un ar hugain" = 21, "deg a thrigain" = 70
        score = _cy_score_at(tokens, after + 1)
        if score is not None and value + score[0] < 100:
            return value + score[0], score[1]
    return small


def _cy_number_at(tokens: Sequence[str], index: int) -> _Found | None:
    word = _at(tokens, index)
    if word in _CY_HUNDRED:
        hundreds, after = 1, index + 1
    elif word in _CY_UNITS and _at(tokens, index + 1) in _CY_HUNDRED:
        hundreds, after = _CY_UNITS[word], index + 2
    else:
        return _cy_below_hundred(tokens, index)
    if _at(tokens, after) in {"a", "ac"}:
        rest = _cy_below_hundred(tokens, after + 1)
        if rest is not None and rest[0] > 0:
            return hundreds * 100 + rest[0], rest[1]
    return hundreds * 100, after


def _words_number_at(tokens: Sequence[str], index: int, welsh: bool) -> _Found | None:
    if welsh:
        found = _cy_number_at(tokens, index)
        if found is not None:
            return found
    return _en_number_at(tokens, index)


def _number_at(tokens: Sequence[str], index: int, welsh: bool) -> _Found | None:
    return _digits_at(tokens, index) or _words_number_at(tokens, index, welsh)


def parse_number(text: str, lang: str) -> int | None:
    """Return the first number in ``text`` (digits or words), or ``None``.

    English: "3", "twenty-one", "a couple" (2), "a dozen" (12), "one hundred".
    Welsh also: "dau ddeg un" (21), "un ar ddeg" (11), "deuddeg", "cant", with
    mutations ("ddau", "thri", "bedwar").
    """
    welsh = _is_welsh(lang)
    tokens = _tokens(text)
    for index in range(len(tokens)):
        found = _number_at(tokens, index, welsh)
        if found is not None:
            return found[0]
    return None


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_EN_MONTHS: dict[str, int] = {
    **dict.fromkeys(("january", "jan"), 1),
    **dict.fromkeys(("february", "feb"), 2),
    **dict.fromkeys(("march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "may": 5,
    **dict.fromkeys(("june", "jun"), 6),
    **dict.fromkeys(("july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
# Welsh months with their soft-mutated forms ("o Fawrth", "ym mis Fai").
_CY_MONTHS: dict[str, int] = {
    "ionawr": 1,
    "chwefror": 2,
    **dict.fromkeys(("mawrth", "fawrth"), 3),
    "ebrill": 4,
    **dict.fromkeys(("mai", "fai"), 5),
    **dict.fromkeys(("mehefin", "fehefin"), 6),
    **dict.fromkeys(("gorffennaf", "orffennaf", "gorffenaf"), 7),
    "awst": 8,
    **dict.fromkeys(("medi", "fedi"), 9),
    "hydref": 10,
    **dict.fromkeys(("tachwedd", "dachwedd"), 11),
    **dict.fromkeys(("rhagfyr", "ragfyr"), 12),
}
_CY_MAWRTH = frozenset({"mawrth", "fawrth"})
_CY_DAY_WORDS = frozenset({"dydd", "ddydd", "nos"})
_CY_MONTH_CUES = frozenset({"mis", "fis", "o", "ym"})

_EN_WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("monday", "mon"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("wednesday", "weds"), 2),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("friday", "fri"), 4),
    "saturday": 5,
    "sunday": 6,
}
# Welsh day names, with the soft mutations used after "nos" ("nos Wener").
_CY_WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("llun", "lun"), 0),
    **dict.fromkeys(_CY_MAWRTH, 1),
    **dict.fromkeys(("mercher", "fercher"), 2),
    "iau": 3,
    **dict.fromkeys(("gwener", "wener"), 4),
    "sadwrn": 5,
    "sul": 6,
}
_CY_NEXT = frozenset({"nesaf", "nesa"})
_CY_LAST = frozenset({"diwethaf", "diwetha", "dwethaf", "dwetha", "dwytha", "ddiwethaf"})

_EN_RELATIVE: dict[str, int] = {
    **dict.fromkeys(("today", "tonight"), 0),
    **dict.fromkeys(("tomorrow", "tomorow", "tommorow", "tommorrow", "tmrw"), 1),
    "yesterday": -1,
}
_CY_RELATIVE: dict[str, int] = {
    **dict.fromkeys(("heddiw", "heno"), 0),
    **dict.fromkeys(("yfory", "fory"), 1),
    **dict.fromkeys(("drennydd", "trennydd"), 2),
    "ddoe": -1,
    "echdoe": -2,
}

# Length units in days: singular forms may stand alone ("in a week", "mewn wythnos").
_UNIT_DAYS: dict[str, tuple[int, bool]] = {
    "day": (1, True),
    "days": (1, False),
    "week": (7, True),
    "weeks": (7, False),
    "fortnight": (14, True),
    "fortnights": (14, False),
}
_CY_UNIT_DAYS: dict[str, tuple[int, bool]] = {
    **dict.fromkeys(("diwrnod", "ddiwrnod", "niwrnod"), (1, True)),
    **dict.fromkeys(("diwrnodau", "ddiwrnodau"), (1, False)),
    "wythnos": (7, True),
    "wythnosau": (7, False),
    **dict.fromkeys(("pythefnos", "bythefnos"), (14, True)),
}
_ALL_UNIT_DAYS = {**_UNIT_DAYS, **_CY_UNIT_DAYS}

_EN_ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_CY_ORDINALS: dict[str, int] = {
    **dict.fromkeys(("cyntaf", "unfed"), 1),
    "ail": 2,
    **dict.fromkeys(("trydydd", "drydydd", "trydedd", "drydedd"), 3),
    **dict.fromkeys(("pedwerydd", "bedwerydd", "pedwaredd", "bedwaredd"), 4),
    **dict.fromkeys(("pumed", "bumed"), 5),
    "chweched": 6,
    "seithfed": 7,
    "wythfed": 8,
    "nawfed": 9,
    **dict.fromkeys(("degfed", "ddegfed"), 10),
    "deuddegfed": 12,
    **dict.fromkeys(("pymthegfed", "bymthegfed"), 15),
    "deunawfed": 18,
    **dict.fromkeys(("ugeinfed", "hugeinfed"), 20),
}
_DAY_DIGITS = re.compile(r"(\d{1,2})(?:st|nd|rd|th|af|il|ydd|edd|ed|fed|eg|ain)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})(?:\2(\d{4}|\d{2}))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")

_DateFinder = Callable[[Sequence[str], int, bool, dt.date], dt.date | None]
"""Looks for a date starting at one token: (tokens, index, welsh, today)."""


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _shift(today: dt.date, days: int) -> dt.date | None:
    try:
        return today + dt.timedelta(days=days)
    except OverflowError:
        return None


def _next_occurrence(month: int, day: int, today: dt.date) -> dt.date | None:
    """The first ``day``/``month`` on or after today (looking up to 8 years ahead)."""
    for year in range(today.year, today.year + 9):
        found = _make_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _numeric_date(token: str, today: dt.date) -> dt.date | None:
    iso = _ISO_DATE.fullmatch(token)
    if iso is not None:
        return _make_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    match = _NUMERIC_DATE.fullmatch(token)
    if match is None:
        return None
    day, separator, month, year = match.groups()
    if year is None:
        if separator != "/":  # "2.5" and "3-4" are more likely numbers or ranges
            return None
        return _next_occurrence(int(month), int(day), today)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    return _make_date(full_year, int(month), int(day))


def _ordinal_at(tokens: Sequence[str], index: int, welsh: bool) -> _Found | None:
    word = _at(tokens, index)
    following = _at(tokens, index + 1)
    if word in {"twenty", "thirty"} and _EN_ORDINALS.get(following, 10) <= 9:
        return _EN_TENS[word] + _EN_ORDINALS[following], index + 2
    if word in _EN_ORDINALS:
        return _EN_ORDINALS[word], index + 1
    if not welsh or word not in _CY_ORDINALS:
        return None
    value, after = _CY_ORDINALS[word], index + 1
    if _at(tokens, after) == "ar" and _at(tokens, after + 1) in _CY_TEN:
        value, after = value + 10, after + 2  # "unfed ar ddeg" = 11th
    elif _at(tokens, after) == "ar" and _at(tokens, after + 1) in _CY_FIFTEEN:
        value, after = value + 15, after + 2  # "ail ar bymtheg" = 17th
    if _at(tokens, after) == "ar" and _at(tokens, after + 1) in {"hugain", "ugain"}:
        value, after = value + 20, after + 2  # "unfed ar hugain" = 21st
    return value, after


def _day_at(tokens: Sequence[str], index: int, welsh: bool) -> _Found | None:
    """A day of the month: "3", "3rd", "3ydd", "third", "trydydd", "twenty one"."""
    digits = _DAY_DIGITS.fullmatch(_at(tokens, index))
    if digits is not None:
        found: _Found | None = (int(digits.group(1)), index + 1)
    else:
        found = _ordinal_at(tokens, index, welsh) or _words_number_at(tokens, index, welsh)
    if found is not None and 1 <= found[0] <= 31:
        return found
    return None


def _month_at(tokens: Sequence[str], index: int, welsh: bool) -> int | None:
    word = _at(tokens, index)
    if word in _EN_MONTHS:
        return _EN_MONTHS[word]
    if welsh and word in _CY_MONTHS:
        if word in _CY_MAWRTH and _at(tokens, index - 1) in _CY_DAY_WORDS:
            return None  # "dydd Mawrth" is Tuesday
        return _CY_MONTHS[word]
    return None


def _with_year(
    tokens: Sequence[str], index: int, month: int, day: int, today: dt.date
) -> dt.date | None:
    year = _at(tokens, index)
    if _YEAR.fullmatch(year):
        return _make_date(int(year), month, day)
    return _next_occurrence(month, day, today)


def _calendar_date_at(
    tokens: Sequence[str], index: int, welsh: bool, today: dt.date
) -> dt.date | None:
    numeric = _numeric_date(tokens[index], today)
    if numeric is not None:
        return numeric
    day = _day_at(tokens, index, welsh)
    if day is not None:  # "3 march", "3rd of march", "y 3ydd o fis Mawrth"
        after = day[1]
        for _ in range(2):
            if _at(tokens, after) in {"of", "o", "fis", "mis"}:
                after += 1
        month = _month_at(tokens, after, welsh)
        if month is not None:
            found = _with_year(tokens, after + 1, month, day[0], today)
            if found is not None:
                return found
    month = _month_at(tokens, index, welsh)
    if month is not None:  # "march 3", "march the 3rd, 2027", "Mawrth 3"
        after = index + 1
        if _at(tokens, after) in {"the", "y", "yr"}:
            after += 1
        day = _day_at(tokens, after, welsh)
        if day is not None:
            return _with_year(tokens, day[1], month, day[0], today)
    return None


def _weekday_of(tokens: Sequence[str], index: int, welsh: bool) -> int | None:
    word = tokens[index]
    if word in _EN_WEEKDAYS:
        return _EN_WEEKDAYS[word]
    if not welsh or word not in _CY_WEEKDAYS:
        return None
    if word in _CY_MAWRTH and (
        _at(tokens, index - 1) in _CY_MONTH_CUES or _YEAR.fullmatch(_at(tokens, index + 1))
    ):
        return None  # "ym mis Mawrth", "Mawrth 2027": the month, not a day
    return _CY_WEEKDAYS[word]


def _weekday_date(
    tokens: Sequence[str], index: int, weekday: int, welsh: bool, today: dt.date
) -> dt.date | None:
    before = index - 1
    if _at(tokens, before) in _CY_DAY_WORDS:
        before -= 1
    previous = _at(tokens, before)
    following = _at(tokens, index + 1)
    then = _at(tokens, index + 2)
    next_week = then in {"week", "wythnos"} and following in {"next", "nesaf", "nesa"}
    last_week = then in {"week", "wythnos"} and following in {"last", *_CY_LAST}
    if previous == "next" or next_week or (welsh and following in _CY_NEXT):
        # The given day in next calendar week (weeks start on Monday).
        return _shift(today, 7 - today.weekday() + weekday)
    if previous == "last" or last_week or (welsh and following in _CY_LAST):
        return _shift(today, -((today.weekday() - weekday) % 7 or 7))
    return _shift(today, (weekday - today.weekday()) % 7)


def _length_at(tokens: Sequence[str], index: int, welsh: bool) -> _Found | None:
    """A length of time in days: "3 days", "a week", "tri diwrnod", "pythefnos"."""
    count: _Found | None
    if _at(tokens, index) in {"a", "an"}:
        count = (1, index + 1)
    else:
        count = _number_at(tokens, index, welsh)
    units = _ALL_UNIT_DAYS if welsh else _UNIT_DAYS
    if count is not None and _at(tokens, count[1]) in units:
        return count[0] * units[_at(tokens, count[1])][0], count[1] + 1
    days, alone = units.get(_at(tokens, index), (0, False))
    if alone:
        return days, index + 1
    return None


def _relative_date_at(
    tokens: Sequence[str], index: int, welsh: bool, today: dt.date
) -> dt.date | None:
    word = tokens[index]
    phrase = tuple(tokens[index : index + 3])
    if phrase == ("day", "after", "tomorrow"):
        return _shift(today, 2)
    if phrase == ("day", "before", "yesterday"):
        return _shift(today, -2)
    if word in _EN_RELATIVE:
        return _shift(today, _EN_RELATIVE[word])
    if welsh and word in _CY_RELATIVE:
        return _shift(today, _CY_RELATIVE[word])
    if word == "in" or (welsh and word in {"mewn", "ymhen"}):
        ahead = _length_at(tokens, index + 1, welsh)
        if ahead is not None:
            return _shift(today, ahead[0])
    back = _length_at(tokens, index, welsh)
    if back is not None and (
        _at(tokens, back[1]) == "ago"
        or (welsh and (_at(tokens, back[1]), _at(tokens, back[1] + 1)) == ("yn", "ol"))
    ):
        return _shift(today, -back[0])
    weekday = _weekday_of(tokens, index, welsh)
    if weekday is not None:
        return _weekday_date(tokens, index, weekday, welsh, today)
    return None


def _first(
    tokens: Sequence[str],
    welsh: bool,
    today: dt.date,
    finder: _DateFinder,
) -> dt.date | None:
    for index in range(len(tokens)):
        found = finder(tokens, index, welsh, today)
        if found is not None:
            return found
    return None


def parse_date(text: str, lang: str, today: dt.date) -> dt.date | None:
    """Return the date ``text`` talks about, relative to ``today``, or ``None``.

    See the module docstring for how weekdays, "next"/"last" and year-less dates are
    resolved. Impossible dates ("31 february") give ``None``, never an error.
    """
    today = dt.date(today.year, today.month, today.day)  # a datetime works too
    welsh = _is_welsh(lang)
    tokens = _tokens(text)
    return _first(tokens, welsh, today, _calendar_date_at) or _first(
        tokens, welsh, today, _relative_date_at
    )

"""Entity extraction: postcodes, yes/no, numbers and dates in English and Welsh."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.nlu.entities import MAX_CHARS, find_postcode, parse_date, parse_number, parse_yes_no

SATURDAY = dt.date(2026, 11, 28)
MONDAY = dt.date(2026, 11, 30)
SUNDAY = dt.date(2026, 11, 29)

# Hard inputs every function must survive.
NASTY = [
    "",
    " ",
    "\n\t\r",
    "\x00\x01\x7f",
    "👍",
    "👍🏽👎🏿 🎉🎉 🇬🇧🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "نعم، الرمز البريدي هو ٣",  # Arabic, with an Arabic-Indic digit
    "جی ہاں، میرا پوسٹ کوڈ ہے",  # Urdu
    "\u202eAN1 2TW\u202c",  # right-to-left override around a postcode
    "שלום עולם",
    "ｙｅｓ ３ ＡＮ１ ２ＴＷ",  # full-width forms
    "①②③ ½ ⅒ ² ㉑",
    "\ud800 lone surrogate",
    "́́́́́ combining marks only",
    "İıſK",
    "9" * 5000,
    "1/" * 3000,
    "a" * 100_000,
    "yes no 3 march AN1 2TW " * 5000,
    "ﷺ" * 3000,  # expands twentyfold under NFKD
    "31/02/2027 in 99999999999999 days 9999-12-31 tomorrow",
]
LANGS = ["en", "cy", "cy-GB", "EN_gb", "", "xx", "🏴"]


# --------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AN1 2TW", "AN1 2TW"),
        ("AN12TW", "AN1 2TW"),
        ("an12tw", "AN1 2TW"),
        ("it's an1 2tw please", "AN1 2TW"),
        ("my postcode is cf10 1ep", "CF10 1EP"),
        ("fy nghod post yw CF10 1EP diolch", "CF10 1EP"),
        ("Postcode: SW1A1AA.", "SW1A 1AA"),
        ("sw1a   1aa", "SW1A 1AA"),
        ("(EC1A 1BB)", "EC1A 1BB"),
        ("M1 1AE, Manchester", "M1 1AE"),
        ("it is DN55 1PT I think", "DN55 1PT"),
        ("gir 0aa", "GIR 0AA"),
        ("first AN1 2TW then CF10 1EP", "AN1 2TW"),
        ("not AN1 2CI but CF10 1EP", "CF10 1EP"),
        ("line one\nAN1\n2TW", "AN1 2TW"),
    ],
)
def test_postcode_is_found_and_normalised(text: str, expected: str) -> None:
    assert find_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no postcode here",
        "SWAN1 2TW",  # inside a longer word
        "AN1 2TWX",
        "XAN12TW",
        "AN12TWS",
        "AN1 2CI",  # inward code never uses C or I
        "AN1-2TW",
        "12345",
        "ANYTOWN",
        "room 12 3rd floor",
    ],
)
def test_no_postcode_gives_none(text: str) -> None:
    assert find_postcode(text) is None


def test_postcode_only_looks_at_the_start_of_huge_text() -> None:
    assert find_postcode("x " * MAX_CHARS + "AN1 2TW") is None
    assert find_postcode("AN1 2TW " + "x" * 100_000) == "AN1 2TW"


# --------------------------------------------------------------------------------------
# Yes / no
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *((word, True) for word in ["yes", "yeah", "yep", "yup", "aye", "correct", "sure"]),
        *((word, True) for word in ["ok", "okay", "please", "Yes please!", "YES."]),
        ("that's right", True),
        ("That’s right", True),
        ("yes, that's correct", True),
        ("of course", True),
        *((word, False) for word in ["no", "nope", "nah", "wrong", "incorrect", "No."]),
        ("not really", False),
        ("no thanks", False),
        ("no not really", False),
        ("No, thank you", False),
        ("that's not right", False),
        ("not ok", False),
        ("i don't think so", False),
        ("yes no", None),
        ("yeah, no", None),
        ("not sure", None),
        ("I don't know", None),
        ("maybe", None),
        ("", None),
        ("what time is it", None),
        ("ie", None),  # Welsh words mean nothing in English mode
        ("nac oes", None),
    ],
)
def test_yes_no_english(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text, "en") is expected


WELSH_YES = [
    "ie",
    "do",
    "oes",
    "ydw",
    "ydy",
    "ydyn",
    "ydych",
    "roedd",
    "oedd",
    "gallaf",
    "galla",
    "hoffwn",
    "byddaf",
    "bydd",
    "wrth gwrs",
    "iawn",
    "cywir",
]
WELSH_NO = [
    "na",
    "naddo",
    "nac oes",
    "nag oes",
    "dim",
    "nac ydw",
    "nag ydw",
    "nac ydy",
    "nag ydy",
    "nac oedd",
    "na allaf",
    "ddim",
    "anghywir",
]


@pytest.mark.parametrize("text", WELSH_YES)
def test_welsh_echo_answers_mean_yes(text: str) -> None:
    assert parse_yes_no(text, "cy") is True
    assert parse_yes_no(text.upper() + ".", "cy") is True


@pytest.mark.parametrize("text", WELSH_NO)
def test_welsh_negative_answers_mean_no(text: str) -> None:
    assert parse_yes_no(text, "cy") is False
    assert parse_yes_no(text.title() + "!", "cy") is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ydw, diolch", True),
        ("Oes, plis", True),
        ("ydw i", True),
        ("Ie, mae hynny'n gywir", True),
        ("Yes", True),  # code-switching
        ("ok", True),
        ("Nac ydw.", False),
        ("nac ydw", False),
        ("Na, dim diolch", False),
        ("Dim diolch", False),
        ("na fydd", False),
        ("na hoffwn", False),
        ("ddim yn iawn", False),
        ("no thanks", False),
        ("nope", False),
        ("ydw na", None),
        ("ie no", None),
        ("ddim yn siŵr", None),
        ("ddim yn siwr", None),  # accent missing
        ("dwn i ddim", None),
        ("efallai", None),
        ("", None),
        ("beth?", None),
    ],
)
def test_yes_no_welsh(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text, "cy") is expected


@pytest.mark.parametrize("lang", ["cy", "CY", "cy-GB", "cy_GB"])
def test_welsh_language_tags(lang: str) -> None:
    assert parse_yes_no("nac oes", lang) is False


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("12", 12),
        ("0", 0),
        ("I need 3 bags", 3),
        ("3rd", 3),
        ("1,000", 1000),
        ("zero", 0),
        ("none", 0),
        ("one", 1),
        ("three", 3),
        ("Twelve", 12),
        ("nineteen", 19),
        ("twenty", 20),
        ("twenty one", 21),
        ("twenty-one", 21),
        ("ninety nine", 99),
        ("a couple", 2),
        ("a couple of bags", 2),
        ("a dozen", 12),
        ("a hundred", 100),
        ("one hundred", 100),
        ("three or 4", 3),
        ("4 or three", 4),
        ("no", None),
        ("", None),
        ("AN12TW", None),
        ("un", None),  # Welsh words mean nothing in English mode
    ],
)
def test_numbers_english(text: str, expected: int | None) -> None:
    assert parse_number(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dim", 0),
        ("un", 1),
        ("dau", 2),
        ("dwy", 2),
        ("tri", 3),
        ("tair", 3),
        ("pedwar", 4),
        ("pedair", 4),
        ("pump", 5),
        ("pum", 5),
        ("chwech", 6),
        ("chwe", 6),
        ("saith", 7),
        ("wyth", 8),
        ("naw", 9),
        ("deg", 10),
        ("un ar ddeg", 11),
        ("deuddeg", 12),
        ("tri ar ddeg", 13),
        ("pymtheg", 15),
        ("un ar bymtheg", 16),
        ("deunaw", 18),
        ("ugain", 20),
        ("un ar hugain", 21),
        ("deg ar hugain", 30),
        ("deugain", 40),
        ("hanner cant", 50),
        ("trigain", 60),
        ("pedwar ugain", 80),
        ("deg a phedwar ugain", 90),
        ("un deg un", 11),
        ("dau ddeg", 20),
        ("dau ddeg un", 21),
        ("tri deg", 30),
        ("pum deg pump", 55),
        ("naw deg naw", 99),
        ("cant", 100),
        ("ddau", 2),
        ("ddwy", 2),
        ("thri", 3),
        ("dri", 3),
        ("bedwar", 4),
        ("phedwar", 4),
        ("bump", 5),
        ("Mae gen i ddau fag", 2),
        ("tri neu bedwar", 3),
        ("3 plentyn", 3),
        ("three", 3),  # code-switching
        ("a couple", 2),
        ("", None),
        ("beth?", None),
    ],
)
def test_numbers_welsh(text: str, expected: int | None) -> None:
    assert parse_number(text, "cy") == expected


# --------------------------------------------------------------------------------------
# Dates (today is Saturday 28 November 2026 unless stated)
# --------------------------------------------------------------------------------------


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", d(11, 28)),
        ("tonight", d(11, 28)),
        ("tomorrow", d(11, 29)),
        ("yesterday", d(11, 27)),
        ("the day after tomorrow", d(11, 30)),
        ("the day before yesterday", d(11, 26)),
        ("in 3 days", d(12, 1)),
        ("in three days' time", d(12, 1)),
        ("in a week", d(12, 5)),
        ("in 2 weeks", d(12, 12)),
        ("in a fortnight", d(12, 12)),
        ("3 days ago", d(11, 25)),
        # Bare weekday: next occurrence on or after today (today if it is that day).
        ("saturday", d(11, 28)),
        ("this saturday", d(11, 28)),
        ("sunday", d(11, 29)),
        ("monday", d(11, 30)),
        ("on Friday please", d(12, 4)),
        ("fri", d(12, 4)),
        # "next" = that day in next calendar week; "last" = most recent before today.
        ("next tuesday", d(12, 1)),
        ("next saturday", d(12, 5)),
        ("next monday", d(11, 30)),
        ("tuesday next week", d(12, 1)),
        ("last friday", d(11, 27)),
        ("last saturday", d(11, 21)),
        ("last sunday", d(11, 22)),
        # Day and month: next occurrence on or after today, UK day-first.
        ("3rd march", d(3, 3, 2027)),
        ("3 march", d(3, 3, 2027)),
        ("the 3rd of March", d(3, 3, 2027)),
        ("march 3", d(3, 3, 2027)),
        ("March 3rd, 2027", d(3, 3, 2027)),
        ("march the third", d(3, 3, 2027)),
        ("third of march", d(3, 3, 2027)),
        ("twenty-first of march", d(3, 21, 2027)),
        ("3 mar", d(3, 3, 2027)),
        ("28 november", d(11, 28)),
        ("27 november", d(11, 27, 2027)),
        ("1 december", d(12, 1)),
        ("3 march 2027", d(3, 3, 2027)),
        ("3 march 2025", d(3, 3, 2025)),
        ("29 february", d(2, 29, 2028)),
        ("3/3", d(3, 3, 2027)),
        ("4/12", d(12, 4)),  # 4 December, not 12 April
        ("03/03/2027", d(3, 3, 2027)),
        ("3/3/27", d(3, 3, 2027)),
        ("03.03.2027", d(3, 3, 2027)),
        ("2027-03-03", d(3, 3, 2027)),
        ("tuesday 1 december", d(12, 1)),
        ("can I come on 5/12 please", d(12, 5)),
    ],
)
def test_dates_english(text: str, expected: dt.date) -> None:
    assert parse_date(text, "en", SATURDAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("tuesday", MONDAY, d(12, 1)),
        ("next tuesday", MONDAY, d(12, 8)),
        ("monday", MONDAY, d(11, 30)),
        ("next monday", MONDAY, d(12, 7)),
        ("last monday", MONDAY, d(11, 23)),
        ("next saturday", SUNDAY, d(12, 5)),
        ("saturday", SUNDAY, d(12, 5)),
        ("3 march", dt.date(2027, 3, 3), d(3, 3, 2027)),
        ("3 march", dt.date(2027, 3, 4), d(3, 3, 2028)),
    ],
)
def test_weekday_rules_from_other_days(text: str, today: dt.date, expected: dt.date) -> None:
    assert parse_date(text, "en", today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "31 february",
        "february 31",
        "30 february 2028",
        "31 april",
        "31/02/2027",
        "0/3",
        "32 march",
        "2.5",
        "march",
        "next week",
        "dydd Mawrth",  # Welsh words mean nothing in English mode
        "in 99999999999 days",
    ],
)
def test_no_date_english(text: str) -> None:
    assert parse_date(text, "en", SATURDAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("heddiw", d(11, 28)),
        ("heno", d(11, 28)),
        ("yfory", d(11, 29)),
        ("fory", d(11, 29)),
        ("ddoe", d(11, 27)),
        ("drennydd", d(11, 30)),
        ("echdoe", d(11, 26)),
        ("dydd Llun", d(11, 30)),
        ("dydd Mawrth", d(12, 1)),  # Tuesday, not March
        ("ddydd Mawrth", d(12, 1)),
        ("nos Fawrth", d(12, 1)),
        ("Mawrth", d(12, 1)),
        ("dydd Mercher", d(12, 2)),
        ("dydd Iau", d(12, 3)),
        ("dydd Gwener", d(12, 4)),
        ("nos Wener", d(12, 4)),
        ("dydd Sadwrn", d(11, 28)),  # today is Saturday
        ("dydd Sul", d(11, 29)),
        ("Llun", d(11, 30)),
        ("Sadwrn", d(11, 28)),
        ("dydd Sadwrn yma", d(11, 28)),
        ("dydd Mawrth nesaf", d(12, 1)),
        ("dydd Sadwrn nesaf", d(12, 5)),
        ("Sadwrn nesa", d(12, 5)),
        ("dydd Gwener diwethaf", d(11, 27)),
        ("dydd Sadwrn dwetha", d(11, 21)),
        ("dydd Sadwrn diwetha'", d(11, 21)),
        ("3 Mawrth", d(3, 3, 2027)),  # March, not Tuesday
        ("Mawrth 3", d(3, 3, 2027)),
        ("3ydd Mawrth", d(3, 3, 2027)),
        ("y 3ydd o Fawrth", d(3, 3, 2027)),
        ("y trydydd o fis Mawrth", d(3, 3, 2027)),
        ("3 Mawrth 2027", d(3, 3, 2027)),
        ("dydd Mawrth 1 Rhagfyr", d(12, 1)),
        ("1af Ionawr", d(1, 1, 2027)),
        ("14 Chwefror", d(2, 14, 2027)),
        ("1 Ebrill", d(4, 1, 2027)),
        ("1 Mai", d(5, 1, 2027)),
        ("1 Mehefin", d(6, 1, 2027)),
        ("1 Gorffennaf", d(7, 1, 2027)),
        ("1 Awst", d(8, 1, 2027)),
        ("1 Medi", d(9, 1, 2027)),
        ("1 Hydref", d(10, 1, 2027)),
        ("30 Tachwedd", d(11, 30)),
        ("25 Rhagfyr", d(12, 25)),
        ("unfed ar hugain o Fawrth", d(3, 21, 2027)),
        ("mewn 3 diwrnod", d(12, 1)),
        ("mewn tri diwrnod", d(12, 1)),
        ("mewn dau ddiwrnod", d(11, 30)),
        ("ymhen wythnos", d(12, 5)),
        ("mewn pythefnos", d(12, 12)),
        ("3 diwrnod yn ôl", d(11, 25)),
        ("03/03/2027", d(3, 3, 2027)),
        ("3/3", d(3, 3, 2027)),
        ("tomorrow", d(11, 29)),  # code-switching
        ("next tuesday", d(12, 1)),
        ("dydd Mawrth 3 Mawrth", d(3, 3, 2027)),  # the written date wins
    ],
)
def test_dates_welsh(text: str, expected: dt.date) -> None:
    assert parse_date(text, "cy", SATURDAY) == expected


@pytest.mark.parametrize(
    "text", ["", "helo", "31 Chwefror", "Chwefror 31", "ym mis Mawrth", "Mawrth 2027", "wythnos"]
)
def test_no_date_welsh(text: str) -> None:
    assert parse_date(text, "cy", SATURDAY) is None


def test_date_at_the_edges_of_the_calendar_gives_none() -> None:
    assert parse_date("tomorrow", "en", dt.date.max) is None
    assert parse_date("yesterday", "en", dt.date.min) is None
    assert parse_date("3 march", "en", dt.date(9999, 12, 1)) is None


def test_date_accepts_a_datetime_as_today() -> None:
    now = dt.datetime(2026, 11, 28, 15, 30)
    assert parse_date("3 march", "en", now) == d(3, 3, 2027)
    assert type(parse_date("tomorrow", "en", now)) is dt.date


# --------------------------------------------------------------------------------------
# Never raise, always the right type
# --------------------------------------------------------------------------------------


def _check_all(text: str, lang: str, today: dt.date = SATURDAY) -> None:
    postcode = find_postcode(text)
    assert postcode is None or isinstance(postcode, str)
    answer = parse_yes_no(text, lang)
    assert answer is None or isinstance(answer, bool)
    number = parse_number(text, lang)
    assert number is None or (isinstance(number, int) and not isinstance(number, bool))
    date = parse_date(text, lang, today)
    assert date is None or type(date) is dt.date


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_nasty_inputs_never_raise(text: str, lang: str) -> None:
    _check_all(text, lang)


@given(text=st.text(), lang=st.sampled_from(LANGS))
def test_find_postcode_never_raises(text: str, lang: str) -> None:
    result = find_postcode(text)
    assert result is None or isinstance(result, str)


@given(text=st.text(), lang=st.sampled_from(LANGS))
def test_parse_yes_no_never_raises(text: str, lang: str) -> None:
    result = parse_yes_no(text, lang)
    assert result is None or isinstance(result, bool)


@given(text=st.text(), lang=st.sampled_from(LANGS))
def test_parse_number_never_raises(text: str, lang: str) -> None:
    result = parse_number(text, lang)
    assert result is None or (isinstance(result, int) and not isinstance(result, bool))


@given(text=st.text(), lang=st.sampled_from(LANGS), today=st.dates())
def test_parse_date_never_raises(text: str, lang: str, today: dt.date) -> None:
    result = parse_date(text, lang, today)
    assert result is None or type(result) is dt.date


@given(text=st.text(), lang=st.text())
def test_any_language_tag_is_accepted(text: str, lang: str) -> None:
    _check_all(text, lang)


WORDS = st.sampled_from(
    [
        "yes",
        "no",
        "nac",
        "oes",
        "ydw",
        "dydd",
        "Mawrth",
        "march",
        "next",
        "last",
        "nesaf",
        "in",
        "mewn",
        "a",
        "couple",
        "dau",
        "ddeg",
        "ar",
        "hugain",
        "cant",
        "twenty",
        "first",
        "3",
        "31",
        "3rd",
        "29",
        "february",
        "2027",
        "3/3",
        "31/02",
        "days",
        "diwrnod",
        "ago",
        "AN1",
        "2TW",
        "👍",
        "نعم",
        "",
    ]
)


@given(words=st.lists(WORDS, max_size=12), lang=st.sampled_from(["en", "cy"]), today=st.dates())
def test_keyword_soup_never_raises(words: list[str], lang: str, today: dt.date) -> None:
    _check_all(" ".join(words), lang, today)


@settings(max_examples=20, deadline=None)
@given(
    text=st.text(min_size=1, max_size=50).map(lambda chunk: chunk * (100_000 // len(chunk) + 1)),
    lang=st.sampled_from(["en", "cy"]),
)
def test_huge_text_never_raises(text: str, lang: str) -> None:
    assert len(text) >= 100_000
    _check_all(text, lang)


@given(
    text=st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["Lo", "Mn", "Nd", "So", "Cf", "Zs"],
        )
    ),
    lang=st.sampled_from(["en", "cy"]),
)
def test_non_latin_scripts_and_symbols_never_raise(text: str, lang: str) -> None:
    _check_all(text, lang)

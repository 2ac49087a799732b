import datetime as dt
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_I18N
from kiosk.core.i18n import Catalogue, CatalogueError, check_catalogues, plural_categories

LANGS = ["en", "cy"]


def test_every_language_has_every_key_placeholder_and_plural_form() -> None:
    assert check_catalogues(DEFAULT_I18N, LANGS) == []


def test_welsh_needs_six_plural_forms() -> None:
    assert plural_categories("cy") == {"zero", "one", "two", "few", "many", "other"}
    assert plural_categories("en") == {"one", "other"}


def write(folder: Path, lang: str, text: str) -> None:
    (folder / lang).mkdir(parents=True, exist_ok=True)
    (folder / lang / "kiosk.ftl").write_text(text, encoding="utf-8")


EN = """
hello = Hello { $name }
count = { $n ->
    [one] { $n } thing
   *[other] { $n } things
}
"""


def test_check_finds_missing_keys_placeholders_and_plurals(tmp_path: Path) -> None:
    write(tmp_path, "en", EN)
    write(
        tmp_path,
        "cy",
        """
hello = Helo { $enw }
count = { $n ->
    [one] { $n } peth
   *[other] { $n } peth
}
extra = Ychwanegol
""",
    )
    problems = check_catalogues(tmp_path, ["en", "cy"])
    assert "cy: 'hello' uses ['enw'], English uses ['name']" in problems
    assert any("'count' lacks plural forms ['few', 'many', 'two', 'zero']" in p for p in problems)
    assert "cy: 'extra' is not in English (stale or misspelt?)" in problems
    write(tmp_path, "cy", "hello = Helo { $name }\n")
    assert "cy: missing 'count'" in check_catalogues(tmp_path, ["en", "cy"])


def test_unparsable_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "en", "good = Fine\n  this is not fluent = {\n")
    with pytest.raises(CatalogueError, match="cannot parse"):
        check_catalogues(tmp_path, ["en"])


def test_plurals_pick_the_welsh_form(tmp_path: Path) -> None:
    write(tmp_path, "en", "n = { $n -> \n  [one] one\n *[other] many\n}\n")
    write(
        tmp_path,
        "cy",
        "n = { $n ->\n [zero] Z\n [one] O\n [two] T\n [few] F\n [many] M\n *[other] X\n}\n",
    )
    catalogue = Catalogue(tmp_path, ["en", "cy"])
    assert [catalogue.text("cy", "n", n=k) for k in (0, 1, 2, 3, 6, 7)] == list("ZOTFMX")
    assert [catalogue.text("en", "n", n=k) for k in (1, 2)] == ["one", "many"]


def test_missing_key_falls_back_to_english(tmp_path: Path) -> None:
    write(tmp_path, "en", "only-en = English text\n")
    write(tmp_path, "cy", "other = Arall\n")
    catalogue = Catalogue(tmp_path, ["en", "cy"])
    assert catalogue.text("cy", "only-en") == "English text"
    assert catalogue.text("cy", "nowhere") == "nowhere"


def test_real_strings_format_with_arguments() -> None:
    catalogue = Catalogue(DEFAULT_I18N, LANGS)
    assert catalogue.text("en", "idle-countdown", seconds=1).endswith("1 second.")
    assert catalogue.text("en", "idle-countdown", seconds=30).endswith("30 seconds.")
    assert "30 eiliad" in catalogue.text("cy", "idle-countdown", seconds=30)
    assert catalogue.text("cy", "language-name") == "Cymraeg"


def test_dates_are_written_in_the_language() -> None:
    day = dt.date(2026, 12, 29)
    assert Catalogue.date("en", day) == "Tuesday 29 December"
    assert Catalogue.date("cy", day) == "Dydd Mawrth 29 Rhagfyr"


def test_content_text_falls_back_to_english() -> None:
    assert Catalogue.pick("cy", {"en": "Bins", "cy": "Biniau"}) == "Biniau"
    assert Catalogue.pick("cy", {"en": "Bins"}) == "Bins"

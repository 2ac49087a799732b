"""Touch targets, text size, contrast, names for assistive technology, visible focus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.core.clock import FakeClock
from kiosk.core.session import Screen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.speech_controller import SpeechController
from kiosk.ui.theme import PALETTE, TEXT_PAIRS, contrast_ratio
from tests.ui.fake_classifier import FakeClassifier
from tests.ui.fake_speech import FakePlayer, FakeRecogniser, FakeSource, FakeSynthesiser

Tap = Callable[[str], None]


@pytest.fixture
def kiosk_classifier() -> FakeClassifier:
    """The Ask box's screens are visited too (a fake: these tests are about the screens)."""
    return FakeClassifier()


@pytest.mark.parametrize(("name", "fg", "bg"), TEXT_PAIRS)
def test_every_text_colour_pair_meets_wcag_aa(name: str, fg: str, bg: str) -> None:
    assert contrast_ratio(fg, bg) >= 4.5, name


def test_contrast_formula_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def visit_every_screen_type(window: KioskWindow, tap: Tap, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Yield (name) at each kind of screen, driving the window by touch."""
    yield "attract"
    tap("start")
    yield "home"
    tap("ask_box")
    yield "ask"
    fake = window.classifier
    assert isinstance(fake, FakeClassifier)
    for char in "bins":
        tap(f"tkey_{char}")
    fake.go.clear()
    tap("ask_submit")
    yield "ask (thinking)"
    fake.go.set()
    wait_for_answer(window)
    assert window.session.place.screen is Screen.CLARIFY
    yield "clarify"
    tap("back")
    tap("tkey_clear")
    tap("tkey_x")
    tap("ask_submit")
    wait_for_answer(window)
    assert window.session.place.screen is Screen.NO_MATCH
    yield "no match"
    tap("no_match_browse")
    tap("tile_bins")
    yield "category"
    tap("service_bins.missed")
    yield "choice"
    tap("option_recent")
    tap("option_yes")
    yield "postcode"
    window.find_button("key_A")  # the keyboard is there
    for key in "AN12TW":
        tap(f"key_{key}")
    tap("continue")
    yield "check"
    tap("confirm")
    yield "outcome"
    tap("staff")
    yield "staff help"
    tap("carry_on")
    clock.advance(window.settings.idle_after_s + 1)
    window.tick()
    yield "idle warning"
    tap("idle_yes")
    tap("finished")
    yield "satisfaction"


def wait_for_answer(window: KioskWindow) -> None:
    """Let the Ask worker finish and its queued answer arrive, as the event loop would."""
    for _ in range(200):
        if window.session.place.screen is not Screen.ASK:
            return
        window.workers.waitForDone(50)
        QApplication.processEvents()
    raise AssertionError("the Ask box never answered")


def check_screen(window: KioskWindow, screen: str) -> None:
    """Every visible control is big enough and named; all text is large and not cut off."""
    QApplication.processEvents()  # let pending layout requests run, as the event loop would
    buttons = [b for b in window.findChildren(QPushButton) if b.isVisible()]
    assert buttons, screen
    for b in buttons:
        where = f"{screen}: button {b.objectName() or b.text()!r}"
        assert b.width() >= 48 and b.height() >= 48, f"{where} is {b.width()}x{b.height()}"
        assert b.accessibleName().strip(), f"{where} has no accessible name"
        if b.text():  # plain buttons cannot wrap: the text must fit on one line
            icon = 0 if b.icon().isNull() else b.iconSize().width() + 8
            padding = 2 * (4 if b.property("role") == "link" else 20)  # from the theme
            needed = b.fontMetrics().horizontalAdvance(b.text()) + icon + padding
            assert needed <= b.width(), f"{where}: text clipped ({needed} > {b.width()})"
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.text().strip():
            text = f"{screen}: {label.text()[:40]!r}"
            size = label.font().pixelSize()
            assert size >= 20, f"{text} is {size}px"
            if label.wordWrap():
                needed = label.heightForWidth(label.width())
                assert needed <= label.height() + 1, f"{text} is cut off at the bottom"
            else:
                needed = label.fontMetrics().horizontalAdvance(label.text())
                assert needed <= label.width() + 1, f"{text} is cut off at the side"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_control_is_big_named_and_text_is_large(
    window: KioskWindow, tap: Tap, clock: FakeClock, lang: str
) -> None:
    window.session.set_language(lang)
    window.render()
    seen = []
    for screen in visit_every_screen_type(window, tap, clock):
        seen.append(screen)
        check_screen(window, screen)
    assert len(seen) == 14


class TestWithSpeech:
    """The same tour with the microphone (English) and Read aloud on every page (fake engines)."""

    @pytest.fixture
    def kiosk_speech(self) -> SpeechController:
        return SpeechController(
            recogniser_for={"en": FakeRecogniser("en")}.get,
            source=FakeSource,
            synthesiser=FakeSynthesiser(),
            player=FakePlayer(),
        )

    @pytest.mark.parametrize("lang", ["en", "cy"])
    def test_the_mic_and_read_aloud_are_big_named_and_not_clipped(
        self, window: KioskWindow, tap: Tap, clock: FakeClock, lang: str
    ) -> None:
        window.session.set_language(lang)
        window.render()
        with_mic, with_read_aloud = set(), set()
        for screen in visit_every_screen_type(window, tap, clock):
            check_screen(window, screen)
            names = {b.objectName() for b in window.findChildren(QPushButton) if b.isVisible()}
            if "mic" in names:
                with_mic.add(screen)
            if "read_aloud" in names:
                with_read_aloud.add(screen)
        assert with_mic == ({"ask", "ask (thinking)", "choice"} if lang == "en" else set())
        assert with_read_aloud >= {"home", "ask", "choice", "postcode", "check", "outcome"}
        assert not with_read_aloud & {"attract", "satisfaction"}


class TestAskBoxUnavailable:
    @pytest.fixture
    def kiosk_classifier(self) -> None:
        return None

    @pytest.fixture
    def kiosk_classifier_error(self) -> str:
        return "models/nlu/manifest.json is missing; run `kiosk nlu build`"

    @pytest.mark.parametrize("lang", ["en", "cy"])
    def test_home_with_the_box_disabled_and_the_staff_alert(
        self, window: KioskWindow, tap: Tap, lang: str
    ) -> None:
        tap("start" if lang == "en" else "start_cy")
        assert window.alert_bar.isVisible()
        check_screen(window, "home, Ask box unavailable")


def test_keyboard_focus_is_clearly_visible(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tile = window.find_button("tile_bins")
    before = tile.grab().toImage().pixelColor(10, 10)
    tile.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.qWait(20)
    after = tile.grab().toImage().pixelColor(10, 10)
    assert before != after
    assert after == QColor(PALETTE.focus)


def test_tapping_does_not_leave_a_focus_mark(window: KioskWindow, tap: Tap) -> None:
    tap("start")
    tap("tile_bins")
    focused = window.focusWidget()
    assert not isinstance(focused, QPushButton) or not focused.isVisible()

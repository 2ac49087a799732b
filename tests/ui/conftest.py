from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.config import Settings
from kiosk.core.clock import FakeClock
from kiosk.core.content import ContentPack
from kiosk.core.i18n import Catalogue
from kiosk.nlu.types import IntentClassifier
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.speech_controller import SpeechController


@pytest.fixture
def kiosk_classifier() -> IntentClassifier | None:
    """The Ask box's classifier for the `window` fixture: none (box disabled) unless overridden."""
    return None


@pytest.fixture
def kiosk_classifier_error() -> str | None:
    """Set (in a test module) to build the window as if the model had failed to load."""
    return None


@pytest.fixture
def kiosk_speech() -> SpeechController | None:
    """The window's speech controller: none (touch and text only) unless a module overrides it."""
    return None


@pytest.fixture
def window(
    qtbot,
    settings: Settings,
    pack: ContentPack,
    catalogue: Catalogue,
    clock: FakeClock,
    kiosk_classifier: IntentClassifier | None,
    kiosk_classifier_error: str | None,
    kiosk_speech: SpeechController | None,
) -> Iterator[KioskWindow]:
    win = KioskWindow(
        settings,
        pack,
        catalogue,
        clock,
        tick_ms=3_600_000,
        classifier=kiosk_classifier,
        classifier_error=kiosk_classifier_error,
        speech=kiosk_speech,
    )
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win
    QApplication.instance().removeEventFilter(win)
    if kiosk_speech is not None:
        kiosk_speech.shutdown()


@pytest.fixture
def tap(qtbot, window: KioskWindow) -> Callable[[str], None]:
    """Click a visible button by name with a real mouse press and release."""

    def press(name: str) -> None:
        qtbot.mouseClick(window.find_button(name), Qt.MouseButton.LeftButton)

    return press


@pytest.fixture
def type_keys(tap: Callable[[str], None]) -> Callable[[str], None]:
    def typing(text: str) -> None:
        for char in text:
            tap("key_space" if char == " " else f"key_{char.upper()}")

    return typing


@pytest.fixture
def type_text(tap: Callable[[str], None]) -> Callable[[str], None]:
    """Type on the Ask screen's text keyboard, one key press per character."""
    from kiosk.ui.widgets import KEY_NAMES

    def typing(text: str) -> None:
        for char in text:
            tap(f"tkey_{KEY_NAMES.get(char, char)}")

    return typing

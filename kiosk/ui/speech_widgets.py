"""What speech looks like on a screen: the microphone button and its meter, and read-aloud text.

:class:`MicControls` makes the pieces a screen places where it wants them: the
large Speak button, the level meter, the words heard so far, a message line
and the "Did you say …?" question. They know nothing of recognisers; the
window drives them from :class:`~kiosk.ui.speech_controller.SpeechController`'s
signals.

:func:`screen_text` gathers what "Read aloud" reads: the screen's visible
text and the names of its buttons, in layout order (top to bottom, left to
right), leaving out the on-screen keyboards.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.theme import MIC_PX, PALETTE
from kiosk.ui.widgets import Keyboard, TextKeyboard, WrapButton, button, label, panel, svg_icon

LOW_CONFIDENCE = 0.6
"""Below this confidence (0..1) the kiosk asks "Did you say …?" before acting on the words."""

LEVEL_FLOOR_DB = -60.0
"""The meter's empty point; normal speech into a kiosk microphone sits around -30 to -10 dB."""


def level_percent(loudness: float) -> int:
    """A chunk's loudness (RMS, 0..1) as a meter reading from 0 to 100 on a decibel scale."""
    if loudness <= 0:
        return 0
    db = 20 * math.log10(loudness)
    return max(0, min(100, round((db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB * 100)))


@dataclass(frozen=True)
class MicTexts:
    """The microphone's words in the visitor's language."""

    speak: str
    speak_name: str
    listening: str
    level_name: str
    yes: str
    no: str


class MicControls:
    """The microphone's widgets for one screen (the screen lays them out).

    ``button`` (``mic``) starts and stops listening; ``level`` (``mic_level``)
    shows loudness while listening; ``heard`` (``mic_heard``) the words so far;
    ``message`` (``mic_message``) a sorry or a failure; ``confirm``
    (``did_you_say``) the question with its Yes/No buttons; ``hint``
    (``speech_hint``, only when asked for) what the screen says about speaking.
    """

    def __init__(self, texts: MicTexts, on_toggle: Callable[[], None], *, hint: bool) -> None:
        self.texts = texts
        self.button = button(
            texts.speak,
            on_toggle,
            role="mic",
            name="mic",
            icon="microphone",
            icon_colour=PALETTE.secondary_button_text,
        )
        self.button.setAccessibleName(texts.speak_name)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.button.setProperty("listening", "false")
        self.level = QProgressBar()
        self.level.setObjectName("mic_level")
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setAccessibleName(texts.level_name)
        self.level.setFixedHeight(16)
        keep_place = self.level.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)  # the page does not jump when listening starts
        self.level.setSizePolicy(keep_place)
        self.level.hide()
        self.heard = label("", "h2")
        self.heard.setObjectName("mic_heard")
        self.heard.hide()
        self.message = label("", "error")
        self.message.setObjectName("mic_message")
        self.message.hide()
        self.hint = label("", "hint") if hint else None
        if self.hint is not None:
            self.hint.setObjectName("speech_hint")
            self.hint.hide()
        self.question = label("", "h2")
        self.question.setObjectName("did_you_say_text")
        self.yes = button(texts.yes, lambda: self._answer(True), name="did_you_say_yes")
        self.no = button(
            texts.no, lambda: self._answer(False), role="secondary", name="did_you_say_no"
        )
        self.confirm = panel()
        self.confirm.setObjectName("did_you_say")
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.question, 1)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        box = self.confirm.layout()
        assert isinstance(box, QVBoxLayout)
        box.addLayout(row)
        self.confirm.hide()
        self._on_yes: Callable[[], None] | None = None
        self._on_no: Callable[[], None] | None = None
        self.available = False

    def mic_column(self) -> QVBoxLayout:
        """The button with its meter underneath, as wide as the button."""
        column = QVBoxLayout()
        column.setSpacing(6)
        column.addWidget(self.button)
        column.addWidget(self.level)
        return column

    def mic_row(self) -> QHBoxLayout:
        """The button and its meter, and the words heard beside them (choice pages)."""
        row = QHBoxLayout()
        row.setSpacing(32)
        row.addLayout(self.mic_column())
        row.addWidget(self.heard, 1, Qt.AlignmentFlag.AlignTop)
        # level with the button's words (the meter hangs below the button)
        self.heard.setMinimumHeight(MIC_PX + 6)
        self.heard.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return row

    def set_available(self, available: bool) -> None:
        """Show or hide everything that belongs to the microphone (not the messages)."""
        self.available = available
        self.button.setVisible(available)
        if available:
            self._fit_both_texts()
        else:
            self.set_listening(False)
            self.confirm.hide()
            self.heard.hide()

    def _fit_both_texts(self) -> None:
        """As wide as 'Listening… tap to stop' from the start: nothing moves when it starts."""
        self.button.ensurePolished()
        current = self.button.text()
        widths = []
        for text in (self.texts.speak, self.texts.listening):
            self.button.setText(text)
            widths.append(self.button.sizeHint().width())
        self.button.setText(current)
        # the theme's min-width wins over setMinimumWidth(), so say it in its terms
        padding = 2 * 28 + 6  # the mic role's horizontal padding and borders (theme)
        self.button.setStyleSheet(f"min-width: {max(widths) - padding}px;")

    def set_hint(self, text: str) -> None:
        if self.hint is not None:
            self.hint.setText(text)
            self.hint.setAccessibleName(text)
            self.hint.setVisible(bool(text))

    def set_listening(self, listening: bool) -> None:
        text = self.texts.listening if listening else self.texts.speak
        self.button.setText(text)
        self.button.setAccessibleName(text if listening else self.texts.speak_name)
        self.button.setProperty("listening", "true" if listening else "false")
        colour = PALETTE.brand_text if listening else PALETTE.secondary_button_text
        self.button.setIcon(svg_icon("microphone", colour))
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)
        self.level.setValue(0)
        self.level.setVisible(listening)

    def set_level(self, loudness: float) -> None:
        self.level.setValue(level_percent(loudness))

    def show_heard(self, text: str) -> None:
        shown = f"“{text}”" if text else ""
        self.heard.setText(shown)
        self.heard.setAccessibleName(shown)
        self.heard.setVisible(bool(text) and self.available)

    def say(self, text: str) -> None:
        """A message under the microphone (a sorry, or that speaking has stopped working)."""
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.setVisible(bool(text))

    def ask(self, question: str, on_yes: Callable[[], None], on_no: Callable[[], None]) -> None:
        """Did you say …? Yes runs ``on_yes``, No runs ``on_no``; either closes the question."""
        self.question.setText(question)
        self.question.setAccessibleName(question)
        self._on_yes, self._on_no = on_yes, on_no
        self.message.hide()
        self.confirm.show()

    @property
    def asking(self) -> bool:
        return not self.confirm.isHidden()

    def _answer(self, yes: bool) -> None:
        action = self._on_yes if yes else self._on_no
        self._on_yes = self._on_no = None  # the visitor's words go with the question
        self.confirm.hide()
        self.question.setText("")
        if action is not None:
            action()

    def clear(self) -> None:
        """Forget what was heard and any question or message (before listening again)."""
        self._on_yes = self._on_no = None
        self.confirm.hide()
        self.question.setText("")
        self.show_heard("")
        self.say("")


# --- read aloud ------------------------------------------------------------------------

_SKIPPED = (Keyboard, TextKeyboard, QLineEdit, QProgressBar)
"""Not read aloud: on-screen keys (dozens of letters), entry fields, the level meter."""


def screen_text(root: QWidget) -> list[str]:
    """The visible texts of ``root`` in layout order: labels, and buttons' accessible names.

    A button is read by its accessible name (its own words, never its inner
    labels), followed by its description for option buttons with a hint.
    """
    parts: list[str] = []

    def visit(widget: QWidget) -> None:
        if widget is not root and not widget.isVisibleTo(root):
            return
        if isinstance(widget, _SKIPPED):
            return
        if isinstance(widget, QPushButton):
            parts.append(widget.accessibleName() or widget.text())
            if isinstance(widget, WrapButton) and widget.accessibleDescription():
                parts.append(widget.accessibleDescription())
            return
        if isinstance(widget, QLabel):
            parts.append(widget.text())
            return
        layout = widget.layout()
        if layout is not None:
            visit_layout(layout)
        else:
            for child in widget.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            ):
                visit(child)

    def visit_layout(layout: QLayout) -> None:
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            child, inner = item.widget(), item.layout()
            if child is not None:
                visit(child)
            elif inner is not None:
                visit_layout(inner)

    visit(root)
    return [" ".join(part.split()) for part in parts if part.strip()]


def spoken(parts: list[str]) -> str:
    """Parts joined into sentences, so the voice pauses between them."""
    out = []
    for part in parts:
        out.append(part if part[-1] in ".?!:;…" else part + ".")
    return " ".join(out)

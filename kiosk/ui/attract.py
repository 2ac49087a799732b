"""The attract screen, drawn from a small card of ready-made strings.

The card is all the attract screen needs, so the same screen can be painted
before the content pack and the string catalogues are loaded (see
:mod:`kiosk.ui.early`): a restarted kiosk shows it almost at once. This module
imports only Qt and the theme, never pydantic or the content code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.widgets import button, label, panel

CARD_VERSION = 1


class AttractCard(NamedTuple):  # a NamedTuple, not a dataclass: dataclasses costs start-up time
    """Everything on the attract screen, already in the display language."""

    council: str
    demo_tag: str | None
    subtitle: str
    touch_to_start: str
    choose_language: str
    languages: tuple[tuple[str, str], ...]
    """(code, name in its own language) for each language button."""
    farewell: str | None = None

    def to_json(self) -> str:
        return json.dumps({"version": CARD_VERSION, **self._asdict()}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> AttractCard:
        data = json.loads(text)
        if data.pop("version", None) != CARD_VERSION:
            raise ValueError("attract card from another version")
        data["languages"] = tuple((str(c), str(n)) for c, n in data["languages"])
        return cls(**data)


def build_attract(card: AttractCard, on_start: Callable[[str | None], None]) -> QWidget:
    """The attract screen: council name, Touch to start, and a button per language."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(120, 100, 120, 100)
    layout.setSpacing(32)
    layout.addWidget(label(card.council, "h1"))
    if card.demo_tag:
        layout.addWidget(label(card.demo_tag, "demo", wrap=False), 0, Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(label(card.subtitle))
    if card.farewell:
        layout.addWidget(panel(label(card.farewell, "h2")))
    layout.addStretch(1)
    start = button(card.touch_to_start, lambda: on_start(None), name="start")
    start.setMinimumHeight(160)
    start.setStyleSheet("font-size: 48px; font-weight: bold;")
    layout.addWidget(start)
    layout.addWidget(label(card.choose_language, "h2"))
    row = QHBoxLayout()
    for code, name in card.languages:
        choice = button(
            name, lambda code=code: on_start(code), role="secondary", name=f"start_{code}"
        )
        choice.setMinimumHeight(96)
        row.addWidget(choice)
    layout.addLayout(row)
    layout.addStretch(1)
    return widget

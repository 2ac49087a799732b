"""The attract screen painted from the cached card before the kiosk has loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.core.session import Screen
from kiosk.ui.attract import AttractCard
from kiosk.ui.early import save_snapshot, show_early, snapshot_path
from kiosk.ui.launch import take_over
from kiosk.ui.main_window import KioskWindow


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_card_round_trips_and_refuses_other_versions(window: KioskWindow) -> None:
    card = window.attract_card()
    assert AttractCard.from_json(card.to_json()) == card
    assert card.languages == (("en", "English"), ("cy", "Cymraeg"))
    with pytest.raises(ValueError):
        AttractCard.from_json(card.to_json().replace('"version": 1', '"version": 0'))


def test_no_card_means_no_early_screen() -> None:
    assert show_early(None, windowed=True) is None


def test_corrupt_card_is_ignored() -> None:
    path = snapshot_path(None)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert show_early(None, windowed=True) is None


def test_early_screen_shows_the_card_and_hands_over_an_early_tap(
    qtbot, window: KioskWindow
) -> None:
    save_snapshot(None, window.attract_card(), fullscreen=False)
    early = show_early(None, windowed=True)
    assert early is not None and early.window.painted
    qtbot.addWidget(early.window)
    shown = [label.text() for label in early.window.findChildren(QLabel)]
    assert "Anytown Council" in shown
    cymraeg = next(
        b for b in early.window.findChildren(type(window.find_button("start")), "start_cy")
    )
    qtbot.mouseClick(cymraeg, Qt.MouseButton.LeftButton)
    assert early.window.pending_start == ("cy",)
    take_over(window, early, fullscreen=False)
    assert not early.window.isVisible()
    assert window.session.place.screen is Screen.HOME and window.session.language == "cy"


def test_a_restart_paints_the_attract_screen_before_the_kiosk_is_ready(tmp_path: Path) -> None:
    """Two real starts: the second paints the cached attract screen first."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        KIOSK_BENCH="1",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        KIOSK_DATA_DIR=str(tmp_path / "data"),
    )

    def start() -> dict[str, float]:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "run", "--windowed"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        marks: dict[str, float] = {}
        for line in result.stdout.splitlines():
            event, _, stamp = line.partition(" ")
            marks.setdefault(event, float(stamp))
        return marks

    first = start()
    assert first["ready"] - first["first-paint"] < 0.01  # nothing cached: one paint
    assert list((tmp_path / "cache").rglob("attract-*.json"))
    second = start()
    assert second["ready"] - second["first-paint"] > 0.05  # the early screen came first

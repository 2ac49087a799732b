"""Show the attract screen at once, while the rest of the kiosk loads.

Loading the content pack and the string catalogues means importing pydantic,
Fluent and YAML and validating every service: a few hundred milliseconds. The
attract screen needs none of that, so each start saves its :class:`AttractCard`
to a small cache file; the next start paints it from there straight after Qt
starts, then swaps in the full window when it is ready. A tap in between is
remembered and acted on. The card holds only the council's public strings.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from kiosk.ui.attract import AttractCard, build_attract
from kiosk.ui.theme import style_sheet

BENCH_ENV = "KIOSK_BENCH"


def snapshot_path(config: str | None) -> Path:
    """The cache file for the attract card of one configuration."""
    import platformdirs

    key = str(Path(config).resolve()) if config else "embedded-defaults"
    name = "".join(c if c.isalnum() else "_" for c in key).strip("_")[-120:]
    return Path(platformdirs.user_cache_dir("civic-kiosk")) / f"attract-{name}.json"


def save_snapshot(config: str | None, card: AttractCard, fullscreen: bool) -> None:
    """Write the card for the next start (atomically; a failure only costs speed)."""
    path = snapshot_path(config)
    text = card.to_json() + ("\n#fullscreen" if fullscreen else "")
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass


def bench_mark(event: str) -> None:
    """For bench/startup.py: report when the attract screen is painted and when ready."""
    if os.environ.get(BENCH_ENV):
        print(f"{event} {time.perf_counter():.6f}", flush=True)


def show_full_screen(window: QWidget) -> None:
    """Full screen, also where no window manager honours the request (bare X, cage)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())
    window.showFullScreen()


class EarlyWindow(QMainWindow):
    """A window showing only the attract screen."""

    def __init__(self, card: AttractCard) -> None:
        super().__init__()
        self.painted = False
        self.pending_start: tuple[str | None] | None = None
        self.setWindowTitle("Civic Kiosk")
        self.setStyleSheet(style_sheet())
        self.setCentralWidget(build_attract(card, self._remember_start))

    def _remember_start(self, language: str | None) -> None:
        self.pending_start = (language,)

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        if not self.painted:
            self.painted = True
            bench_mark("first-paint")


class EarlyStart(NamedTuple):
    app: QApplication
    window: EarlyWindow
    fullscreen: bool


def show_early(config: str | None, windowed: bool) -> EarlyStart | None:
    """Paint the cached attract screen; None when there is no usable cache yet."""
    try:
        text = snapshot_path(config).read_text(encoding="utf-8")
        card = AttractCard.from_json(text.split("\n#", 1)[0])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    fullscreen = text.endswith("\n#fullscreen") and not windowed
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = EarlyWindow(card)
    if fullscreen:
        show_full_screen(window)
    else:
        window.resize(1920, 1080)
        window.show()
    deadline = time.monotonic() + 2.0
    while not window.painted and time.monotonic() < deadline:
        app.processEvents()
        if not window.painted:
            time.sleep(0.002)
    return EarlyStart(app, window, fullscreen)  # type: ignore[arg-type]

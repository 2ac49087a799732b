"""Start the Qt application: the real kiosk, or the scripted demo tour with screenshots."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kiosk.app import load_content, remove_old_printouts
from kiosk.config import Settings
from kiosk.core.clock import Clock, SystemClock
from kiosk.core.i18n import Catalogue
from kiosk.nlu.types import IntentClassifier
from kiosk.ui.early import BENCH_ENV, EarlyStart, bench_mark, save_snapshot, show_full_screen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.visit_store import open_recorder

if TYPE_CHECKING:
    from kiosk.ui.speech_controller import SpeechController

log = logging.getLogger(__name__)


def make_window(settings: Settings, clock: Clock | None = None) -> tuple[QApplication, KioskWindow]:
    """Create the QApplication (if needed) and the kiosk window, not yet shown."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Civic Kiosk")
    content = load_content(settings)
    remove_old_printouts(settings)
    if content.refused is not None:
        print(
            f"kiosk: {content.refused}\nkiosk: showing the last good pack instead.", file=sys.stderr
        )
    catalogue = Catalogue(settings.i18n_dir, list(content.pack.languages))
    classifier, classifier_error = load_classifier(settings)
    speech = load_speech(settings, content.pack.languages)
    recorder, storage_problems = open_recorder(settings)
    storage_alert = None
    if recorder is None:
        storage_alert = "alert-storage-unavailable"
    elif storage_problems:
        storage_alert = "alert-storage-replaced"
    window = KioskWindow(
        settings,
        content.pack,
        catalogue,
        clock or SystemClock(),
        classifier=classifier,
        classifier_error=classifier_error,
        speech=speech,
        recorder=recorder,
        storage_alert=storage_alert,
    )
    if recorder is not None:
        recorder.setParent(window)
    return app, window


def load_speech(settings: Settings, languages: Sequence[str]) -> SpeechController | None:
    """The microphone and the voice, or None when speech is switched off in the settings.

    Imported here, not at the top (numpy, sounddevice and the engines are not
    needed to paint the attract screen). The recognisers load, and the
    microphone is looked for, in a background thread; until then, and for a
    language no engine serves, the microphone is simply not offered. No
    synthesiser means no Read aloud button; the kiosk says why in the log.
    """
    if not settings.speech_enabled:
        return None
    try:
        from kiosk.speech import engines
        from kiosk.speech.capture import MicSource, input_devices
        from kiosk.speech.player import Player
        from kiosk.speech.tts import default_synthesiser
        from kiosk.speech.types import SpeechError
        from kiosk.ui.speech_controller import SpeechController
    except ImportError as exc:  # a broken install must not stop the touch kiosk
        log.error("speech is off: its packages cannot be loaded (%s); reinstall the kiosk", exc)
        return None
    try:
        synthesiser = default_synthesiser(settings.tts_rate, settings.tts_volume)
    except SpeechError as exc:
        log.warning("Read aloud is off: %s", exc)
        synthesiser = None
    named = settings.microphone.strip()
    device: str | int | None = int(named) if named.isdigit() else (named or None)
    speech = SpeechController(
        recogniser_for=lambda lang: engines.recogniser_for(
            lang, settings.models_dir, silence_ms=settings.silence_ms
        ),
        source=lambda: MicSource(device),
        synthesiser=synthesiser,
        player=Player(),
        microphone_present=lambda: bool(input_devices()),
    )
    speech.preload(languages)
    return speech


def load_classifier(settings: Settings) -> tuple[IntentClassifier | None, str | None]:
    """The Ask box's intent classifier, or None and a message naming the file and the fix.

    Imported here, not at the top: numpy and onnxruntime are not needed to
    paint the attract screen, and that must stay fast.
    """
    folder = settings.models_dir / "nlu"
    try:
        from kiosk.nlu.classifier import ModelError, OnnxIntentClassifier
    except ImportError as exc:  # a broken install must not stop the touch kiosk
        problem = f"the intent model in {folder} cannot be used ({exc}); reinstall the kiosk"
    else:
        try:
            return OnnxIntentClassifier(folder), None
        except ModelError as exc:
            problem = str(exc)
    message = f"the Ask box is off (the kiosk works by touch only): {problem}"
    print(f"kiosk: {message}", file=sys.stderr)
    log.error("%s", message)
    return None, problem


def run_kiosk(
    settings: Settings, early: EarlyStart | None = None, config: str | None = None
) -> int:
    """Run the kiosk until it is closed. ``early`` is the attract screen already on show."""
    app, window = make_window(settings)
    take_over(window, early, fullscreen=settings.fullscreen)
    save_snapshot(config, window.attract_card(), settings.fullscreen)

    def ready() -> None:
        bench_mark("first-paint")  # ignored by the bench when the early window painted first
        bench_mark("ready")
        if os.environ.get(BENCH_ENV):
            app.quit()

    window.first_paint_callbacks.append(ready)
    return int(app.exec())


def take_over(window: KioskWindow, early: EarlyStart | None, *, fullscreen: bool) -> None:
    """Show the full window in place of the early attract screen, acting on any early tap."""
    if early is not None:
        window.setGeometry(early.window.geometry())
    if fullscreen:
        show_full_screen(window)
    else:
        window.resize(1920, 1080)
        window.show()
    if early is not None:
        early.window.close()
        if early.window.pending_start is not None:
            window.begin(early.window.pending_start[0])


@contextmanager
def virtual_display(width: int = 1920, height: int = 1080) -> Iterator[str | None]:
    """Run Xvfb for the duration, if there is no display; yields the platform used."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        yield os.environ.get("QT_QPA_PLATFORM") or "xcb"
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print(
            "kiosk: Xvfb is not installed, so the tour is drawn off-screen instead "
            "(install the Debian package 'xvfb' for a real virtual display).",
            file=sys.stderr,
        )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        yield "offscreen"
        return
    number = next(n for n in range(99, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    proc = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    for _ in range(100):
        if socket.exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        print("kiosk: Xvfb did not start; drawing off-screen instead.", file=sys.stderr)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        yield "offscreen"
        return
    os.environ["DISPLAY"] = f":{number}"
    try:
        yield "xcb"
    finally:
        os.environ.pop("DISPLAY", None)
        proc.terminate()
        proc.wait(timeout=10)


class ManualClock:
    """Today's real date, but time that only moves when the tour says (to show the idle warning)."""

    def __init__(self) -> None:
        self._offset = 0.0

    def today(self) -> dt.date:
        return dt.date.today()

    def monotonic(self) -> float:
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds


def run_demo(settings: Settings, out_dir: Path) -> int:
    """Walk a visitor's journeys by pressing the real buttons, saving a PNG per screen."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with virtual_display() as platform:
        from kiosk.ui.demo_tour import tour

        clock = ManualClock()
        app, window = make_window(settings, clock)
        window.resize(1920, 1080)
        window.show()
        saved: list[Path] = []

        def shot(name: str) -> None:
            app.processEvents()
            path = out_dir / f"{len(saved) + 1:02d}-{name}.png"
            window.grab().save(str(path))
            saved.append(path)
            print(f"  {path}", flush=True)

        print(f"Demo tour ({platform}): saving screenshots to {out_dir}/", flush=True)
        tour(window, clock.advance, shot)
        window.close()
        app.processEvents()
    print(f"Demo tour finished: {len(saved)} screenshots in {out_dir}/")
    return 0


Shot = Callable[[str], None]

"""`kiosk run --demo` and `kiosk run` with no display write a screenshot per screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.ui.demo_tour import tour


def test_demo_tour_saves_a_real_picture_of_every_screen(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--demo", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 20
    names = " ".join(p.stem for p in shots)
    for kind in (
        "attract",
        "home",
        "category",
        "question",
        "check-answers",
        "outcome",
        "staff-help",
        "idle-warning",
        "satisfaction",
    ):
        assert kind in names
    for shot in shots:
        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1920, 1080), shot.name
        colours = {
            image.pixelColor(x, y).name() for x in range(0, 1920, 97) for y in range(0, 1080, 89)
        }
        assert len(colours) > 2, f"{shot.name} looks blank"


def test_no_display_runs_the_tour_and_says_so(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["KIOSK_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "No display found" in result.stdout and "out/demo" in result.stdout
    assert len(list((tmp_path / "out" / "demo").glob("*.png"))) >= 20


def test_tour_is_importable_without_running() -> None:
    assert callable(tour)

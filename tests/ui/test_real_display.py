"""The real kiosk, full-screen on a virtual X display, tapped with real X pointer events."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")),
        reason="needs the Debian packages xvfb and xdotool (./dev.sh installs them as root)",
    ),
]

GRAB = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(0).toImage()
for x, y in [(int(a), int(b)) for a, b in (p.split(",") for p in sys.argv[1:])]:
    print(image.pixelColor(x, y).name())
"""


@pytest.fixture
def display() -> Iterator[str]:
    number = next(n for n in range(140, 240) if not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def pixels(env: dict[str, str], *points: tuple[int, int]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", GRAB, *(f"{x},{y}" for x, y in points)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def wait_for(check, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_kiosk_fills_the_screen_and_answers_a_real_tap(display: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(
        DISPLAY=display,
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def geometry() -> str:
            found = subprocess.run(
                ["xdotool", "search", "--name", "Civic Kiosk", "getwindowgeometry"],
                env=env,
                capture_output=True,
                text=True,
            )
            return found.stdout

        assert wait_for(lambda: "1920x1080" in geometry()), geometry()
        # attract screen: white page, green "Touch to start" across the middle
        assert wait_for(lambda: pixels(env, (20, 20))[0] == "#ffffff")
        subprocess.run(["xdotool", "mousemove", "960", "555", "click", "1"], env=env, check=True)
        # home screen: the black header bar appears at the top
        assert wait_for(lambda: pixels(env, (20, 20))[0] == "#0b0c0c")
        assert kiosk.poll() is None, "the kiosk exited"
    finally:
        kiosk.terminate()
        output = kiosk.communicate(timeout=10)[0]
    assert "Traceback" not in output, output

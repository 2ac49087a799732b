"""Start-up time: process start to the attract screen's first painted frame.

Baseline: a bare PySide6 window of the same size, measured in the same run.
Each is started 5 times (after one warm-up each, so both read from a warm
disk cache); the table shows medians and the ratio. Goal: kiosk <= 1.5x bare.

    python bench/startup.py [--runs 5] [--platform offscreen|xcb]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

class Bare(QWidget):
    done = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not Bare.done:
            Bare.done = True
            print(f"first-paint {time.perf_counter():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)

app = QApplication(sys.argv[:1])
window = Bare()
window.resize(1920, 1080)
window.show()
app.exec()
"""

GOAL = 1.5


def first_paint_seconds(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the process to its 'first-paint' line (shared monotonic clock)."""
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{command[:3]} never painted:\n{proc.stdout}\n{proc.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform, KIOSK_EXIT_AFTER_FIRST_PAINT="1")
    env["KIOSK_DATA_DIR"] = tempfile.mkdtemp(prefix="kiosk-bench-")
    commands = {
        "bare PySide6 window": [sys.executable, "-c", BARE],
        "kiosk attract screen": [sys.executable, "-m", "kiosk", "run", "--windowed"],
    }
    results: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        first_paint_seconds(command, env)  # warm-up
    for _ in range(args.runs):  # interleaved, so drift hits both equally
        for name, command in commands.items():
            results[name].append(first_paint_seconds(command, env))
    base = statistics.median(results["bare PySide6 window"])
    print(f"\nStart-up to first painted frame ({args.platform}, {args.runs} runs each)\n")
    print(f"{'':24} {'median s':>9} {'min s':>7} {'max s':>7} {'ratio':>6}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:24} {median:9.3f} {min(times):7.3f} {max(times):7.3f} {median / base:6.2f}")
    ratio = statistics.median(results["kiosk attract screen"]) / base
    verdict = "meets" if ratio <= GOAL else "MISSES"
    print(f"\nkiosk / bare = {ratio:.2f}x: {verdict} the goal of <= {GOAL}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

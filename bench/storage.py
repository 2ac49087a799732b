"""Encrypted session storage against plain sqlite-utils, same records, same durability.

    python bench/storage.py [--records 2000]

Both sides use the same database settings (WAL, synchronous=FULL,
secure_delete=ON) and commit each record on its own, as a visit does. The
encrypted side seals every record with AES-256-GCM under the session's data
key; the baseline inserts the same JSON in clear. Prints writes and reads per
second and the overhead ratio (goal: at most 1.5x), then the time to shred a
session of 1,000 records.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.storage.db import open_database
from kiosk.storage.keys import load_kek
from kiosk.storage.sessions import SessionStore

READS = 10
"""Each side reads the whole session this many times (one read is only milliseconds)."""

RECORD = {
    "page": "postcode",
    "answer": "AN1 2TW",
    "question": "What is your postcode?",
    "service": "bins.missed",
}


def plain(folder: Path, count: int) -> tuple[float, float]:
    db, _ = open_database(folder / "plain.db")
    db.execute(
        "CREATE TABLE plain (id INTEGER PRIMARY KEY, session_id TEXT, kind TEXT, value TEXT)"
    )
    started = time.perf_counter()
    for n in range(count):
        with db.conn:
            db.conn.execute(
                "INSERT INTO plain (session_id, kind, value) VALUES (?, ?, ?)",
                ("s1", "answer", json.dumps({**RECORD, "n": n})),
            )
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(READS):
        rows = [
            (i, k, json.loads(v))
            for i, k, v in db.conn.execute(
                "SELECT id, kind, value FROM plain WHERE session_id = 's1'"
            )
        ]
    read_s = time.perf_counter() - started
    assert len(rows) == count
    return count / write_s, count * READS / read_s


def encrypted(folder: Path, count: int) -> tuple[float, float]:
    db, _ = open_database(folder / "kiosk.db")
    store = SessionStore(db, load_kek(folder / "keys"))
    session = store.begin()
    started = time.perf_counter()
    for n in range(count):
        store.put(session, "answer", {**RECORD, "n": n})
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(READS):
        rows = store.records(session)
    read_s = time.perf_counter() - started
    assert len(rows) == count
    store.end(session)
    return count / write_s, count * READS / read_s


def shred_time(folder: Path, count: int = 1000) -> float:
    db, _ = open_database(folder / "shred.db")
    store = SessionStore(db, load_kek(folder / "keys"))
    session = store.begin()
    for n in range(count):
        store.put(session, "answer", {**RECORD, "n": n})
    started = time.perf_counter()
    store.end(session)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"plain": [], "encrypted": []}
    for run in range(args.runs):  # interleaved, fresh folders, so both see the same disk
        with tempfile.TemporaryDirectory(prefix="kiosk-storage-bench-") as temp:
            folder = Path(temp)
            if run % 2 == 0:
                results["plain"].append(plain(folder, args.records))
                results["encrypted"].append(encrypted(folder, args.records))
            else:
                results["encrypted"].append(encrypted(folder, args.records))
                results["plain"].append(plain(folder, args.records))
    writes = {k: statistics.median(w for w, _ in v) for k, v in results.items()}
    reads = {k: statistics.median(r for _, r in v) for k, v in results.items()}
    print(f"\n{args.records} records, median of {args.runs} runs, one commit per write\n")
    print(f"{'':24} {'writes/s':>10} {'reads/s':>10}")
    for name in ("plain", "encrypted"):
        print(f"{name:24} {writes[name]:10.0f} {reads[name]:10.0f}")
    write_ratio = writes["plain"] / writes["encrypted"]
    read_ratio = reads["plain"] / reads["encrypted"]
    print(f"{'overhead (time ratio)':24} {write_ratio:10.2f} {read_ratio:10.2f}")
    verdict = "meets" if max(write_ratio, read_ratio) <= 1.5 else "MISSES"
    print(
        f"\nencryption overhead: writes {write_ratio:.2f}x, reads {read_ratio:.2f}x: "
        f"{verdict} the goal of <= 1.5x"
    )
    with tempfile.TemporaryDirectory(prefix="kiosk-storage-bench-") as temp:
        print(f"shredding a session of 1,000 records: {shred_time(Path(temp)) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

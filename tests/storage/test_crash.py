"""Crash safety: a writer process SIGKILLed at random moments, at least 200 times.

After every kill the database must open without being moved aside, pass
``PRAGMA integrity_check``, hold every record the writer reported as committed
(intact: it still opens with the session's key unwrapped from the database),
and the next start must shred every orphaned session except those kept for
follow-up, then work normally.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kiosk.storage.db import open_database
from kiosk.storage.keys import load_kek
from kiosk.storage.sessions import SessionStore

LANES = 4
KILLS_PER_LANE = 52  # 208 kills in all
REPO = Path(__file__).resolve().parents[2]

WRITER = """
import random, sys
from pathlib import Path
from kiosk.storage.db import open_database
from kiosk.storage.keys import load_kek
from kiosk.storage.sessions import SessionStore

db, problems = open_database(Path(sys.argv[1]))
store = SessionStore(db, load_kek(Path(sys.argv[2]), env={}))
print("ready", flush=True)
n = 0
while True:
    sid = store.begin()
    print("begun", sid, flush=True)
    for _ in range(random.randint(1, 6)):
        print("putting", sid, flush=True)
        rid = store.put(sid, "answer", {"n": n, "text": "x" * random.randint(0, 6000)})
        print("committed", sid, rid, flush=True)
        n += 1
    roll = random.random()
    if roll < 0.05:
        store.keep_for_follow_up(sid)
        print("kept", sid, flush=True)
    if roll < 0.6:
        print("ending", sid, flush=True)
        store.end(sid)
        print("ended", sid, flush=True)
"""


def _one_kill(db_path: Path, key_dir: Path, rng: random.Random, kept: set[str]) -> tuple[int, bool]:
    """Start the writer, kill it at a random moment, check the aftermath.

    Returns the number of commits the writer reported, and whether the kill
    landed inside a ``put`` (after "putting", before "committed").
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(key_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first == "ready\n", proc.stderr.read() if proc.stderr else first
    time.sleep(rng.uniform(0.02, 0.15))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err

    committed: list[tuple[str, int]] = []
    ended: set[str] = set()
    ending: set[str] = set()
    for line in out.split("\n")[:-1]:  # complete lines only: a kill can cut the last
        word, *rest = line.split()
        if word == "committed":
            committed.append((rest[0], int(rest[1])))
        elif word == "ending":
            ending.add(rest[0])
        elif word == "ended":
            ended.add(rest[0])
        elif word == "kept":
            kept.add(rest[0])

    db, problems = open_database(db_path)
    try:
        assert problems == []
        assert db.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        store = SessionStore(db, load_kek(key_dir, env={}))
        present = {r[0] for r in db.conn.execute("SELECT id FROM sessions").fetchall()}
        assert not (ended - kept) & present, "an ended session survived"
        opened: dict[str, set[int]] = {}
        for sid in present:
            opened[sid] = {rid for rid, _, _ in store.records(sid)}
        for sid, rid in committed:
            if sid in ending and sid not in kept and sid not in present:
                continue  # its end() committed (possibly just before the kill)
            assert rid in opened[sid], f"committed record {rid} lost or not intact"
        assert db.conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        marked = {
            r[0]
            for r in db.conn.execute(
                "SELECT id FROM sessions WHERE keep_until IS NOT NULL"
            ).fetchall()
        }
        assert kept <= marked, "a kept session was lost"
        kept |= marked  # also those whose 'kept' line the kill cut off

        shredded = store.recover_orphans()
        assert shredded == len(present - kept)
        left = {r[0] for r in db.conn.execute("SELECT id FROM sessions").fetchall()}
        assert left == kept
        orphan_records = db.conn.execute(
            "SELECT count(*) FROM records WHERE session_id NOT IN (SELECT id FROM sessions)"
        ).fetchone()[0]
        assert orphan_records == 0

        sid = store.begin()
        rid = store.put(sid, "answer", {"after": "crash"})
        assert store.records(sid) == [(rid, "answer", {"after": "crash"})]
        assert store.end(sid)
    finally:
        db.conn.close()
    lines = out.split("\n")[:-1]
    mid_put = bool(lines) and lines[-1].startswith("putting")
    return len(committed), mid_put


def _lane(root: Path, seed: int) -> tuple[int, int, int]:
    rng = random.Random(seed)
    db_path, key_dir = root / "data" / "kiosk.db", root / "keys"
    kept: set[str] = set()
    commits = mid_puts = 0
    for _ in range(KILLS_PER_LANE):
        seen, mid_put = _one_kill(db_path, key_dir, rng, kept)
        commits += seen
        mid_puts += mid_put
    return KILLS_PER_LANE, commits, mid_puts


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        futures = [pool.submit(_lane, tmp_path / f"lane{i}", seed + i) for i in range(LANES)]
        results = [f.result() for f in futures]
    kills = sum(r[0] for r in results)
    commits = sum(r[1] for r in results)
    mid_puts = sum(r[2] for r in results)
    assert kills >= 200
    assert commits > kills, f"the writer committed too little to prove anything (seed {seed})"
    assert mid_puts > 0, f"no kill landed inside a write (seed {seed})"
    print(f"{kills} kills, {commits} commits seen, {mid_puts} kills inside a put")

"""The one place that wires settings, content, strings, clock and the Qt window."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.core.content import ContentPack, PackInvalid, load_pack

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedContent:
    pack: ContentPack
    refused: PackInvalid | None = None
    """Set when the configured pack was refused and the last good copy is live instead."""


def load_content(settings: Settings) -> LoadedContent:
    """Load the configured pack; if it is broken, fall back to the last good copy.

    A pack that validates is copied to ``data_dir/last-good-pack`` so a later
    broken update can never take the kiosk down. Raises :class:`PackInvalid`
    only when there is no good pack at all.
    """
    try:
        pack = load_pack(settings.content_dir)
    except PackInvalid as refused:
        backup = settings.last_good_pack_dir
        if not (backup / "pack.yaml").is_file():
            raise
        log.error("content pack refused; using the last good pack: %s", refused)
        return LoadedContent(load_pack(backup), refused)
    _keep_last_good(pack.root, settings.last_good_pack_dir)
    return LoadedContent(pack)


def remove_old_printouts(settings: Settings, max_age_s: float = 24 * 3600) -> int:
    """Delete PDF printouts left for staff once they are older than a day."""
    import time

    removed = 0
    folder = settings.printouts_dir
    if not folder.is_dir():
        return 0
    for path in folder.glob("*.pdf"):
        try:
            if time.time() - path.stat().st_mtime > max_age_s:
                path.unlink()
                removed += 1
        except OSError as exc:
            log.warning("could not remove an old printout: %s", exc.strerror)
    return removed


def pack_fingerprint(pack_dir: Path) -> str:
    """sha256 over every file of a pack (names and bytes), to spot a changed pack."""
    digest = hashlib.sha256()
    for path in sorted(p for p in pack_dir.rglob("*") if p.is_file() and p.name != FINGERPRINT):
        digest.update(str(path.relative_to(pack_dir)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


FINGERPRINT = ".fingerprint"


def _keep_last_good(source: Path, target: Path) -> None:
    if target.resolve() == source.resolve():
        return
    try:
        fingerprint = pack_fingerprint(source)
        stored = target / FINGERPRINT
        if stored.is_file() and stored.read_text() == fingerprint:
            return  # the copy is already this pack

        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pack-", dir=target.parent))
        shutil.copytree(source, staging / "pack")
        (staging / "pack" / FINGERPRINT).write_text(fingerprint)
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        (staging / "pack").rename(target)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:  # a full or read-only disk must not stop the kiosk
        log.warning("could not keep a copy of the good content pack: %s", exc)

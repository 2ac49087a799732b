"""Wiring: the configured pack, with the last good copy as a safety net."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kiosk.app import load_content, remove_old_printouts
from kiosk.config import Settings
from kiosk.core.content import PackInvalid
from tests.core.test_content_errors import MISSED, edit, page


def test_broken_update_keeps_the_last_good_pack_live(pack_copy: Path, tmp_path: Path) -> None:
    settings = Settings(content_dir=pack_copy, data_dir=tmp_path / "data")
    first = load_content(settings)
    assert first.refused is None
    assert (settings.last_good_pack_dir / "pack.yaml").is_file()
    edit(pack_copy, MISSED, lambda d: page(d, "when")["options"][0].update(next="nowhere"))
    second = load_content(settings)
    assert second.refused is not None
    assert second.pack.root == settings.last_good_pack_dir.resolve()
    assert page_ids(second.pack) == page_ids(first.pack)


def test_broken_pack_with_no_good_copy_is_an_error(pack_copy: Path, tmp_path: Path) -> None:
    edit(pack_copy, MISSED, lambda d: d.pop("start"))
    with pytest.raises(PackInvalid):
        load_content(Settings(content_dir=pack_copy, data_dir=tmp_path / "empty"))


def test_last_good_copy_is_only_rewritten_when_the_pack_changes(
    pack_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(content_dir=pack_copy, data_dir=tmp_path / "data")
    load_content(settings)
    marker = settings.last_good_pack_dir / "pack.yaml"
    before = marker.stat().st_mtime_ns
    load_content(settings)
    assert marker.stat().st_mtime_ns == before
    edit(pack_copy, "pack.yaml", lambda d: d.update(version="2099.1"))
    load_content(settings)
    assert "2099.1" in marker.read_text()


def test_old_printouts_are_deleted_after_a_day(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    settings.printouts_dir.mkdir(parents=True)
    old, new = settings.printouts_dir / "old.pdf", settings.printouts_dir / "new.pdf"
    old.write_bytes(b"%PDF")
    new.write_bytes(b"%PDF")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    assert remove_old_printouts(settings) == 1
    assert not old.exists() and new.exists()


def page_ids(pack) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {sid: [p.id for p in s.pages] for sid, s in pack.services.items()}

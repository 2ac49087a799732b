"""Shared fixtures: the real demo pack, fresh settings in a temp folder, a fake clock."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.cli import intent_ids
from kiosk.config import DEFAULT_I18N, DEFAULT_PACK, Settings
from kiosk.core.clock import FakeClock
from kiosk.core.content import ContentPack, load_pack
from kiosk.core.i18n import Catalogue


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK)


@pytest.fixture(scope="session")
def catalogue(pack: ContentPack) -> Catalogue:
    return Catalogue(DEFAULT_I18N, pack.languages)


@pytest.fixture(scope="session")
def all_intents() -> list[str]:
    return intent_ids()


@pytest.fixture(scope="session")
def intent_model_dir() -> Path:
    """models/nlu, built by `kiosk nlu build` (./dev.sh test runs it first; cached)."""
    folder = Settings().models_dir / "nlu"
    if not (folder / "manifest.json").is_file():
        from kiosk.nlu.build import build

        build(folder.parent, say=lambda _line: None)
    return folder


@pytest.fixture(scope="session")
def intent_classifier(intent_model_dir: Path):  # type: ignore[no-untyped-def]
    """The real intent model, loaded once for the whole test session."""
    from kiosk.nlu.classifier import OnnxIntentClassifier

    return OnnxIntentClassifier(intent_model_dir)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", fullscreen=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(today=dt.date(2026, 11, 30))


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo pack, for tests that break it."""
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, target)
    return target

"""The real intent model, built (or reused) once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import Settings
from kiosk.nlu.classifier import OnnxIntentClassifier


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """models/nlu, built by `kiosk nlu build` (./dev.sh test runs it first; cached)."""
    folder = Settings().models_dir / "nlu"
    if not (folder / "manifest.json").is_file():
        from kiosk.nlu.build import build

        build(folder.parent, say=lambda _line: None)
    return folder


@pytest.fixture(scope="session")
def classifier(model_dir: Path) -> OnnxIntentClassifier:
    return OnnxIntentClassifier(model_dir)

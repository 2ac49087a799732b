"""The real intent model (shared session fixtures live in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.nlu.classifier import OnnxIntentClassifier


@pytest.fixture(scope="session")
def model_dir(intent_model_dir: Path) -> Path:
    return intent_model_dir


@pytest.fixture(scope="session")
def classifier(intent_classifier: OnnxIntentClassifier) -> OnnxIntentClassifier:
    return intent_classifier

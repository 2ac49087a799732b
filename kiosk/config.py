"""Settings: frozen, read once from TOML (+ KIOSK_* environment), passed in, never global.

Lookup order: ``--config PATH``, then ``$KIOSK_CONFIG``, then the embedded
defaults (demo council, data in the user's data folder). Unknown keys and
wrong types are refused with a message naming the key.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kiosk.paths import DEFAULT_I18N, DEFAULT_PACK, PROJECT_ROOT

__all__ = [
    "DEFAULT_I18N",
    "DEFAULT_PACK",
    "PROJECT_ROOT",
    "ConfigError",
    "Settings",
    "load_settings",
]


class ConfigError(Exception):
    """The config file cannot be used; the message says which key and why."""


class Settings(BaseModel):
    """Everything a deployment can set. See ``deploy/kiosk.example.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_name: str = Field(default="Anytown Central Library", min_length=1)
    kiosk_id: str = Field(default="demo-01", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    content_dir: Path = DEFAULT_PACK
    i18n_dir: Path = DEFAULT_I18N
    models_dir: Path = PROJECT_ROOT / "models"
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("civic-kiosk")))
    languages: tuple[str, ...] = ("en", "cy")
    default_language: str = "en"
    idle_after_s: float = Field(default=60.0, gt=0, le=3600)
    idle_countdown_s: float = Field(default=30.0, gt=0, le=600)
    fullscreen: bool = True
    printer: str = ""
    """Printer name; empty means the system default, or a PDF file when there is none."""
    sync_enabled: bool = False
    key_dir: Path | None = None
    """Directory of its own for the storage key (default: DATA_DIR/keys); systemd
    credentials ($CREDENTIALS_DIRECTORY) take precedence when present."""
    speech_enabled: bool = True
    """Offer the microphone where a recogniser exists for the visitor's language."""
    microphone: str = ""
    """Input device name (or number) as PortAudio lists it; empty = the system default."""
    silence_ms: int = Field(default=400, ge=200, le=5000)
    """Silence that ends an utterance: shorter answers faster, longer lets people pause."""
    tts_rate: int = Field(default=150, ge=80, le=300)
    """Words per minute for read-aloud (slower than espeak's 175 default, for clarity)."""
    tts_volume: float = Field(default=1.0, ge=0.0, le=1.0)
    auto_read: bool = False
    """Read each new page aloud without being asked (an accessibility setting)."""

    @model_validator(mode="after")
    def _default_language_offered(self) -> Settings:
        if self.default_language not in self.languages:
            offered = list(self.languages)
            raise ValueError(f"default_language '{self.default_language}' is not in {offered}")
        return self

    @property
    def keys_dir(self) -> Path:
        return self.key_dir or self.data_dir / "keys"

    @property
    def printouts_dir(self) -> Path:
        return self.data_dir / "printouts"

    @property
    def last_good_pack_dir(self) -> Path:
        return self.data_dir / "last-good-pack"


_ENV_KEYS = {
    "KIOSK_DATA_DIR": "data_dir",
    "KIOSK_CONTENT_DIR": "content_dir",
    "KIOSK_MODELS_DIR": "models_dir",
}


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (or ``$KIOSK_CONFIG``), over the embedded defaults."""
    env = dict(os.environ) if env is None else env
    raw: dict[str, Any] = {}
    if path is None and env.get("KIOSK_CONFIG"):
        path = Path(env["KIOSK_CONFIG"])
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {path} does not exist") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} cannot be read: {exc}") from exc
        base = path.parent
        for key in ("content_dir", "i18n_dir", "data_dir", "models_dir", "key_dir"):
            if isinstance(raw.get(key), str) and not Path(raw[key]).is_absolute():
                raw[key] = str(base / raw[key])
    for var, key in _ENV_KEYS.items():
        if env.get(var):
            raw[key] = env[var]
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        where = str(path) if path else "environment"
        problems = "; ".join(
            f"'{'.'.join(str(p) for p in e['loc']) or 'config'}': "
            + e["msg"].removeprefix("Value error, ")
            for e in exc.errors()
        )
        raise ConfigError(f"config {where} has a problem: {problems}") from exc

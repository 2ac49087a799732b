from pathlib import Path

import pytest

from kiosk.config import DEFAULT_PACK, ConfigError, load_settings


def test_defaults_are_the_demo_council_with_sync_off() -> None:
    settings = load_settings(None, env={})
    assert settings.content_dir == DEFAULT_PACK
    assert settings.idle_after_s == 60 and settings.idle_countdown_s == 30
    assert settings.languages == ("en", "cy") and not settings.sync_enabled


def test_file_overrides_and_relative_paths(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('site_name = "Llandeilo Library"\nidle_after_s = 90\ndata_dir = "state"\n')
    settings = load_settings(config, env={})
    assert settings.site_name == "Llandeilo Library" and settings.idle_after_s == 90
    assert settings.data_dir == tmp_path / "state"


def test_path_from_environment(tmp_path: Path) -> None:
    config = tmp_path / "k.toml"
    config.write_text("idle_countdown_s = 15\n")
    assert load_settings(None, env={"KIOSK_CONFIG": str(config)}).idle_countdown_s == 15


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("idle_after_s = -5\n", "'idle_after_s'"),
        ("idle_after_s = 'soon'\n", "'idle_after_s'"),
        ("colour = 'red'\n", "'colour'"),
        ("default_language = 'fr'\n", "is not in"),
        ("idle_after_s = = 3\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(config, env={})


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_the_example_config_is_valid() -> None:
    from kiosk.paths import PROJECT_ROOT

    settings = load_settings(PROJECT_ROOT / "deploy" / "kiosk.example.toml", env={})
    assert settings.kiosk_id == "central-01" and settings.tts_rate == 150

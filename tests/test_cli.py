import json
from pathlib import Path

import pytest
import yaml

from kiosk.cli import main


def test_content_check_json_is_exactly_the_documented_shape(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["content", "check", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {"services", "journeys", "languages", "intents_unmapped"}
    assert summary["services"] >= 37 and summary["journeys"] >= 12
    assert summary["languages"] == {"en": {"missing": 0}, "cy": {"missing": 0}}
    assert summary["intents_unmapped"] == []


def test_content_check_counts_missing_welsh(
    pack_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = pack_copy / "services" / "bins.missed.yaml"
    data = yaml.safe_load(path.read_text())
    del data["title"]["cy"]
    del data["summary"]["cy"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert main(["content", "check", str(pack_copy), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["languages"]["cy"] == {"missing": 2}


def test_content_check_refuses_a_broken_pack(
    pack_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (pack_copy / "services" / "bins.missed.yaml").write_text("id: [broken\n")
    assert main(["content", "check", str(pack_copy)]) == 1
    err = capsys.readouterr().err
    assert "bins.missed.yaml:2" in err and "not valid YAML" in err


def test_bad_config_exits_2_with_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "k.toml"
    config.write_text("idle_after_s = 0\n")
    assert main(["--config", str(config), "content", "check"]) == 2
    assert "idle_after_s" in capsys.readouterr().err

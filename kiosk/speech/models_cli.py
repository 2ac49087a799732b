"""`kiosk models install PATH --lang LANG` and `kiosk models list [--json]`.

Exit codes: 0 done (for ``list``: every model verified, or none installed);
1 ``list`` found a model whose files no longer match its sha256, or whose
folder is gone; 2 the install was refused (the message on stderr says why
and what to do, as for every ``kiosk`` command).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.speech.models import INSTALL_HINT, human_size, install_model, list_models
from kiosk.speech.types import SpeechError


def cmd_install(source: str, lang: str, models_dir: Path) -> int:
    """Install a Vosk model folder or .zip for ``lang``, printing each step and the result."""
    try:
        entry = install_model(
            Path(source), lang, models_dir, progress=lambda step: print(f"  {step}...")
        )
    except SpeechError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    print(
        f"Installed {entry['name']} (version {entry['version']}) for '{entry['lang']}': "
        f"{human_size(entry['bytes'])} in {entry['files']} files\n"
        f"  folder: {Path(models_dir) / 'speech' / entry['folder']}\n"
        f"  sha256: {entry['sha256']}"
    )
    return 0


def cmd_list(models_dir: Path, as_json: bool, languages: Sequence[str] = ("en", "cy")) -> int:
    """Show the installed speech models (each verified against its sha256), which
    engine listens in each of the kiosk's languages, and the microphones found."""
    from kiosk.speech.capture import input_devices
    from kiosk.speech.engines import engine_report

    try:
        models = list_models(models_dir)
    except SpeechError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    engines = engine_report(languages, models_dir)
    microphones = [str(d.get("name", "?")) for d in input_devices()]
    if as_json:
        print(
            json.dumps(
                {"models": models, "engines": engines, "microphones": microphones},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0 if all(m["verified"] for m in models) else 1
    for lang, engine in engines.items():
        where = engine or "none: the microphone is hidden for this language"
        print(f"speech recognition in {lang}: {where}")
    print(
        "microphones: "
        + (
            ", ".join(microphones)
            if microphones
            else "none found (the microphone button stays hidden)"
        )
    )
    if not models:
        print(
            f"No speech models installed in {Path(models_dir) / 'speech'}.\n"
            f"Install one with: {INSTALL_HINT.format(lang='LANG')}"
        )
    else:
        rows = [("LANG", "ENGINE", "NAME", "VERSION", "SIZE", "VERIFIED")]
        rows += [
            (
                m["lang"],
                m["engine"],
                m["name"],
                m["version"],
                human_size(m["size"]),
                "yes" if m["verified"] else "NO",
            )
            for m in models
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        for m in models:
            print(f"{m['lang']}: {m['folder']}  sha256 {m['sha256'][:16]}...")
            if m["problem"]:
                print(f"  problem: {m['problem']}")
    return 0 if all(m["verified"] for m in models) else 1

"""Command line: ``kiosk run``, ``kiosk content check`` and friends."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.paths import INTENTS_FILE

if TYPE_CHECKING:
    from kiosk.config import Settings

# Heavy modules (pydantic, Qt) are imported inside the commands, so `kiosk run`
# can paint the attract screen before loading them (see kiosk.ui.early).


def intent_ids(path: Path = INTENTS_FILE) -> list[str]:
    """Intent ids from the catalogue (first column of the TSV, header skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line.strip()]


def _settings(args: argparse.Namespace) -> Settings:
    from kiosk.config import load_settings

    return load_settings(Path(args.config) if args.config else None)


def _start_logging(args: argparse.Namespace) -> None:
    import logging

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def cmd_content_check(args: argparse.Namespace) -> int:
    _start_logging(args)
    from kiosk.core.content import PackInvalid, load_pack

    pack_dir = Path(args.pack) if args.pack else _settings(args).content_dir
    try:
        pack = load_pack(pack_dir)
    except PackInvalid as exc:
        if args.json:
            errors = [
                {"file": e.file, "line": e.line, "key": e.key, "problem": e.problem}
                for e in exc.errors
            ]
            print(json.dumps({"valid": False, "errors": errors}, ensure_ascii=False))
        else:
            print(exc, file=sys.stderr)
        return 1
    journeys = sum(1 for s in pack.services.values() if s.is_journey)
    missing = pack.missing_translations()
    unmapped = pack.unmapped_intents(intent_ids())
    if args.json:
        summary = {
            "services": len(pack.services),
            "journeys": journeys,
            "languages": {lang: {"missing": missing[lang]} for lang in pack.languages},
            "intents_unmapped": unmapped,
        }
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{pack.info.id} {pack.info.version}: valid")
        print(f"  services: {len(pack.services)} ({journeys} guided journeys)")
        for lang in pack.languages:
            print(f"  {lang}: {missing[lang]} text(s) missing (shown in English)")
        print(f"  intents not handled: {', '.join(unmapped) if unmapped else 'none'}")
    return 1 if unmapped else 0


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_run(args: argparse.Namespace) -> int:
    early = None
    config = args.config or os.environ.get("KIOSK_CONFIG") or None
    if args.demo is None and _has_display():
        from kiosk.ui.early import show_early

        early = show_early(config, args.windowed)
    _start_logging(args)
    settings = _settings(args)
    if args.windowed:
        settings = settings.model_copy(update={"fullscreen": False})
    from kiosk.ui.launch import run_demo, run_kiosk  # Qt only when needed

    if args.demo is not None:
        return run_demo(settings, Path(args.demo))
    if not _has_display():
        out = Path("out/demo")
        print(
            "No display found: running the scripted demo tour on a virtual display (Xvfb).\n"
            f"Screenshots of every screen will be written to {out.resolve()}/",
            flush=True,
        )
        return run_demo(settings, out)
    return run_kiosk(settings, early=early, config=config)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Civic Kiosk")
    parser.add_argument("--version", action="version", version=f"civic-kiosk {__version__}")
    parser.add_argument(
        "--config", help="TOML config file (default: $KIOSK_CONFIG or built-in demo)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the kiosk")
    run.add_argument(
        "--demo", metavar="OUTDIR", help="run the scripted demo tour, saving screenshots"
    )
    run.add_argument("--windowed", action="store_true", help="not full-screen (for development)")
    run.set_defaults(func=cmd_run)

    content = sub.add_parser("content", help="content packs")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate a content pack and summarise it")
    check.add_argument("pack", nargs="?", help="pack folder (default: the configured pack)")
    check.add_argument("--json", action="store_true", help="machine-readable summary")
    check.set_defaults(func=cmd_content_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as exc:
        from kiosk.config import ConfigError
        from kiosk.core.content import PackInvalid

        if isinstance(exc, ConfigError | PackInvalid):
            print(f"kiosk: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())

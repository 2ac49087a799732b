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
    from kiosk.nlu.data import intent_ids as read_ids

    return read_ids(path)


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


def _classifier(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kiosk.nlu.classifier import OnnxIntentClassifier

    return OnnxIntentClassifier(_settings(args).models_dir / "nlu")


def cmd_nlu_build(args: argparse.Namespace) -> int:
    from kiosk.nlu.build import build

    build(_settings(args).models_dir, say=lambda line: print(line, flush=True), force=args.force)
    return 0


def cmd_nlu_predict(args: argparse.Namespace) -> int:
    classifier = _classifier(args)
    for line in sys.stdin:
        text = line.rstrip("\n")
        result = classifier.classify(text, args.lang)
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
    return 0


def cmd_nlu_eval(args: argparse.Namespace) -> int:
    from kiosk.nlu.build import evaluate
    from kiosk.nlu.data import read_tsv

    rows = read_tsv(Path(args.data))
    report = evaluate(_classifier(args).classify_many, rows)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"{report['examples']} examples from {args.data}")
    for lang, accuracy in report["accuracy"].items():
        print(f"  accuracy {lang}: {accuracy:.1%}")
    print(f"  in-scope accuracy: {report['in_scope_accuracy']:.1%}")
    for key in ("out_of_scope_recall", "out_of_scope_precision"):
        value = report[key]
        print(f"  {key.replace('_', ' ')}: {'n/a' if value is None else f'{value:.1%}'}")
    print("  most frequent confusions:")
    for c in report["confusions"]:
        print(f"    {c['count']:3d} x {c['intent']} -> {c['predicted']}")
    return 0


def cmd_nlu_bench_clinc(args: argparse.Namespace) -> int:
    from kiosk.nlu.clinc import run_clinc_bench

    return run_clinc_bench(Path(args.data), _settings(args).models_dir, as_json=args.json)


def cmd_speech_transcribe(args: argparse.Namespace) -> int:
    from kiosk.speech.transcribe import cmd_transcribe

    return cmd_transcribe(
        args.file,
        args.lang,
        _settings(args).models_dir,
        args.engine,
        args.model,
        args.grammar,
        args.json,
    )


def cmd_speech_say(args: argparse.Namespace) -> int:
    from kiosk.speech.tts_cli import cmd_say

    settings = _settings(args)
    return cmd_say(
        args.text,
        args.lang,
        args.out,
        play=args.out is None,
        rate=settings.tts_rate,
        volume=settings.tts_volume,
    )


def cmd_models_install(args: argparse.Namespace) -> int:
    from kiosk.speech.models_cli import cmd_install

    return cmd_install(args.source, args.lang, _settings(args).models_dir)


def cmd_models_list(args: argparse.Namespace) -> int:
    from kiosk.speech.models_cli import cmd_list

    settings = _settings(args)
    return cmd_list(settings.models_dir, args.json, settings.languages)


def cmd_keys_check(args: argparse.Namespace) -> int:
    from kiosk.storage.keys_cli import cmd_check

    return cmd_check(_settings(args).keys_dir)


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from kiosk.storage.keys_cli import cmd_rotate

    settings = _settings(args)
    return cmd_rotate(settings.data_dir, settings.keys_dir)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from kiosk.storage.audit import verify
    from kiosk.storage.db import database_path, open_database

    db, _ = open_database(database_path(_settings(args).data_dir))
    problems = verify(db)
    count = db.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    for problem in problems:
        print(f"TAMPERED: {problem}")
    if not problems:
        print(f"audit log intact ({count} entries)")
    return 1 if problems else 0


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

    nlu = sub.add_parser("nlu", help="the intent model")
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    build = nlu_sub.add_parser("build", help="build the intent model into models/nlu (cached)")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build.set_defaults(func=cmd_nlu_build)
    predict = nlu_sub.add_parser("predict", help="classify stdin lines, one JSON object each")
    predict.add_argument("--lang", default="en", help="language of the input (en, cy, ...)")
    predict.set_defaults(func=cmd_nlu_predict)
    evaluate = nlu_sub.add_parser("eval", help="accuracy on a lang/intent/text TSV file")
    evaluate.add_argument("--data", required=True, help="TSV with header lang, intent, text")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(func=cmd_nlu_eval)
    clinc = nlu_sub.add_parser("bench-clinc", help="train and score the pipeline on CLINC150")
    clinc.add_argument("--data", required=True, help="path to CLINC150 data_full.json")
    clinc.add_argument("--json", action="store_true")
    clinc.set_defaults(func=cmd_nlu_bench_clinc)

    speech = sub.add_parser("speech", help="speech recognition and read-aloud checks")
    speech_sub = speech.add_subparsers(dest="speech_command", required=True)
    transcribe = speech_sub.add_parser("transcribe", help="recognise the speech in a WAV file")
    transcribe.add_argument("file", help="a WAV file (any rate or channel count)")
    transcribe.add_argument("--lang", required=True, help="language of the speech (en, cy, ko...)")
    transcribe.add_argument("--engine", choices=["vosk", "pocketsphinx"], help="force an engine")
    transcribe.add_argument(
        "--model", help="a Vosk model folder to use instead of the installed one"
    )
    transcribe.add_argument("--grammar", help='restrict to these phrases: "yes|no|start again"')
    transcribe.add_argument("--json", action="store_true")
    transcribe.set_defaults(func=cmd_speech_transcribe)
    say = speech_sub.add_parser("say", help="speak text with the kiosk's voice (or save a WAV)")
    say.add_argument("text")
    say.add_argument("--lang", default="en")
    say.add_argument("--out", help="write this WAV file instead of playing the speech")
    say.set_defaults(func=cmd_speech_say)

    models = sub.add_parser("models", help="speech models (Vosk) for each language")
    models_sub = models.add_subparsers(dest="models_command", required=True)
    install = models_sub.add_parser("install", help="install a Vosk model folder or .zip")
    install.add_argument("source", help="the model's folder or .zip file")
    install.add_argument("--lang", required=True, help="the language it recognises (en, cy...)")
    install.set_defaults(func=cmd_models_install)
    listing = models_sub.add_parser("list", help="installed speech models, verified")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_models_list)

    keys = sub.add_parser("keys", help="the storage key that protects visitors' sessions")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("check", help="report key file permissions and problems").set_defaults(
        func=cmd_keys_check
    )
    keys_sub.add_parser(
        "rotate", help="new storage key; every live session is re-wrapped, none lost"
    ).set_defaults(func=cmd_keys_rotate)
    audit = sub.add_parser("audit", help="the audit log (no personal data)")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the hash chain; name any deleted or edited entry")
    audit_sub.choices["verify"].set_defaults(func=cmd_audit_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as exc:
        from kiosk.config import ConfigError
        from kiosk.core.content import PackInvalid
        from kiosk.nlu.classifier import ModelError
        from kiosk.nlu.data import DataError
        from kiosk.nlu.e5_file import WeightsError
        from kiosk.speech.types import SpeechError

        if isinstance(
            exc, ConfigError | PackInvalid | ModelError | DataError | WeightsError | SpeechError
        ):
            print(f"kiosk: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())

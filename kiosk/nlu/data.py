"""The kiosk's own utterances: TSV files of (lang, intent, text), train and test kept apart."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from kiosk.paths import ASSETS, INTENTS_FILE

NLU_DATA = ASSETS / "nlu"
HEADER = ["lang", "intent", "text"]


class DataError(Exception):
    """A data file is malformed; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Utterance:
    lang: str
    intent: str
    text: str


def intent_ids(path: Path = INTENTS_FILE) -> list[str]:
    """Intent ids from the catalogue (first column of the TSV, header skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line.strip()]


def read_tsv(path: Path, known_intents: set[str] | None = None) -> list[Utterance]:
    """Rows of a ``lang<TAB>intent<TAB>text`` file with a header line."""
    known = known_intents if known_intents is not None else set(intent_ids())
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or [c.strip().lower() for c in rows[0]] != HEADER:
        raise DataError(f"{path}:1: the first line must be the header 'lang<TAB>intent<TAB>text'")
    out: list[Utterance] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise DataError(f"{path}:{number}: expected 3 tab-separated columns, found {len(row)}")
        lang, intent, utterance = (cell.strip() for cell in row)
        if intent not in known:
            raise DataError(f"{path}:{number}: unknown intent '{intent}' (see assets/intents.tsv)")
        if not utterance:
            raise DataError(f"{path}:{number}: empty text")
        out.append(Utterance(lang, intent, utterance))
    return out


def read_split(split: str, root: Path = NLU_DATA) -> list[Utterance]:
    """Every row of ``root/<split>/*.tsv`` (split is 'train' or 'test')."""
    known = set(intent_ids())
    rows: list[Utterance] = []
    for path in sorted((root / split).glob("*.tsv")):
        rows.extend(read_tsv(path, known))
    return rows


def data_hash(rows: list[Utterance]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.lang}\t{row.intent}\t{row.text}\n".encode())
    return digest.hexdigest()

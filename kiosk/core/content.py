"""Content packs: the council's services and journeys as validated YAML data.

A pack is a folder::

    pack.yaml            council details, languages, home tiles, built-in actions
    services/*.yaml      one service per file: a journey of pages, or one outcome page
    data/*.yaml          offline data tables (e.g. bin rounds by postcode)

Every user-visible text in a pack is a map of language code to text
(``{en: ..., cy: ...}``). English is required; a missing translation falls
back to English on screen and is counted by ``kiosk content check``.

Loading validates the schema (pydantic) and then the journey graph (unknown
next steps, unreachable pages, pages from which no outcome can be reached).
Every problem is reported as a :class:`ContentError` naming the file, the key
path, the line when known, and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

LANG_RE = re.compile(r"^[a-z]{2,3}$")
ID_RE = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
PAGE_ID_RE = r"^[a-z][a-z0-9_]*$"

Text = dict[str, str]
"""A user-visible text in every language the pack offers, keyed by language code."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_text(value: Text) -> Text:
    if "en" not in value:
        raise ValueError("needs an English ('en') text; other languages fall back to it")
    for lang, text in value.items():
        if not LANG_RE.match(lang):
            raise ValueError(f"'{lang}' is not a language code like 'en' or 'cy'")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"the '{lang}' text is empty")
    return value


LocalText = Annotated[Text, Field(min_length=1)]


class Option(_Model):
    """One answer button on a choice page."""

    value: str = Field(pattern=PAGE_ID_RE)
    label: LocalText
    hint: LocalText | None = None
    next: str

    _v_label = field_validator("label", "hint")(lambda v: v if v is None else _check_text(v))


class ChoicePage(_Model):
    """One question, answered by tapping one of a few large buttons."""

    id: str = Field(pattern=PAGE_ID_RE)
    kind: Literal["choice"]
    question: LocalText
    hint: LocalText | None = None
    options: list[Option] = Field(min_length=2, max_length=8)

    _v_text = field_validator("question", "hint")(lambda v: v if v is None else _check_text(v))

    @field_validator("options")
    @classmethod
    def _unique_values(cls, options: list[Option]) -> list[Option]:
        seen: set[str] = set()
        for option in options:
            if option.value in seen:
                raise ValueError(f"two options share the value '{option.value}'")
            seen.add(option.value)
        return options

    def next_ids(self) -> list[str]:
        return [o.next for o in self.options]


class PostcodePage(_Model):
    """A UK postcode typed on the on-screen keyboard, validated and normalised."""

    id: str = Field(pattern=PAGE_ID_RE)
    kind: Literal["postcode"]
    question: LocalText
    hint: LocalText | None = None
    next: str
    lookup: Literal["bin_rounds"] | None = None
    not_found: str | None = None
    """Page to go to when ``lookup`` has no entry for the postcode."""

    _v_text = field_validator("question", "hint")(lambda v: v if v is None else _check_text(v))

    def next_ids(self) -> list[str]:
        return [self.next] + ([self.not_found] if self.not_found else [])


class CheckPage(_Model):
    """Check your answers: every answer so far, each with a Change button."""

    id: str = Field(pattern=PAGE_ID_RE)
    kind: Literal["check"]
    next: str

    def next_ids(self) -> list[str]:
        return [self.next]


class Phone(_Model):
    label: LocalText
    number: str = Field(pattern=r"^[0-9 +]{3,20}$")

    _v_label = field_validator("label")(_check_text)


class OutcomePage(_Model):
    """The end of a journey: what to do, what to bring, where and when."""

    id: str = Field(pattern=PAGE_ID_RE)
    kind: Literal["outcome"]
    title: LocalText
    lead: LocalText | None = None
    urgent: bool = False
    """Shown in the urgent style (red border, 'Act now')."""
    alert_staff: bool = False
    """Reaching this page raises a staff alert without the visitor asking."""
    phone: list[Phone] = Field(default_factory=list)
    steps: list[LocalText] = Field(default_factory=list)
    bring: list[LocalText] = Field(default_factory=list)
    where: LocalText | None = None
    when: LocalText | None = None
    link: HttpUrl | None = None
    """Web page for the QR code; defaults to the service's link."""
    dynamic: Literal["bin_collections"] | None = None
    """Computed section shown above the steps (from answers and today's date)."""

    _v_text = field_validator("title", "lead", "where", "when")(
        lambda v: v if v is None else _check_text(v)
    )

    @field_validator("steps", "bring")
    @classmethod
    def _texts(cls, items: list[Text]) -> list[Text]:
        return [_check_text(t) for t in items]

    def next_ids(self) -> list[str]:
        return []


Page = Annotated[ChoicePage | PostcodePage | CheckPage | OutcomePage, Field(discriminator="kind")]


class Service(_Model):
    """A council service: a guided journey, or a single information page."""

    id: str = Field(pattern=ID_RE)
    category: str = Field(pattern=ID_RE)
    intents: list[str] = Field(min_length=1)
    title: LocalText
    summary: LocalText
    source: HttpUrl
    """Where the public information came from (GOV.UK or council practice)."""
    reviewed: dt.date
    link: HttpUrl
    """The council's page for this service: the QR code on outcome pages."""
    start: str
    pages: list[Page] = Field(min_length=1)

    _v_text = field_validator("title", "summary")(_check_text)

    def page(self, page_id: str) -> ChoicePage | PostcodePage | CheckPage | OutcomePage:
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)

    @property
    def is_journey(self) -> bool:
        return len(self.pages) > 1


Action = Literal["staff", "language", "restart", "help", "hours"]


class Tile(_Model):
    """A home-screen tile: a category of services, one service, or an action."""

    id: str = Field(pattern=ID_RE)
    title: LocalText
    icon: str = Field(pattern=PAGE_ID_RE)
    services: list[str] = Field(default_factory=list)
    service: str | None = None
    action: Action | None = None

    _v_text = field_validator("title")(_check_text)


class HelpDesk(_Model):
    where: LocalText
    phone: str = Field(pattern=r"^[0-9 +]{3,20}$")
    out_of_hours: str = Field(pattern=r"^[0-9 +]{3,20}$")

    _v_text = field_validator("where")(_check_text)


class Council(_Model):
    name: LocalText
    website: HttpUrl

    _v_text = field_validator("name")(_check_text)


class PackInfo(_Model):
    """The contents of ``pack.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    version: str
    demo: bool = False
    council: Council
    help_desk: HelpDesk
    languages: list[str] = Field(min_length=1)
    tiles: list[Tile] = Field(min_length=1)
    actions: dict[str, Action] = Field(default_factory=dict)
    """Intent ids handled by a built-in action rather than a service."""

    @field_validator("languages")
    @classmethod
    def _langs(cls, langs: list[str]) -> list[str]:
        if "en" not in langs:
            raise ValueError("must include 'en'")
        for lang in langs:
            if not LANG_RE.match(lang):
                raise ValueError(f"'{lang}' is not a language code")
        return langs


class BinType(_Model):
    id: str = Field(pattern=PAGE_ID_RE)
    name: LocalText
    colour: LocalText

    _v_text = field_validator("name", "colour")(_check_text)


class RoundBin(_Model):
    bin: str
    first: dt.date
    """A date on which this bin is collected; it repeats every ``every_weeks``."""
    every_weeks: int = Field(ge=1, le=4)


class Round(_Model):
    id: str = Field(pattern=PAGE_ID_RE)
    bins: list[RoundBin] = Field(min_length=1)


class Street(_Model):
    postcode: str
    street: str
    round: str


class HolidayShift(_Model):
    original: dt.date
    moved_to: dt.date
    reason: LocalText

    _v_text = field_validator("reason")(_check_text)


class BinRounds(_Model):
    """``data/bin_rounds.yaml``: demo streets, rounds and bank-holiday shifts."""

    bins: list[BinType] = Field(min_length=1)
    rounds: list[Round] = Field(min_length=1)
    streets: list[Street] = Field(min_length=1)
    holiday_shifts: list[HolidayShift] = Field(default_factory=list)


@dataclass(frozen=True)
class ContentError(Exception):
    """One problem in a content pack, precise enough for an editor to fix."""

    file: str
    key: str
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" at '{self.key}'" if self.key else ""
        return f"{where}{key}: {self.problem}"


class PackInvalid(Exception):
    """A pack was refused; ``errors`` lists every problem found."""

    def __init__(self, pack_dir: Path, errors: list[ContentError]) -> None:
        self.pack_dir = pack_dir
        self.errors = errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(
            f"content pack {pack_dir} was refused ({len(errors)} problem(s)):\n{lines}"
        )


@dataclass(frozen=True)
class ContentPack:
    """A validated pack: safe to show to visitors."""

    root: Path
    info: PackInfo
    services: dict[str, Service]
    bin_rounds: BinRounds | None

    @property
    def languages(self) -> list[str]:
        return self.info.languages

    def tile(self, tile_id: str) -> Tile:
        for tile in self.info.tiles:
            if tile.id == tile_id:
                return tile
        raise KeyError(tile_id)

    def service_for_intent(self, intent: str) -> Service | None:
        for service in self.services.values():
            if intent in service.intents:
                return service
        return None

    def unmapped_intents(self, intent_ids: Iterable[str]) -> list[str]:
        """Catalogue intents that no service or action handles."""
        handled = {i for s in self.services.values() for i in s.intents} | set(self.info.actions)
        return [i for i in intent_ids if i != "out_of_scope" and i not in handled]

    def missing_translations(self) -> dict[str, int]:
        """How many texts in the pack fall back to English, per language."""
        counts = dict.fromkeys(self.languages, 0)
        for text in iter_texts(self):
            for lang in self.languages:
                if lang not in text:
                    counts[lang] += 1
        return counts


def iter_texts(pack: ContentPack) -> Iterator[Text]:
    """Every localised text in the pack."""

    def walk(value: Any) -> Iterator[Text]:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name))
        elif isinstance(value, dict):
            if value and "en" in value and all(isinstance(v, str) for v in value.values()):
                yield value
            else:
                for v in value.values():
                    yield from walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from walk(v)

    yield from walk(pack.info)
    for service in pack.services.values():
        yield from walk(service)
    if pack.bin_rounds:
        yield from walk(pack.bin_rounds)


# --- loading ---------------------------------------------------------------


# libyaml's C parser when present: ten times faster, which matters at start-up
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, rel: str) -> tuple[Any, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(rel, "", f"is not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    except OSError as exc:
        raise ContentError(rel, "", f"cannot be read: {exc.strerror}") from exc
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(rel, "", f"is not valid YAML: {problem}", line) from exc
    return data, text


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree (only built when an error needs a line number)."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    return node


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Line number (1-based) of the YAML node at a pydantic error location."""
    best = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    node = value
                    break
            else:
                return best
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return best
            node = node.value[part]
        else:
            # pydantic adds union tags like 'choice' to the location; skip them
            continue
        best = node.start_mark.line + 1
    return best


def _format_loc(loc: tuple[int | str, ...], data: Any) -> str:
    parts: list[str] = []
    cursor = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            if isinstance(cursor, list) and part < len(cursor):
                cursor = cursor[part]
                if isinstance(cursor, dict) and isinstance(cursor.get("id"), str):
                    label = f"[{part}:{cursor['id']}]"
            parts.append(label)
        else:
            if isinstance(cursor, dict) and part in cursor:
                cursor = cursor[part]
            elif isinstance(cursor, dict) and cursor.get("kind") == part:
                continue  # discriminator tag, not a key
            parts.append(("." if parts else "") + part)
    return "".join(parts)


def _validation_errors(
    exc: ValidationError, rel: str, data: Any, node: yaml.Node | None
) -> list[ContentError]:
    errors = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "this required key is missing"
        elif err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        errors.append(ContentError(rel, _format_loc(loc, data), msg, _line_of(node, loc)))
    return errors


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], path: Path, root: Path, errors: list[ContentError]) -> M | None:
    rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        data, text = _read_yaml(path, rel)
    except ContentError as exc:
        errors.append(exc)
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(rel, "", "must be a YAML mapping (key: value lines)", 1))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors.extend(_validation_errors(exc, rel, data, _compose(text)))
        return None


def _graph_errors(service: Service, rel: str) -> list[ContentError]:
    """Unknown next steps, unreachable pages, and pages that can never finish."""
    errors: list[ContentError] = []
    ids = [p.id for p in service.pages]
    dupes = {i for i in ids if ids.count(i) > 1}
    for dup in sorted(dupes):
        errors.append(ContentError(rel, f"pages.{dup}", "two pages share this id"))
    known = set(ids)
    if service.start not in known:
        errors.append(
            ContentError(rel, "start", f"names page '{service.start}', which does not exist")
        )
        return errors
    for page in service.pages:
        for target in page.next_ids():
            if target not in known:
                errors.append(
                    ContentError(
                        rel, f"pages.{page.id}", f"next step '{target}' is not a page here"
                    )
                )
        if isinstance(page, PostcodePage) and page.lookup and not page.not_found:
            errors.append(
                ContentError(rel, f"pages.{page.id}", "has a lookup but no 'not_found' page")
            )
    if errors:
        return errors
    edges = {p.id: p.next_ids() for p in service.pages}
    reachable: set[str] = set()
    todo = [service.start]
    while todo:
        page_id = todo.pop()
        if page_id not in reachable:
            reachable.add(page_id)
            todo.extend(edges[page_id])
    for page_id in ids:
        if page_id not in reachable:
            errors.append(
                ContentError(rel, f"pages.{page_id}", "cannot be reached from the start page")
            )
    # pages that can reach an outcome (reverse search from every outcome)
    finishing = {p.id for p in service.pages if isinstance(p, OutcomePage)}
    changed = True
    while changed:
        changed = False
        for page_id, targets in edges.items():
            if page_id not in finishing and any(t in finishing for t in targets):
                finishing.add(page_id)
                changed = True
    for page_id in ids:
        if page_id in reachable and page_id not in finishing:
            errors.append(
                ContentError(
                    rel,
                    f"pages.{page_id}",
                    "is in a loop with no way out: no outcome page can be reached from here",
                )
            )
    if not finishing:
        errors.append(ContentError(rel, "pages", "has no outcome page"))
    return errors


def load_pack(pack_dir: Path) -> ContentPack:
    """Load and validate a pack; raises :class:`PackInvalid` listing every problem."""
    pack_dir = pack_dir.resolve()
    errors: list[ContentError] = []
    if not (pack_dir / "pack.yaml").is_file():
        raise PackInvalid(
            pack_dir, [ContentError(str(pack_dir), "", "has no pack.yaml: is this a content pack?")]
        )
    info = _parse(PackInfo, pack_dir / "pack.yaml", pack_dir, errors)
    services: dict[str, Service] = {}
    service_files: dict[str, str] = {}
    files = sorted((pack_dir / "services").glob("*.yaml"))
    if not files:
        errors.append(ContentError("services/", "", "no service files (services/*.yaml) found"))
    broken: set[str] = set()
    for path in files:
        service = _parse(Service, path, pack_dir, errors)
        if service is None:
            broken.add(path.stem)  # already reported; don't report its uses as well
            continue
        rel = str(path.relative_to(pack_dir.parent))
        if path.stem != service.id:
            errors.append(
                ContentError(rel, "id", f"'{service.id}' must match the file name '{path.stem}'")
            )
        if service.id in services:
            errors.append(
                ContentError(
                    rel, "id", f"'{service.id}' is also used by {service_files[service.id]}"
                )
            )
            continue
        errors.extend(_graph_errors(service, rel))
        services[service.id] = service
        service_files[service.id] = rel
    rounds_path = pack_dir / "data" / "bin_rounds.yaml"
    bin_rounds = _parse(BinRounds, rounds_path, pack_dir, errors) if rounds_path.exists() else None
    if info is not None:
        errors.extend(_cross_errors(info, services, service_files, bin_rounds, pack_dir, broken))
    if errors or info is None:
        raise PackInvalid(pack_dir, errors)
    return ContentPack(pack_dir, info, services, bin_rounds)


def _cross_errors(
    info: PackInfo,
    services: dict[str, Service],
    files: dict[str, str],
    bin_rounds: BinRounds | None,
    pack_dir: Path,
    broken: set[str],
) -> list[ContentError]:
    errors: list[ContentError] = []
    pack_rel = f"{pack_dir.name}/pack.yaml"
    for i, tile in enumerate(info.tiles):
        targets = sum([bool(tile.services), tile.service is not None, tile.action is not None])
        if targets != 1:
            errors.append(
                ContentError(
                    pack_rel,
                    f"tiles[{i}:{tile.id}]",
                    "needs exactly one of services, service, action",
                )
            )
        for sid in [*tile.services, *([tile.service] if tile.service else [])]:
            if sid not in services and sid not in broken:
                errors.append(
                    ContentError(pack_rel, f"tiles[{i}:{tile.id}]", f"unknown service '{sid}'")
                )
    for service in services.values():
        uses_lookup = any(
            isinstance(p, PostcodePage) and p.lookup == "bin_rounds" for p in service.pages
        ) or any(
            isinstance(p, OutcomePage) and p.dynamic == "bin_collections" for p in service.pages
        )
        if uses_lookup and bin_rounds is None:
            errors.append(
                ContentError(
                    files[service.id],
                    "pages",
                    "uses bin rounds but data/bin_rounds.yaml is missing",
                )
            )
    if bin_rounds is not None:
        bin_ids = {b.id for b in bin_rounds.bins}
        round_ids = {r.id for r in bin_rounds.rounds}
        rel = f"{pack_dir.name}/data/bin_rounds.yaml"
        for r in bin_rounds.rounds:
            for b in r.bins:
                if b.bin not in bin_ids:
                    errors.append(ContentError(rel, f"rounds.{r.id}", f"unknown bin '{b.bin}'"))
        for s in bin_rounds.streets:
            if s.round not in round_ids:
                errors.append(
                    ContentError(rel, f"streets.{s.postcode}", f"unknown round '{s.round}'")
                )
    return errors

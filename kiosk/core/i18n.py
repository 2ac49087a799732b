"""User-visible strings: Fluent catalogues in ``i18n/<lang>/*.ftl`` with CLDR plurals.

The kiosk's own words live in Fluent files, one folder per language; content
pack texts arrive as ``{lang: text}`` maps and go through :meth:`Catalogue.pick`.
A key missing in one language falls back to English, and is reported by
:func:`check_catalogues` (which the tests run), so a gap never blanks a screen.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor as FluentVisitor

log = logging.getLogger(__name__)

FALLBACK = "en"


class CatalogueError(Exception):
    """A catalogue folder or file cannot be used."""


def _placeholders(pattern: ast.Pattern | None) -> set[str]:
    found: set[str] = set()

    class Visitor(FluentVisitor):
        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            found.add(node.id.name)

    if pattern is not None:
        Visitor().visit(pattern)
    return found


def _plural_selects(pattern: ast.Pattern | None) -> list[set[str]]:
    """The variant keys of every select expression on a variable (plural selectors)."""
    selects: list[set[str]] = []

    class Visitor(FluentVisitor):
        def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
            if isinstance(node.selector, ast.VariableReference):
                keys = {
                    v.key.name if isinstance(v.key, ast.Identifier) else str(v.key.value)
                    for v in node.variants
                }
                selects.append(keys)
            self.generic_visit(node)

    if pattern is not None:
        Visitor().visit(pattern)
    return selects


@dataclass(frozen=True)
class Message:
    key: str
    placeholders: frozenset[str]
    plural_selects: tuple[frozenset[str], ...]


def parse_messages(folder: Path) -> dict[str, Message]:
    """Every message in a language folder, with its placeholders and plural variants."""
    messages: dict[str, Message] = {}
    parser = FluentParser()
    for path in sorted(folder.glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                raise CatalogueError(
                    f"{path}: cannot parse this part: {(entry.content or '').strip()[:60]!r}"
                )
            if isinstance(entry, ast.Message):
                key = entry.id.name
                if key in messages:
                    raise CatalogueError(f"{path}: message '{key}' is defined twice")
                messages[key] = Message(
                    key,
                    frozenset(_placeholders(entry.value)),
                    tuple(frozenset(s) for s in _plural_selects(entry.value)),
                )
    return messages


def plural_categories(lang: str) -> frozenset[str]:
    """CLDR plural categories a language needs (always including 'other')."""
    return frozenset(Locale.parse(lang).plural_form.tags) | {"other"}


def check_catalogues(i18n_dir: Path, languages: list[str]) -> list[str]:
    """Every problem with the catalogues: missing keys, placeholder or plural mismatches."""
    problems: list[str] = []
    base = parse_messages(i18n_dir / FALLBACK)
    for lang in languages:
        folder = i18n_dir / lang
        if not folder.is_dir():
            problems.append(f"{lang}: folder {folder} is missing")
            continue
        messages = parse_messages(folder)
        for key in sorted(set(base) - set(messages)):
            problems.append(f"{lang}: missing '{key}'")
        for key in sorted(set(messages) - set(base)):
            problems.append(f"{lang}: '{key}' is not in English (stale or misspelt?)")
        needed = plural_categories(lang)
        for key in sorted(set(base) & set(messages)):
            if messages[key].placeholders != base[key].placeholders:
                problems.append(
                    f"{lang}: '{key}' uses {sorted(messages[key].placeholders)}, "
                    f"English uses {sorted(base[key].placeholders)}"
                )
            for variants in messages[key].plural_selects:
                if variants & {"zero", "one", "two", "few", "many", "other"}:
                    missing = needed - variants
                    if missing:
                        problems.append(f"{lang}: '{key}' lacks plural forms {sorted(missing)}")
    return problems


class Catalogue:
    """Formats UI strings and picks content texts for a language."""

    def __init__(self, i18n_dir: Path, languages: list[str]) -> None:
        if not (i18n_dir / FALLBACK).is_dir():
            raise CatalogueError(f"no English strings in {i18n_dir / FALLBACK}")
        self.languages = list(languages)
        self._bundles: dict[str, FluentBundle] = {}
        for lang in {FALLBACK, *languages}:
            bundle = FluentBundle([lang], use_isolating=False)
            folder = i18n_dir / lang
            if not folder.is_dir():
                raise CatalogueError(f"language '{lang}' has no strings folder {folder}")
            for path in sorted(folder.glob("*.ftl")):
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self._bundles[lang] = bundle

    def text(self, lang: str, key: str, **args: object) -> str:
        """The string ``key`` in ``lang``, falling back to English, then to the key."""
        for candidate in (lang, FALLBACK):
            bundle = self._bundles.get(candidate)
            if bundle is not None and bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    continue
                value, errors = bundle.format_pattern(message.value, args)
                if errors:
                    log.warning("i18n: %s in %s: %s", key, candidate, errors[0])
                return str(value)
        log.error("i18n: no string '%s' in any language", key)
        return key

    @staticmethod
    def pick(lang: str, text: Mapping[str, str]) -> str:
        """A content pack text in ``lang``, or English when it has no translation."""
        return text.get(lang) or text[FALLBACK]

    @staticmethod
    def date(lang: str, day: dt.date) -> str:
        """A date written out in full, e.g. 'Monday 30 November' / 'Dydd Llun 30 Tachwedd'."""
        from babel.dates import format_date  # only outcome pages with dates need it

        return str(format_date(day, "EEEE d MMMM", locale=lang))

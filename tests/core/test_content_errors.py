"""Broken packs are refused with errors that name the file, the key and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kiosk.core.content import ContentError, PackInvalid, load_pack

MISSED = "services/bins.missed.yaml"


def edit(pack_dir: Path, rel: str, change) -> None:  # type: ignore[no-untyped-def]
    path = pack_dir / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def page(data: dict, page_id: str) -> dict:  # type: ignore[type-arg]
    return next(p for p in data["pages"] if p["id"] == page_id)


def refused(pack_dir: Path) -> list[ContentError]:
    with pytest.raises(PackInvalid) as info:
        load_pack(pack_dir)
    return info.value.errors


def only(errors: list[ContentError]) -> ContentError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_the_demo_pack_is_valid(pack_copy: Path) -> None:
    assert load_pack(pack_copy).info.demo


def test_missing_key_names_file_key_and_line(pack_copy: Path) -> None:
    edit(pack_copy, MISSED, lambda d: page(d, "put_out").pop("question"))
    error = only(refused(pack_copy))
    assert error.file.endswith(MISSED)
    assert error.key == "pages[1:put_out].question"
    assert "missing" in error.problem
    assert error.line is not None
    text = (pack_copy / MISSED).read_text().splitlines()
    assert "put_out" in text[error.line - 1]


def test_unknown_next_step(pack_copy: Path) -> None:
    edit(pack_copy, MISSED, lambda d: page(d, "when")["options"][0].update(next="nowhere"))
    error = only(refused(pack_copy))
    assert error.key == "pages.when" and "'nowhere' is not a page" in error.problem


def test_unreachable_page(pack_copy: Path) -> None:
    def orphan(d: dict) -> None:  # type: ignore[type-arg]
        d["pages"].append(
            {"id": "orphan", "kind": "outcome", "title": {"en": "Lost", "cy": "Ar goll"}}
        )

    edit(pack_copy, MISSED, orphan)
    error = only(refused(pack_copy))
    assert error.key == "pages.orphan" and "cannot be reached" in error.problem


def test_cycle_with_no_exit(pack_copy: Path) -> None:
    def loop(d: dict) -> None:  # type: ignore[type-arg]
        page(d, "when")["options"][1]["next"] = "put_out"
        page(d, "put_out")["options"] = [
            {"value": "yes", "label": {"en": "Yes"}, "next": "when"},
            {"value": "no", "label": {"en": "No"}, "next": "when"},
        ]

    edit(pack_copy, MISSED, loop)
    errors = refused(pack_copy)
    loops = {e.key for e in errors if "loop with no way out" in e.problem}
    assert loops == {"pages.when", "pages.put_out"}


def test_bad_yaml_gives_the_line(pack_copy: Path) -> None:
    path = pack_copy / MISSED
    lines = path.read_text().splitlines()
    lines[5] = "  en: [unclosed"
    path.write_text("\n".join(lines))
    error = only(refused(pack_copy))
    assert "not valid YAML" in error.problem and error.line is not None and error.line >= 6


def test_text_without_english_is_refused(pack_copy: Path) -> None:
    edit(pack_copy, MISSED, lambda d: d.update(title={"cy": "Dim Saesneg"}))
    error = only(refused(pack_copy))
    assert error.key == "title" and "English" in error.problem


def test_unknown_key_is_caught(pack_copy: Path) -> None:
    edit(pack_copy, MISSED, lambda d: page(d, "when").update(qestion={"en": "typo"}))
    error = only(refused(pack_copy))
    assert error.key == "pages[0:when].qestion" and "unknown key" in error.problem


def test_tile_naming_a_missing_service(pack_copy: Path) -> None:
    (pack_copy / "services" / "library.events.yaml").unlink()
    errors = refused(pack_copy)
    assert any("unknown service 'library.events'" in e.problem for e in errors)


def test_duplicate_service_id(pack_copy: Path) -> None:
    source = (pack_copy / MISSED).read_text()
    (pack_copy / "services" / "zz-copy.yaml").write_text(source)
    problems = sorted(e.problem for e in refused(pack_copy))
    assert problems == [
        "'bins.missed' is also used by pack/services/bins.missed.yaml",
        "'bins.missed' must match the file name 'zz-copy'",
    ]


def test_not_a_pack_folder(tmp_path: Path) -> None:
    error = only(refused(tmp_path))
    assert "no pack.yaml" in error.problem


def test_every_problem_is_reported_at_once(pack_copy: Path) -> None:
    edit(pack_copy, MISSED, lambda d: page(d, "when")["options"][0].update(next="nowhere"))
    edit(pack_copy, "services/kiosk.hours.yaml", lambda d: d.pop("source"))
    assert len(refused(pack_copy)) == 2

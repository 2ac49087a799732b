"""The core runs with PySide6 absent (as on a headless build or a content-checking server)."""

import subprocess
import sys
import textwrap

BLOCK_QT = textwrap.dedent(
    """
    import importlib.abc, sys

    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6"):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, NoQt())
    """
)


def test_core_imports_and_walks_a_journey_without_pyside6() -> None:
    script = BLOCK_QT + textwrap.dedent(
        """
        import pkgutil, importlib
        import kiosk.core, kiosk.config, kiosk.app, kiosk.cli
        for mod in pkgutil.iter_modules(kiosk.core.__path__):
            importlib.import_module(f"kiosk.core.{mod.name}")
        from kiosk.config import DEFAULT_PACK
        from kiosk.core.content import load_pack
        from kiosk.core.session import Session
        session = Session(load_pack(DEFAULT_PACK))
        session.begin("cy")
        session.open_service("bins.missed")
        session.choose("older")
        assert session.page.kind == "outcome"
        assert kiosk.cli.main(["content", "check", "--json"]) == 0
        assert not any(m.startswith("PySide6") for m in sys.modules)
        print("core-ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "core-ok" in result.stdout


def test_the_blocker_really_blocks() -> None:
    script = BLOCK_QT + "import PySide6.QtWidgets\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode != 0 and "blocked" in result.stderr

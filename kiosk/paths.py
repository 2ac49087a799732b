"""Where the project's own files are. Imports nothing heavy: used on the fast start path."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
DEFAULT_PACK = ASSETS / "content" / "anytown"
DEFAULT_I18N = PROJECT_ROOT / "i18n"
ICON_DIR = ASSETS / "icons"
INTENTS_FILE = ASSETS / "intents.tsv"

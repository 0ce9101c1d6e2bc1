#!/usr/bin/env bash
# Installs what the test suite needs outside Python: Debian's Chromium for the browser
# tests (Playwright drives /usr/bin/chromium; it never downloads a browser itself).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "test-setup: installing Debian's chromium for the browser tests"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version

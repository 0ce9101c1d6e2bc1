#!/usr/bin/env bash
# Installs what the test suite needs outside Python: Debian's Chromium for the browser
# tests (Playwright drives /usr/bin/chromium; it never downloads a browser itself), and a
# CJK font so that the Chinese article titles in the screenshots render as text.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-setup: installing ${missing[*]} for the browser tests"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version

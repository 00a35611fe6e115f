#!/usr/bin/env bash
# Install the headless browser the browser test (tests/test_browser.py) drives:
# Debian's Chromium at /usr/bin/chromium.  Playwright's own browser downloads
# (`playwright install`) are not used: the test launches this binary through
# the python `playwright` package with executable_path=/usr/bin/chromium.
# Idempotent: does nothing when Chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; install Chromium at /usr/bin/chromium by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo installed)"

#!/usr/bin/env bash
# The dashboard's browser test drives Debian's Chromium with playwright-core (never a browser
# downloaded by a test tool). Installs it when missing and possible; otherwise says so.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the dashboard browser test..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "warning: chromium is not installed; the dashboard browser test will fail (install Debian's chromium or set CHROMIUM_PATH)" >&2

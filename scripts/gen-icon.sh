#!/usr/bin/env bash
# Renders media/icon.svg (drawn by hand for haconf) to media/icon.png, 256×256 with a transparent corner,
# with Debian's headless Chromium (the browser the e2e tests use: apt-get install chromium). Run it after
# editing the SVG and commit both; the .vsix ships only the PNG (package.json "icon").
set -euo pipefail
cd "$(dirname "$0")/.."
chromium_bin="${HACONF_E2E_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || { echo "no Chromium at $chromium_bin (apt-get install chromium)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{ printf '<!doctype html><html><body style="margin:0;background:transparent">'; cat media/icon.svg; printf '</body></html>'; } >"$work/icon.html"
"$chromium_bin" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --default-background-color=00000000 --window-size=256,256 --screenshot="$work/icon.png" "file://$work/icon.html" 2>/dev/null
cp "$work/icon.png" media/icon.png
echo "wrote media/icon.png ($(stat -c %s media/icon.png) bytes)"

#!/usr/bin/env bash
# Installs what the end-to-end suite needs, offline-friendly (Debian packages + npm registry only):
#   - Debian: chromium (the headless browser that opens the workbench), ripgrep (seeds code-server's
#     @vscode/ripgrep, whose postinstall would otherwise download from GitHub), libkrb5-dev (code-server's
#     kerberos module compiles against it);
#   - npm, into .tmp/e2e-tools/ (NOT the extension's package.json): code-server 4.100.3 (VS Code 1.100.3,
#     the last release that runs on Node 20) and playwright-core (driver only, no browser download).
# Idempotent. Called from test/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS="${HACONF_E2E_TOOLS:-$PWD/.tmp/e2e-tools}"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1

# shellcheck source=test/apt-debs.sh
. test/apt-debs.sh
install_missing_debs chromium ripgrep libkrb5-dev

if [ -x "$TOOLS/node_modules/.bin/code-server" ] && [ -d "$TOOLS/node_modules/playwright-core" ] \
  && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$TOOLS/node_modules/code-server/package.json"; then
  echo "e2e tools present in $TOOLS"
  exit 0
fi

# @vscode/ripgrep 1.15.x looks for this exact archive in its cache before downloading; Debian's rg 13 is
# the same ripgrep release it would fetch.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TGZ" ]; then
  stage="$(mktemp -d)"
  mkdir -p "$RG_CACHE"
  cp "$(command -v rg)" "$stage/rg"
  tar czf "$RG_TGZ" -C "$stage" rg
  rm -rf "$stage"
fi

mkdir -p "$TOOLS"
[ -f "$TOOLS/package.json" ] || printf '{"name":"haconf-e2e-tools","private":true}\n' > "$TOOLS/package.json"
npm_config_yes=true npm install --prefix "$TOOLS" --unsafe-perm=true --no-audit --no-fund \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
echo "e2e tools installed in $TOOLS"

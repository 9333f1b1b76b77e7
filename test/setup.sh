#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine: the real daemons the parity tests run
# against, then the npm dependencies. Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=test/apt-debs.sh
. test/apt-debs.sh
# Real daemons for parity tests; sshd, iproute2, curl and psmisc (killall) for the network-namespace lab;
# neovim (0.7.2 in Debian 12), emacs-nox and elpa-eglot for the editor suite (test/nvim); python3 (its pty
# module types Ctrl-C and Ctrl-D at the deploy prompt in test/deploy/signals.test.ts); ansible-core (2.14 in
# Debian 12) runs the playbooks of `haconf export ansible` against the lab in test/deploy/ansible.test.ts.
install_missing_debs haproxy keepalived corosync debootstrap openssh-server openssh-client iproute2 curl psmisc util-linux neovim emacs-nox elpa-eglot python3 ansible-core
# Newer real haproxy/keepalived/corosync (Debian 13 and testing) beside the host's, for the per-version
# parity and corpus suites (test/versions.ts): minimal roots built from this machine's Debian mirror;
# ≈ 1 min and 340 MB each, skipped when present. HACONF_ROOTS picks another folder.
roots=${HACONF_ROOTS:-.tmp/roots}
recipe=../shared/recipes/debian-roots.sh
[ -f "$recipe" ] || { echo "test/setup.sh: $recipe not found; ../shared must sit beside the checkout" >&2; exit 1; }
bash "$recipe" "$roots" trixie forky
npm ci --no-audit --no-fund
# Upstream's example and test configs of every tool version, from Debian's source packages (.tmp/upstream).
HACONF_ROOTS=$roots bash scripts/fetch-upstream-corpus.sh
bash test/e2e/setup-tools.sh

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
# Debian 12) runs the playbooks of `haconf export ansible` against the lab in test/deploy/ansible.test.ts and renders the
# oracle templates of test/templates/oracle.test.ts.
install_missing_debs haproxy keepalived corosync openssh-server openssh-client iproute2 curl psmisc util-linux neovim emacs-nox elpa-eglot python3 ansible-core
npm ci --no-audit --no-fund
bash test/e2e/setup-tools.sh

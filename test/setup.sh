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
# oracle templates of test/templates/oracle.test.ts and of the role deployed in test/deploy/templates.test.ts.
install_missing_debs haproxy keepalived corosync debootstrap openssh-server openssh-client iproute2 curl psmisc util-linux neovim emacs-nox elpa-eglot python3 ansible-core
# test/unit/descriptions.test.ts compares our keyword descriptions with the manuals these packages ship. Images
# that exclude /usr/share/doc and /usr/share/man from packages (dpkg path-exclude) lack them: take them from the
# same Debian packages into .tmp/manuals/root/ instead.
manuals=(/usr/share/doc/haproxy/configuration.txt.gz /usr/share/man/man5/keepalived.conf.5.gz /usr/share/man/man5/corosync.conf.5.gz /usr/share/man/man5/votequorum.5.gz)
for m in "${manuals[@]}"; do
  if [ ! -e "$m" ] && [ ! -e ".tmp/manuals/root$m" ]; then
    mkdir -p .tmp/manuals/debs .tmp/manuals/root
    (cd .tmp/manuals/debs && apt-get download haproxy keepalived corosync)
    for deb in .tmp/manuals/debs/*.deb; do dpkg-deb -x "$deb" .tmp/manuals/root; done
    break
  fi
done
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

#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine: the real daemons the parity tests run
# against, then the npm dependencies. Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real daemons for parity tests; sshd, iproute2, curl and psmisc (killall) for the network-namespace lab.
DEBS=(haproxy keepalived corosync openssh-server openssh-client iproute2 curl psmisc util-linux)
missing=()
for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # policy-rc.d keeps the packages' own services from starting on install; tests start what they need.
  # An existing policy-rc.d (container images ship one) is left alone.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    $SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    created_policy=1
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ -z "$created_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi
npm ci --no-audit --no-fund
bash test/e2e/setup-tools.sh

#!/bin/bash
# Fills .tmp/manuals/ with HAProxy's configuration manual of every branch the keyword and sample-fetch data
# cover (scripts/gen-haproxy-schema.ts, scripts/gen-haproxy-fetches.ts read them). The manuals are GPL text:
# they stay in .tmp/ (gitignored) and are never committed.
#
#   bash scripts/fetch-haproxy-manuals.sh [OUT_DIR]
#
# Sources, best first (docs/haproxy-versions.md lists what the committed data was built from):
# 1. Debian packages: the manual Debian ships in /usr/share/doc/haproxy/configuration.txt.gz of the
#    machine (Debian 12: 2.6) and of the Debian roots test/setup.sh builds (HACONF_ROOTS, default
#    /work/roots: trixie 3.0, forky 3.2). The branch is read from that root's `haproxy -v`.
# 2. The upstream repository: doc/configuration.txt at the release tag vX.Y.0 of every other branch, and at
#    the newest -dev tag for the development branch, from a clone given as HAPROXY_GIT (any clone of
#    https://github.com/haproxy/haproxy with its tags), else downloaded per pinned commit from GitHub.
set -euo pipefail
out=${1:-$(dirname "$0")/../.tmp/manuals}
mkdir -p "$out"
roots=${HACONF_ROOTS:-/work/roots}

# Upstream release commits (tag → commit), so a download is pinned even without the tags.
declare -A COMMITS=(
  [1.8]=0b78792bbe61fec420e4e7298d145ec7d498f8f2 [1.9]=822305067bdc13d088494915184864e36878aa16
  [2.0]=ba23630ad009464dc8e4d01dac9ce779eb84cc2a [2.1]=e54b43af1ec9dc656c04b09118583cb3c2ce56fa
  [2.2]=3a00c915fd241fc398a080a11ccac9c5c46791ce [2.3]=1c0a722a83e7c45456a2b82c15889ab9ab5c4948
  [2.4]=6cbbecf09734aeb5fa8bb88f36f06a6f6d35e813 [2.5]=f2e0833f16aa8c09e1c7001ff55aac4f13c643b7
  [2.6]=a1efc048bf8a5e14466dbe7317e73117e8d66176 [2.7]=437fd289f2e32e56498d2d4da63852d483f284ef
  [2.8]=fdd8154ed37fef7f351075caa357917f94704dd7 [2.9]=fddb8c13b6811b3b34eba0ad58d1f5fd5a3c7f60
  [3.0]=5590ada4731a1f75004675680b4bdca61fa4c507 [3.1]=f2b97918e80b2f4df1da751a44fe6e323c6e4b9e
  [3.2]=e134140d282c006417945d78e7964cc8fa14586a [3.3]=7832fb21fe2dd11ce44e996d8e86802731b871b2
  [3.4]=64a335366dc1bb5431e28a75e3a22e4226ac9b8f
  [3.5]=03bde20ef72d40f7fd546f0725da0f787934ac1b # v3.5-dev5, the development branch
)
declare -A TAGS=([3.5]=v3.5-dev5)

# 1. Debian manuals: the machine's own and each root's.
for root in / "$roots"/*/; do
  manual=$root/usr/share/doc/haproxy/configuration.txt.gz
  [ -f "$manual" ] || continue
  if [ "$root" = / ]; then v=$(haproxy -v 2>/dev/null | awk "NR==1"); else v=$(chroot "$root" haproxy -v 2>/dev/null | awk "NR==1"); fi
  branch=$(sed -n 's/^HA-\?Proxy version \([0-9]*\.[0-9]*\)\..*/\1/p' <<<"$v")
  [ -n "$branch" ] || continue
  gunzip -c "$manual" > "$out/configuration-$branch.txt"
  echo "$branch: Debian, $(awk '{print $3}' <<<"$v") ($manual)" | tee "$out/configuration-$branch.source"
done

# 2. Upstream for the branches Debian does not ship.
for branch in $(printf '%s\n' "${!COMMITS[@]}" | sort -V); do
  [ -s "$out/configuration-$branch.txt" ] && [ -s "$out/configuration-$branch.source" ] && continue
  commit=${COMMITS[$branch]}
  tag=${TAGS[$branch]:-v$branch.0}
  if [ -n "${HAPROXY_GIT:-}" ]; then
    git -C "$HAPROXY_GIT" show "$commit:doc/configuration.txt" > "$out/configuration-$branch.txt"
  else
    curl -fsSL "https://raw.githubusercontent.com/haproxy/haproxy/$commit/doc/configuration.txt" -o "$out/configuration-$branch.txt"
  fi
  echo "$branch: upstream $tag ($commit)" | tee "$out/configuration-$branch.source"
done

# 3. What each real binary registers: sample fetches (smp), converters (cnv) and ACL keywords (acl), with
#    argument types, arity, output type and valid contexts (`haproxy -dK<class>`, HAProxy 2.6+). These are
#    the authoritative source of scripts/gen-haproxy-fetches.ts for the branches we have binaries of.
for root in / "$roots"/*/; do
  [ -x "$root/usr/sbin/haproxy" ] || continue
  run=(); [ "$root" = / ] || run=(chroot "$root")
  v=$("${run[@]}" haproxy -v 2>/dev/null | awk 'NR==1')
  branch=$(sed -n 's/^HA-\?Proxy version \([0-9]*\.[0-9]*\)\..*/\1/p' <<<"$v")
  [ -n "$branch" ] || continue
  for class in smp cnv acl; do
    "${run[@]}" haproxy -dK$class -q -c -f /dev/null > "$out/haproxy-$branch.$class" 2>&1 || true
  done
  echo "$branch: keyword dumps from $(awk '{print $3}' <<<"$v") (${run[*]:-host} haproxy -dKsmp/-dKcnv/-dKacl)" | tee "$out/haproxy-$branch.dump-source"
done

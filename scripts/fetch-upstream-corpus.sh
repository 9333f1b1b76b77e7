#!/usr/bin/env bash
# Upstream's own example and test configurations of each tool version we test against, from Debian's source
# packages (the upstream tarball *.orig.tar.gz that Debian ships), into .tmp/upstream/<tool>/<version>/…
# Nothing is copied into the repository. Origin of every file: .tmp/upstream/ORIGIN.tsv (tool, version,
# file, source: the tarball URL and its SHA256 as apt's Sources index lists it, or the binary package's doc).
#
#   bash scripts/fetch-upstream-corpus.sh [DEST]     # default DEST: .tmp/upstream; idempotent
#
# Taken per tool: haproxy examples/*.cfg and tests/conf/*.cfg (with the errorfiles and lua they name) and
# the configurations inside reg-tests/**/*.vtc (scripts/vtc-configs.ts; needs npm ci for tsx);
# keepalived doc/samples/keepalived.conf.*; corosync conf/corosync.conf.example*.
# Where the mirror lacks a version's tarball (it holds what Debian's archive holds at the pinned snapshot),
# the files the binary package installs under /usr/share/doc/<pkg>/ in the matching Debian root stand in
# (haproxy examples, keepalived samples); ORIGIN.tsv says which.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$(realpath -m "${1:-.tmp/upstream}")
roots=$(realpath -m "${HACONF_ROOTS:-.tmp/roots}")
apt_dir=$dest/.apt
mkdir -p "$apt_dir"/{lists/partial,cache/archives/partial,etc/sources.list.d,etc/preferences.d} "$dest/.tarballs"

# The mirror this machine's apt uses (same lookup as ../shared/recipes/debian-roots.sh).
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $1}' | grep -v security | head -1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "fetch-upstream-corpus: no Debian mirror found in the apt sources" >&2; exit 1; }

suites="bookworm trixie forky"
: > "$apt_dir/etc/sources.list"
for s in $suites; do
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" >> "$apt_dir/etc/sources.list"
done
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/etc/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Etc::Preferences=$apt_dir/etc/preferences" -o "Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d")
# The Sources indexes are fetched once; delete .tmp/upstream/.apt to refresh them.
if ! ls "$apt_dir"/lists/*Sources* >/dev/null 2>&1; then
  apt-get "${apt_opts[@]}" -qq update || { echo "fetch-upstream-corpus: apt-get update of the deb-src indexes failed" >&2; exit 1; }
fi

origin=$dest/ORIGIN.tsv.new
printf 'tool\tversion\tfile\tsource\tpath_in_source\n' > "$origin"

# extract TOOL VERSION TARBALL URL SHA: unpack the wanted files of one upstream tarball.
extract() {
  local tool=$1 version=$2 tarball=$3 url=$4 sha=$5 out=$dest/$1/$2 top patterns
  case $tool in
    haproxy) patterns='^[^/]+/(examples/.*|tests/conf/.*|reg-tests/.*)$' ;;
    keepalived) patterns='^[^/]+/doc/samples/keepalived\.conf\..*$' ;;
    corosync) patterns='^[^/]+/conf/corosync\.conf\.example.*$' ;;
  esac
  rm -rf "$out" && mkdir -p "$out"
  mapfile -t members < <(tar tzf "$tarball" | grep -E "$patterns" | grep -v '/$')
  [ ${#members[@]} -gt 0 ] || { echo "fetch-upstream-corpus: nothing to take from $tarball" >&2; exit 1; }
  top=${members[0]%%/*}
  tar xzf "$tarball" -C "$out" --strip-components=1 "${members[@]}"
  for m in "${members[@]}"; do printf '%s\t%s\t%s\t%s sha256:%s\t%s\n' "$tool" "$version" "${m#"$top"/}" "$url" "$sha" "$m" >> "$origin"; done
  # The configurations inside the reg-tests (VTest files) become plain files beside each test.
  if [ -d "$out/reg-tests" ]; then
    node --import tsx scripts/vtc-configs.ts "$out/reg-tests"
    (cd "$out" && find reg-tests -name '*.vtc.*.cfg' | sort) | while read -r f; do
      printf '%s\t%s\t%s\t%s sha256:%s\t%s (haproxy -conf block %s, VTest macros replaced by scripts/vtc-configs.ts)\n' \
        "$tool" "$version" "$f" "$url" "$sha" "$top/${f%.vtc.*}.vtc" "${f##*.vtc.}" >> "$origin"
    done
  fi
}

# from_doc TOOL VERSION SUITE: the examples the binary package installs, from the suite's root.
from_doc() {
  local tool=$1 version=$2 suite=$3 out=$dest/$1/$2 doc sub
  doc=$roots/$suite/usr/share/doc/$tool
  [ "$suite" = bookworm ] && doc=/usr/share/doc/$tool
  case $tool in haproxy) sub=examples ;; keepalived) sub=samples ;; corosync) sub='' ;; esac
  if [ -z "$sub" ] || [ ! -d "$doc/$sub" ]; then
    echo "fetch-upstream-corpus: $tool $version: no tarball on the mirror and no examples in $doc" >&2; return 0
  fi
  rm -rf "$out" && mkdir -p "$out/$sub"
  cp -r "$doc/$sub/." "$out/$sub/"
  find "$out" -name '*.gz' -exec gunzip -f {} +
  (cd "$out" && find . -type f | sort) | while read -r f; do
    printf '%s\t%s\t%s\tdebian binary package %s (%s) %s\t%s\n' "$tool" "$version" "${f#./}" "$tool" "$suite" "$doc/$sub" "${f#./}" >> "$origin"
  done
}

for pkg in haproxy keepalived corosync; do
  for s in $suites; do
    line=$(apt-get "${apt_opts[@]}" source --only-source --print-uris "$pkg/$s" 2>/dev/null | grep -E "\.orig\.tar\.gz' " | head -1 || true)
    [ -n "$line" ] || { echo "fetch-upstream-corpus: $pkg/$s is not in the deb-src index" >&2; exit 1; }
    url=$(echo "$line" | awk '{print $1}' | tr -d "'")
    file=$(echo "$line" | awk '{print $2}')
    sha=$(echo "$line" | awk '{print $4}' | sed 's/^SHA256://')
    version=$(echo "$file" | sed -E "s/^${pkg}_(.*)\.orig\.tar\.gz$/\1/")
    tarball=$dest/.tarballs/$file
    if [ ! -s "$tarball" ] || ! echo "$sha  $tarball" | sha256sum -c --quiet - 2>/dev/null; then
      if ! curl -fsS --retry 2 -o "$tarball.part" "$url" 2>/dev/null; then
        rm -f "$tarball.part"
        echo "fetch-upstream-corpus: $url is not on the mirror; using the binary package's examples"
        from_doc "$pkg" "$version" "$s"
        continue
      fi
      echo "$sha  $tarball.part" | sha256sum -c --quiet - || { echo "fetch-upstream-corpus: $url: SHA256 mismatch" >&2; exit 1; }
      mv "$tarball.part" "$tarball"
    fi
    extract "$pkg" "$version" "$tarball" "$url" "$sha"
  done
done
mv "$origin" "$dest/ORIGIN.tsv"
echo "fetch-upstream-corpus: $(($(wc -l < "$dest/ORIGIN.tsv") - 1)) files in $dest (origin: ORIGIN.tsv)"

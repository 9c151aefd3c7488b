# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by tools/run and tools/test: finds or creates the Debian 13 build root
# and runs commands in it (or natively when the host already has every package).
# Source this file; it defines natter_setup and natter_exec.

NATTER_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NATTER_PACKAGES_FILE="$NATTER_TOP/tools/packages.txt"
NATTER_SUITE=trixie
NATTER_CACHE=${NATTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/natter}

natter_log() { printf 'natter: %s\n' "$*" >&2; }

natter_packages() { awk '!/^#/ && NF { print $1 }' "$NATTER_PACKAGES_FILE"; }

# Native mode: every package is installed on this host and it is Debian 13 or newer.
natter_host_is_native() {
  [ "${NATTER_FORCE_BUILDROOT:-0}" = 1 ] && return 1
  local installed
  installed=$(natter_packages | xargs dpkg-query -W -f='${db:Status-Abbrev}\n' 2>/dev/null | grep -c '^ii' || true)
  [ "$installed" -eq "$(natter_packages | wc -l)" ]
}

# The mirror comes from the host's own apt configuration, never from this file.
natter_mirror_uri() {
  local kind=$1 # debian or debian-security
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk -v kind="$kind" '
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ((kind == "debian-security") == ($i ~ /-security$/)) { print u; exit } }
    ' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk -v kind="$kind" '$1 == "deb" && (kind == "debian-security") == ($3 ~ /-security/) { print $2; exit }' /etc/apt/sources.list)
  fi
  printf '%s' "$uri"
}

natter_root_dir() {
  local digest
  digest=$( (cat "$NATTER_PACKAGES_FILE"; printf '%s\n' "$NATTER_SUITE" "buildroot-v1") | sha256sum | cut -c1-16)
  printf '%s/buildroot-%s-%s' "$NATTER_CACHE" "$NATTER_SUITE" "$digest"
}

natter_create_root() {
  local root=$1
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    natter_log "installing mmdebstrap on the host"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null ||
      { natter_log "could not install mmdebstrap"; return 1; }
  fi
  local main security
  main=$(natter_mirror_uri debian)
  security=$(natter_mirror_uri debian-security)
  if [ -z "$main" ]; then
    natter_log "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
    return 1
  fi
  local sources=("deb $main $NATTER_SUITE main" "deb $main $NATTER_SUITE-updates main")
  [ -n "$security" ] && sources+=("deb $security $NATTER_SUITE-security main")
  natter_log "creating the Debian 13 build root in $root (a few minutes, once)"
  mkdir -p "$NATTER_CACHE"
  rm -rf "$root.tmp"
  local includes
  includes=$(natter_packages | paste -sd, -)
  local started=$SECONDS
  if ! mmdebstrap --quiet --variant=apt --include="$includes" \
      --aptopt='APT::Install-Recommends "false"' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      "$NATTER_SUITE" "$root.tmp" "${sources[@]}"; then
    rm -rf "$root.tmp"
    natter_log "mmdebstrap failed"
    return 1
  fi
  mv "$root.tmp" "$root"
  natter_log "build root ready after $((SECONDS - started)) s"
  # Older roots of this checkout's cache are stale once the package list changed.
  find "$NATTER_CACHE" -maxdepth 1 -name "buildroot-$NATTER_SUITE-*" ! -path "$root" ! -name '*.tmp' \
    -exec rm -rf {} + 2>/dev/null || true
}

# Debian 13 or newer can take the packages directly.
natter_host_is_trixie_or_newer() {
  [ -r /etc/os-release ] || return 1
  local id version
  id=$(. /etc/os-release && printf '%s' "${ID:-}")
  version=$(. /etc/os-release && printf '%s' "${VERSION_ID:-}")
  [ "$id" = debian ] || return 1
  # testing and unstable have no VERSION_ID and are newer than 13.
  [ -z "$version" ] || [ "${version%%.*}" -ge 13 ]
}

natter_install_natively() {
  if [ "$(id -u)" -ne 0 ]; then
    natter_log "this Debian host lacks some packages of tools/packages.txt; install them (as root):"
    natter_log "  apt-get install $(natter_packages | paste -sd' ' -)"
    return 1
  fi
  natter_log "installing the packages of tools/packages.txt on this Debian host"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    $(natter_packages) >/dev/null
}

# Sets NATTER_MODE (native or root) and NATTER_ROOT.
natter_setup() {
  if [ "${NATTER_FORCE_BUILDROOT:-0}" != 1 ] && ! natter_host_is_native && natter_host_is_trixie_or_newer; then
    natter_install_natively || return 1
  fi
  if natter_host_is_native; then
    NATTER_MODE=native
    NATTER_ROOT=
    return 0
  fi
  NATTER_MODE=root
  NATTER_ROOT=$(natter_root_dir)
  [ -x "$NATTER_ROOT/usr/bin/cmake" ] && return 0
  # One creation at a time: two runs would write into the same temporary directory.
  mkdir -p "$NATTER_CACHE"
  (
    if ! flock -n 9; then
      natter_log "waiting for another run that is creating the build root"
      flock 9
    fi
    [ -x "$NATTER_ROOT/usr/bin/cmake" ] || natter_create_root "$NATTER_ROOT"
  ) 9>"$NATTER_CACHE/buildroot.lock"
}

# Runs "$@" with the checkout as working directory, natively or inside the root.
# Nothing stays mounted afterwards: the mounts live in a private mount namespace.
natter_exec() {
  if [ "$NATTER_MODE" = native ]; then
    (cd "$NATTER_TOP" && "$@")
    return
  fi
  local ccache_dir="$NATTER_CACHE/ccache"
  mkdir -p "$ccache_dir"
  local envs=(HOME=/root PATH=/usr/lib/ccache:/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 CCACHE_DIR=/var/cache/natter-ccache
    CCACHE_BASEDIR="$NATTER_TOP" CCACHE_NOHASHDIR=1
    TERM="${TERM:-dumb}" CI="${CI:-}" NATTER_IN_ROOT=1)
  [ -n "${DISPLAY:-}" ] && envs+=(DISPLAY="$DISPLAY")
  local var
  for var in $(compgen -e); do
    case "$var" in NATTER_* | CTEST_* | QT_* | CMAKE_BUILD_PARALLEL_LEVEL) envs+=("$var=${!var}") ;; esac
  done
  unshare --mount --propagation private -- bash -c '
    set -e
    root=$1 top=$2 ccache=$3; shift 3
    mount --bind /proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --bind /sys "$root/sys"
    mkdir -p "$root$top" "$root/var/cache/natter-ccache" "$root/tmp/.X11-unix"
    mount --bind "$top" "$root$top"
    mount --bind "$ccache" "$root/var/cache/natter-ccache"
    [ -d /tmp/.X11-unix ] && mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
    exec chroot "$root" /usr/bin/env -i "$@"
  ' natter-root "$NATTER_ROOT" "$NATTER_TOP" "$ccache_dir" "${envs[@]}" bash -c 'cd "$0" && exec "$@"' "$NATTER_TOP" "$@"
}

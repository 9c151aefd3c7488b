#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts a throw-away test server with a new account whose roster holds --contacts contacts (played by
# bench/peers_component.py, --online of them online), runs natter-roster-bench against it, stops everything.
# Usage (inside the build root): bench/roster-bench.sh BUILD_DIR [--contacts N] [--online N] [natter-roster-bench options]
set -eu
build=$1
shift
prev=
contacts=5000
online=1000
for arg in "$@"; do
    case $prev${prev:+=}$arg in
    --contacts=*) contacts=$arg ;;
    --online=*) online=$arg ;;
    esac
    prev=
    case $arg in --contacts | --online) prev=$arg ;; esac
done
here=$(cd "$(dirname "$0")" && pwd)
fixture="$here/../tests/support/prosody_fixture.py"
state=$(mktemp -d)
component=
cleanup() {
    [ -z "$component" ] || kill "$component" 2>/dev/null || true
    python3 "$fixture" stop "$state" >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT
NATTER_FIXTURE_NO_DEBUG_LOG=1 python3 "$fixture" start "$state" >/dev/null
user=rosterbench
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
python3 "$fixture" register "$state" "$user" "$password" >/dev/null
python3 "$here/peers_component.py" --server-json "$state/server.json" --contacts "$contacts" --online "$online" \
    seed-roster "$user"
python3 "$here/peers_component.py" --server-json "$state/server.json" --contacts "$contacts" --online "$online" \
    run >"$state/component.log" 2>&1 &
component=$!
i=0
until grep -q component-ready "$state/component.log"; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$state/component.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || export QT_QPA_PLATFORM=offscreen
NATTER_TEST_SERVER_JSON="$state/server.json" "$build/bench/natter-roster-bench" --user "$user" --password "$password" "$@"

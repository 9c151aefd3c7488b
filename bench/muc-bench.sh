#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts a throw-away test server, lets bench/peers_component.py play a crowd, runs natter-muc-bench, stops
# everything. Usage (inside the build root): bench/muc-bench.sh BUILD_DIR [--occupants N]
set -eu
build=$1
shift
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
NATTER_FIXTURE_NO_DEBUG_LOG=1 NATTER_FIXTURE_QUIET_CROWD=1 python3 "$fixture" start "$state" >/dev/null
user=mucbench
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
python3 "$fixture" register "$state" "$user" "$password" >/dev/null
python3 "$here/peers_component.py" --server-json "$state/server.json" run >"$state/component.log" 2>&1 &
component=$!
i=0
until grep -q component-ready "$state/component.log"; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$state/component.log" >&2; exit 1; }
    sleep 0.1
done
# The server's CPU time during the join is printed too: on one machine both compete for the cores.
NATTER_BENCH_SERVER_PID=$(cat "$state/prosody.pid") \
NATTER_TEST_SERVER_JSON="$state/server.json" NATTER_BENCH_USER="$user" NATTER_BENCH_PASSWORD="$password" \
    NATTER_BENCH_COMPONENT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["component_jid"])' "$state/server.json") \
    "$build/bench/natter-muc-bench" "$@"

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts a throw-away test server, runs a benchmark program of the build against it, stops it.
# Usage (inside the build root): bench/with-test-server.sh BUILD_DIR PROGRAM [options]
set -eu
build=$1
program=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
state=$(mktemp -d)
trap 'python3 "$here/../tests/support/prosody_fixture.py" stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
NATTER_FIXTURE_NO_DEBUG_LOG=1 python3 "$here/../tests/support/prosody_fixture.py" start "$state" >/dev/null
NATTER_TEST_SERVER_JSON="$state/server.json" "$build/bench/$program" "$@"

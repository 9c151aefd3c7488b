#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts a throw-away test server, runs natter-omemo-bench against it with the given options, stops it.
# Usage (inside the build root): bench/omemo-bench.sh BUILD_DIR [natter-omemo-bench options]
set -eu
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
state=$(mktemp -d)
trap 'python3 "$here/../tests/support/prosody_fixture.py" stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
NATTER_FIXTURE_NO_DEBUG_LOG=1 python3 "$here/../tests/support/prosody_fixture.py" start "$state" >/dev/null
NATTER_TEST_SERVER_JSON="$state/server.json" "$build/bench/natter-omemo-bench" "$@"

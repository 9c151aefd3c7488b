#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs natter-call-bench against a throw-away test server.
# Usage (inside the build root): bench/call-bench.sh BUILD_DIR [natter-call-bench options]
set -eu
build=$1
shift
exec "$(dirname "$0")/with-test-server.sh" "$build" natter-call-bench "$@"

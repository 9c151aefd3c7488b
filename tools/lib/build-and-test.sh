#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the build environment: configure, build, run ctest, print its summary.
set -euo pipefail
preset=$1
shift
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
# Each test gets its own X-less, D-Bus-less environment; UI tests use the offscreen platform.
export QT_QPA_PLATFORM=offscreen
ctest --preset "$preset" --output-on-failure --timeout 300 "$@"

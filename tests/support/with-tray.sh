#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command on a private X display (Xvfb) that has a system tray (stalonetray), for tests of the tray
# icon that the offscreen platform cannot show.
set -euo pipefail
for number in $(seq 150 199); do
    [ -e "/tmp/.X11-unix/X$number" ] || [ -e "/tmp/.X$number-lock" ] || break
done
Xvfb ":$number" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $tray $xvfb 2>/dev/null || true' EXIT
tray=
export DISPLAY=":$number" QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
stalonetray --geometry 1x1-0+0 --icon-size 24 >/dev/null 2>&1 &
tray=$!
# The tray owns its selection once its window exists.
for _ in $(seq 50); do xdotool search --name stalonetray >/dev/null 2>&1 && break; sleep 0.1; done
"$@"

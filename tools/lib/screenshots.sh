#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the build environment; see tools/screenshots.
set -euo pipefail
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1100x720x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY=$display
export QT_QPA_PLATFORM=xcb

tools/lib/run-natter.sh 1 >/tmp/natter-demo.log 2>&1 &
demo=$!
window=
for _ in $(seq 120); do
  window=$(xdotool search --name '^Natter' 2>/dev/null | head -n1 || true)
  [ -n "$window" ] && break
  sleep 1
done
[ -n "$window" ] || { echo "Natter's window did not appear"; cat /tmp/natter-demo.log; exit 1; }
sleep 4 # log in and receive the demo peer's greeting

xdotool windowmove "$window" 0 0 windowsize "$window" 1100 720
sleep 1
# The first conversation (the demo peer's), then the composer at the bottom of the chat.
xdotool mousemove 150 130 click 1
sleep 1
xdotool mousemove 650 665 click 1
xdotool type --delay 20 "Hello Bob! I just installed Natter."
xdotool key Return
sleep 3
mkdir -p docs/screenshots
import -window root docs/screenshots/demo-chat.png
echo "docs/screenshots/demo-chat.png written"

pkill -f "build/dev/app/natter --profile $PWD/build/demo/profile" || true
wait "$demo" || true

# The first-run wizard explaining a failed login, on a fresh profile.
fresh=$(mktemp -d /tmp/natter-shot-XXXXXX)
build/dev/app/natter --profile "$fresh" >/dev/null 2>&1 &
app=$!
wizard=
for _ in $(seq 60); do
  wizard=$(xdotool search --name '^Add account' 2>/dev/null | head -n1 || true)
  [ -n "$wizard" ] && break
  sleep 0.5
done
[ -n "$wizard" ] || { echo "the account wizard did not appear"; exit 1; }
sleep 1
xdotool type --delay 20 "alice@no-such-server.invalid"
xdotool key Tab
xdotool type --delay 20 "secret"
xdotool key Return
sleep 4
import -window "$wizard" docs/screenshots/wizard-error.png
echo "docs/screenshots/wizard-error.png written"
kill "$app" 2>/dev/null || true
rm -rf "$fresh"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The manual interop check of calls with Dino (issue 9): a copy of the build root with Debian's dino-im,
# PulseAudio and PipeWire added (made once, next to the build root), then tools/interop/dino-env.sh in it
# behind a fake DNS, so that Dino, which has no host setting, finds the test server as natter.test.
# Display :77 (NATTER_INTEROP_DISPLAY); look with `import -window root shot.png`, click with xdotool;
# tools/interop/tone.py tells which test tone each side hears. Nothing here runs in tools/test.
set -euo pipefail
source "$(dirname "$0")/../lib/buildroot.sh"
natter_setup
interop_root=$NATTER_CACHE/interop-dino-$(basename "$NATTER_ROOT")
if [ ! -x "$interop_root/usr/bin/dino" ]; then
  natter_log "adding Dino, PulseAudio and PipeWire to a copy of the build root in $interop_root"
  rm -rf "$interop_root.tmp"
  cp -a "$NATTER_ROOT" "$interop_root.tmp"
  cp /etc/resolv.conf "$interop_root.tmp/etc/resolv.conf"
  NATTER_ROOT=$interop_root.tmp natter_exec bash -c '
    apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dino-im adwaita-icon-theme \
      librsvg2-common pulseaudio pulseaudio-utils gstreamer1.0-pulseaudio gstreamer1.0-pipewire pipewire \
      pipewire-bin wireplumber sqlite3 >/dev/null &&
    dbus-uuidgen >/etc/machine-id'
  mv "$interop_root.tmp" "$interop_root"
fi
NATTER_ROOT=$interop_root natter_exec bash -c \
  'cmake --preset dev >/dev/null && cmake --build --preset dev --target natter natter-cli >/dev/null'
NATTER_ROOT=$interop_root natter_exec tests/support/with-fake-dns.sh tools/interop/dino-env.sh

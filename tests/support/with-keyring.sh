#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command with a private D-Bus session and an unlocked gnome-keyring (a real Secret Service).
set -euo pipefail
home=$(mktemp -d /tmp/natter-keyring-XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_DATA_HOME/keyrings" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS
exec dbus-run-session -- bash -c '
  printf "natter-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' natter-keyring "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the build environment: build, optionally start the demo server and peer, start Natter.
set -euo pipefail
demo=$1
shift
cmake --preset dev >/dev/null
cmake --build --preset dev --target natter natter-cli
app=build/dev/app/natter
if [ "$demo" != 1 ]; then
  exec "$app" "$@"
fi

state=$PWD/build/demo
server=$state/server
profile=$state/profile
mkdir -p "$state"
python3 tests/support/prosody_fixture.py start "$server" >/dev/null
cleanup() {
  [ -n "${peer_pid:-}" ] && kill "$peer_pid" 2>/dev/null || true
  python3 tests/support/prosody_fixture.py stop "$server" >/dev/null || true
}
trap cleanup EXIT
set -a; . "$server/server.env"; set +a

# A fresh demo profile each time: alice, password kept in the profile (it is a throw-away demo account).
rm -rf "$profile"
NATTER_PASSWORD=$NATTER_TEST_ALICE_PASSWORD build/dev/cli/natter-cli --profile "$profile" --ca-file "$NATTER_TEST_CA_FILE" \
  account add "$NATTER_TEST_ALICE_JID" --host "$NATTER_TEST_HOST" --port "$NATTER_TEST_C2S_PORT" \
  --password-storage profile >/dev/null
python3 tools/lib/demo_peer.py "$server/server.json" bob "$NATTER_TEST_ALICE_JID" &
peer_pid=$!
echo "natter: demo server on 127.0.0.1:$NATTER_TEST_C2S_PORT; you are $NATTER_TEST_ALICE_JID," \
  "write to $NATTER_TEST_BOB_JID (it answers)" >&2
"$app" --profile "$profile" --ca-file "$NATTER_TEST_CA_FILE" "$@"

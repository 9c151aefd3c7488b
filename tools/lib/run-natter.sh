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
python3 tests/support/prosody_fixture.py start "$server" --accounts alice,bob,carol,dave,erin >/dev/null
peer_pids=()
cleanup() {
  for pid in "${peer_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  python3 tests/support/prosody_fixture.py stop "$server" >/dev/null || true
}
trap cleanup EXIT
set -a; . "$server/server.env"; set +a

# A fresh demo profile each time: alice, password kept in the profile (it is a throw-away demo account).
rm -rf "$profile"
NATTER_PASSWORD=$NATTER_TEST_ALICE_PASSWORD build/dev/cli/natter-cli --profile "$profile" --ca-file "$NATTER_TEST_CA_FILE" \
  account add "$NATTER_TEST_ALICE_JID" --host "$NATTER_TEST_HOST" --port "$NATTER_TEST_C2S_PORT" \
  --password-storage profile >/dev/null
# Alice's contacts: Bob and Carol see each other with her; Grace has no account here, so she stays offline.
roster() { python3 tests/support/prosody_fixture.py roster "$server" "$1"; }
roster alice <<JSON
[{"jid": "$NATTER_TEST_BOB_JID", "name": "Bob", "groups": ["Friends"]},
 {"jid": "$NATTER_TEST_CAROL_JID", "name": "Carol", "groups": ["Work"]},
 {"jid": "grace@$NATTER_TEST_DOMAIN", "name": "Grace", "groups": ["Family"]}]
JSON
echo "[{\"jid\": \"$NATTER_TEST_ALICE_JID\", \"name\": \"Alice\"}]" | roster bob
echo "[{\"jid\": \"$NATTER_TEST_ALICE_JID\", \"name\": \"Alice\"}]" | roster carol
peer() { python3 tools/lib/demo_peer.py "$server/server.json" "$@" & peer_pids+=($!); }
peer bob "$NATTER_TEST_ALICE_JID" --avatar 'B:#3b6fd4'
peer carol --show away --status "In a meeting until 3" --avatar 'C:#2e9b5f' --quiet
# Dave asks to become a contact; Erin, a stranger, writes: her chat waits among the requests.
peer dave --subscribe "$NATTER_TEST_ALICE_JID" --status "New in town" --avatar 'D:#d9822b' --quiet
peer erin "$NATTER_TEST_ALICE_JID" --greet-message "Hello, we met at the conference. Is this Alice?" --quiet
echo "natter: demo server on 127.0.0.1:$NATTER_TEST_C2S_PORT; you are $NATTER_TEST_ALICE_JID," \
  "write to $NATTER_TEST_BOB_JID (it answers)" >&2
"$app" --profile "$profile" --ca-file "$NATTER_TEST_CA_FILE" "$@"

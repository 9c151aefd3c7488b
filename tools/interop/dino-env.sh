#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the Dino interop root (see tools/interop/dino-calls.sh): starts a display, PulseAudio with a
# sine microphone and a null speaker, PipeWire with a test camera, the test Prosody reachable as
# natter.test through DNS SRV, then Natter as alice and Dino as bob. Stays up until killed.
set -euo pipefail
state=$PWD/build/interop
display=${NATTER_INTEROP_DISPLAY:-:77}
rm -rf "$state" && mkdir -p "$state"
export XDG_RUNTIME_DIR=$state/run DISPLAY=$display
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  pkill -f "client-name=TestCamera" 2>/dev/null || true
  python3 tests/support/prosody_fixture.py stop "$state/server" >/dev/null 2>&1 || true
}
trap cleanup EXIT
background() { local log=$1; shift; "$@" >"$state/$log.log" 2>&1 & pids+=($!); }

background xvfb Xvfb "$display" -screen 0 1680x1050x24 -nolisten tcp
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
eval "$(dbus-launch --sh-syntax)"
pids+=("$DBUS_SESSION_BUS_PID")

# Audio: one PulseAudio server per client, each with a "microphone" that beeps (Natter 440 Hz, Dino 880 Hz) and a
# null "speaker", so tools/interop/tone.py can tell which tone each side hears. The microphone is a null sink
# ("feed") played into and recorded from: PulseAudio's sine and pipe sources deliver a few buffers a second
# here. The servers stay off D-Bus, where only one of them could take its name.
pulse() { # name frequency
  local dir=$state/pulse-$1
  mkdir -p -m 700 "$dir"
  XDG_RUNTIME_DIR=$dir background "pulse-$1" env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY pulseaudio --daemonize=no --exit-idle-time=-1 --disallow-exit -n \
    -L "module-native-protocol-unix auth-anonymous=1 socket=$dir/native" \
    -L "module-null-sink sink_name=speaker sink_properties=device.description=Speaker" \
    -L "module-null-sink sink_name=feed sink_properties=device.description=Feed" \
    -L "module-remap-source master=feed.monitor source_name=microphone source_properties=device.description=Beeps@$2Hz"
  export "PULSE_SERVER_${1^^}=unix:$dir/native"
  for _ in $(seq 50); do PULSE_SERVER=unix:$dir/native pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  PULSE_SERVER=unix:$dir/native pactl set-default-source microphone
  PULSE_SERVER=unix:$dir/native pactl set-default-sink speaker
  background "beeps-$1" bash -c 'python3 tools/interop/beeps.py "$1" |
    PULSE_SERVER=$2 exec pacat --playback --raw --format=s16le --rate=48000 --channels=1 --device=feed' \
    beeps "$2" "unix:$dir/native"
}
pulse natter 440
pulse dino 880

# Video: PipeWire with a test picture published as a camera (Video/Source).
background pipewire pipewire
sleep 0.5
background wireplumber wireplumber
# The camera stops when a caller lets go of it, so it is started again each time.
background camera bash -c 'while true; do
  gst-launch-1.0 -q videotestsrc is-live=true pattern=smpte ! video/x-raw,format=YUY2,width=640,height=480,framerate=30/1 ! \
    pipewiresink mode=provide client-name=TestCamera \
    stream-properties="props,media.class=Video/Source,node.description=TestCamera,media.role=Camera"
  sleep 0.5
done'

# The server, its CA trusted system-wide (Dino has no CA setting) and alice and bob in each other's rosters.
python3 tests/support/prosody_fixture.py start "$state/server" --accounts alice,bob >/dev/null
set -a; . "$state/server/server.env"; set +a
cp "$NATTER_TEST_CA_FILE" /usr/local/share/ca-certificates/natter-test-ca.crt
/usr/sbin/update-ca-certificates >/dev/null 2>&1
roster() { python3 tests/support/prosody_fixture.py roster "$state/server" "$1"; }
echo "[{\"jid\": \"$NATTER_TEST_BOB_JID\", \"name\": \"Bob (Dino)\"}]" | roster alice
echo "[{\"jid\": \"$NATTER_TEST_ALICE_JID\", \"name\": \"Alice (Natter)\"}]" | roster bob
cat >"$NATTER_FAKE_DNS_RECORDS" <<JSON
{"srv": {"_xmpp-client._tcp.$NATTER_TEST_DOMAIN": [[0, 0, $NATTER_TEST_C2S_PORT, "xmpp.$NATTER_TEST_DOMAIN"]]},
 "a": {"xmpp.$NATTER_TEST_DOMAIN": "127.0.0.1", "$NATTER_TEST_DOMAIN": "127.0.0.1"}}
JSON

# Natter as alice.
profile=$state/natter-profile
NATTER_PASSWORD=$NATTER_TEST_ALICE_PASSWORD build/dev/cli/natter-cli --profile "$profile" --ca-file "$NATTER_TEST_CA_FILE" \
  account add "$NATTER_TEST_ALICE_JID" --host "$NATTER_TEST_HOST" --port "$NATTER_TEST_C2S_PORT" \
  --password-storage profile >/dev/null
# Calls from Natter use its test sources unless NATTER_INTEROP_DEVICES=1: with the sound server's devices
# Natter's calls carry no audio yet (tests/integration/tst_calldevices.cpp shows it).
if [ "${NATTER_INTEROP_DEVICES:-0}" != 1 ]; then
  sqlite3 "$profile/natter.sqlite" \
    "insert or replace into preferences (key, value) values ('preference:CallTestSources', '1')"
fi
background natter env PULSE_SERVER="$PULSE_SERVER_NATTER" GST_DEBUG="${NATTER_INTEROP_GST_DEBUG:-2}" QT_LOGGING_RULES="natter.core.calls.debug=true" build/dev/app/natter --profile "$profile" \
  --ca-file "$NATTER_TEST_CA_FILE"

# Dino as bob: its first start creates its database, then bob's account goes in (Dino keeps passwords there).
export HOME=$state/dino-home
mkdir -p "$HOME"
db=$HOME/.local/share/dino/dino.db
PULSE_SERVER=$PULSE_SERVER_DINO dino >"$state/dino-first.log" 2>&1 &
first=$!
for _ in $(seq 100); do [ -s "$db" ] && sqlite3 "$db" 'select 1 from account limit 1' >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
kill "$first"; wait "$first" 2>/dev/null || true
sqlite3 "$db" "insert into account (bare_jid, resourcepart, password, alias, enabled) values
  ('$NATTER_TEST_BOB_JID', 'dino', '$NATTER_TEST_BOB_PASSWORD', 'Bob', 1)"
background dino env PULSE_SERVER="$PULSE_SERVER_DINO" G_MESSAGES_DEBUG=all dino
echo "interop: up; DISPLAY=$display, state in $state" >&2
wait

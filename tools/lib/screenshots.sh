#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs inside the build environment; see tools/screenshots.
#   screenshots.sh [all|history|conversation|room]   history: only the long conversation and search shots;
#   room: a busy group chat (occupants played by bench/peers_component.py) with a mention, and its settings;
#   conversation: only the chat with replies, reactions, edits and styling; both with the
#   binaries of $NATTER_BUILD_DIR (default build/dev, which `all` builds through tools/lib/run-natter.sh).
#   devices: an encrypted chat and a contact's OMEMO devices, grabbed by the UI test tst_ui_devices (built
#   in $NATTER_BUILD_DIR first).
set -euo pipefail
what=${1:-all}
display=:$((90 + RANDOM % 9))
# Wider than the window: the system tray (stalonetray) sits right of it, with room for its menu. The room
# settings dialog is taller than the window, so the room shots get a taller screen.
screen=1300x720
[ "$what" = room ] && screen=1300x1100
Xvfb "$display" -screen 0 "${screen}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display
export QT_QPA_PLATFORM=xcb
sleep 1
stalonetray --geometry 1x1-4+4 --icon-size 24 --background "#2b2b2b" >/dev/null 2>&1 &
tray=$!
trap 'kill $tray $xvfb 2>/dev/null || true' EXIT

# The main window's part of the screen.
shoot() { import -window root -crop 1100x720+0+0 "$1"; echo "$1 written"; }

# Waits for a top-level window whose name matches $1 and prints its id.
wait_for_window() {
  local found=
  for _ in $(seq 240); do
    found=$(xdotool search --name "$1" 2>/dev/null | head -n1 || true)
    [ -n "$found" ] && break
    sleep 0.5
  done
  [ -n "$found" ] || return 1
  echo "$found"
}

# A long conversation (four days with Bob, filled by tools/lib/demo_history.py) scrolled back a few
# pages, then a search for "pumpkin" whose first result is opened in context.
history_screenshots() {
  local build=${NATTER_BUILD_DIR:-build/dev}
  local state=$PWD/build/screenshot-history
  rm -rf "$state"
  mkdir -p "$state"
  python3 tests/support/prosody_fixture.py start "$state/server" >/dev/null
  (
    trap 'python3 tests/support/prosody_fixture.py stop "$state/server" >/dev/null || true' EXIT
    set -a; . "$state/server/server.env"; set +a
    NATTER_PASSWORD=$NATTER_TEST_ALICE_PASSWORD "$build/cli/natter-cli" --profile "$state/profile" \
      --ca-file "$NATTER_TEST_CA_FILE" account add "$NATTER_TEST_ALICE_JID" --host "$NATTER_TEST_HOST" \
      --port "$NATTER_TEST_C2S_PORT" --password-storage profile >/dev/null
    python3 tools/lib/demo_history.py "$state/profile" "$NATTER_TEST_ALICE_JID"
    "$build/app/natter" --profile "$state/profile" --ca-file "$NATTER_TEST_CA_FILE" >"$state/natter.log" 2>&1 &
    local app=$!
    local window
    window=$(wait_for_window '^Natter$') || { echo "Natter's window did not appear"; cat "$state/natter.log"; exit 1; }
    sleep 3 # log in and catch up
    xdotool windowmove "$window" 0 0 windowsize "$window" 1100 720
    sleep 1
    # Bob's conversation is the most recent: the first row below the search field.
    xdotool mousemove 150 165 click 1
    sleep 1
    # Scroll back: older pages load as the top comes near.
    xdotool mousemove 700 350
    for _ in $(seq 6); do
      xdotool click --repeat 5 --delay 60 4
      sleep 0.4
    done
    xdotool click --repeat 3 --delay 60 5
    xdotool mousemove 1095 700 # no hover highlight in the picture
    sleep 1
    mkdir -p docs/screenshots
    import -window root -crop 1100x720+0+0 docs/screenshots/long-conversation.png
    echo "docs/screenshots/long-conversation.png written"

    xdotool key ctrl+f
    sleep 0.3
    xdotool type --delay 40 "pumpkin"
    sleep 1.5
    # The third result, an older one: the chat opens around it, centred and highlighted.
    xdotool key Down Down Return
    sleep 0.8
    import -window root -crop 1100x720+0+0 docs/screenshots/search.png
    echo "docs/screenshots/search.png written"
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  )
}

# A conversation written with natter-cli on both sides, as another client would: Message Styling, a
# reply, reactions, a corrected and a retracted message, a link sent as an attachment, /me and emoji.
conversation_screenshot() {
  local build=${NATTER_BUILD_DIR:-build/dev}
  local state=$PWD/build/screenshot-conversation
  rm -rf "$state"
  mkdir -p "$state"
  python3 tests/support/prosody_fixture.py start "$state/server" >/dev/null
  (
    trap 'python3 tests/support/prosody_fixture.py stop "$state/server" >/dev/null || true' EXIT
    set -a; . "$state/server/server.env"; set +a
    local cli="$build/cli/natter-cli"
    local ca=(--ca-file "$NATTER_TEST_CA_FILE")
    local alice=$NATTER_TEST_ALICE_JID bob=$NATTER_TEST_BOB_JID
    for who in alice bob; do
      local jid password
      jid=$(eval echo "\$NATTER_TEST_${who^^}_JID")
      password=$(eval echo "\$NATTER_TEST_${who^^}_PASSWORD")
      NATTER_PASSWORD=$password "$cli" --profile "$state/$who" "${ca[@]}" account add "$jid" \
        --host "$NATTER_TEST_HOST" --port "$NATTER_TEST_C2S_PORT" --password-storage profile >/dev/null
    done
    id_of() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["id"])'; }
    as_alice() { "$cli" --profile "$state/alice" "${ca[@]}" "$@"; }
    as_bob() { "$cli" --profile "$state/bob" "${ca[@]}" "$@"; }
    as_bob send "$alice" "Hi Alice! Are we still on for *Saturday*?" >/dev/null
    local plan
    plan=$(as_alice send "$bob" "Yes! Let's meet at the _old_ bakery at 10" | id_of)
    as_alice correct "$bob" "$plan" "Yes! Let's meet at the _old_ bakery at 11" >/dev/null
    as_bob sync >/dev/null
    as_bob react "$alice" "$plan" "👍" "🎉" >/dev/null
    local answer
    answer=$(as_bob reply "$alice" "$plan" "Perfect, I'll bring the \`map\` ~and the cake~" | id_of)
    as_alice sync >/dev/null
    as_alice react "$bob" "$answer" "❤️" >/dev/null
    local oops
    oops=$(as_alice send "$bob" "Oops, that was meant for someone else" | id_of)
    as_alice retract "$bob" "$oops" >/dev/null
    as_alice send "$bob" "> Don't forget the umbrella
It might rain ☔ The route: https://example.org/route" >/dev/null
    as_bob send "$alice" "\`\`\`
Saturday 11:00
Old bakery, Market Street
\`\`\`" >/dev/null
    as_bob send "$alice" "/me is already hungry" >/dev/null
    as_bob send "$alice" "🥐🎉" >/dev/null
    "$build/app/natter" --profile "$state/alice" "${ca[@]}" >"$state/natter.log" 2>&1 &
    local app=$!
    local window
    window=$(wait_for_window '^Natter$') || { echo "Natter's window did not appear"; cat "$state/natter.log"; exit 1; }
    sleep 4 # log in and catch up
    xdotool windowmove "$window" 0 0 windowsize "$window" 1100 720
    sleep 1
    # The only conversation: the first row below the search field.
    xdotool mousemove 150 195 click 1
    sleep 2
    xdotool mousemove 1095 700 # no hover highlight in the picture
    sleep 1
    mkdir -p docs/screenshots
    import -window root -crop 1100x720+0+0 docs/screenshots/conversation.png
    echo "docs/screenshots/conversation.png written"
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  )
}

# A busy group chat: Alice owns it, Bob and Carol talk (one mentions Alice), thirty people are in it; then
# the room settings form (the data forms renderer) from the room menu.
room_screenshots() {
  local build=${NATTER_BUILD_DIR:-build/dev}
  local state=$PWD/build/screenshot-room
  rm -rf "$state"
  mkdir -p "$state"
  python3 tests/support/prosody_fixture.py start "$state/server" >/dev/null
  python3 bench/peers_component.py --server-json "$state/server/server.json" run >"$state/component.log" 2>&1 &
  local component=$!
  (
    trap 'kill $component 2>/dev/null || true; python3 tests/support/prosody_fixture.py stop "$state/server" >/dev/null || true' EXIT
    set -a; . "$state/server/server.env"; set +a
    local cli="$build/cli/natter-cli"
    local ca=(--ca-file "$NATTER_TEST_CA_FILE")
    for who in alice bob carol; do
      local jid password
      jid=$(eval echo "\$NATTER_TEST_${who^^}_JID")
      password=$(eval echo "\$NATTER_TEST_${who^^}_PASSWORD")
      NATTER_PASSWORD=$password "$cli" --profile "$state/$who" "${ca[@]}" account add "$jid" \
        --host "$NATTER_TEST_HOST" --port "$NATTER_TEST_C2S_PORT" --password-storage profile >/dev/null
    done
    local room="release-team@$NATTER_TEST_MUC_SERVICE"
    # Alice creates the room and stays in it (the bookmark brings her back when the app starts).
    "$cli" --profile "$state/alice" "${ca[@]}" listen --join "$room/Alice" >/dev/null 2>"$state/alice-listen.log" &
    local listener=$!
    for _ in $(seq 300); do
      grep -qs joined "$state/alice-listen.log" && break
      sleep 0.2
    done
    grep -qs joined "$state/alice-listen.log" || { echo "Alice did not join $room"; cat "$state/alice-listen.log"; exit 1; }
    # Bounded: under load a send once hung for good; a failed step ends the run instead.
    say() { timeout 60 "$cli" --profile "$state/$1" "${ca[@]}" send "$room" "$3" --nick "$2" >/dev/null; }
    local component_jid
    component_jid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["component_jid"])' "$state/server/server.json")
    timeout 60 "$cli" --profile "$state/bob" "${ca[@]}" send "control@$component_jid" "crowd $room 30" >/dev/null
    say bob Bob "Morning all! The 2.4 branch is cut 🎉"
    say carol Carol "Great. CI is green on *all* three platforms"
    say bob Bob "Alice: could you review the release notes before noon?"
    say carol Carol "I'll update the changelog; see https://example.org/changelog"
    say bob Bob "Thanks! Freeze starts tomorrow at 10:00"
    kill -9 $listener 2>/dev/null || true
    sleep 1
    "$build/app/natter" --profile "$state/alice" "${ca[@]}" >"$state/natter.log" 2>&1 &
    local app=$!
    local window
    window=$(wait_for_window '^Natter$') || { echo "Natter's window did not appear"; cat "$state/natter.log"; exit 1; }
    sleep 6 # log in, join from the bookmark, fetch the room's history
    xdotool windowmove "$window" 0 0 windowsize "$window" 1100 720
    sleep 1
    xdotool mousemove 150 195 click 1
    sleep 3
    xdotool mousemove 1095 700
    sleep 1
    mkdir -p docs/screenshots
    shoot docs/screenshots/room.png

    # The room menu (Invite…, Change subject…, Members and bans…, Room settings…, …) opens the settings:
    # the room's configuration form, rendered by the data forms widget. Tall enough for the whole form.
    open_settings() {
      xdotool mousemove 1010 35 click 1
      sleep 1
      xdotool key Down Down Down Down Return
      local found
      found=$(wait_for_window '^Settings of ') || return 1
      xdotool windowmove "$found" 170 10 windowsize "$found" 760 1064
      sleep 4 # the form loads
      echo "$found"
    }
    local dialog
    dialog=$(open_settings) || { echo "the room settings did not open"; cat "$state/natter.log"; exit 1; }
    # Alice makes the room persistent, names and describes it, and saves (Return: OK); opened again, the
    # form shows what the server stored.
    # The keyboard starts in the form's first field, the title; then come the description, the language
    # and the "Persistent" check box.
    xdotool windowfocus --sync "$dialog"
    sleep 0.5
    xdotool type --delay 20 "Release team"
    xdotool key Tab
    xdotool type --delay 20 "Planning and shipping Natter 2.4"
    xdotool key Tab Tab space
    sleep 0.5
    xdotool key Return
    for _ in $(seq 60); do
      [ -z "$(xdotool search --onlyvisible --name '^Settings of ' 2>/dev/null)" ] && break
      sleep 0.5
    done
    if [ -n "$(xdotool search --onlyvisible --name '^Settings of ' 2>/dev/null)" ]; then
      import -window "$dialog" "$state/not-saved.png"
      echo "the room settings were not saved (see $state/not-saved.png)"
      exit 1
    fi
    sleep 1
    dialog=$(open_settings) || { echo "the room settings did not open again"; cat "$state/natter.log"; exit 1; }
    xdotool mousemove 1095 700 # outside the dialog: no hover highlight
    sleep 1
    import -window "$dialog" docs/screenshots/room-settings.png
    echo "docs/screenshots/room-settings.png written"
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  )
}

# An encrypted 1:1 chat with the lock in the header, and the contact's device list with a verified and an
# undecided device. The UI test tst_ui_devices drives the real widgets (the scripted OMEMO peer plays Bob)
# and grabs them when NATTER_SCREENSHOT_DIR is set; it reads the fixture from $build/test-server, which is
# started fresh here so that alice and bob have no devices from earlier runs.
devices_screenshots() {
  local build=${NATTER_BUILD_DIR:-build/dev}
  local state
  state=$(cd "$build" && pwd)/test-server
  cmake --build "$build" --target tst_ui_devices >/dev/null
  python3 tests/support/prosody_fixture.py start "$state" >/dev/null
  (
    trap 'python3 tests/support/prosody_fixture.py stop "$state" >/dev/null || true' EXIT
    mkdir -p docs/screenshots
    NATTER_SCREENSHOT_DIR=$PWD/docs/screenshots QT_QPA_PLATFORM=offscreen DBUS_SESSION_BUS_ADDRESS=disabled: \
      "$build/tests/ui/tst_ui_devices" screenshots
    echo "docs/screenshots/encrypted-chat.png and docs/screenshots/device-verification.png written"
  )
}

if [ "$what" = devices ]; then
  devices_screenshots
  exit 0
fi
if [ "$what" = room ]; then
  room_screenshots
  exit 0
fi
if [ "$what" = history ]; then
  history_screenshots
  exit 0
fi
if [ "$what" = conversation ]; then
  conversation_screenshot
  exit 0
fi

tools/lib/run-natter.sh 1 >/tmp/natter-demo.log 2>&1 &
demo=$!
window=$(wait_for_window '^Natter') || { echo "Natter's window did not appear"; cat /tmp/natter-demo.log; exit 1; }
sleep 4 # log in and receive the demo peer's greeting

xdotool windowmove "$window" 0 0 windowsize "$window" 1100 720
sleep 1
# The contact list: avatars, presence, groups, and Dave's subscription request at the top.
xdotool mousemove 240 98 click 1
sleep 1
xdotool mousemove 700 400
mkdir -p docs/screenshots
shoot docs/screenshots/contacts.png
# The tray menu with its status submenu (the tray's balloons for new messages have faded by now).
sleep 6
eval "$(xdotool getwindowgeometry --shell "$(xdotool search --name stalonetray | head -n1)")"
xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT / 2)) click 3
sleep 1
xdotool mousemove $((X - 60)) $((Y + 47))
sleep 1
import -window root -crop 500x260+800+0 docs/screenshots/tray-menu.png
echo "docs/screenshots/tray-menu.png written"
xdotool key Escape key Escape
sleep 0.5
# Back to the chats: Bob's conversation (below "Message requests (1)", where Erin's message waits), then
# the composer at the bottom of the chat.
xdotool mousemove 80 98 click 1
sleep 1
xdotool mousemove 150 215 click 1
sleep 1
xdotool mousemove 650 665 click 1
xdotool type --delay 20 "Hello Bob! I just installed Natter."
xdotool key Return
sleep 3
shoot docs/screenshots/demo-chat.png

pkill -f "build/dev/app/natter --profile $PWD/build/demo/profile" || true
wait "$demo" || true

# The first-run wizard explaining a failed login, on a fresh profile.
fresh=$(mktemp -d /tmp/natter-shot-XXXXXX)
build/dev/app/natter --profile "$fresh" >/dev/null 2>&1 &
app=$!
wizard=$(wait_for_window '^Add account') || { echo "the account wizard did not appear"; exit 1; }
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

history_screenshots
conversation_screenshot
devices_screenshots

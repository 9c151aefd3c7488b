#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plays thousands of contacts for the roster benchmark, through the test server's external component.

seed-roster USER: writes USER's roster straight into Prosody's file storage (the account must not be logged
in): --contacts contacts contactNNNNN@<component>, all with subscription "both", in 50 groups.

run: connects as the component (XEP-0114) and stays until killed. A presence probe for one of the first
--online contacts is answered with that contact's presence from two devices. A message to control@<component>
with the body "storm N SECONDS" makes the online contacts send N presence updates to the sender, evenly spread
over SECONDS; the answer "storm-done N" follows the last one. "crowd ROOM N" joins contacts 0 … N-1 to the
group chat ROOM (nicknames "Person NNNNN"); the answer "crowd-done N" comes once the room has confirmed each.
"""

import argparse
import asyncio
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "support"))
import prosody_fixture  # noqa: E402  (the test server's own storage format)

GROUPS = 50


def contact_jid(component, index):
    return f"contact{index:05d}@{component}"


def contact_index(jid, component):
    local, _, domain = str(jid).partition("@")
    if domain.split("/")[0] != component or not local.startswith("contact"):
        return None
    digits = local[len("contact"):]
    return int(digits) if digits.isdigit() else None


def seed_roster(info, user, contacts):
    items = [{"jid": contact_jid(info["component_jid"], i), "name": f"Contact {i:05d}",
              "groups": [f"Group {i % GROUPS:02d}"] + (["Favourites"] if i % 10 == 0 else [])}
             for i in range(contacts)]
    prosody_fixture.write_roster(info["state_dir"], user, items)


SHOWS = (None, "away", "dnd", "chat", "xa")
STREAM_NS = "jabber:component:accept"


def xml_attr(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;").replace('"', "&quot;")


def presence_xml(component, index, to, show, status, resource):
    show_xml = f"<show>{show}</show>" if show else ""
    return (f"<presence from='{contact_jid(component, index)}/{resource}' to='{xml_attr(to)}'>{show_xml}"
            f"<status>{xml_attr(status)}</status><priority>{index % 3}</priority></presence>")


async def run_component(info, online):
    """A bare XEP-0114 component on asyncio and expat: thousands of stanzas a second, no JID
    normalisation on the way (the server already did it)."""
    import hashlib
    import xml.etree.ElementTree as ET

    component = info["component_jid"]
    secret = pathlib.Path(info["component_secret_file"]).read_text().strip()
    reader, writer = await asyncio.open_connection(info["host"], info["component_port"])
    writer.write((f"<stream:stream xmlns='{STREAM_NS}' xmlns:stream='http://etherx.jabber.org/streams' "
                  f"to='{component}'>").encode())
    parser = ET.XMLPullParser(events=("start", "end"))
    depth = 0
    loop = asyncio.get_running_loop()

    def send(xml):
        writer.write(xml.encode())

    def answer_probe(stanza):
        index = contact_index(stanza.get("to", ""), component)
        if index is None or index >= online:
            return
        to = stanza.get("from", "").split("/")[0]
        send(presence_xml(component, index, to, SHOWS[index % len(SHOWS)], f"Status of contact {index}",
                          "desktop"))
        if index % 4 == 0:
            send(presence_xml(component, index, to, "away", "On the phone", "phone"))

    async def storm(to, count, seconds):
        batches = max(1, int(seconds * 100))
        per_batch = max(1, -(-count // batches))
        start = loop.time()
        sent = 0
        batch = 0
        while sent < count:
            for _ in range(min(per_batch, count - sent)):
                index = sent % max(1, online)
                send(presence_xml(component, index, to, SHOWS[(index + sent) % len(SHOWS)], f"update {sent}",
                                  "desktop"))
                sent += 1
            await writer.drain()
            batch += 1
            delay = start + batch * seconds / batches - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        send(f"<message type='chat' from='control@{component}' to='{xml_attr(to)}'>"
             f"<body>storm-done {count}</body></message>")

    crowds = {}  # room -> [sender, expected, joined]

    async def crowd(to, room, count):
        crowds[room] = [to, count, 0]
        for index in range(count):
            send(f"<presence from='{contact_jid(component, index)}/bench' to='{xml_attr(room)}/Person {index:05d}'>"
                 f"<x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                 f"{'<show>away</show>' if index % 5 == 0 else ''}</presence>")
            if index % 200 == 199:
                await writer.drain()

    def crowd_joined(stanza):
        # The room confirms each join with the occupant's own presence (status 110) to that occupant.
        room = stanza.get("from", "").split("/")[0]
        entry = crowds.get(room)
        if entry is None or stanza.get("type") is not None:
            return
        own = any(status.get("code") == "110" for status in stanza.iter("{http://jabber.org/protocol/muc#user}status"))
        if not own:
            return
        entry[2] += 1
        if entry[2] == entry[1]:
            send(f"<message type='chat' from='control@{component}' to='{xml_attr(entry[0])}'>"
                 f"<body>crowd-done {entry[1]}</body></message>")

    def handle(stanza):
        tag = stanza.tag.rsplit("}", 1)[-1]
        if tag == "presence" and stanza.get("from", "").split("/")[0] in crowds:
            crowd_joined(stanza)
            return
        if tag == "handshake":
            print("component-ready", flush=True)
        elif tag == "presence" and stanza.get("type") == "probe":
            answer_probe(stanza)
        elif tag == "message" and stanza.get("to", "").split("/")[0] == f"control@{component}":
            body = stanza.find(f"{{{STREAM_NS}}}body")
            words = (body.text or "").split() if body is not None else []
            if len(words) == 3 and words[0] == "storm":
                asyncio.ensure_future(storm(stanza.get("from", ""), int(words[1]), float(words[2])))
            elif len(words) == 3 and words[0] == "crowd":
                asyncio.ensure_future(crowd(stanza.get("from", ""), words[1], int(words[2])))

    while True:
        data = await reader.read(65536)
        if not data:
            raise SystemExit("the server closed the component stream")
        parser.feed(data)
        for event, element in parser.read_events():
            if event == "start":
                if depth == 0:
                    stream_id = element.get("id", "")
                    digest = hashlib.sha1((stream_id + secret).encode()).hexdigest()
                    send(f"<handshake>{digest}</handshake>")
                depth += 1
            else:
                depth -= 1
                if depth == 1:
                    handle(element)
                    element.clear()
        await writer.drain()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-json", required=True)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--online", type=int, default=1000)
    parser.add_argument("mode", choices=("seed-roster", "run"))
    parser.add_argument("user", nargs="?")
    args = parser.parse_args()
    info = json.loads(pathlib.Path(args.server_json).read_text())
    if args.mode == "seed-roster":
        if not args.user:
            parser.error("seed-roster needs USER")
        seed_roster(info, args.user, args.contacts)
        return 0
    asyncio.run(run_component(info, args.online))
    return 0


if __name__ == "__main__":
    sys.exit(main())

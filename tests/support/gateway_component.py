#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A pretend gateway to another network, for the tests: an external component (XEP-0114) on the fixture's
Prosody, written with slixmpp, offering In-Band Registration (XEP-0077) the way transports do, with
slixmpp's own component side of it (the old fixed fields: username and password).

  gateway_component.py --server-json PATH

Prints one JSON line {"event": "ready", "jid": ...} once connected, then one per change:
{"event": "registered", "from": BARE_JID, "username": ...} and {"event": "unregistered", "from": BARE_JID}.
The user name "taken" is refused with a text, as a legacy network would. Runs until standard input closes.
"""

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

import slixmpp

TAKEN = "taken"


def say(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


class Gateway(slixmpp.ComponentXMPP):
    def __init__(self, info):
        secret = Path(info["component_secret_file"]).read_text().strip()
        super().__init__(info["gateway_jid"], secret)
        self.info = info
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0004")
        self.register_plugin("xep_0066")
        self.register_plugin("xep_0077", {"form_fields": {"username", "password"},
                                          "form_instructions": "Enter your account on the Legacy network."})
        self["xep_0030"].add_identity(category="gateway", itype="legacy", name="Legacy network gateway")
        self["xep_0077"].api.register(self.validate, "user_validate")
        self.add_event_handler("session_start", lambda _: say("ready", jid=info["gateway_jid"]))
        self.add_event_handler("user_register",
                               lambda iq: say("registered", **{"from": iq["from"].bare,
                                                               "username": iq["register"]["username"]}))
        self.add_event_handler("user_unregister", lambda iq: say("unregistered", **{"from": iq["from"].bare}))

    def validate(self, jid, node, ifrom, registration):
        if registration["username"] == TAKEN:
            raise ValueError("That name is taken on the Legacy network.")
        self["xep_0077"]._user_store[ifrom.bare] = {key: registration[key] for key in ("username", "password")}


async def run(info):
    gateway = Gateway(info)
    gateway.connect(info["host"], info["component_port"])
    loop = asyncio.get_running_loop()
    # Until the test closes our standard input.
    await loop.run_in_executor(None, sys.stdin.read)
    gateway.disconnect()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-json", required=True, type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(run(json.loads(args.server_json.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

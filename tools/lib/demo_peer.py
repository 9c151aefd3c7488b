#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo peer for `tools/run --demo`: logs in as a demo account and answers every chat message.
import asyncio
import json
import sys

import slixmpp


class DemoPeer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, greet):
        super().__init__(jid, password)
        self.greet = greet
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)

    async def on_start(self, _event):
        self.send_presence(pstatus="I answer every message")
        await self.get_roster()
        if self.greet:
            # Stored by the server until the newcomer's Natter logs in.
            self.send_message(mto=self.greet, mtype="chat",
                              mbody="Hi! I am the demo peer. Write me anything and I will answer.")

    def on_message(self, message):
        if message["type"] not in ("chat", "normal") or not message["body"]:
            return
        reply = f"Hello {message['from'].user}! You wrote: “{message['body']}”"
        self.send_message(mto=message["from"].bare, mbody=reply, mtype="chat")


def main():
    server = json.load(open(sys.argv[1]))
    user = sys.argv[2] if len(sys.argv) > 2 else "bob"
    greet = sys.argv[3] if len(sys.argv) > 3 else None
    account = next(a for a in server["accounts"] if a["jid"].startswith(user + "@"))
    peer = DemoPeer(account["jid"], account["password"], greet)
    peer.ca_certs = server["ca_file"]  # verification stays on: the demo CA is trusted explicitly
    peer.connect(host=server["host"], port=server["c2s_port"])
    asyncio.get_event_loop().run_forever()


if __name__ == "__main__":
    main()

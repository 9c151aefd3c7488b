#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A demo contact for `tools/run --demo` and the screenshots: logs in as a demo account with a status and
# an avatar (XEP-0084, drawn by ImageMagick), can ask someone for a presence subscription, and answers every
# chat message unless told to stay quiet.
import argparse
import asyncio
import hashlib
import json
import subprocess

import slixmpp


def avatar_png(letter, colour):
    """A 192 px square avatar: the letter in white on colour."""
    return subprocess.run(
        ["convert", "-size", "192x192", f"xc:{colour}", "-fill", "white", "-font", "DejaVu-Sans-Bold",
         "-pointsize", "110", "-gravity", "center", "-annotate", "+0+0", letter, "png:-"],
        check=True, capture_output=True).stdout


class DemoPeer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, options):
        super().__init__(jid, password)
        self.options = options
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0060")
        self.register_plugin("xep_0084")
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)

    async def on_start(self, _event):
        await self.get_roster()
        self.send_presence(pshow=self.options.show, pstatus=self.options.status)
        if self.options.avatar:
            letter, _, colour = self.options.avatar.partition(":")
            await self.publish_avatar(avatar_png(letter, colour or "#3b6fd4"))
        if self.options.subscribe:
            self.send_presence(pto=self.options.subscribe, ptype="subscribe",
                               pstatus=self.options.subscribe_message)
        if self.options.greet:
            # Stored by the server until the newcomer's Natter logs in.
            self.send_message(mto=self.options.greet, mtype="chat", mbody=self.options.greet_message)

    async def publish_avatar(self, data):
        avatar = self.plugin["xep_0084"]
        await avatar.publish_avatar(data)
        await avatar.publish_avatar_metadata([{
            "id": hashlib.sha1(data).hexdigest(), "type": "image/png", "bytes": str(len(data)),
            "width": "192", "height": "192",
        }])

    def on_message(self, message):
        if self.options.quiet or message["type"] not in ("chat", "normal") or not message["body"]:
            return
        reply = f"Hello {message['from'].user}! You wrote: “{message['body']}”"
        self.send_message(mto=message["from"].bare, mbody=reply, mtype="chat")


def main():
    parser = argparse.ArgumentParser(description="A demo contact on the local demo server.")
    parser.add_argument("server_json")
    parser.add_argument("user", nargs="?", default="bob")
    parser.add_argument("greet", nargs="?", help="a JID to greet once with a message")
    parser.add_argument("--show", choices=("away", "xa", "dnd", "chat"), help="presence show (default available)")
    parser.add_argument("--status", default="I answer every message")
    parser.add_argument("--avatar", metavar="LETTER:COLOUR", help="publish an avatar, e.g. B:#3b6fd4")
    parser.add_argument("--subscribe", metavar="JID", help="ask JID to see their presence")
    parser.add_argument("--subscribe-message", default="Hi, it's me! May I add you?")
    parser.add_argument("--greet-message", default="Hi! I am the demo peer. Write me anything and I will answer.")
    parser.add_argument("--quiet", action="store_true", help="do not answer messages")
    options = parser.parse_args()
    server = json.load(open(options.server_json))
    account = next(a for a in server["accounts"] if a["jid"].startswith(options.user + "@"))
    peer = DemoPeer(account["jid"], account["password"], options)
    peer.ca_certs = server["ca_file"]  # verification stays on: the demo CA is trusted explicitly
    peer.connect(host=server["host"], port=server["c2s_port"])
    asyncio.get_event_loop().run_forever()


if __name__ == "__main__":
    main()

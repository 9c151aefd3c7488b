#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Test: drives omemo_peer.py processes against a prosody_fixture.py server and checks legacy OMEMO, OMEMO 2, restarts and group chat.
"""Usage: check_omemo_peer.py STATE_DIR

Registers three fresh accounts on the server of STATE_DIR (so the OMEMO data published here never
reaches the default accounts other tests use), starts omemo_peer.py for them in temporary data
directories and checks, printing one line per check:

* legacy-only encryption (version "legacy") from A to B decrypts as legacy;
* OMEMO 2 (version "v2") from B to A decrypts as v2, "auto" picks v2 when both sides have it;
* "devices" lists B's device under both versions with the fingerprints B announced;
* a restarted peer with the same data directory keeps device id, keys and sessions;
* a --versions legacy peer with --device-id gets that id and publishes no OMEMO 2 device;
* A creates a members-only, non-anonymous room (create_room), B joins, and encrypted group chat
  messages (OMEMO 2 and legacy) arrive decrypted.

Exits non-zero with a message on the first failure; the peers' stderr is shown then.
"""

import asyncio
import json
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER = HERE / "omemo_peer.py"
FIXTURE = HERE / "prosody_fixture.py"
EVENT_TIMEOUT_S = 30
HEX_KEY = re.compile(r"^[0-9a-f]{64}$")


class CheckFailed(Exception):
    pass


class Peer:
    """One omemo_peer.py process; events it prints are queued until a check asks for them."""

    def __init__(self, name, account, data_dir, info_path, log_dir, *extra):
        self.name, self.account, self.data_dir = name, account, data_dir
        self.info_path, self.log_path, self.extra = info_path, log_dir / f"{name}.log", extra
        self.process = None
        self.events = []
        self.arrived = asyncio.Event()
        self.reader = None
        self.ready = None

    @property
    def jid(self):
        return self.account["jid"]

    async def start(self):
        log = open(self.log_path, "a")
        log.write(f"---- start {' '.join(self.extra)}\n")
        log.flush()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, str(PEER), "--server-json", str(self.info_path), "--jid", self.jid,
            "--password", self.account["password"], "--data-dir", str(self.data_dir), *self.extra,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=log)
        log.close()  # the child keeps its own descriptor
        self.events = []
        self.reader = asyncio.create_task(self.read())
        self.ready = await self.expect("ready")
        return self.ready

    async def read(self):
        while line := await self.process.stdout.readline():
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "unparsable", "line": line.decode(errors="replace")}
            self.events.append(event)
            self.arrived.set()
        self.arrived.set()

    def send(self, **command):
        self.process.stdin.write((json.dumps(command) + "\n").encode())

    async def expect(self, event, timeout=EVENT_TIMEOUT_S, **fields):
        """Waits for the first event named EVENT whose FIELDS match; an "error" event fails the check."""
        deadline = time.monotonic() + timeout
        while True:
            for index, candidate in enumerate(self.events):
                if candidate.get("event") == "error" and event != "error":
                    raise CheckFailed(f"{self.name}: error while waiting for {event}: {candidate}")
                if candidate.get("event") == event and all(candidate.get(k) == v for k, v in fields.items()):
                    del self.events[index]
                    return candidate
            if self.reader.done():
                raise CheckFailed(f"{self.name} exited (status {await self.process.wait()}) "
                                  f"while waiting for {event} {fields}; unread events: {self.events}")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise CheckFailed(f"{self.name}: no {event} {fields} within {timeout} s; "
                                  f"unread events: {self.events}") from None

    async def quit(self):
        self.send(cmd="quit")
        try:
            status = await asyncio.wait_for(self.process.wait(), EVENT_TIMEOUT_S)
        except asyncio.TimeoutError:
            self.process.kill()
            raise CheckFailed(f"{self.name} did not exit after quit") from None
        await self.reader
        if status != 0:
            raise CheckFailed(f"{self.name} exited with status {status} after quit")

    async def stop(self):
        if self.process and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


def register_accounts(state_dir, roles):
    """Fresh accounts for this run: prosody_fixture.py register (works while Prosody runs)."""
    tag = secrets.token_hex(3)
    accounts = {}
    for role in roles:
        user, password = f"omemo-{tag}-{role}", f"{role}-{secrets.token_hex(8)}"
        result = subprocess.run([sys.executable, str(FIXTURE), "register", state_dir, user, password],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise CheckFailed(f"registering {user} failed: {result.stdout}{result.stderr}")
        accounts[role] = {"jid": result.stdout.strip(), "password": password}
    return accounts


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def check_ready(peer, versions):
    ready = peer.ready
    check(isinstance(ready.get("device_id"), int) and ready["device_id"] > 0, f"{peer.name}: bad device id {ready}")
    fingerprints = ready.get("fingerprints", {})
    check(set(fingerprints) == set(versions), f"{peer.name}: fingerprints for {sorted(fingerprints)}, "
                                              f"expected {sorted(versions)}")
    check(all(HEX_KEY.match(value) for value in fingerprints.values()), f"{peer.name}: bad fingerprints {ready}")


async def exchange(sender, recipient, version, expected_version, body):
    sender.send(cmd="send", to=recipient.jid, body=body, version=version)
    sent = await sender.expect("sent")
    check(sent.get("version") == expected_version, f"{sender.name} sent {sent}, expected {expected_version}")
    message = await recipient.expect("message", body=body)
    check(message["encrypted"] is True and message["version"] == expected_version and message["type"] == "chat"
          and message["from"].split("/")[0] == sender.jid and message["sender_device"] == sender.ready["device_id"]
          and message.get("id") == sent["id"],
          f"{recipient.name} got {message}")
    return message


async def run(state_dir, info, info_path, temp):
    results = []

    def ok(name, text):
        results.append(name)
        print(f"ok   {name}: {text}", flush=True)

    accounts = register_accounts(state_dir, ("a", "b", "c"))
    a = Peer("A", accounts["a"], temp / "a", info_path, temp)
    b = Peer("B", accounts["b"], temp / "b", info_path, temp)
    c = Peer("C", accounts["c"], temp / "c", info_path, temp, "--versions", "legacy", "--device-id", "4711")
    peers = (a, b, c)
    try:
        started = time.monotonic()
        await asyncio.gather(a.start(), b.start())
        check_ready(a, ("legacy", "v2"))
        check_ready(b, ("legacy", "v2"))
        ok("ready", f"A device {a.ready['device_id']}, B device {b.ready['device_id']} published both versions "
                    f"({time.monotonic() - started:.1f} s)")

        await exchange(a, b, "legacy", "legacy", "legacy hello from A")
        ok("legacy", "A -> B with version legacy decrypts as legacy, sender device matches")
        await exchange(b, a, "v2", "v2", "OMEMO 2 hello from B <&> ünïcode")
        ok("v2", "B -> A with version v2 decrypts as v2 (SCE envelope, escaping and UTF-8 intact)")
        await exchange(a, b, "auto", "v2", "auto picks OMEMO 2")
        ok("auto", "A -> B with version auto uses v2 when both sides publish it")

        a.send(cmd="devices", jid=b.jid)
        devices = (await a.expect("devices", jid=b.jid))["devices"]
        listed = {(d["version"], d["fingerprint"]) for d in devices if d["id"] == b.ready["device_id"]}
        expected = {(version, fp) for version, fp in b.ready["fingerprints"].items()}
        check(listed == expected, f"A lists B's device as {listed}, B announced {expected}")
        check(all(d["trust"] == "blindly_trusted" for d in devices), f"blind trust not applied: {devices}")
        ok("devices", "A lists B's device under legacy and v2 with B's fingerprints, blindly trusted")

        before = b.ready
        await b.quit()
        await b.start()
        check(b.ready["device_id"] == before["device_id"] and b.ready["fingerprints"] == before["fingerprints"],
              f"B changed identity on restart: {before} -> {b.ready}")
        await exchange(a, b, "legacy", "legacy", "legacy after B restarted")
        await exchange(b, a, "v2", "v2", "OMEMO 2 after B restarted")
        ok("restart", f"B keeps device {b.ready['device_id']} and its keys; sessions continue in both versions")

        await c.start()
        check_ready(c, ("legacy",))
        check(c.ready["device_id"] == 4711, f"C asked for device id 4711, got {c.ready['device_id']}")
        a.send(cmd="refresh", jid=c.jid)
        await a.expect("refreshed", jid=c.jid)
        a.send(cmd="devices", jid=c.jid)
        devices = (await a.expect("devices", jid=c.jid))["devices"]
        check([(d["id"], d["version"]) for d in devices] == [(4711, "legacy")],
              f"C (legacy only) should publish exactly one legacy device, A sees {devices}")
        a.send(cmd="send", to=c.jid, body="no OMEMO 2 for C", version="v2")
        error = await a.expect("error", cmd="send")
        await exchange(a, c, "auto", "legacy", "auto falls back to legacy")
        await c.quit()
        ok("legacy_only", f"C (--versions legacy --device-id 4711) has device 4711, publishes only legacy; "
                          f"v2 to C fails ({error['reason'][:60]}...), auto uses legacy")

        room = f"omemo-check-{secrets.token_hex(3)}@{info['muc_service']}"
        a.send(cmd="create_room", room=room, nick="Alice", members=[b.jid])
        created = await a.expect("joined", room=room)
        check(created.get("created") is True, f"room was not newly created: {created}")
        b.send(cmd="join", room=room, nick="Bob")
        await b.expect("joined", room=room)
        a.send(cmd="send_groupchat", room=room, body="group hello (auto)")
        sent = await a.expect("sent", to=room)
        check(b.jid in sent.get("recipients", []), f"B is not among the recipients: {sent}")
        message = await b.expect("message", body="group hello (auto)")
        check(message["type"] == "groupchat" and message["encrypted"] is True and message["version"] == "v2"
              and message["from"] == f"{room}/Alice" and message.get("sender_jid") == a.jid
              and message["sender_device"] == a.ready["device_id"], f"B got {message}")
        b.send(cmd="send_groupchat", room=room, body="group reply (legacy)", version="legacy")
        await b.expect("sent", to=room)
        message = await a.expect("message", body="group reply (legacy)")
        check(message["type"] == "groupchat" and message["version"] == "legacy"
              and message["from"] == f"{room}/Bob" and message.get("sender_jid") == b.jid, f"A got {message}")
        unexpected = [e for e in a.events + b.events if e.get("event") in ("message", "decrypt_error")]
        check(not unexpected, f"unexpected events (reflections?): {unexpected}")
        ok("groupchat", f"members-only non-anonymous {room}: v2 A -> B and legacy B -> A decrypt; "
                        f"reflections are not reported")

        await asyncio.gather(a.quit(), b.quit())
        ok("quit", "both peers exit 0 on quit")
    except BaseException:
        for peer in peers:
            await peer.stop()
        for peer in peers:
            if peer.log_path.exists():
                print(f"---- stderr of {peer.name} ({peer.jid}):\n{peer.log_path.read_text()[-6000:]}", file=sys.stderr)
        raise
    return results


def main(argv):
    if len(argv) != 2:
        print("usage: check_omemo_peer.py STATE_DIR", file=sys.stderr)
        return 2
    state_dir = argv[1]
    info_path = Path(state_dir).resolve() / "server.json"
    info = json.loads(info_path.read_text())
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="omemo-peer-check-") as temp:
        try:
            results = asyncio.run(run(state_dir, info, info_path, Path(temp)))
        except CheckFailed as error:
            print(f"FAIL {error}", flush=True)
            return 1
    print(f"{len(results)} checks passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Test support: a scripted OMEMO peer (legacy OMEMO 0.3 and OMEMO 2) driven by JSON lines on stdin/stdout.
"""Scripted OMEMO peer for Natter's interoperability tests.

Usage:
  omemo_peer.py --server-json PATH --jid JID --password PW --data-dir DIR
                [--versions legacy,v2] [--device-id N] [--trust blind|manual] [--verbose]

Built on python3-slixmpp and python3-slixmpp-omemo (python-omemo with the oldmemo backend for
eu.siacs.conversations.axolotl and the twomemo backend for urn:xmpp:omemo:2). It logs in to the
server described by server.json (trusting only its test CA), publishes the device list(s) and
bundle(s) of the chosen versions, prints {"event":"ready",...} and then executes one JSON command
per stdin line, answering with one JSON event per stdout line. tests/support/README.md describes
the protocol. Everything else (diagnostics, library logs) goes to stderr.

slixmpp-omemo 1.2.2 only encrypts and decrypts legacy OMEMO message bodies by itself: its OMEMO 2
path has no Stanza Content Encryption (XEP-0420) and raises NotImplementedError. This peer
therefore builds and parses the SCE envelope itself and calls python-omemo's session manager
directly for both versions. It also loads only the backends chosen with --versions (the plugin
always loads both).
"""

import argparse
import asyncio
import base64
import contextlib
import copy
import datetime
import fcntl
import hashlib
import json
import logging
import os
import secrets
import signal
import ssl
import sys
import threading
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Set
from xml.sax.saxutils import escape, quoteattr

try:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    import omemo
    import oldmemo
    import oldmemo.etree
    import twomemo
    import twomemo.etree
    import xeddsa
    from omemo.storage import Just, Maybe, Nothing, Storage
    from omemo.types import DeviceInformation, JSONType
    import slixmpp
    from slixmpp import JID
    from slixmpp.plugins.base import register_plugin
    from slixmpp.xmlstream.handler import CoroutineCallback
    from slixmpp.xmlstream.matcher.base import MatcherBase
    from slixmpp_omemo import TrustLevel, XEP_0384
    from slixmpp_omemo.xep_0384 import _make_session_manager
except ImportError as error:  # python3-xmlschema, python3-slixmpp-omemo and friends live in the build root
    print(f"omemo_peer: missing Python module: {error}", file=sys.stderr)
    sys.exit(2)

LEGACY_NS = oldmemo.oldmemo.NAMESPACE  # eu.siacs.conversations.axolotl
V2_NS = twomemo.twomemo.NAMESPACE  # urn:xmpp:omemo:2
VERSION_OF_NS = {LEGACY_NS: "legacy", V2_NS: "v2"}
NS_OF_VERSION = {"legacy": LEGACY_NS, "v2": V2_NS}
SCE_NS = "urn:xmpp:sce:1"
CLIENT_NS = "jabber:client"
EME_NS = "urn:xmpp:eme:0"
UPLOAD_NS = "urn:xmpp:http:upload:0"
DEVICE_LIST_NODES = {LEGACY_NS: "eu.siacs.conversations.axolotl.devicelist", V2_NS: "urn:xmpp:omemo:2:devices"}
FALLBACK_BODY = "This message is OMEMO encrypted."

LOGIN_TIMEOUT_S = 30
IQ_TIMEOUT_S = 20
QUIT_TIMEOUT_S = 10

log = logging.getLogger("omemo_peer")


# ---------------------------------------------------------------- output

def emit(event: str, **fields: Any) -> None:
    """One JSON object per stdout line, flushed at once (the test reads line by line)."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def fingerprint(identity_key: bytes, namespace: str) -> str:
    """Identity key as lowercase hex. python-omemo keeps every identity key in Ed25519 form (one key
    pair serves all backends). OMEMO 2 (v2) shows that Ed25519 public key (32 bytes, 64 hex digits).
    Legacy OMEMO shows the Curve25519 form (32 bytes, 64 hex digits, without the 0x05 type byte that
    the wire format and some clients' fingerprints prepend) as libsignal-based clients do."""
    if namespace == LEGACY_NS:
        return xeddsa.ed25519_pub_to_curve25519_pub(identity_key).hex()
    return identity_key.hex()


def describe(error: BaseException, limit: int = 400) -> str:
    """Exception class and message, shortened (python-omemo puts whole device sets into some)."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text if len(text) <= limit else text[:limit - 3] + "..."


# ---------------------------------------------------------------- storage

class JsonFileStorage(Storage):
    """python-omemo's key/value storage in one JSON file, rewritten atomically on every change, so a
    peer restarted with the same --data-dir keeps its device id, identity key and sessions."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.__data: Dict[str, JSONType] = json.loads(path.read_text()) if path.exists() else {}

    def peek(self, key: str) -> Optional[JSONType]:
        return self.__data.get(key)

    async def _load(self, key: str) -> Maybe[JSONType]:
        return Just(self.__data[key]) if key in self.__data else Nothing()

    async def _store(self, key: str, value: JSONType) -> None:
        self.__data[key] = value
        self.__flush()

    async def _delete(self, key: str) -> None:
        if key in self.__data:
            del self.__data[key]
            self.__flush()

    def __flush(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(self.__data))
        os.replace(temporary, self.path)


# ---------------------------------------------------------------- the OMEMO plugin

class PeerOmemo(XEP_0384):
    """slixmpp-omemo's XEP_0384 with our storage, trust policy and choice of backends."""

    # Set by OmemoPeer right after the plugin is registered, before the session starts.
    peer_storage: JsonFileStorage
    peer_namespaces: List[str]  # in priority order: v2 before legacy
    peer_blind_trust: bool
    peer_device_id: Optional[int]

    def plugin_init(self) -> None:
        super().plugin_init()
        self._peer_session_manager: Optional[omemo.SessionManager] = None
        self._peer_session_manager_task: Optional[asyncio.Task] = None

    @property
    def storage(self) -> Storage:
        return self.peer_storage

    @property
    def _btbv_enabled(self) -> bool:
        return self.peer_blind_trust

    async def _devices_blindly_trusted(self, blindly_trusted: FrozenSet[DeviceInformation],
                                       identifier: Optional[str]) -> None:
        log.info("blindly trusted %s", [(d.bare_jid, d.device_id) for d in blindly_trusted])

    async def _prompt_manual_trust(self, manually_trusted: FrozenSet[DeviceInformation],
                                   identifier: Optional[str]) -> None:
        session_manager = await self.get_session_manager()
        if self.peer_blind_trust:
            # Blind trust also covers accounts where some device was decided on by hand ("trust" command).
            for device in manually_trusted:
                await session_manager.set_trust(device.bare_jid, device.identity_key,
                                                TrustLevel.BLINDLY_TRUSTED.value)
            return
        # Manual trust: report the undecided devices and leave them undecided; encryption then fails
        # with StillUndecided until the "trust" command decides.
        emit("trust_needed", devices=[device_entry(device, namespace)
                                      for device in sorted(manually_trusted, key=lambda d: (d.bare_jid, d.device_id))
                                      for namespace in sorted(device.namespaces)])

    async def get_session_manager(self) -> omemo.SessionManager:
        """Like the plugin's, but creates the session manager with the chosen backends only."""
        if self._peer_session_manager is not None:
            return self._peer_session_manager
        if self._peer_session_manager_task is None:
            self._peer_session_manager_task = asyncio.ensure_future(self._peer_prepare())
            try:
                self._peer_session_manager = await self._peer_session_manager_task
            finally:
                self._peer_session_manager_task = None
            self.xmpp.event("omemo_initialized")
            return self._peer_session_manager
        return await asyncio.shield(self._peer_session_manager_task)

    async def _peer_prepare(self) -> omemo.SessionManager:
        base = _make_session_manager(self.xmpp, self)
        first_run = self.peer_storage.peek("/own_device_id") is None
        wanted = self.peer_device_id
        if wanted is not None and not first_run:
            stored = self.peer_storage.peek("/own_device_id")
            if stored != wanted:
                log.warning("--device-id %s ignored: %s already has device id %s", wanted,
                            self.peer_storage.path, stored)
        attributes: Dict[str, Any] = {}
        if wanted is not None and first_run:
            # python-omemo draws the id with randbelow(MAX - MIN) + MIN and redraws while the id is
            # already listed online; a range of one and hiding that id from the first-run download
            # (a previous install of this device may still be listed) yields exactly WANTED.
            download = base._download_device_list

            async def download_hiding_wanted(namespace: str, bare_jid: str) -> Dict[int, Optional[str]]:
                devices = dict(await download(namespace, bare_jid))
                if bare_jid == self.xmpp.boundjid.bare:
                    devices.pop(wanted, None)
                return devices

            attributes = {"DEVICE_ID_MIN": wanted, "DEVICE_ID_MAX": wanted + 1,
                          "_download_device_list": staticmethod(download_hiding_wanted)}
        manager_class = type("PeerSessionManager", (base,), attributes)
        backends = {V2_NS: lambda: twomemo.Twomemo(self.peer_storage, 1000, None),
                    LEGACY_NS: lambda: oldmemo.Oldmemo(self.peer_storage, 1000, None)}
        session_manager = await manager_class.create(
            [backends[namespace]() for namespace in self.peer_namespaces],
            self.peer_storage,
            self.xmpp.boundjid.bare,
            initial_own_label=None,
            undecided_trust_level_name=TrustLevel.UNDECIDED.value,
        )
        if attributes:
            # Later downloads must see the real list again.
            manager_class._download_device_list = staticmethod(download)
        await session_manager.ensure_data_consistency()
        await session_manager.after_history_sync()
        return session_manager

    async def _on_device_list_update(self, msg: slixmpp.Message) -> None:
        """PEP pushes for a version that is not loaded are ignored (python-omemo would raise)."""
        items = msg["pubsub_event"]["items"]
        if items["node"] not in (DEVICE_LIST_NODES[namespace] for namespace in self.peer_namespaces):
            return
        try:
            await super()._on_device_list_update(msg)
        except Exception as error:  # a broken push must not end the peer
            log.warning("device list update from %s failed: %s", msg["from"], describe(error))

    async def refresh_device_lists(self, jids: Set[JID], force_download: bool = False) -> None:
        """The plugin's version for the loaded backends only (it refreshes both and python-omemo
        raises UnknownNamespace for a backend that is not loaded)."""
        session_manager = await self.get_session_manager()
        roster = self.xmpp.client_roster
        for jid in jids:
            jid = JID(JID(jid).bare)
            refresh = set(self.peer_namespaces) if force_download else set()
            if jid.bare == self.xmpp.boundjid.bare:
                pep_enabled = True  # our own nodes: PEP always notifies us
            else:
                pep_enabled = jid in roster and roster[jid]["subscription"] == "both"
            if not pep_enabled:
                for namespace in self.peer_namespaces:
                    subscribed = (await self.storage.load_primitive(
                        f"/slixmpp/subscribed/{jid.bare}/{namespace}", bool)).maybe(None)
                    if not subscribed:
                        await self._subscribe(namespace, jid)
                        refresh.add(namespace)
            for namespace in self.peer_namespaces:
                if namespace in refresh:
                    try:
                        await session_manager.refresh_device_list(namespace, jid.bare)
                    except omemo.DeviceListDownloadFailed as error:
                        log.info("no %s device list for %s: %s", namespace, jid.bare, error)


register_plugin(PeerOmemo)


def device_entry(device: DeviceInformation, namespace: str, own_device_id: Optional[int] = None) -> Dict[str, Any]:
    entry = {
        "jid": device.bare_jid,
        "id": device.device_id,
        "version": VERSION_OF_NS.get(namespace, namespace),
        "fingerprint": fingerprint(device.identity_key, namespace),
        "trust": device.trust_level_name.lower(),
        "active": dict(device.active).get(namespace, False),
    }
    if device.label:
        entry["label"] = device.label
    if own_device_id is not None and device.device_id == own_device_id:
        entry["own"] = True
    return entry


# ---------------------------------------------------------------- SCE (XEP-0420) for OMEMO 2

def sce_envelope(body: str, sender: str, recipient: str) -> bytes:
    """The OMEMO 2 plaintext: an SCE envelope with the body and the rpad, time, to and from affixes
    (written out by hand so every element has a default namespace, no ns0: prefixes)."""
    rpad = base64.b64encode(secrets.token_bytes(secrets.randbelow(200) + 1)).decode()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f"<envelope xmlns='{SCE_NS}'><content><body xmlns='{CLIENT_NS}'>{escape(body)}</body></content>"
            f"<rpad>{escape(rpad)}</rpad><time stamp={quoteattr(stamp)}/>"
            f"<to jid={quoteattr(recipient)}/><from jid={quoteattr(sender)}/></envelope>").encode()


class SceError(Exception):
    pass


def parse_sce_envelope(plaintext: bytes, sender: str, recipient: str) -> str:
    """Returns the body of an SCE envelope after checking its from and to affixes."""
    try:
        envelope = ET.fromstring(plaintext)
    except ET.ParseError as error:
        raise SceError(f"SCE envelope is not XML: {error}") from error
    if envelope.tag != f"{{{SCE_NS}}}envelope":
        raise SceError(f"SCE payload root is {envelope.tag}, not envelope")
    content = envelope.find(f"{{{SCE_NS}}}content")
    if content is None:
        raise SceError("SCE envelope without content")
    from_affix, to_affix = envelope.find(f"{{{SCE_NS}}}from"), envelope.find(f"{{{SCE_NS}}}to")
    if from_affix is None or JID(from_affix.get("jid", "")).bare != sender:
        raise SceError(f"SCE from affix {None if from_affix is None else from_affix.get('jid')!r} "
                       f"is not the sender {sender}")
    if to_affix is None or JID(to_affix.get("jid", "")).bare != recipient:
        raise SceError(f"SCE to affix {None if to_affix is None else to_affix.get('jid')!r} "
                       f"is not the recipient {recipient}")
    body = content.find(f"{{{CLIENT_NS}}}body")
    if body is None:
        raise SceError("SCE content without a jabber:client body")
    return body.text or ""


# ---------------------------------------------------------------- keys and manipulated messages

def omemo_keys(msg: slixmpp.Message, namespace: str) -> Dict[int, bool]:
    """The device ids that NAMESPACE's encrypted element of MSG has a key for, each mapped to whether
    that key carries a key exchange (legacy prekey='true', OMEMO 2 kex='true')."""
    element = msg.xml.find(f"{{{namespace}}}encrypted")
    flag = "prekey" if namespace == LEGACY_NS else "kex"
    keys: Dict[int, bool] = {}
    for key in element.iter(f"{{{namespace}}}key") if element is not None else ():
        try:
            keys[int(key.get("rid", ""))] = key.get(flag, "false").lower() in ("true", "1")
        except ValueError:
            continue
    return keys


def flip_bit(data: bytes, index: int = -1) -> bytes:
    position = index % len(data)
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]


TAMPER_MODES = ("payload", "tag", "tag_in_payload", "payload_tag", "unknown_device", "replay")
LEGACY_ONLY_MODES = ("tag_in_payload", "payload_tag")


@contextlib.contextmanager
def tampered_key_material(namespace: str, mode: str):
    """For one send, changes what python-omemo puts in the key material: "tag" flips a bit of the
    authentication tag (legacy: the AES-GCM tag after the 16-byte key, OMEMO 2: the truncated HMAC after
    the 32-byte key); "tag_in_payload" moves the legacy tag to the end of the payload and sends a 16-byte
    key (the layout of old legacy clients); "payload_tag" does that with a flipped tag."""
    if mode not in ("tag",) + LEGACY_ONLY_MODES:
        yield
        return
    backend = oldmemo.Oldmemo if namespace == LEGACY_NS else twomemo.Twomemo
    original = backend.encrypt_plaintext

    async def encrypt_plaintext(self, plaintext: bytes):
        content, key_material = await original(self, plaintext)
        if mode == "tag":
            return content, type(key_material)(key_material.key, flip_bit(key_material.auth_tag))
        tag = key_material.auth_tag if mode == "tag_in_payload" else flip_bit(key_material.auth_tag)
        return (type(content)(content.ciphertext + tag, content.initialization_vector),
                type(key_material)(key_material.key, b""))

    backend.encrypt_plaintext = encrypt_plaintext
    try:
        yield
    finally:
        backend.encrypt_plaintext = original


def tamper_stanza(stanza: slixmpp.Message, namespace: str, mode: str, fake_device: int) -> None:
    """Mode "payload" flips a bit of the first payload byte; "unknown_device" readdresses every key to
    FAKE_DEVICE, a device id nobody has."""
    element = stanza.xml.find(f"{{{namespace}}}encrypted")
    if mode == "payload":
        payload = element.find(f"{{{namespace}}}payload")
        payload.text = base64.b64encode(flip_bit(base64.b64decode(payload.text), 0)).decode()
    elif mode == "unknown_device":
        for key in element.iter(f"{{{namespace}}}key"):
            key.set("rid", str(fake_device))


class BodylessOmemo(MatcherBase):
    """Matches OMEMO messages without a body (key exchanges, heartbeats): slixmpp's "message" event only
    fires for messages with one."""

    def match(self, xml: Any) -> bool:
        xml = getattr(xml, "xml", xml)
        return (xml.tag == f"{{{CLIENT_NS}}}message" and xml.find(f"{{{CLIENT_NS}}}body") is None
                and any(xml.find(f"{{{ns}}}encrypted") is not None for ns in NS_OF_VERSION.values()))


# ---------------------------------------------------------------- the peer

class CommandError(Exception):
    pass


class OmemoPeer:
    def __init__(self, args: argparse.Namespace, info: Dict[str, Any]) -> None:
        self.args = args
        self.info = info
        self.namespaces = [NS_OF_VERSION[v] for v in ("v2", "legacy") if v in args.versions]
        self.client = slixmpp.ClientXMPP(args.jid, args.password)
        self.client.ca_certs = Path(info["ca_file"])  # verification stays on: only the test CA is trusted
        for plugin in ("xep_0030", "xep_0004", "xep_0045", "xep_0060", "xep_0115", "xep_0163",
                       "xep_0199", "xep_0280", "xep_0297", "xep_0334"):
            self.client.register_plugin(plugin)
        self.client.register_plugin("xep_0384", module=sys.modules[__name__])
        plugin: PeerOmemo = self.client["xep_0384"]
        plugin.peer_storage = JsonFileStorage(args.data_dir / "omemo.json")
        plugin.peer_namespaces = self.namespaces
        plugin.peer_blind_trust = args.trust == "blind"
        plugin.peer_device_id = args.device_id
        for namespace in set(DEVICE_LIST_NODES) - set(self.namespaces):
            self.client["xep_0163"].remove_interest(DEVICE_LIST_NODES[namespace])
        self.omemo = plugin
        self.quitting = False
        self.ready = False
        self.ready_event = asyncio.Event()  # messages (e.g. offline ones) are reported after "ready"
        self.sent_ids: Set[str] = set()
        # One message at a time: python-omemo's decrypt awaits the network (device lists, bundles) and two
        # messages of one session decrypted at once (a key exchange and the next message) break it.
        self.decrypt_lock = asyncio.Lock()
        self.client.add_event_handler("message", self.on_message)
        self.client.register_handler(CoroutineCallback("OMEMO without body", BodylessOmemo(None), self.on_message))
        self.client.add_event_handler("carbon_received", self.on_carbon_received)
        self.client.add_event_handler("carbon_sent", self.on_carbon_sent)
        self.client.add_event_handler("disconnected", self.on_disconnected)

    @property
    def own_bare(self) -> str:
        return self.client.boundjid.bare

    # ------------------------------------------------------------ login

    async def login(self) -> None:
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future = loop.create_future()

        def finish(result: Optional[str]) -> None:
            if not outcome.done():
                outcome.set_result(result)

        self.client.add_event_handler("session_start", lambda _: finish(None))
        self.client.add_event_handler("failed_all_auth", lambda _: finish("authentication failed"))
        self.client.add_event_handler("connection_failed", lambda error: finish(f"connection failed: {error}"))
        self.client.enable_starttls, self.client.enable_direct_tls = True, False
        self.client.connect(self.info["host"], self.info["c2s_port"])
        try:
            error = await asyncio.wait_for(outcome, LOGIN_TIMEOUT_S)
        except asyncio.TimeoutError:
            error = f"no session after {LOGIN_TIMEOUT_S} s"
        if error:
            raise SystemExit(f"omemo_peer: login as {self.args.jid} failed: {error}")
        await self.client.get_roster(timeout=IQ_TIMEOUT_S)
        # The +notify features of the device list nodes reach the server through entity caps
        # (XEP-0115): recompute them now that the JID is bound, before the first presence, or
        # PEP would not push device list changes (e.g. of our own other devices).
        await self.client["xep_0115"].update_caps(broadcast=False)
        self.client.send_presence()
        try:
            await self.client["xep_0280"].enable(timeout=IQ_TIMEOUT_S)
        except Exception as error:  # carbons are a nicety
            log.warning("could not enable carbons: %s", describe(error))
        session_manager = await self.omemo.get_session_manager()
        own, _ = await session_manager.get_own_device_information()
        self.ready = True
        emit("ready", jid=self.own_bare, device_id=own.device_id,
             fingerprints={VERSION_OF_NS[ns]: fingerprint(own.identity_key, ns) for ns in self.namespaces})
        self.ready_event.set()

    def on_disconnected(self, reason: Any) -> None:
        if self.ready and not self.quitting:
            print(f"omemo_peer: {self.args.jid} lost the connection: {reason}", file=sys.stderr)
            emit("disconnected", reason=str(reason))
            os._exit(3)

    # ------------------------------------------------------------ receiving

    async def on_message(self, msg: slixmpp.Message) -> None:
        if msg.xml.find("{urn:xmpp:carbons:2}received") is not None or \
                msg.xml.find("{urn:xmpp:carbons:2}sent") is not None:
            return  # handled by on_carbon
        if msg["type"] == "error":
            emit("message_error", **{"from": msg["from"].full, "id": msg["id"],
                                     "condition": msg["error"]["condition"], "text": msg["error"]["text"]})
            return
        if msg["type"] == "headline" or msg.xml.find("{http://jabber.org/protocol/pubsub#event}event") is not None:
            return  # PEP notifications
        if msg["type"] == "groupchat":
            room, nick = JID(msg["from"].bare), msg["from"].resource
            if not nick:
                return  # from the room itself (subject, status codes)
            if nick == self.our_nick(room) or msg["id"] in self.sent_ids:
                log.info("reflection of our groupchat message %s", msg["id"])
                return
        await self.report(msg, carbon=None)

    async def on_carbon_received(self, wrapper: slixmpp.Message) -> None:
        await self.report(wrapper["carbon_received"], carbon="received")

    async def on_carbon_sent(self, wrapper: slixmpp.Message) -> None:
        await self.report(wrapper["carbon_sent"], carbon="sent")

    def our_nick(self, room: JID) -> Optional[str]:
        nicks = self.client["xep_0045"].our_nicks[None]
        return next((nick for joined, nick in nicks.items() if JID(joined).bare == room.bare), None)

    async def report(self, msg: slixmpp.Message, carbon: Optional[str]) -> None:
        await self.ready_event.wait()
        fields: Dict[str, Any] = {"from": msg["from"].full, "type": msg["type"] or "normal", "id": msg["id"]}
        if msg.xml.find("{urn:xmpp:delay}delay") is not None:
            fields["delayed"] = True
        if carbon:
            fields["carbon"] = carbon
            fields["to"] = msg["to"].full
        oob_url = msg.xml.find("{jabber:x:oob}x/{jabber:x:oob}url")
        if oob_url is not None:
            fields["oob_url"] = oob_url.text or ""
        namespace = await self.readable_namespace(msg)
        if namespace is None:
            if not msg["body"]:
                return  # chat states, receipts, MUC subjects
            emit("message", **fields, encrypted=False, version=None, body=msg["body"], sender_device=None)
            return
        try:
            async with self.decrypt_lock:
                body, device, sender = await self.decrypt(msg, namespace)
        except Exception as error:
            log.info("decryption of %s failed", msg["id"], exc_info=True)
            emit("decrypt_error", **fields, version=VERSION_OF_NS.get(namespace), reason=describe(error))
            return
        if body is None:
            log.info("empty OMEMO message (key exchange or heartbeat) from %s device %s", sender, device.device_id)
            return
        if msg["type"] == "groupchat":
            fields["sender_jid"] = sender
        emit("message", **fields, encrypted=True, version=VERSION_OF_NS[namespace], body=body,
             sender_device=device.device_id, trust=device.trust_level_name.lower(),
             key_exchange=omemo_keys(msg, namespace).get(await self.own_device_id(), False),
             recipient_devices=sorted({rid for ns in VERSION_OF_NS for rid in omemo_keys(msg, ns)}))

    async def own_device_id(self) -> int:
        own, _ = await (await self.omemo.get_session_manager()).get_own_device_information()
        return own.device_id

    async def readable_namespace(self, msg: slixmpp.Message) -> Optional[str]:
        """The OMEMO version to decrypt MSG with (None: not OMEMO). A stanza may carry a legacy and an
        OMEMO 2 element for different devices: of the loaded versions, the one with a key for this device
        wins; a version that is not loaded is only chosen when nothing else is there."""
        present = [ns for ns in (V2_NS, LEGACY_NS) if msg.xml.find(f"{{{ns}}}encrypted") is not None]
        loaded = [ns for ns in present if ns in self.namespaces]
        own_id = await self.own_device_id() if loaded else None
        return next((ns for ns in loaded if own_id in omemo_keys(msg, ns)), (loaded or present or [None])[0])

    async def decrypt(self, msg: slixmpp.Message, namespace: str):
        """Returns (body or None for an empty OMEMO message, sending device, sender bare JID)."""
        if namespace not in self.namespaces:
            raise CommandError(f"{VERSION_OF_NS[namespace]} OMEMO is not enabled (--versions)")
        if msg["type"] == "groupchat":
            room, nick = JID(msg["from"].bare), msg["from"].resource
            real_jid = self.client["xep_0045"].get_jid_property(room, nick, "jid")
            if not real_jid:
                raise omemo.SenderNotFound(f"no real JID known for {msg['from']} (anonymous room?)")
            sender, recipient = JID(real_jid).bare, room.bare
        else:
            sender, recipient = msg["from"].bare, msg["to"].bare or self.own_bare
        session_manager = await self.omemo.get_session_manager()
        elements = msg.xml.findall(f"{{{namespace}}}encrypted")
        if len(elements) != 1:
            raise ValueError(f"{len(elements)} encrypted elements in {namespace}")
        if namespace == V2_NS:
            message = twomemo.etree.parse_message(elements[0], sender)
        else:
            message = await oldmemo.etree.parse_message(elements[0], sender, self.own_bare, session_manager)
        plaintext, device, _ = await session_manager.decrypt(message)
        if plaintext is None:
            return None, device, sender
        if namespace == V2_NS:
            return parse_sce_envelope(plaintext, sender, recipient), device, sender
        return plaintext.decode("utf-8"), device, sender

    # ------------------------------------------------------------ sending

    def namespaces_for(self, version: str) -> List[str]:
        if version == "auto":
            return list(self.namespaces)
        if version not in NS_OF_VERSION:
            raise CommandError(f"unknown version {version!r} (legacy, v2 or auto)")
        if NS_OF_VERSION[version] not in self.namespaces:
            raise CommandError(f"{version} OMEMO is not enabled (--versions)")
        return [NS_OF_VERSION[version]]

    async def encrypt_and_send(self, to: JID, mtype: str, body: str, version: str,
                               recipients: Set[str],
                               manipulate: Optional[Callable[[slixmpp.Message, str], None]] = None) -> Dict[str, Any]:
        """Encrypts BODY for RECIPIENTS (bare JIDs; our own other devices are added by python-omemo)
        and sends one stanza per OMEMO version that was needed, all with the same id."""
        namespaces = self.namespaces_for(version)
        await self.omemo.refresh_device_lists({JID(jid) for jid in recipients})
        session_manager = await self.omemo.get_session_manager()
        plaintexts = {}
        for namespace in namespaces:
            plaintexts[namespace] = (sce_envelope(body, self.own_bare, to.bare) if namespace == V2_NS
                                     else body.encode("utf-8"))
        messages, errors = await session_manager.encrypt(frozenset(recipients), plaintexts,
                                                         backend_priority_order=namespaces)
        for error in errors:
            log.warning("not encrypted for %s device %s (%s): %s", error.bare_jid, error.device_id,
                        error.namespace, describe(error.exception))
        message_id = str(uuid.uuid4())
        versions = []
        for message in sorted(messages, key=lambda m: namespaces.index(m.namespace)):
            serialize = twomemo.etree.serialize_message if message.namespace == V2_NS else oldmemo.etree.serialize_message
            stanza = self.client.make_message(mto=to, mtype=mtype, mbody=FALLBACK_BODY)
            stanza["id"] = message_id
            stanza.append(serialize(message))
            stanza.xml.append(ET.Element(f"{{{EME_NS}}}encryption", {
                "namespace": message.namespace, "name": "OMEMO" if message.namespace == LEGACY_NS else "OMEMO 2"}))
            stanza.enable("store")
            if manipulate:
                manipulate(stanza, message.namespace)
            stanza.send()
            versions.append(VERSION_OF_NS[message.namespace])
        if not versions:
            raise CommandError("nothing was encrypted (no recipient device)")
        self.sent_ids.add(message_id)
        result: Dict[str, Any] = {"id": message_id, "version": versions[0] if len(versions) == 1 else versions}
        if errors:
            result["skipped_devices"] = [{"jid": e.bare_jid, "id": e.device_id,
                                          "version": VERSION_OF_NS.get(e.namespace, e.namespace),
                                          "reason": describe(e.exception)} for e in errors]
        return result

    async def room_recipients(self, room: JID) -> Set[str]:
        """Real bare JIDs of the occupants and of the members, admins and owners (members-only,
        non-anonymous rooms); the affiliation lists are skipped when the room refuses them."""
        muc = self.client["xep_0045"]
        if room not in muc.get_joined_rooms():
            raise CommandError(f"not in room {room} (join it first)")
        jids = set()
        for nick in muc.get_roster(room):
            real_jid = muc.get_jid_property(room, nick, "jid")
            if not real_jid:
                raise CommandError(f"no real JID for {room}/{nick}: the room is not non-anonymous")
            jids.add(JID(real_jid).bare)
        for affiliation in ("owner", "admin", "member"):
            try:
                jids.update(JID(jid).bare for jid in await muc.get_affiliation_list(room, affiliation,
                                                                                    timeout=IQ_TIMEOUT_S))
            except Exception as error:
                log.info("no %s list of %s: %s", affiliation, room, describe(error))
        jids.discard(self.own_bare)
        return jids

    # ------------------------------------------------------------ commands

    async def cmd_send(self, command: Dict[str, Any]) -> None:
        to = JID(require(command, "to"))
        key_exchanges: Set[int] = set()

        def note_key_exchanges(stanza: slixmpp.Message, namespace: str) -> None:
            key_exchanges.update(rid for rid, exchange in omemo_keys(stanza, namespace).items() if exchange)

        result = await self.encrypt_and_send(JID(to.bare), "chat", require(command, "body"),
                                             command.get("version", "auto"), {to.bare}, note_key_exchanges)
        emit("sent", to=to.bare, key_exchange_devices=sorted(key_exchanges), **result)

    async def cmd_send_plain(self, command: Dict[str, Any]) -> None:
        to = JID(require(command, "to"))
        mtype = command.get("type", "chat")
        stanza = self.client.make_message(mto=to, mtype=mtype, mbody=require(command, "body"))
        stanza["id"] = str(uuid.uuid4())
        stanza.send()
        emit("sent", to=to.full, id=stanza["id"], version=None)

    async def cmd_send_tampered(self, command: Dict[str, Any]) -> None:
        """{"cmd":"send_tampered","to":J,"body":T,"version":"legacy"|"v2","mode":M}: see README."""
        to, mode = JID(require(command, "to")), require(command, "mode")
        version = command.get("version", "legacy")
        if mode not in TAMPER_MODES:
            raise CommandError(f"unknown mode {mode!r} ({', '.join(TAMPER_MODES)})")
        if version not in NS_OF_VERSION or (mode in LEGACY_ONLY_MODES and version != "legacy"):
            raise CommandError(f"mode {mode!r} needs version legacy{'' if mode in LEGACY_ONLY_MODES else ' or v2'}")
        fake_device = secrets.randbelow(2 ** 31 - 2) + 1
        sent: List[slixmpp.Message] = []

        def manipulate(stanza: slixmpp.Message, namespace: str) -> None:
            tamper_stanza(stanza, namespace, mode, fake_device)
            sent.append(copy.copy(stanza))  # slixmpp serialises a stanza only later, in its send queue

        with tampered_key_material(NS_OF_VERSION[version], mode):
            result = await self.encrypt_and_send(JID(to.bare), "chat", require(command, "body"), version,
                                                 {to.bare}, manipulate)
        if mode == "unknown_device":
            result["fake_device"] = fake_device
        if mode == "replay":
            # The same ciphertext again, in a new stanza with a new id.
            result["replay_id"] = str(uuid.uuid4())
            for stanza in sent:
                stanza["id"] = result["replay_id"]
                stanza.send()
        emit("sent", to=to.bare, mode=mode, **result)

    async def cmd_publish_device_list(self, command: Dict[str, Any]) -> None:
        """{"cmd":"publish_device_list","devices":[N...],"version":...}: replaces our device list(s)."""
        devices = {int(device): None for device in require(command, "devices")}
        namespaces = self.namespaces_for(command.get("version", "auto"))
        serializers = {LEGACY_NS: oldmemo.etree.serialize_device_list, V2_NS: twomemo.etree.serialize_device_list}
        for namespace in namespaces:
            await self.client["xep_0060"].publish(JID(self.own_bare), DEVICE_LIST_NODES[namespace], id="current",
                                                  payload=serializers[namespace](devices), timeout=IQ_TIMEOUT_S)
        emit("published", devices=sorted(devices), version=[VERSION_OF_NS[ns] for ns in namespaces])

    async def cmd_delete_bundle(self, command: Dict[str, Any]) -> None:
        """{"cmd":"delete_bundle","version":...}: removes this device's bundle(s) from PEP, the device
        stays in the device list(s)."""
        device = await self.own_device_id()
        namespaces = self.namespaces_for(command.get("version", "auto"))
        pubsub = self.client["xep_0060"]
        for namespace in namespaces:
            if namespace == V2_NS:
                await pubsub.retract(JID(self.own_bare), "urn:xmpp:omemo:2:bundles", str(device), notify=False,
                                     timeout=IQ_TIMEOUT_S)
            else:
                await pubsub.delete_node(JID(self.own_bare), f"eu.siacs.conversations.axolotl.bundles:{device}",
                                         timeout=IQ_TIMEOUT_S)
        emit("bundle_deleted", device=device, version=[VERSION_OF_NS[ns] for ns in namespaces])

    async def cmd_refresh(self, command: Dict[str, Any]) -> None:
        jid = JID(require(command, "jid"))
        await self.omemo.refresh_device_lists({jid}, force_download=True)
        emit("refreshed", jid=jid.bare)

    async def cmd_devices(self, command: Dict[str, Any]) -> None:
        jid = JID(require(command, "jid"))
        await self.omemo.refresh_device_lists({jid})
        session_manager = await self.omemo.get_session_manager()
        own, _ = await session_manager.get_own_device_information()
        devices = await session_manager.get_device_information(jid.bare)
        entries = [device_entry(device, namespace, own.device_id if jid.bare == self.own_bare else None)
                   for device in sorted(devices, key=lambda d: d.device_id)
                   for namespace in sorted(device.namespaces) if namespace in self.namespaces]
        emit("devices", jid=jid.bare, devices=entries)

    async def cmd_trust(self, command: Dict[str, Any]) -> None:
        """{"cmd":"trust","jid":J,"device":N or "fingerprint":HEX,"trust":"trusted|distrusted|undecided|blind"}"""
        jid = JID(require(command, "jid"))
        levels = {"trusted": TrustLevel.TRUSTED, "distrusted": TrustLevel.DISTRUSTED,
                  "undecided": TrustLevel.UNDECIDED, "blind": TrustLevel.BLINDLY_TRUSTED,
                  "blindly_trusted": TrustLevel.BLINDLY_TRUSTED}
        level = levels.get(str(command.get("trust", "trusted")).lower())
        if level is None:
            raise CommandError(f"unknown trust {command.get('trust')!r}")
        session_manager = await self.omemo.get_session_manager()
        await self.omemo.refresh_device_lists({jid})
        wanted_id, wanted_fp = command.get("device"), str(command.get("fingerprint", "")).lower()
        matches = [device for device in await session_manager.get_device_information(jid.bare)
                   if device.device_id == wanted_id
                   or wanted_fp in (fingerprint(device.identity_key, ns) for ns in (LEGACY_NS, V2_NS))]
        if not matches:
            raise CommandError(f"no device {wanted_id or wanted_fp} of {jid.bare}")
        for device in matches:
            await session_manager.set_trust(device.bare_jid, device.identity_key, level.value)
        emit("trusted", jid=jid.bare, devices=[d.device_id for d in matches], trust=level.value.lower())

    async def join_room(self, room: JID, nick: str, password: Optional[str] = None,
                        history: int = 0) -> slixmpp.Presence:
        """Sends the MUC join presence and waits for our self-presence only (slixmpp's join_muc_wait
        also waits for the subject, which Prosody withholds while a new room is locked)."""
        muc = self.client["xep_0045"]
        room = JID(room.bare)
        done: asyncio.Future = asyncio.get_running_loop().create_future()

        def finish(presence: slixmpp.Presence) -> None:
            if not done.done():
                done.set_result(presence)

        stanza = muc.make_join_stanza(room, nick, password=password, maxstanzas=history)
        muc.rooms[None][room] = {}
        muc.our_nicks[None][room] = nick
        handlers = [(f"muc::{room}::self-presence", finish), (f"muc::{room}::presence-error", finish)]
        for name, handler in handlers:
            self.client.add_event_handler(name, handler)
        try:
            stanza.send()
            presence = await asyncio.wait_for(done, IQ_TIMEOUT_S)
        finally:
            for name, handler in handlers:
                self.client.del_event_handler(name, handler)
        if presence["type"] == "error":
            muc.rooms[None].pop(room, None)
            raise CommandError(f"joining {room} refused: {presence['error']['condition']} "
                               f"{presence['error']['text']}".strip())
        muc.our_nicks[None][room] = presence["from"].resource
        return presence

    async def cmd_join(self, command: Dict[str, Any]) -> None:
        room, nick = JID(require(command, "room")), require(command, "nick")
        presence = await self.join_room(room, nick, command.get("password"), int(command.get("history", 0)))
        created = 201 in presence["muc"]["status_codes"]
        if created:
            log.warning("join created %s: it is locked until configured (use create_room)", room)
        emit("joined", room=room.bare, nick=presence["from"].resource, created=created)

    async def cmd_create_room(self, command: Dict[str, Any]) -> None:
        """Joins ROOM (creating it), makes it members-only, non-anonymous and persistent, and gives
        the JIDs of "members" the member affiliation."""
        muc = self.client["xep_0045"]
        room, nick = JID(require(command, "room")), require(command, "nick")
        presence = await self.join_room(room, nick)
        created = 201 in presence["muc"]["status_codes"]
        form = await muc.get_room_config(room, timeout=IQ_TIMEOUT_S)
        wanted = {"muc#roomconfig_membersonly": True, "muc#roomconfig_whois": "anyone",
                  "muc#roomconfig_persistentroom": True, "muc#roomconfig_publicroom": False}
        fields = form.get_fields()
        missing = [var for var in ("muc#roomconfig_membersonly", "muc#roomconfig_whois") if var not in fields]
        if missing:
            raise CommandError(f"{room} cannot be configured: its form lacks {missing}")
        form.set_values({var: value for var, value in wanted.items() if var in fields})
        await muc.set_room_config(room, form, timeout=IQ_TIMEOUT_S)
        members = [JID(jid).bare for jid in command.get("members", [])]
        if members:
            await muc.send_affiliation_list(room, [(jid, "member") for jid in members], timeout=IQ_TIMEOUT_S)
        emit("joined", room=room.bare, nick=presence["from"].resource, created=created, members=members)

    async def cmd_send_groupchat(self, command: Dict[str, Any]) -> None:
        room = JID(JID(require(command, "room")).bare)
        recipients = await self.room_recipients(room)
        result = await self.encrypt_and_send(room, "groupchat", require(command, "body"),
                                             command.get("version", "auto"), recipients)
        emit("sent", to=room.bare, recipients=sorted(recipients), **result)

    # ------------------------------------------------------------ files (XEP-0363 + XEP-0454)

    def https_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.info["ca_file"])  # only the test CA, verified

    async def cmd_share_file(self, command: Dict[str, Any]) -> None:
        """{"cmd":"share_file","to":J,"size":N[,"version":V]}: N random bytes, encrypted with a fresh key
        and 12-byte IV (AES-256-GCM, tag appended), uploaded through the server's HTTP upload service and
        sent as an encrypted aesgcm:// link, as Conversations does."""
        to, size = JID(require(command, "to")), int(require(command, "size"))
        data = secrets.token_bytes(size)
        key, iv = secrets.token_bytes(32), secrets.token_bytes(12)
        sealed = AESGCM(key).encrypt(iv, data, None)
        iq = self.client.make_iq_get(ito=self.info["upload_service"])
        iq.xml.append(ET.Element(f"{{{UPLOAD_NS}}}request", {
            "filename": f"{uuid.uuid4().hex}.bin", "size": str(len(sealed)),
            "content-type": "application/octet-stream"}))
        answer = await iq.send(timeout=IQ_TIMEOUT_S)
        slot = answer.xml.find(f"{{{UPLOAD_NS}}}slot")
        put_element = slot.find(f"{{{UPLOAD_NS}}}put")
        put_url = put_element.get("url")
        get_url = slot.find(f"{{{UPLOAD_NS}}}get").get("url")
        headers = {"Content-Type": "application/octet-stream"}
        headers.update({header.get("name"): header.text or "" for header in put_element.findall(f"{{{UPLOAD_NS}}}header")
                        if header.get("name", "").lower() in ("authorization", "cookie", "expires")})

        def put() -> int:
            request = urllib.request.Request(put_url, data=sealed, method="PUT", headers=headers)
            with urllib.request.urlopen(request, context=self.https_context(), timeout=60) as response:
                return response.status

        status = await asyncio.to_thread(put)
        if status not in (200, 201):
            raise CommandError(f"upload refused: HTTP {status}")
        link = "aesgcm" + get_url[len("https"):] + "#" + (iv + key).hex()
        result = await self.encrypt_and_send(JID(to.bare), "chat", link, command.get("version", "auto"), {to.bare})
        emit("file_shared", to=to.bare, sha256=hashlib.sha256(data).hexdigest(), size=size, **result)

    async def cmd_fetch_file(self, command: Dict[str, Any]) -> None:
        """{"cmd":"fetch_file","link":L}: downloads an aesgcm:// link and decrypts it (the last 16 bytes are
        the tag; the fragment is IV + key, the IV 12 or 16 bytes)."""
        link = require(command, "link")
        if not link.startswith("aesgcm://") or "#" not in link:
            raise CommandError(f"not an aesgcm link: {link!r}")
        address, fragment = link[len("aesgcm"):].split("#", 1)
        material = bytes.fromhex(fragment)
        iv, key = material[:-32], material[-32:]

        def get() -> bytes:
            with urllib.request.urlopen("https" + address, context=self.https_context(), timeout=60) as response:
                return response.read()

        sealed = await asyncio.to_thread(get)
        data = AESGCM(key).decrypt(iv, sealed, None)
        emit("file_fetched", sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    async def cmd_leave(self, command: Dict[str, Any]) -> None:
        muc = self.client["xep_0045"]
        room = JID(require(command, "room"))
        muc.leave_muc(room, self.our_nick(room) or "")
        emit("left", room=room.bare)

    async def cmd_quit(self, command: Dict[str, Any]) -> None:
        self.quitting = True
        try:
            await asyncio.wait_for(self.client.disconnect(), QUIT_TIMEOUT_S)
        except asyncio.TimeoutError:
            log.warning("no clean disconnect after %s s", QUIT_TIMEOUT_S)
        raise SystemExit(0)

    async def run_commands(self) -> None:
        # A daemon thread reads stdin (a pipe, a file or a terminal alike); the process ends with
        # os._exit, so it never delays or breaks the exit.
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue = asyncio.Queue()

        def read_stdin() -> None:
            for raw in iter(sys.stdin.buffer.readline, b""):
                loop.call_soon_threadsafe(lines.put_nowait, raw)
            loop.call_soon_threadsafe(lines.put_nowait, b"")

        threading.Thread(target=read_stdin, name="stdin", daemon=True).start()
        while True:
            line = await lines.get()
            if not line:
                log.info("stdin closed: quitting")
                await self.cmd_quit({})
            line = line.strip()
            if not line:
                continue
            try:
                command = json.loads(line)
                if not isinstance(command, dict):
                    raise ValueError("not a JSON object")
            except ValueError as error:
                emit("error", cmd=None, reason=f"bad command line {line[:200]!r}: {error}")
                continue
            name = str(command.get("cmd", ""))
            handler = getattr(self, "cmd_" + name, None)
            if handler is None:
                emit("error", cmd=name, reason=f"unknown command {name!r}")
                continue
            try:
                await handler(command)
            except SystemExit:
                raise
            except Exception as error:
                log.info("command %s failed", name, exc_info=True)
                emit("error", cmd=name, reason=describe(error))


def require(command: Dict[str, Any], key: str) -> Any:
    if key not in command:
        raise CommandError(f"missing {key!r}")
    return command[key]


# ---------------------------------------------------------------- main

def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Scripted OMEMO peer for Natter's interop tests.")
    parser.add_argument("--server-json", required=True, type=Path, help="server.json of prosody_fixture.py")
    parser.add_argument("--jid", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--data-dir", required=True, type=Path, help="keeps identity, device id and sessions")
    parser.add_argument("--versions", default="legacy,v2", help="legacy, v2 or legacy,v2 (default)")
    parser.add_argument("--device-id", type=int, help="device id to create on first run")
    parser.add_argument("--trust", choices=("blind", "manual"), default="blind")
    parser.add_argument("--verbose", action="store_true", help="debug logs on stderr")
    args = parser.parse_args(argv)
    versions = {v.strip() for v in args.versions.split(",") if v.strip()}
    if not versions or versions - set(NS_OF_VERSION):
        parser.error(f"--versions: use legacy, v2 or legacy,v2 (got {args.versions!r})")
    args.versions = versions
    if args.device_id is not None and not 1 <= args.device_id < 2 ** 31 - 1:
        parser.error("--device-id must be between 1 and 2^31-2")
    return args


async def amain(args: argparse.Namespace) -> int:
    info = json.loads(args.server_json.read_text())
    peer = OmemoPeer(args, info)
    await peer.login()
    await peer.run_commands()
    return 0


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.WARNING,
                        format=f"omemo_peer[{args.jid}] %(levelname)s %(name)s: %(message)s")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    lock = open(args.data_dir / "lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(f"omemo_peer: {args.data_dir} is used by another omemo_peer", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    try:
        return asyncio.run(amain(args))
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)
            return 1
        return exit_.code or 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    status = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # No interpreter shutdown: the stdin thread may sit in a read, which Python aborts on.
    os._exit(status)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Test: checks that a server started by prosody_fixture.py works (TLS, SNI, STARTTLS, login, upload).
"""Usage: check_fixture.py STATE_DIR

Runs every check against the Prosody of STATE_DIR, prints one line per check
and exits non-zero when any failed. TLS verification is always on: each check
trusts exactly one CA file.
"""

import asyncio
import base64
import hashlib
import json
import socket
import ssl
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

TIMEOUT_S = 15
STREAM_HEADER = ("<?xml version='1.0'?><stream:stream to='{domain}' version='1.0' "
                 "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
SASL_PLAIN = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
# What the configured modules must announce, per address (None: the account's own bare JID).
EXPECTED_FEATURES = {
    "domain": ["urn:xmpp:carbons:2", "urn:xmpp:blocking", "urn:xmpp:ping", "urn:xmpp:time",
               "jabber:iq:version", "vcard-temp", "jabber:iq:private", "jabber:iq:last", "jabber:iq:register"],
    None: ["urn:xmpp:mam:2", "http://jabber.org/protocol/pubsub#publish", "urn:xmpp:bookmarks:1#compat"],
    "muc_service": ["http://jabber.org/protocol/muc"],
    "upload_service": ["urn:xmpp:http:upload:0"],
    "proxy65_service": ["http://jabber.org/protocol/bytestreams"],
}
AUTHED_STREAM_FEATURES = ["urn:ietf:params:xml:ns:xmpp-bind", "urn:xmpp:sm:3", "urn:xmpp:csi:0"]
UPLOAD_SIZE = 11 * 1024 * 1024  # beyond Prosody's default 10 MB limits
UPLOAD_NS = "urn:xmpp:http:upload:0"


class CheckFailed(Exception):
    pass


# ---------------------------------------------------------------- TLS helpers

def context_trusting(ca_file):
    """Verification and hostname checks on, trusting only CA_FILE (not the system store)."""
    context = ssl.create_default_context(cafile=ca_file)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    return context


def fingerprint(der):
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def direct_tls(info, server_name, ca_file):
    """Direct TLS handshake on the c2s_direct_tls port; returns the peer certificate (DER)."""
    with socket.create_connection((info["host"], info["direct_tls_port"]), timeout=TIMEOUT_S) as raw:
        with context_trusting(ca_file).wrap_socket(raw, server_hostname=server_name) as tls:
            return tls.getpeercert(binary_form=True)


def expect_verification_failure(handshake):
    try:
        handshake()
    except ssl.SSLCertVerificationError as error:
        return error.verify_message
    raise CheckFailed("the certificate was accepted although its CA is not trusted")


# ---------------------------------------------------------------- XMPP by hand

def read_until(sock, markers):
    """Reads from SOCK until one of MARKERS appears; returns everything read."""
    data = ""
    while not any(marker in data for marker in markers):
        chunk = sock.recv(4096)
        if not chunk:
            raise CheckFailed(f"connection closed; received so far: {data!r}")
        data += chunk.decode("utf-8", errors="replace")
    return data


def open_stream(sock, domain):
    sock.sendall(STREAM_HEADER.format(domain=domain).encode())
    return read_until(sock, ["</stream:features>", "<stream:features/>", "</stream:error>"])


def authenticate_plain(tls, account):
    """SASL PLAIN (safe here: the stream is encrypted and verified); returns the new stream features."""
    user, domain = account["jid"].split("@")
    token = base64.b64encode(f"\0{user}\0{account['password']}".encode()).decode()
    tls.sendall(SASL_PLAIN.format(token=token).encode())
    answer = read_until(tls, ["<success", "<failure"])
    if "<success" not in answer:
        raise CheckFailed(f"authentication as {account['jid']} failed: {answer!r}")
    return open_stream(tls, domain)


def starttls(info, domain, ca_file, account=None):
    """XMPP STARTTLS on c2s_port for DOMAIN; returns the stream features offered after TLS
    (after authenticating when ACCOUNT is given)."""
    with socket.create_connection((info["host"], info["c2s_port"]), timeout=TIMEOUT_S) as raw:
        features = open_stream(raw, domain)
        if "urn:ietf:params:xml:ns:xmpp-tls" not in features:
            raise CheckFailed(f"no STARTTLS offered: {features!r}")
        raw.sendall(STARTTLS.encode())
        answer = read_until(raw, ["<proceed", "<failure"])
        if "<proceed" not in answer:
            raise CheckFailed(f"STARTTLS refused: {answer!r}")
        with context_trusting(ca_file).wrap_socket(raw, server_hostname=domain) as tls:
            features = open_stream(tls, domain)
            if account:
                features = authenticate_plain(tls, account)
            tls.sendall(b"</stream:stream>")
            return features


# ---------------------------------------------------------------- checks

def check_direct_tls_trusted(info):
    direct_tls(info, info["domain"], info["ca_file"])
    return f"{info['domain']} verifies against ca.pem"


def check_direct_tls_rogue_rejected(info):
    reason = expect_verification_failure(lambda: direct_tls(info, info["rogue_domain"], info["ca_file"]))
    return f"{info['rogue_domain']} rejected with ca.pem ({reason})"


def check_direct_tls_rogue_own_ca(info):
    der = direct_tls(info, info["rogue_domain"], info["rogue_ca_file"])
    if fingerprint(der) != info["rogue_fingerprint_sha256"]:
        raise CheckFailed(f"fingerprint {fingerprint(der)} != {info['rogue_fingerprint_sha256']}")
    return f"{info['rogue_domain']} verifies against rogue-ca.pem, fingerprint matches"


def check_starttls_trusted(info):
    features = starttls(info, info["domain"], info["ca_file"])
    if "urn:ietf:params:xml:ns:xmpp-sasl" not in features:
        raise CheckFailed(f"no SASL after STARTTLS: {features!r}")
    account = info["accounts"][0]
    features = starttls(info, info["domain"], info["ca_file"], account)
    missing = [feature for feature in AUTHED_STREAM_FEATURES if feature not in features]
    if missing:
        raise CheckFailed(f"stream features lack {missing}: {features!r}")
    return f"STARTTLS verifies against ca.pem; {account['jid']} logs in by hand and gets bind, smacks, csi"


def check_starttls_rogue(info):
    reason = expect_verification_failure(lambda: starttls(info, info["rogue_domain"], info["ca_file"]))
    starttls(info, info["rogue_domain"], info["rogue_ca_file"])
    return f"STARTTLS to {info['rogue_domain']} rejected with ca.pem ({reason}), accepted with rogue-ca.pem"


def check_https(info):
    url = f"https://{info['host']}:{info['https_port']}/"
    try:
        with urllib.request.urlopen(url, context=context_trusting(info["ca_file"]), timeout=TIMEOUT_S) as reply:
            status = reply.status
    except urllib.error.HTTPError as error:  # a 404 still proves the TLS side works
        status = error.code
    return f"{url} verifies against ca.pem (HTTP {status})"


def check_proxy65(info):
    with socket.create_connection((info["host"], info["proxy65_port"]), timeout=TIMEOUT_S) as sock:
        sock.sendall(b"\x05\x01\x00")  # SOCKS5, one method: no authentication
        reply = sock.recv(2)
    if reply != b"\x05\x00":
        raise CheckFailed(f"unexpected SOCKS5 greeting reply {reply!r}")
    return f"SOCKS5 proxy answers on port {info['proxy65_port']}"


# ---------------------------------------------------------------- slixmpp

def make_client(info, account, slixmpp):
    client = slixmpp.ClientXMPP(account["jid"], account["password"])
    client.ca_certs = Path(info["ca_file"])
    return client


async def login(client, info, direct_tls=False):
    """Connects (STARTTLS on c2s_port, or direct TLS) and waits for the session; fails fast on errors."""
    loop = asyncio.get_running_loop()
    outcome = loop.create_future()

    def finish(result):
        if not outcome.done():
            outcome.set_result(result)

    client.add_event_handler("session_start", lambda _: finish(None))
    client.add_event_handler("failed_all_auth", lambda _: finish("authentication failed"))
    client.add_event_handler("connection_failed", lambda error: finish(f"connection failed: {error}"))
    client.enable_direct_tls, client.enable_starttls = direct_tls, not direct_tls
    client.connect(info["host"], info["direct_tls_port" if direct_tls else "c2s_port"])
    try:
        error = await asyncio.wait_for(outcome, TIMEOUT_S)
    except asyncio.TimeoutError:
        error = f"no session within {TIMEOUT_S} s"
    if error:
        raise CheckFailed(f"{client.boundjid.bare}: {error}")


async def exchange_message(info, slixmpp):
    alice, bob = (make_client(info, account, slixmpp) for account in info["accounts"][:2])
    received = asyncio.get_running_loop().create_future()
    bob.add_event_handler("message", lambda msg: received.done() or received.set_result(msg))
    try:
        await asyncio.gather(login(alice, info), login(bob, info, direct_tls=True))
        body = "hello from the fixture check"
        alice.send_message(mto=bob.boundjid.full, mbody=body, mtype="chat")
        message = await asyncio.wait_for(received, TIMEOUT_S)
        if message["body"] != body or message["from"].bare != alice.boundjid.bare:
            raise CheckFailed(f"unexpected message {message}")
        return await upload_file(info, alice)
    finally:
        for client in (alice, bob):
            client.disconnect()


def http_request(url, info, method="GET", data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, context=context_trusting(info["ca_file"]), timeout=TIMEOUT_S) as reply:
        return reply.read()


async def request_upload_slot(info, client, size):
    """XEP-0363 slot request written out by hand (slixmpp's plugin needs aiohttp)."""
    iq = client.make_iq_get(ito=info["upload_service"])
    iq.append(ET.Element(f"{{{UPLOAD_NS}}}request", {
        "filename": "fixture-check.bin", "size": str(size), "content-type": "application/octet-stream"}))
    reply = await iq.send(timeout=TIMEOUT_S)
    slot = reply.xml.find(f"{{{UPLOAD_NS}}}slot")
    if slot is None:
        raise CheckFailed(f"no upload slot in {reply}")
    put, get = slot.find(f"{{{UPLOAD_NS}}}put"), slot.find(f"{{{UPLOAD_NS}}}get")
    headers = {header.get("name"): header.text or "" for header in put.findall(f"{{{UPLOAD_NS}}}header")}
    return put.get("url"), get.get("url"), headers


async def upload_file(info, client):
    """Upload slot from the upload component, PUT over https, GET it back."""
    payload = bytes(range(256)) * (UPLOAD_SIZE // 256)
    put_url, get_url, headers = await request_upload_slot(info, client, len(payload))
    if not put_url.startswith(info["upload_url"]):
        raise CheckFailed(f"slot URL {put_url} is not under {info['upload_url']}")
    headers["Content-Type"] = "application/octet-stream"
    await asyncio.to_thread(http_request, put_url, info, "PUT", payload, headers)
    fetched = await asyncio.to_thread(http_request, get_url, info)
    if fetched != payload:
        raise CheckFailed(f"downloaded {len(fetched)} bytes differ from the {len(payload)} uploaded")
    return len(payload)


def check_slixmpp(info):
    try:
        import slixmpp
    except ImportError:
        return "skipped: python3-slixmpp is not installed"
    if len(info["accounts"]) < 2:
        raise CheckFailed("needs at least two accounts")
    uploaded = asyncio.run(exchange_message(info, slixmpp))
    first, second = (account["jid"] for account in info["accounts"][:2])
    return (f"{first} (STARTTLS) messaged {second} (direct TLS); "
            f"uploaded and fetched {uploaded} bytes over https")


# Tests list every account they register, so there are hundreds by the end of a run: logging them all in at
# once made each wait on all the others' SCRAM rounds, past TIMEOUT_S on a busy machine.
LOGINS_AT_ONCE = 16


async def login_everyone(info, slixmpp):
    accounts = info["accounts"]
    for first in range(0, len(accounts), LOGINS_AT_ONCE):
        clients = [make_client(info, account, slixmpp) for account in accounts[first:first + LOGINS_AT_ONCE]]
        try:
            await asyncio.gather(*(login(client, info) for client in clients))
        finally:
            for client in clients:
                client.disconnect()
    return len(accounts)


async def disco_features(client, jid):
    iq = client.make_iq_get(queryxmlns=DISCO_INFO, ito=jid)
    reply = await iq.send(timeout=TIMEOUT_S)
    return {feature.get("var") for feature in reply.xml.iter(f"{{{DISCO_INFO}}}feature")}


async def missing_features(info, slixmpp):
    client = make_client(info, info["accounts"][0], slixmpp)
    try:
        await login(client, info)
        missing = {}
        for key, expected in EXPECTED_FEATURES.items():
            jid = info[key] if key else client.boundjid.bare
            absent = set(expected) - await disco_features(client, jid)
            if absent:
                missing[jid] = sorted(absent)
        return missing
    finally:
        client.disconnect()


def check_services(info):
    try:
        import slixmpp
    except ImportError:
        return "skipped: python3-slixmpp is not installed"
    missing = asyncio.run(missing_features(info, slixmpp))
    if missing:
        raise CheckFailed(f"features not announced: {missing}")
    return "the domain, the account and the MUC, upload and proxy65 components announce their features"


def check_accounts(info):
    try:
        import slixmpp
    except ImportError:
        return "skipped: python3-slixmpp is not installed"
    return f"all {asyncio.run(login_everyone(info, slixmpp))} accounts of server.json log in"


CHECKS = (
    check_direct_tls_trusted,
    check_direct_tls_rogue_rejected,
    check_direct_tls_rogue_own_ca,
    check_starttls_trusted,
    check_starttls_rogue,
    check_https,
    check_proxy65,
    check_slixmpp,
    check_accounts,
    check_services,
)


def main(argv):
    if len(argv) != 2:
        print("usage: check_fixture.py STATE_DIR", file=sys.stderr)
        return 2
    info = json.loads((Path(argv[1]) / "server.json").read_text())
    failures = 0
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            print(f"ok   {name}: {check(info)}", flush=True)
        except Exception as error:  # report every failing check, not only the first
            failures += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
    print(f"{len(CHECKS) - failures}/{len(CHECKS)} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

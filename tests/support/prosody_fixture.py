#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Test fixture: starts and stops a throwaway Prosody 13 server with its own test CAs and accounts.
"""Throwaway Prosody 13 server for Natter's tests and demo mode.

Usage:
  prosody_fixture.py start STATE_DIR [--accounts alice,bob] [--password-prefix P]
  prosody_fixture.py stop STATE_DIR
  prosody_fixture.py register STATE_DIR USER PASSWORD
  prosody_fixture.py info STATE_DIR

Everything lives in STATE_DIR: certificates, prosody.cfg.lua, data, logs,
server.json and server.env. Only the Python standard library is used.
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

DOMAIN = "natter.test"
ROGUE_DOMAIN = "rogue.test"
SELF_SIGNED_DOMAIN = "selfsigned.test"
UPLOAD_SERVICE = "upload." + DOMAIN
MUC_SERVICE = "conference." + DOMAIN
PROXY65_SERVICE = "proxy." + DOMAIN
# Registration there needs an invitation (XEP-0401); the server's certificate covers it (*.natter.test).
INVITES_DOMAIN = "invites." + DOMAIN
# Registration there has a CAPTCHA (XEP-0158) whose answer is CAPTCHA_ANSWER.
CAPTCHA_DOMAIN = "captcha." + DOMAIN
CAPTCHA_ANSWER = "natter7"
# An external component (XEP-0114) that benchmarks use to play thousands of contacts.
PEERS_COMPONENT = "peers." + DOMAIN
# An external component that tests run as a gateway to another network (support/gateway_component.py).
GATEWAY_COMPONENT = "gateway." + DOMAIN
HOST = "127.0.0.1"
# Prosody modules that only benchmarks load.
BENCH_MODULES = Path(__file__).resolve().parents[2] / "bench" / "prosody"
# Prosody modules that only tests load.
TEST_MODULES = Path(__file__).resolve().parent / "prosody"

DEFAULT_ACCOUNTS = ("alice", "bob", "carol", "dave", "admin")
# The server's administrator (Prosody's admin ad-hoc commands, XEP-0133); also its contact address.
ADMIN = "admin"
PASSWORD_SUFFIX = "-secret-pw"
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

START_TIMEOUT_S = 30
STOP_GRACE_S = 10
START_ATTEMPTS = 3  # a random port may be taken by someone else before Prosody binds it
CERT_VALID_DAYS = 30
UPLOAD_SIZE_LIMIT = 100 * 1024 * 1024
UPLOAD_PATH = "/file_share/"

PORT_NAMES = ("c2s", "direct_tls", "http", "https", "proxy65", "component")
BIND_FAILURE = "Failed to open server port"

# Every name exists in Prosody 13's /usr/lib/prosody/modules.
HOST_MODULES = (
    "roster", "saslauth", "tls", "disco", "carbons", "pep", "blocklist",
    "vcard4", "vcard_legacy", "mam", "smacks", "csi_simple", "bookmarks",
    "ping", "time", "version", "register", "private", "uptime", "lastactivity",
    # Ad-hoc commands (XEP-0050), and the administration commands (XEP-0133) for the admin account.
    "adhoc", "admin_adhoc",
    # prosodyctl shell talks to the running server through it (invitations are made that way).
    "admin_shell",
    # Contact addresses (XEP-0157) and push (XEP-0357, from prosody-modules), for the server details.
    "server_contact_info", "cloud_notify",
    # External services (XEP-0215): the coturn below, with credentials derived from a shared secret.
    "turn_external",
)
# Federation is off: no s2s module, no s2s ports.
DISABLED_MODULES = ("s2s", "s2s_auth_certs")

CA_EXTENSIONS = """\
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

# As `openssl req -x509` and similar one-liners make them: no key usage limits, so it verifies its own
# signature (OpenSSL then reports "self-signed certificate", not an unknown issuer).
SELF_SIGNED_EXTENSIONS = """\
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
extendedKeyUsage = serverAuth
subjectAltName = {sans}
"""

LEAF_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = {sans}
"""


class FixtureError(Exception):
    """A failure worth a clear message and a non-zero exit."""


class PortTaken(FixtureError):
    """Prosody could not bind one of the ports picked for it."""


# ---------------------------------------------------------------- helpers

def run(command, **kwargs):
    """Runs a command, raising FixtureError with its output when it fails."""
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise FixtureError(f"{shlex.join(map(str, command))} failed ({result.returncode}):\n"
                           f"{result.stdout}{result.stderr}")
    return result


def read_text(path):
    """The file's text, or "" when it does not exist."""
    try:
        return Path(path).read_text(errors="replace")
    except FileNotFoundError:
        return ""


def tail(path, lines=30):
    """The last lines of a text file, or a note that it does not exist."""
    if not Path(path).exists():
        return f"({path} does not exist)\n"
    return "".join(read_text(path).splitlines(keepends=True)[-lines:])


# ---------------------------------------------------------------- certificates

def openssl_time(moment):
    return moment.strftime("%Y%m%d%H%M%SZ")


def validity_window():
    """notBefore a day in the past, notAfter CERT_VALID_DAYS from now."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return openssl_time(now - datetime.timedelta(days=1)), openssl_time(now + datetime.timedelta(days=CERT_VALID_DAYS))


def random_serial():
    return "0x" + secrets.token_hex(16)


def write_extensions(path, text):
    path.write_text("[ext]\n" + text)
    return path


def make_key(path):
    run(["openssl", "genpkey", "-quiet", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path])
    path.chmod(0o600)


def make_ca(state, stem, common_name):
    """Self-signed CA: STATE/STEM.pem with key STATE/STEM.key."""
    return make_self_signed(state, stem, common_name, CA_EXTENSIONS)


def make_self_signed(state, stem, common_name, extension_text):
    """A certificate that signs itself: STATE/STEM.pem with key STATE/STEM.key."""
    key, cert = state / f"{stem}.key", state / f"{stem}.pem"
    make_key(key)
    not_before, not_after = validity_window()
    extensions = write_extensions(state / f"{stem}.ext", extension_text)
    run(["openssl", "x509", "-new", "-key", key, "-subj", f"/O=Natter/CN={common_name}",
         "-set_serial", random_serial(), "-not_before", not_before, "-not_after", not_after,
         "-sha256", "-extfile", extensions, "-extensions", "ext", "-out", cert])
    extensions.unlink()
    return cert, key


def make_leaf(state, stem, ca, domain, sans):
    """Server certificate STATE/STEM.pem for DOMAIN signed by the CA (cert, key) pair."""
    key, cert, request = state / f"{stem}.key", state / f"{stem}.pem", state / f"{stem}.csr"
    make_key(key)
    run(["openssl", "req", "-new", "-key", key, "-subj", f"/O=Natter/CN={domain}", "-out", request])
    not_before, not_after = validity_window()
    extensions = write_extensions(state / f"{stem}.ext", LEAF_EXTENSIONS.format(sans=", ".join(sans)))
    ca_cert, ca_key = ca
    run(["openssl", "x509", "-req", "-in", request, "-CA", ca_cert, "-CAkey", ca_key,
         "-set_serial", random_serial(), "-not_before", not_before, "-not_after", not_after,
         "-sha256", "-extfile", extensions, "-extensions", "ext", "-out", cert])
    request.unlink()
    extensions.unlink()
    return cert, key


def fingerprint_sha256(cert):
    """Like `openssl x509 -fingerprint -sha256`: uppercase hex pairs joined by colons."""
    der = ssl.PEM_cert_to_DER_cert(Path(cert).read_text())
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def make_certificates(state):
    """The trusted CA with the natter.test certificate, and the unrelated rogue CA with rogue.test's."""
    ca = make_ca(state, "ca", "Natter Test CA")
    # XMPP certificates name only the domain, so tests prove clients verify the XMPP domain, not the address;
    # the https listener serves URLs on the loopback address and gets a certificate for it.
    make_leaf(state, "server", ca, DOMAIN, [f"DNS:{DOMAIN}", f"DNS:*.{DOMAIN}"])
    make_leaf(state, "https", ca, DOMAIN, [f"DNS:{DOMAIN}", f"DNS:*.{DOMAIN}", f"IP:{HOST}"])
    rogue_ca = make_ca(state, "rogue-ca", "Natter Untrusted Test CA")
    make_leaf(state, "rogue", rogue_ca, ROGUE_DOMAIN, [f"DNS:{ROGUE_DOMAIN}"])
    # What many small servers have: a server certificate signed by nobody but itself.
    make_self_signed(state, "selfsigned", SELF_SIGNED_DOMAIN,
                     SELF_SIGNED_EXTENSIONS.format(sans=f"DNS:{SELF_SIGNED_DOMAIN}"))
    # Nobody needs the CA keys after signing; leaving them would invite misuse.
    for stem in ("ca", "rogue-ca"):
        (state / f"{stem}.key").unlink()


# ---------------------------------------------------------------- ports

def free_ports(names):
    """One distinct free TCP port on HOST per name; all held open until every one is picked."""
    sockets = []
    try:
        for _ in names:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((HOST, 0))
        return {name: sock.getsockname()[1] for name, sock in zip(names, sockets)}
    finally:
        for sock in sockets:
            sock.close()


# ---------------------------------------------------------------- configuration

def lua_string(value):
    text = str(value)
    if "\n" in text or "\r" in text:
        raise FixtureError(f"cannot put a line break into the Prosody config: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lua_list(values):
    return "{ " + ", ".join(lua_string(v) if isinstance(v, str) else str(v) for v in values) + " }"


def lua_tls(state, stem):
    return f"{{ certificate = {lua_string(state / (stem + '.pem'))}; key = {lua_string(state / (stem + '.key'))} }}"


def global_section(state, ports):
    listen = lua_list([HOST])
    # Benchmarks measure the client, so they can ask for a server that does not log every stanza.
    debug_log = "" if os.environ.get("NATTER_FIXTURE_NO_DEBUG_LOG") else \
        f"    debug = {lua_string(state / 'debug.log')};\n"
    module_paths = [str(TEST_MODULES)] + ([str(BENCH_MODULES)] if os.environ.get("NATTER_FIXTURE_QUIET_CROWD") else [])
    plugin_paths = f"plugin_paths = {lua_list(module_paths)}\n"
    return f"""\
-- Generated by tests/support/prosody_fixture.py for Natter's tests; rewritten on every start.
run_as_root = true
{plugin_paths}data_path = {lua_string(state / "data")}
pidfile = {lua_string(state / "prosody.pid")}
log = {{
    info = {lua_string(state / "prosody.log")};
{debug_log}}}
-- Empty on purpose: the certificates are named explicitly below.
certificates = {lua_string(state / "certs")}

-- Loopback only, random ports, no federation.
interfaces = {listen}
local_interfaces = {listen}
c2s_ports = {lua_list([ports["c2s"]])}
c2s_interfaces = {listen}
c2s_direct_tls_ports = {lua_list([ports["direct_tls"]])}
c2s_direct_tls_interfaces = {listen}
legacy_ssl_ports = {{ }}
s2s_ports = {{ }}
s2s_direct_tls_ports = {{ }}
http_ports = {lua_list([ports["http"]])}
http_interfaces = {listen}
https_ports = {lua_list([ports["https"]])}
https_interfaces = {listen}
proxy65_ports = {lua_list([ports["proxy65"]])}
proxy65_interfaces = {listen}
component_ports = {lua_list([ports["component"]])}
component_interface = {lua_string(HOST)}

-- natter.test's certificate is the default everywhere; rogue.test overrides it below (SNI).
ssl = {lua_tls(state, "server")}
c2s_direct_tls_ssl = {lua_tls(state, "server")}
https_ssl = {lua_tls(state, "https")}

authentication = "internal_hashed"
-- Archives in SQLite, as on real servers: internal archive storage scans the whole file for every
-- paged query, so catch-up over a large archive would measure Prosody's file store, not the client.
default_storage = "internal"
storage = {{ archive = "sql", muc_log = "sql" }}
sql = {{ driver = "SQLite3", database = "archive.sqlite" }}
c2s_require_encryption = true
allow_registration = true
admins = {{ "{ADMIN}@{DOMAIN}" }}

contact_info = {{
    admin = {{ "xmpp:admin@{DOMAIN}", "mailto:admin@{DOMAIN}" }};
    abuse = {{ "mailto:abuse@{DOMAIN}" }};
}}

archive_expires_after = "never"
default_archive_policy = true
muc_log_expires_after = "never"

-- mod_limits is not loaded, so nothing is throttled; this only matters if someone enables it.
limits = {{ c2s = {{ rate = "10mb/s" }} }}

-- Listeners read 4 KiB per event loop turn by default, which caps https uploads at ~4 MB/s.
network_default_read_size = 262144

modules_enabled = {lua_list(HOST_MODULES)}
modules_disabled = {lua_list(DISABLED_MODULES)}
"""


def hosts_section(state):
    # The MUC benchmark's crowd shares one component connection, so it must not hear the room
    # (bench/prosody/mod_bench_quiet_crowd.lua explains why).
    peers_modules = f"    modules_enabled = {lua_list(['bench_quiet_crowd'])}\n" \
        if os.environ.get("NATTER_FIXTURE_QUIET_CROWD") else ""
    return f"""
VirtualHost {lua_string(DOMAIN)}
    ssl = {lua_tls(state, "server")}

-- Accounts only through an invitation (mod_invites_register makes registration invite-only); its users
-- hand out contact invitations (mod_invites_adhoc), approved at once (XEP-0379, mod_invites_register).
VirtualHost {lua_string(INVITES_DOMAIN)}
    ssl = {lua_tls(state, "server")}
    modules_enabled = {lua_list(["invites", "invites_register", "invites_adhoc"])}

-- A registration form with a CAPTCHA (tests/support/prosody/mod_test_captcha.lua).
VirtualHost {lua_string(CAPTCHA_DOMAIN)}
    ssl = {lua_tls(state, "server")}
    modules_enabled = {lua_list(["test_captcha"])}
    test_captcha_image = {lua_string(state / "captcha.png")}
    test_captcha_answer = {lua_string(CAPTCHA_ANSWER)}

-- Its certificate comes from the untrusted CA: clients must refuse it.
VirtualHost {lua_string(ROGUE_DOMAIN)}
    ssl = {lua_tls(state, "rogue")}
    c2s_direct_tls_ssl = {lua_tls(state, "rogue")}
    https_ssl = {lua_tls(state, "rogue")}

-- Its certificate signs itself: clients refuse it unless the user trusts exactly that certificate.
VirtualHost {lua_string(SELF_SIGNED_DOMAIN)}
    ssl = {lua_tls(state, "selfsigned")}
    c2s_direct_tls_ssl = {lua_tls(state, "selfsigned")}

-- Served on the https port as https://{HOST}:PORT{UPLOAD_PATH} so no DNS name is needed.
Component {lua_string(UPLOAD_SERVICE)} "http_file_share"
    http_host = {lua_string(HOST)}
    http_file_share_size_limit = {UPLOAD_SIZE_LIMIT}
    http_file_share_daily_quota = {UPLOAD_SIZE_LIMIT * 100}

-- muc_moderation (XEP-0425) comes with Debian's prosody-modules.
Component {lua_string(MUC_SERVICE)} "muc"
    modules_enabled = {lua_list(["muc_mam", "muc_moderation"])}

Component {lua_string(PROXY65_SERVICE)} "proxy65"
    proxy65_address = {lua_string(HOST)}

Component {lua_string(GATEWAY_COMPONENT)}
    component_secret = {lua_string(component_secret(state))}

Component {lua_string(PEERS_COMPONENT)}
    component_secret = {lua_string(component_secret(state))}
{peers_modules}"""


def turn_section(state, turn_port):
    return f"""
-- coturn on loopback, started next to Prosody (use-auth-secret with the same secret).
turn_external_host = {lua_string(HOST)}
turn_external_port = {turn_port}
turn_external_secret = {lua_string(shared_secret(state, "turn.secret"))}
turn_external_ttl = 86400
"""


def write_captcha_image(path, width=120, height=40):
    """A grey PNG with dark stripes: enough for a client to prove it shows the picture it was sent."""
    rows = b"".join(b"\x00" + bytes(40 if (x // 6 + y // 8) % 3 == 0 else 220 for x in range(width))
                    for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))


def shared_secret(state, name):
    """A random secret per state directory, kept so a restarted server and its peers agree."""
    path = state / name
    if not path.exists():
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


def component_secret(state):
    """A random secret per state directory, kept so a restarted server accepts the same component."""
    path = state / "component.secret"
    if not path.exists():
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


def write_config(state, ports, turn_port):
    path = state / "prosody.cfg.lua"
    path.write_text(global_section(state, ports) + turn_section(state, turn_port) + hosts_section(state))
    return path


# ---------------------------------------------------------------- coturn (TURN and STUN)

def free_udp_and_tcp_port():
    """A port free for both UDP and TCP on HOST: coturn listens on both."""
    for _ in range(50):
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            tcp.bind((HOST, 0))
            port = tcp.getsockname()[1]
            udp.bind((HOST, port))
            return port
        except OSError:
            continue
        finally:
            tcp.close()
            udp.close()
    raise FixtureError("no port free for both UDP and TCP")


def launch_turn(state, port):
    """Starts coturn relaying between loopback peers only; its pid is in STATE/turnserver.pid."""
    (state / "turnserver.log").unlink(missing_ok=True)
    relay_low = 40000 + (port % 2000) * 10
    command = [
        "turnserver", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip", HOST, "--relay-ip", HOST,
        "--listening-port", str(port), "--min-port", str(relay_low), "--max-port", str(relay_low + 9),
        "--use-auth-secret", "--static-auth-secret", shared_secret(state, "turn.secret"),
        "--realm", DOMAIN, "--allow-loopback-peers", "--no-multicast-peers", "--fingerprint",
        "--pidfile", str(state / "turnserver.pid"), "--log-file", str(state / "turnserver.log"),
        "--simple-log", "--no-stdout-log", "--userdb", str(state / "turndb.sqlite"),
    ]
    with open(state / "turnserver.out", "wb") as out:
        process = subprocess.Popen(command, cwd=state, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    (state / "turnserver.pid").write_text(str(process.pid))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise FixtureError(f"coturn exited with status {process.returncode}\n"
                               f"{tail(state / 'turnserver.out')}{tail(state / 'turnserver.log')}")
        if port in listening_ports(process.pid):
            return process.pid
        time.sleep(0.05)
    terminate(process.pid)
    raise FixtureError(f"coturn was not listening on {port} after {START_TIMEOUT_S} s")


def stop_turn(state):
    pid = read_text(state / "turnserver.pid").strip()
    if pid.isdigit() and is_alive(int(pid)):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            return
        if str(state / "turnserver.pid").encode() in cmdline:
            terminate(int(pid))


# ---------------------------------------------------------------- accounts

def account_password(user, prefix=""):
    """Default X-secret-pw; --password-prefix P makes it PX-secret-pw."""
    return f"{prefix}{user}{PASSWORD_SUFFIX}"


def check_username(user):
    if not USERNAME_PATTERN.match(user):
        raise FixtureError(f"invalid account name {user!r} (use lowercase letters, digits, '.', '_', '-')")


def register_command(state, user, password):
    """prosodyctl writes straight to the file storage, so this works whether or not Prosody runs.
    Prosody 13 hides 'register' from its help but keeps it; 'adduser' would prompt for the password."""
    check_username(user)
    return ["prosodyctl", "--config", state / "prosody.cfg.lua", "register", user, DOMAIN, password]


def account(user, password):
    return {"jid": f"{user}@{DOMAIN}", "password": password}


def register_account(state, user, password):
    """Creates USER@natter.test."""
    run(register_command(state, user, password))
    return account(user, password)


def register_accounts(state, users, prefix):
    """Registers all accounts in parallel: each prosodyctl takes a moment to start."""
    commands = [(user, register_command(state, user, account_password(user, prefix))) for user in users]
    jobs = [(user, subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True))
            for user, command in commands]
    failures = {}
    for user, job in jobs:
        output, _ = job.communicate()
        if job.returncode != 0:
            failures[user] = output.strip()
    if failures:
        first = next(iter(failures.values()))
        raise FixtureError(f"could not create accounts {', '.join(failures)}; prosodyctl said:\n{first}")
    return [account(user, account_password(user, prefix)) for user in users]


# ---------------------------------------------------------------- process

def process_state(pid):
    """The one-letter state from /proc/PID/stat, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def is_alive(pid):
    return process_state(pid) not in (None, "Z", "X")


def is_our_prosody(pid, state):
    """True when PID is a live Prosody started with this state dir's config (guards against reused pids)."""
    if not pid or not is_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return False
    return str(state / "prosody.cfg.lua").encode() in cmdline


def launch(state, config):
    """Starts Prosody in its own session, output to STATE/prosody.out, with fresh log files."""
    for name in ("prosody.log", "debug.log"):
        (state / name).unlink(missing_ok=True)
    with open(state / "prosody.out", "wb") as out:
        return subprocess.Popen(["prosody", "-F", "--config", str(config)], cwd=state,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def socket_inodes(pid):
    """Inode numbers of the sockets PID has open, as /proc/net/tcp prints them."""
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except FileNotFoundError:
        pass
    return inodes


def listening_ports(pid):
    """TCP ports in LISTEN state on IPv4 whose sockets belong to PID."""
    inodes = socket_inodes(pid)
    ports = set()
    try:
        lines = Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]
    except FileNotFoundError:
        return ports
    for line in lines:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and inode in inodes:
            ports.add(int(local.split(":")[1], 16))
    return ports


def wait_until_ready(state, process, ports):
    """Waits until Prosody itself listens on every port; raises with the log tail otherwise."""
    wanted = set(ports.values())
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise FixtureError(f"Prosody exited with status {process.returncode} during startup\n" + log_report(state))
        if BIND_FAILURE in read_text(state / "prosody.log"):
            raise PortTaken("Prosody could not bind a port\n" + log_report(state))
        if wanted <= listening_ports(process.pid):
            return
        time.sleep(0.05)
    raise FixtureError(f"Prosody was not listening on all of {sorted(wanted)} after {START_TIMEOUT_S} s\n"
                       + log_report(state))


def log_report(state):
    return (f"--- tail of {state / 'prosody.log'}:\n{tail(state / 'prosody.log')}"
            f"--- tail of {state / 'prosody.out'}:\n{tail(state / 'prosody.out')}")


def terminate(pid):
    """SIGTERM, then SIGKILL after STOP_GRACE_S; returns once the process is gone."""
    for sig, grace in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, 5)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not is_alive(pid):
                return
            time.sleep(0.05)
    raise FixtureError(f"Prosody (pid {pid}) did not exit even after SIGKILL")


def known_pids(state):
    """Candidate pids for this state dir, from server.json and Prosody's own pidfile."""
    pids = []
    info = read_info_if_any(state)
    if info and info.get("pid"):
        pids.append(int(info["pid"]))
    pidfile = read_text(state / "prosody.pid").strip()
    if pidfile.isdigit():
        pids.append(int(pidfile))
    return list(dict.fromkeys(pids))


# ---------------------------------------------------------------- server.json / server.env

def upload_url(ports):
    return f"https://{HOST}:{ports['https']}{UPLOAD_PATH}"


def build_info(state, ports, pid, accounts):
    return {
        "domain": DOMAIN,
        "host": HOST,
        "c2s_port": ports["c2s"],
        "direct_tls_port": ports["direct_tls"],
        "http_port": ports["http"],
        "https_port": ports["https"],
        "proxy65_port": ports["proxy65"],
        "turn_port": ports["turn"],
        "ca_file": str(state / "ca.pem"),
        "rogue_domain": ROGUE_DOMAIN,
        "self_signed_domain": SELF_SIGNED_DOMAIN,
        "invites_domain": INVITES_DOMAIN,
        "captcha_domain": CAPTCHA_DOMAIN,
        "captcha_answer": CAPTCHA_ANSWER,
        "rogue_ca_file": str(state / "rogue-ca.pem"),
        "rogue_fingerprint_sha256": fingerprint_sha256(state / "rogue.pem"),
        "upload_service": UPLOAD_SERVICE,
        "upload_url": upload_url(ports),
        "upload_size_limit": UPLOAD_SIZE_LIMIT,
        "muc_service": MUC_SERVICE,
        "proxy65_service": PROXY65_SERVICE,
        "component_port": ports["component"],
        "component_jid": PEERS_COMPONENT,
        "gateway_jid": GATEWAY_COMPONENT,
        "component_secret_file": str(state / "component.secret"),
        "pid": pid,
        "state_dir": str(state),
        "config_file": str(state / "prosody.cfg.lua"),
        "log_file": str(state / "prosody.log"),
        "accounts": accounts,
    }


ENV_KEYS = {
    "domain": "NATTER_TEST_DOMAIN",
    "host": "NATTER_TEST_HOST",
    "c2s_port": "NATTER_TEST_C2S_PORT",
    "direct_tls_port": "NATTER_TEST_DIRECT_TLS_PORT",
    "http_port": "NATTER_TEST_HTTP_PORT",
    "https_port": "NATTER_TEST_HTTPS_PORT",
    "proxy65_port": "NATTER_TEST_PROXY65_PORT",
    "turn_port": "NATTER_TEST_TURN_PORT",
    "ca_file": "NATTER_TEST_CA_FILE",
    "rogue_domain": "NATTER_TEST_ROGUE_DOMAIN",
    "rogue_ca_file": "NATTER_TEST_ROGUE_CA_FILE",
    "rogue_fingerprint_sha256": "NATTER_TEST_ROGUE_FINGERPRINT",
    "upload_service": "NATTER_TEST_UPLOAD_SERVICE",
    "upload_url": "NATTER_TEST_UPLOAD_URL",
    "upload_size_limit": "NATTER_TEST_UPLOAD_SIZE_LIMIT",
    "muc_service": "NATTER_TEST_MUC_SERVICE",
    "proxy65_service": "NATTER_TEST_PROXY65_SERVICE",
    "pid": "NATTER_TEST_PID",
    "state_dir": "NATTER_TEST_STATE_DIR",
    "config_file": "NATTER_TEST_CONFIG_FILE",
    "log_file": "NATTER_TEST_LOG_FILE",
}


def env_name(user):
    return re.sub(r"[^A-Z0-9]", "_", user.upper())


def env_text(info):
    """KEY=value lines; per account NATTER_TEST_<USER>_JID and _PASSWORD, plus NATTER_TEST_ACCOUNTS."""
    lines = ["# Generated by tests/support/prosody_fixture.py; load with: set -a; . ./server.env; set +a"]
    lines += [f"{name}={shlex.quote(str(info[key]))}" for key, name in ENV_KEYS.items()]
    jids = [account["jid"] for account in info["accounts"]]
    lines.append(f"NATTER_TEST_ACCOUNTS={shlex.quote(' '.join(jids))}")
    for account in info["accounts"]:
        user = env_name(account["jid"].split("@")[0])
        lines.append(f"NATTER_TEST_{user}_JID={shlex.quote(account['jid'])}")
        lines.append(f"NATTER_TEST_{user}_PASSWORD={shlex.quote(account['password'])}")
    return "\n".join(lines) + "\n"


def write_atomically(path, text):
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text)
    temporary.replace(path)


def write_info(state, info):
    write_atomically(state / "server.json", json.dumps(info, indent=2) + "\n")
    write_atomically(state / "server.env", env_text(info))
    return state / "server.json"


def read_info_if_any(state):
    try:
        return json.loads((state / "server.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def read_info(state):
    info = read_info_if_any(state)
    if info is None:
        raise FixtureError(f"no server.json in {state}: run 'start' first")
    return info


# ---------------------------------------------------------------- commands

def clean_previous_run(state):
    """Stops a Prosody left over in this state dir and drops its data and logs."""
    stop(state)
    shutil.rmtree(state / "data", ignore_errors=True)
    for name in ("server.json", "server.env", "prosody.log", "debug.log", "prosody.out", "prosody.pid"):
        (state / name).unlink(missing_ok=True)


def start_once(state, ports, accounts):
    """Starts Prosody with the config written for PORTS; returns the info dict."""
    wanted = {name: port for name, port in ports.items() if name != "turn"}
    process = launch(state, state / "prosody.cfg.lua")
    try:
        wait_until_ready(state, process, wanted)
    except FixtureError:
        terminate(process.pid)
        process.wait()
        raise
    return build_info(state, ports, process.pid, accounts)


def start(state_dir, users=DEFAULT_ACCOUNTS, password_prefix=""):
    """Creates everything in STATE_DIR, starts Prosody and returns the path of server.json."""
    state = Path(state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    clean_previous_run(state)
    (state / "data").mkdir(mode=0o700)
    (state / "certs").mkdir(exist_ok=True)
    make_certificates(state)
    write_captcha_image(state / "captcha.png")
    ports = free_ports(PORT_NAMES)
    ports["turn"] = free_udp_and_tcp_port()
    write_config(state, ports, ports["turn"])
    launch_turn(state, ports["turn"])
    accounts = register_accounts(state, users, password_prefix)
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            info = start_once(state, ports, accounts)
            break
        except PortTaken:
            if attempt == START_ATTEMPTS:
                raise
            print("prosody_fixture: a port was taken meanwhile, retrying with new ones", file=sys.stderr)
            ports = dict(free_ports(PORT_NAMES), turn=ports["turn"])
            write_config(state, ports, ports["turn"])
    return write_info(state, info)


def stop(state_dir):
    """Stops the Prosody of STATE_DIR if it runs; never fails because it was not running."""
    state = Path(state_dir).resolve()
    for pid in known_pids(state):
        if is_our_prosody(pid, state):
            terminate(pid)
    stop_turn(state)


def register(state_dir, user, password, listed=True):
    """Adds USER@natter.test to the server of STATE_DIR and, when listed, to its server.json / server.env
    (unlisted: for tests that change its password or delete it, which fixture_check would then fail on)."""
    state = Path(state_dir).resolve()
    info = read_info(state)
    added = register_account(state, user, password)
    if listed:
        info["accounts"] = [a for a in info["accounts"] if a["jid"] != added["jid"]] + [added]
        write_info(state, info)
    return added


def invite(state_dir, host):
    """An invitation to create one account on HOST (any name), as an xmpp: URI (XEP-0401)."""
    state = Path(state_dir).resolve()
    output = run(["prosodyctl", "--config", state / "prosody.cfg.lua", "shell", "invite", "create_account",
                  host]).stdout
    for word in output.split():
        if word.startswith("xmpp:"):
            return word
    raise FixtureError(f"prosodyctl made no invitation for {host}: {output.strip()}")


def prosody_file_name(text):
    """Prosody's datamanager encoding of host and user names: every other byte than [A-Za-z0-9] as %xx."""
    return "".join(c if c.isascii() and c.isalnum() else "".join(f"%{b:02x}" for b in c.encode()) for c in text)


def write_roster(state_dir, user, items):
    """Replaces USER's roster in Prosody's file storage (USER must not be logged in). ITEMS: dicts with
    jid, and optionally name, groups (list) and subscription (none/to/from/both, default both)."""
    def lua(text):
        return lua_string(text)
    lines = ["return {", "\t[false] = { version = 1; pending = {}; };"]
    for item in items:
        groups = "; ".join(f"[{lua(g)}] = true" for g in item.get("groups", []))
        name = f" name = {lua(item['name'])};" if item.get("name") else ""
        lines.append(f"\t[{lua(item['jid'])}] = {{ subscription = {lua(item.get('subscription', 'both'))};"
                     f"{name} groups = {{ {groups} }}; }};")
    lines.append("};")
    directory = Path(state_dir).resolve() / "data" / prosody_file_name(DOMAIN) / "roster"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / (prosody_file_name(user) + ".dat")).write_text("\n".join(lines) + "\n")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Throwaway Prosody 13 server for Natter's tests.")
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="create STATE_DIR, start Prosody, print the server.json path")
    start_parser.add_argument("state_dir")
    start_parser.add_argument("--accounts", default=",".join(DEFAULT_ACCOUNTS),
                              help="comma-separated account names (default: %(default)s)")
    start_parser.add_argument("--password-prefix", default="",
                              help="password of account X is PREFIX + X + '-secret-pw' (default prefix: empty)")
    stop_parser = commands.add_parser("stop", help="stop the Prosody of STATE_DIR")
    stop_parser.add_argument("state_dir")
    register_parser = commands.add_parser("register", help="create one more account")
    register_parser.add_argument("state_dir")
    register_parser.add_argument("user")
    register_parser.add_argument("password")
    register_parser.add_argument("--unlisted", action="store_true",
                                 help="keep it out of server.json (a test will change or delete it)")
    invite_parser = commands.add_parser("invite", help="print an invitation URI to create an account on HOST")
    invite_parser.add_argument("state_dir")
    invite_parser.add_argument("host")
    roster_parser = commands.add_parser(
        "roster", help="replace USER's roster with the JSON list on stdin ({jid, name, groups, subscription})")
    roster_parser.add_argument("state_dir")
    roster_parser.add_argument("user")
    info_parser = commands.add_parser("info", help="print server.json")
    info_parser.add_argument("state_dir")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "start":
            users = [user.strip() for user in args.accounts.split(",") if user.strip()]
            print(start(args.state_dir, users, args.password_prefix))
        elif args.command == "stop":
            stop(args.state_dir)
        elif args.command == "register":
            print(register(args.state_dir, args.user, args.password, not args.unlisted)["jid"])
        elif args.command == "invite":
            print(invite(args.state_dir, args.host))
        elif args.command == "roster":
            write_roster(args.state_dir, args.user, json.load(sys.stdin))
        elif args.command == "info":
            print(json.dumps(read_info(Path(args.state_dir).resolve()), indent=2))
    except FixtureError as error:
        print(f"prosody_fixture: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

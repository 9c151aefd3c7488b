#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A tiny DNS server for tests: answers SRV and A queries from a JSON file that the test rewrites at will.
# Usage: fake_dns.py ADDRESS RECORDS_JSON [QUERIES_LOG]
#   QUERIES_LOG: each question asked is appended as "name type" (a test can check that none was asked).
#   RECORDS_JSON: {"srv": {"_xmpp-client._tcp.natter.test": [[priority, weight, port, "target"]], …},
#                  "a": {"xmpp.natter.test": "127.0.0.1", …}}
import json
import socket
import struct
import sys

NOERROR, NXDOMAIN = 0, 3
TYPE_A, TYPE_SRV = 1, 33


def read_name(packet, offset):
    labels = []
    while packet[offset]:
        length = packet[offset]
        labels.append(packet[offset + 1:offset + 1 + length].decode("ascii"))
        offset += length + 1
    return ".".join(labels).lower(), offset + 1


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def answers_for(records, name, qtype):
    if qtype == TYPE_SRV:
        for priority, weight, port, target in records.get("srv", {}).get(name, []):
            data = struct.pack("!HHH", priority, weight, port) + encode_name(target)
            yield struct.pack("!HHIH", TYPE_SRV, 1, 5, len(data)) + data
    elif qtype == TYPE_A and name in records.get("a", {}):
        data = socket.inet_aton(records["a"][name])
        yield struct.pack("!HHIH", TYPE_A, 1, 5, len(data)) + data


def known(records, name):
    return name in records.get("srv", {}) or name in records.get("a", {})


def respond(packet, records, queries_log):
    ident, _flags, qdcount = struct.unpack("!HHH", packet[:6])
    if qdcount != 1:
        return None
    name, offset = read_name(packet, 12)
    qtype, _qclass = struct.unpack("!HH", packet[offset:offset + 4])
    if queries_log:
        with open(queries_log, "a", encoding="utf-8") as f:
            f.write(f"{name} {qtype}\n")
    question = packet[12:offset + 4]
    answers = list(answers_for(records, name, qtype))
    rcode = NOERROR if answers or known(records, name) else NXDOMAIN
    flags = 0x8400 | rcode  # response, authoritative
    header = struct.pack("!HHHHHH", ident, flags, 1, len(answers), 0, 0)
    # Each answer's name points back at the question's name (offset 12).
    return header + question + b"".join(b"\xc0\x0c" + answer for answer in answers)


def main():
    address, records_file = sys.argv[1], sys.argv[2]
    queries_log = sys.argv[3] if len(sys.argv) > 3 else None
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((address, 53))
    print("ready", flush=True)
    while True:
        packet, peer = server.recvfrom(4096)
        try:
            with open(records_file, encoding="utf-8") as f:
                records = json.load(f)
            reply = respond(packet, records, queries_log)
        except (OSError, ValueError, IndexError, struct.error) as error:
            print(f"fake_dns: {error}", file=sys.stderr, flush=True)
            continue
        if reply:
            server.sendto(reply, peer)


if __name__ == "__main__":
    main()

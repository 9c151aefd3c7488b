#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A SOCKS5 (RFC 1928, with RFC 1929 user name and password) or HTTP CONNECT proxy for tests, standing in for
# Tor and for a company proxy. It never resolves a name: each requested destination must be in the map given
# on the command line (a name the test made up, such as an .onion address, works), and every request is
# logged, so a test can tell what went through it and how the destination was named.
#
# Usage: test_proxy.py socks5|http LOG_FILE [--user NAME --password SECRET] DESTINATION=ADDRESS[:PORT] ...
#   DESTINATION is "host" (any port, kept) or "host:port". Prints "port N" once it listens on 127.0.0.1.
# Log lines: "<kind> <host> <port> <outcome>", kind "domain", "ipv4" or "ipv6" (SOCKS5) or "http",
# outcome "ok", "unmapped", "unreachable" or "auth-failed".
import argparse
import asyncio
import base64
import ipaddress
import struct
import sys


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("protocol", choices=["socks5", "http"])
    parser.add_argument("log")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("mapping", nargs="*")
    args = parser.parse_intermixed_args()
    routes = {}
    for item in args.mapping:
        destination, _, target = item.partition("=")
        address, _, port = target.partition(":")
        routes[destination.lower()] = (address, int(port) if port else None)
    return args, routes


class Proxy:
    def __init__(self, args, routes):
        self.args = args
        self.routes = routes

    def log(self, kind, host, port, outcome):
        with open(self.args.log, "a", encoding="utf-8") as f:
            f.write(f"{kind} {host} {port} {outcome}\n")

    def route(self, host, port):
        target = self.routes.get(f"{host.lower()}:{port}") or self.routes.get(host.lower())
        if not target:
            return None
        address, mapped_port = target
        return address, mapped_port or port

    async def open(self, kind, host, port):
        target = self.route(host, port)
        if not target:
            self.log(kind, host, port, "unmapped")
            return None
        try:
            streams = await asyncio.open_connection(*target)
        except OSError:
            self.log(kind, host, port, "unreachable")
            return None
        self.log(kind, host, port, "ok")
        return streams

    async def handle(self, reader, writer):
        try:
            if self.args.protocol == "socks5":
                upstream = await self.socks5(reader, writer)
            else:
                upstream = await self.http(reader, writer)
            if upstream:
                await relay(reader, writer, *upstream)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def socks5(self, reader, writer):
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 5:
            return None
        wanted = 2 if self.args.user else 0
        if wanted not in methods:
            writer.write(b"\x05\xff")
            return None
        writer.write(bytes([5, wanted]))
        if wanted == 2:
            _, length = await reader.readexactly(2)
            user = (await reader.readexactly(length)).decode()
            (length,) = await reader.readexactly(1)
            password = (await reader.readexactly(length)).decode()
            if (user, password) != (self.args.user, self.args.password):
                self.log("auth", user, 0, "auth-failed")
                writer.write(b"\x01\x01")
                return None
            writer.write(b"\x01\x00")
        _, command, _, atyp = await reader.readexactly(4)
        if atyp == 3:
            (length,) = await reader.readexactly(1)
            host, kind = (await reader.readexactly(length)).decode(), "domain"
        elif atyp == 1:
            host, kind = str(ipaddress.IPv4Address(await reader.readexactly(4))), "ipv4"
        elif atyp == 4:
            host, kind = str(ipaddress.IPv6Address(await reader.readexactly(16))), "ipv6"
        else:
            return None
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        upstream = await self.open(kind, host, port) if command == 1 else None
        reply = 0 if upstream else 4  # succeeded, or host unreachable
        writer.write(bytes([5, reply, 0, 1, 0, 0, 0, 0, 0, 0]))
        return upstream

    async def http(self, reader, writer):
        # A refusal asking for credentials keeps the connection open for the next try, as real proxies do
        # (clients such as Qt's send the credentials on the same connection).
        for _ in range(3):
            request = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            method, target, _ = request[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (line.partition(":") for line in request[1:] if line)}
            if method != "CONNECT":
                writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return None
            if self.args.user:
                expected = "Basic " + base64.b64encode(f"{self.args.user}:{self.args.password}".encode()).decode()
                if headers.get("proxy-authorization") != expected:
                    if "proxy-authorization" in headers:
                        self.log("auth", self.args.user, 0, "auth-failed")
                    writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                 b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                    await writer.drain()
                    continue
            host, _, port = target.rpartition(":")
            upstream = await self.open("http", host.strip("[]"), int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n" if upstream
                         else b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return upstream
        return None


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def relay(client_reader, client_writer, upstream_reader, upstream_writer):
    await client_writer.drain()
    await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))


async def main():
    args, routes = parse_args()
    proxy = Proxy(args, routes)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)

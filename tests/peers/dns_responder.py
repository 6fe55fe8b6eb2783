#!/usr/bin/env python3
"""A tiny authoritative DNS responder for the VM test (issue 17): an independent peer, not guestguard code.

It answers A and AAAA queries (RFC 1035 §4.1, RFC 3596) for the names it is given, over UDP, and nothing
else: another type of a known name gets an empty NOERROR answer, an unknown name NXDOMAIN, anything that
is not a standard query FORMERR or NOTIMP. It stands for the host-controlled resolver of the guest's
network (QEMU user networking forwards the guest's packets for the host alias to the host's loopback).

    dns_responder.py --listen 127.0.0.1 [--listen ::1] [--port 53] --log FILE NAME=ADDRESS ...

Prints "dns responder listening on HOST:PORT" per address, then serves until killed. Appends one line per
query to --log: "QNAME QTYPE RCODE ANSWERS". Loopback only.
"""
import argparse
import ipaddress
import socket
import struct
import sys
import threading

TYPES = {1: "A", 28: "AAAA"}


def parse_question(packet):
    """The first question's name (lower case), type and class, and where it ends."""
    labels, offset = [], 12
    while True:
        length = packet[offset]
        if length == 0:
            offset += 1
            break
        if length & 0xC0:
            raise ValueError("compression in a question")
        labels.append(packet[offset + 1:offset + 1 + length].decode("ascii").lower())
        offset += 1 + length
    qtype, qclass = struct.unpack("!HH", packet[offset:offset + 4])
    return ".".join(labels), qtype, qclass, offset + 4


def answer(packet, records):
    ident, flags, qdcount = struct.unpack("!HHH", packet[:6])
    opcode = (flags >> 11) & 0xF
    rd = flags & 0x0100
    try:
        name, qtype, qclass, end = parse_question(packet)
    except (ValueError, IndexError, UnicodeDecodeError, struct.error):
        return struct.pack("!HHHHHH", ident, 0x8000 | rd | 1, 0, 0, 0, 0), ("?", "?", "FORMERR", 0)
    question = packet[12:end]
    if opcode != 0 or qdcount != 1 or qclass != 1:
        return struct.pack("!HHHHHH", ident, 0x8000 | rd | 4, 1, 0, 0, 0) + question, (name, qtype, "NOTIMP", 0)
    if name not in records:
        return struct.pack("!HHHHHH", ident, 0x8400 | rd | 3, 1, 0, 0, 0) + question, (name, TYPES.get(qtype, qtype), "NXDOMAIN", 0)
    rdatas = [a.packed for a in records[name] if (qtype == 1 and a.version == 4) or (qtype == 28 and a.version == 6)]
    body = b"".join(struct.pack("!HHHIH", 0xC00C, qtype, 1, 60, len(r)) + r for r in rdatas)
    return struct.pack("!HHHHHH", ident, 0x8400 | rd, 1, len(rdatas), 0, 0) + question + body, (name, TYPES.get(qtype, qtype), "NOERROR", len(rdatas))


def serve(sock, records, log, lock):
    while True:
        packet, peer = sock.recvfrom(512)
        if len(packet) < 12 or packet[2] & 0x80:
            continue
        reply, (name, qtype, rcode, count) = answer(packet, records)
        sock.sendto(reply, peer)
        with lock, open(log, "a") as out:
            out.write("%s %s %s %d\n" % (name, qtype, rcode, count))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", action="append", required=True)
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--log", required=True)
    parser.add_argument("records", nargs="+", help="NAME=ADDRESS (repeat a name for several addresses)")
    args = parser.parse_args()
    records = {}
    for record in args.records:
        name, address = record.split("=", 1)
        records.setdefault(name.lower().rstrip("."), []).append(ipaddress.ip_address(address))
    lock = threading.Lock()
    threads = []
    for host in args.listen:
        if not ipaddress.ip_address(host).is_loopback:
            sys.exit("dns_responder: %s is not a loopback address" % host)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.bind((host, args.port))
        print("dns responder listening on %s:%d" % (host, sock.getsockname()[1]), flush=True)
        thread = threading.Thread(target=serve, args=(sock, records, args.log, lock), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()

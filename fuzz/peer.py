#!/usr/bin/env python3
"""Independent reference implementations for guestguard's differential fuzz targets (docs/fuzzing.md).

GuestGuardFuzz starts one `python3 fuzz/peer.py` per fuzzing process and talks to it over a pipe:
request = 1 kind byte + u32 little-endian length + payload; reply = u32 little-endian length + UTF-8 text.
Kinds:
  J  JSON text -> RFC 8785 canonical bytes (Python json + Trail of Bits `rfc8785`), hex; or ERROR
  T  TOML text -> values (Python `tomllib`) as compact JSON, members sorted by UTF-16 code units,
     integers exact, RFC 8785 string escaping; ERROR; or UNSUPPORTED <what> (floats, dates, ...)
  R  SNP attestation report -> its fields by a struct-based parse of the layout in
     shared/docs/snp-abi.md ("OK k=v ..."), or ERROR <why>
  B  mode byte (s = RFC 4648 §4 base64, padded; u = §5 base64url, unpadded) + text -> hex of the
     decoded bytes under the strict rule (alphabet only, padding exactly as the mode says, and the
     text is the canonical encoding of what it decodes to); or ERROR
"""
import base64
import datetime
import json
import struct
import sys
import tomllib

import rfc8785


def js_int(text):
    value = int(text)
    return value if abs(value) <= 2**53 - 1 else float(text)


def no_constants(name):
    raise ValueError(name)


def no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate member " + key)
        result[key] = value
    return result


def canonical_json(payload):
    try:
        text = payload.decode("utf-8")
        value = json.loads(text, parse_int=js_int, parse_constant=no_constants, object_pairs_hook=no_duplicates)
        return rfc8785.dumps(value).hex()
    except Exception:
        return "ERROR"


ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def json_string(text):
    out = []
    for ch in text:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def render(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, float):
        raise TypeError("float")
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        raise TypeError("datetime")
    if isinstance(value, list):
        return "[" + ",".join(render(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json_string(k) + ":" + render(value[k]) for k in keys) + "}"
    raise TypeError(type(value).__name__)


def toml_values(payload):
    try:
        value = tomllib.loads(payload.decode("utf-8"))
    except Exception:
        return "ERROR"
    try:
        return render(value)
    except TypeError as error:
        return "UNSUPPORTED " + str(error)
    except RecursionError:
        return "UNSUPPORTED depth"


def report_fields(data):
    """SEV-SNP ATTESTATION_REPORT, shared/docs/snp-abi.md section 'ATTESTATION_REPORT' (0x4A0 bytes)."""
    if len(data) != 0x4A0:
        return "ERROR size"
    version, guest_svn, policy = struct.unpack_from("<IIQ", data, 0x00)
    if version not in (2, 3, 5):
        return "ERROR version"
    if not policy & (1 << 17):
        return "ERROR policy bit 17"
    if policy >> 26:
        return "ERROR policy reserved"
    vmpl, sig_algo, current_tcb, platform_info, key_info = struct.unpack_from("<IIQQI", data, 0x030)
    if sig_algo != 1:
        return "ERROR signature algorithm"
    if key_info >> 5:
        return "ERROR key info reserved"
    if (key_info >> 2) & 7 not in (0, 1, 7):
        return "ERROR signing key"

    def zero(start, end):
        return all(b == 0 for b in data[start:end])

    mbz = [(0x04C, 0x050), (0x1EB, 0x1EC), (0x1EF, 0x1F0), (0x2A0 + 48, 0x2E8), (0x2E8 + 48, 0x330), (0x330, 0x4A0)]
    mbz.append((0x18B, 0x1A0) if version >= 3 else (0x188, 0x1A0))
    mbz.append((0x208, 0x2A0) if version >= 5 else (0x1F8, 0x2A0))
    for start, end in mbz:
        if not zero(start, end):
            return "ERROR reserved 0x%x" % start
    fields = [
        ("version", version), ("guest_svn", guest_svn), ("policy", "%x" % policy),
        ("family_id", data[0x10:0x20].hex()), ("image_id", data[0x20:0x30].hex()), ("vmpl", vmpl),
        ("signature_algo", sig_algo), ("current_tcb", "%x" % current_tcb), ("platform_info", "%x" % platform_info),
        ("key_info", "%x" % key_info), ("report_data", data[0x50:0x90].hex()), ("measurement", data[0x90:0xC0].hex()),
        ("host_data", data[0xC0:0xE0].hex()), ("id_key_digest", data[0xE0:0x110].hex()),
        ("author_key_digest", data[0x110:0x140].hex()), ("report_id", data[0x140:0x160].hex()),
        ("report_id_ma", data[0x160:0x180].hex()), ("reported_tcb", "%x" % struct.unpack_from("<Q", data, 0x180)[0]),
        ("cpuid", "%d/%d/%d" % tuple(data[0x188:0x18B]) if version >= 3 else "-"),
        ("chip_id", data[0x1A0:0x1E0].hex()), ("committed_tcb", "%x" % struct.unpack_from("<Q", data, 0x1E0)[0]),
        ("current_fw", "%d.%d.%d" % (data[0x1EA], data[0x1E9], data[0x1E8])),
        ("committed_fw", "%d.%d.%d" % (data[0x1EE], data[0x1ED], data[0x1EC])),
        ("launch_tcb", "%x" % struct.unpack_from("<Q", data, 0x1F0)[0]),
        ("launch_mit", "%x" % struct.unpack_from("<Q", data, 0x1F8)[0] if version >= 5 else "-"),
        ("current_mit", "%x" % struct.unpack_from("<Q", data, 0x200)[0] if version >= 5 else "-"),
        ("signature_r", data[0x2A0:0x2E8].hex()), ("signature_s", data[0x2E8:0x330].hex()),
    ]
    return "OK " + " ".join("%s=%s" % (k, v) for k, v in fields)


STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
URL = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def strict_base64(payload):
    mode, text = payload[:1], payload[1:]
    if mode == b"s":
        body = text.rstrip(b"=") if text.endswith(b"=") else text
        if len(text) % 4 or len(text) - len(body) > 2 or any(c not in STANDARD for c in body):
            return "ERROR"
        decoded = base64.b64decode(text, validate=True)
        return decoded.hex() if base64.b64encode(decoded) == text else "ERROR"
    if mode == b"u":
        if len(text) % 4 == 1 or any(c not in URL for c in text):
            return "ERROR"
        decoded = base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))
        return decoded.hex() if base64.urlsafe_b64encode(decoded).rstrip(b"=") == text else "ERROR"
    return "ERROR mode"


HANDLERS = {ord("J"): canonical_json, ord("T"): toml_values, ord("R"): report_fields, ord("B"): strict_base64}


def main():
    sys.setrecursionlimit(10000)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = source.read(5)
        if len(header) < 5:
            return
        (length,) = struct.unpack("<I", header[1:])
        payload = source.read(length)
        reply = HANDLERS[header[0]](payload).encode("utf-8")
        sink.write(struct.pack("<I", len(reply)) + reply)
        sink.flush()


if __name__ == "__main__":
    main()

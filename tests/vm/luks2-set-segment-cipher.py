#!/usr/bin/env python3
"""Rewrite the encryption of LUKS2 segment 0 in both binary headers of IMAGE (and fix their
SHA-256 checksums), as a hostile host could: `luks2-set-segment-cipher.py IMAGE cipher_null-ecb`.
cryptsetup luksFormat refuses cipher_null without device-mapper, so the test edits a real header."""
import hashlib, json, struct, sys

path, cipher = sys.argv[1], sys.argv[2]
with open(path, "r+b") as f:
    primary = f.read(4096)
    assert primary[:6] == b"LUKS\xba\xbe", "not a LUKS2 primary header"
    hdr_size = struct.unpack(">Q", primary[8:16])[0]
    for offset in (0, hdr_size):
        f.seek(offset)
        area = bytearray(f.read(hdr_size))
        assert area[:6] in (b"LUKS\xba\xbe", b"SKUL\xba\xbe"), "bad magic at %d" % offset
        text = bytes(area[4096:]).split(b"\0", 1)[0]
        metadata = json.loads(text)
        metadata["segments"]["0"]["encryption"] = cipher
        new = json.dumps(metadata, separators=(",", ":")).encode()
        assert len(new) < hdr_size - 4096, "JSON does not fit"
        area[4096:] = new + b"\0" * (hdr_size - 4096 - len(new))
        area[448:448 + 64] = b"\0" * 64
        area[448:448 + 32] = hashlib.sha256(bytes(area)).digest()
        f.seek(offset)
        f.write(area)

"""Edit the JSON metadata of a LUKS2 image in both binary headers and fix their SHA-256 checksums,
as a hostile host can (the header is not bound to any key): rewrite(path, edit) calls edit(metadata)
on each copy's parsed JSON and writes the result back."""
import hashlib, json, struct


def rewrite(path, edit):
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
            edit(metadata)
            new = json.dumps(metadata, separators=(",", ":")).encode()
            assert len(new) < hdr_size - 4096, "JSON does not fit"
            area[4096:] = new + b"\0" * (hdr_size - 4096 - len(new))
            area[448:448 + 64] = b"\0" * 64
            area[448:448 + 32] = hashlib.sha256(bytes(area)).digest()
            f.seek(offset)
            f.write(area)

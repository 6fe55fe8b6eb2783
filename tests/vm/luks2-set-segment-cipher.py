#!/usr/bin/env python3
"""Rewrite the encryption of LUKS2 segment 0 in both binary headers of IMAGE (and fix their
SHA-256 checksums), as a hostile host could: `luks2-set-segment-cipher.py IMAGE cipher_null-ecb`.
cryptsetup luksFormat refuses cipher_null without device-mapper, so the test edits a real header."""
import sys
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from luks2_header import rewrite  # noqa: E402

path, cipher = sys.argv[1], sys.argv[2]
rewrite(path, lambda metadata: metadata["segments"]["0"].__setitem__("encryption", cipher))

#!/usr/bin/env python3
"""Set the persistent activation flags (`config.flags`) in both binary headers of IMAGE, as a
hostile host could (what `cryptsetup refresh --persistent --allow-discards` writes, without
needing device-mapper): `luks2-set-config-flags.py IMAGE allow-discards [FLAG ...]`."""
import sys
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from luks2_header import rewrite  # noqa: E402

path, flags = sys.argv[1], sys.argv[2:]
rewrite(path, lambda metadata: metadata["config"].__setitem__("flags", flags))

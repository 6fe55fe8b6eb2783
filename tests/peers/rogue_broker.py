#!/usr/bin/env python3
"""A rogue key broker, as a hostile host runs it (issue 12): an independent peer, not guestguard code.

It speaks Trustee KBS 0.4.0 (/kbs/v0/auth, /attest, /resource) with its OWN TLS certificate (or plain
http), accepts any evidence, reads runtime-data.tee-pubkey from the guest's /attest body, and answers
/resource with a JWE (jwcrypto) of a key IT chose, sealed to that public key. The guest can open that
JWE: sealing gives secrecy, not origin. Only the broker's authentication (a pin or CA from a source the
host cannot write) stops it.

    rogue_broker.py --rogue-key FILE --log FILE [--cert PEM --key PEM] [--listen 127.0.0.1] [--port 0]

Prints "rogue broker listening on https://HOST:PORT" (http without --cert), then serves until killed.
Appends one JSON line per request to --log ({"step": "auth" | "attest" | "resource", ...}).
Loopback (or a test's own network namespace) only.
"""
import argparse
import base64
import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jwcrypto import jwe, jwk


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rogue-key", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--listen", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with open(args.rogue_key, "rb") as f:
        rogue_key = f.read()
    lock = threading.Lock()
    sessions = {}

    def log(event):
        with lock, open(args.log, "a") as f:
            f.write(json.dumps(event, sort_keys=True) + "\n")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def reply(self, status, body, headers=()):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def session(self):
            for part in (self.headers.get("Cookie") or "").split(";"):
                name, _, value = part.strip().partition("=")
                if name == "kbs-session-id":
                    return value
            return None

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/kbs/v0/auth":
                session = os.urandom(16).hex()
                with lock:
                    sessions[session] = None
                log({"step": "auth"})
                nonce = base64.b64encode(os.urandom(32)).decode()
                self.reply(200, {"nonce": nonce, "extra-params": ""}, [("Set-Cookie", "kbs-session-id=%s; Path=/kbs/v0" % session)])
            elif self.path == "/kbs/v0/attest":
                tee_pubkey = json.loads(body)["runtime-data"]["tee-pubkey"]
                with lock:
                    sessions[self.session()] = tee_pubkey
                log({"step": "attest", "tee-pubkey": tee_pubkey})
                self.reply(200, {"token": "rogue"})
            else:
                self.reply(404, {"type": "https://github.com/confidential-containers/kbs/errors/InvalidRequest", "detail": "no"})

        def do_GET(self):
            with lock:
                tee_pubkey = sessions.get(self.session())
            if not self.path.startswith("/kbs/v0/resource/") or tee_pubkey is None:
                self.reply(401, {"type": "https://github.com/confidential-containers/kbs/errors/TokenNotFound", "detail": "no"})
                return
            token = jwe.JWE(rogue_key, protected=json.dumps({"alg": tee_pubkey["alg"], "enc": "A256GCM"}))
            token.add_recipient(jwk.JWK(**tee_pubkey))
            parts = token.serialize(compact=True).split(".")
            log({"step": "resource", "path": self.path, "sealed-to": tee_pubkey})
            self.reply(200, dict(zip(["protected", "encrypted_key", "iv", "ciphertext", "tag"], parts)))

    server = ThreadingHTTPServer((args.listen, args.port), Handler)
    scheme = "http"
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    print("rogue broker listening on %s://%s:%d" % (scheme, args.listen, server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()

"""A real SMTP server (aiosmtpd) for the email channel's tests.

It listens on 127.0.0.1 on a free port and prints "port N" once ready.
Every accepted message is written to --dir as N.eml (the raw message) and
N.json (envelope and session facts). A recipient whose local part is
"reject-NNN" is refused with reply code NNN. It exits when its standard
input closes, so it never outlives the test that started it.
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import re
import ssl
import sys
import uuid

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

REJECT = re.compile(r"^reject-([45]\d\d)@", re.IGNORECASE)


class Handler:
    def __init__(self, outdir, user, password):
        self.outdir = outdir
        self.user = user.encode()
        self.password = password.encode()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        m = REJECT.match(address)
        if m:
            code = m.group(1)
            return f"{code} {code[0]}.1.1 <{address}>: rejected by the test server"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        auth = session.auth_data
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": auth.login.decode() if auth is not None else "",
        }
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 OK: queued"

    async def auth_CRAM__MD5(self, server, args):
        challenge = f"<{uuid.uuid4().hex}@picket-test>".encode()
        reply = await server.challenge_auth(challenge)
        if not isinstance(reply, bytes) or b" " not in reply:
            return AuthResult(success=False, handled=False)
        user, digest = reply.rsplit(b" ", 1)
        want = hmac.new(self.password, challenge, hashlib.md5).hexdigest().encode()
        ok = user == self.user and hmac.compare_digest(digest, want)
        return AuthResult(success=ok, handled=False, auth_data=LoginPassword(user, b""))

    def authenticate(self, server, session, envelope, mechanism, data):
        ok = (isinstance(data, LoginPassword) and data.login == self.user
              and data.password == self.password)
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


def tls_context(args):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user", default="picket")
    p.add_argument("--password", default="")
    args = p.parse_args()

    handler = Handler(args.dir, args.user, args.password)
    kwargs = {"hostname": "smtp.picket.test", "authenticator": handler.authenticate}
    listen_ssl = None
    if args.mode == "starttls":
        kwargs["tls_context"] = tls_context(args)
    elif args.mode == "tls":
        listen_ssl = tls_context(args)
        # aiosmtpd counts only STARTTLS as TLS when it guards AUTH; this
        # connection is TLS from its first byte.
        kwargs["auth_require_tls"] = False
    else:
        kwargs["auth_require_tls"] = False

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, loop=loop, **kwargs), "127.0.0.1", 0, ssl=listen_ssl))
    print("port", server.sockets[0].getsockname()[1], flush=True)

    def stdin_closed():
        if not sys.stdin.buffer.read1(1024):
            loop.stop()

    loop.add_reader(sys.stdin.fileno(), stdin_closed)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()

"""An SMTP relay's stand-in for system tests: STARTTLS before anything else, then AUTH (PLAIN or
LOGIN) checked against one login and password, then each message appended to a file after a line
naming the login it came in with and its envelope.

    python3 smtp-sink.py MBOX CERT KEY LOGIN PASSWORD_FILE PORT
"""
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

mbox, cert, key, login, password_file, port = sys.argv[1:7]
with open(password_file) as f:
    password = f.read().strip()


def authenticate(server, session, envelope, mechanism, data):
    ok = (isinstance(data, LoginPassword) and data.login.decode() == login
          and data.password.decode() == password)
    return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        who = session.auth_data.login.decode() if session.auth_data else "-"
        with open(mbox, "a") as out:
            out.write(f"== AUTH {who} FROM {envelope.mail_from} TO {' '.join(envelope.rcpt_tos)}\n")
            out.write(envelope.content.decode("utf8", "replace"))
            out.write("\n")
        return "250 OK"


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
Controller(Sink(), hostname="0.0.0.0", port=int(port), tls_context=context,
           require_starttls=True, authenticator=authenticate, auth_required=True).start()
print("listening", flush=True)
while True:
    time.sleep(3600)

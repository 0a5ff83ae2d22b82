#!/usr/bin/env python3
"""A small RFC 3161 time-stamping server for tests: each POSTed TimeStampReq is answered by
`openssl ts -reply` with the test PKI's TSA key.

    tsa-server.py PORT PKI_DIR
"""
import http.server, os, subprocess, sys, tempfile

port, pki = int(sys.argv[1]), sys.argv[2]
config = os.path.join(pki, "tsa.cnf")
with open(config, "w") as handle:
    handle.write(f"""[tsa]
default_tsa = tsa_config
[tsa_config]
dir = {pki}
serial = {pki}/tsa-serial
signer_cert = {pki}/tsa.pem
certs = {pki}/tsa-chain.pem
signer_key = {pki}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ess_cert_id_alg = sha256
ess_cert_id_chain = no
""")
if not os.path.exists(os.path.join(pki, "tsa-serial")):
    with open(os.path.join(pki, "tsa-serial"), "w") as handle:
        handle.write("01\n")

class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with tempfile.TemporaryDirectory() as work:
            query, reply = os.path.join(work, "query.tsq"), os.path.join(work, "reply.tsr")
            with open(query, "wb") as handle:
                handle.write(body)
            run = subprocess.run(["openssl", "ts", "-reply", "-config", config, "-queryfile", query, "-out", reply],
                                 capture_output=True)
            if run.returncode != 0:
                self.send_response(500)
                self.end_headers()
                return
            with open(reply, "rb") as handle:
                answer = handle.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()

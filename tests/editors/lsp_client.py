"""lsp_client.py — a scripted Language Server Protocol client over a real nasls process (stdio),
for the tests: framing, requests with their responses, notifications collected on the side,
and a deadline on every wait so a hanging server fails the test instead of blocking it."""
import json, os, select, subprocess, time


class Client:
    def __init__(self, nasls, args=(), cwd=None, env=None):
        self.p = subprocess.Popen([nasls] + list(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.buf = b""
        self.next_id = 1
        self.notes = []  # notifications not consumed yet

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read(self, deadline):
        """The next message from the server, or None at EOF; raises TimeoutError."""
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                head = self.buf[:end].decode("ascii")
                n = [int(l.split(":")[1]) for l in head.split("\r\n") if l.lower().startswith("content-length")]
                assert len(n) == 1, "bad header from the server: %r" % head
                if len(self.buf) >= end + 4 + n[0]:
                    body = self.buf[end + 4:end + 4 + n[0]]
                    self.buf = self.buf[end + 4 + n[0]:]
                    return json.loads(body.decode("utf-8"))  # strict: the server must send valid UTF-8
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("nasls did not answer in time")
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buf += chunk

    def request(self, method, params=None, timeout=20):
        i = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": i, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.wait_response(i, timeout)

    def wait_response(self, i, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m is None:
                raise EOFError("nasls exited (status %s) before answering %r:\n%s" %
                               (self.p.wait(), i, self.p.stderr.read().decode("utf-8", "replace")[-4000:]))
            if "method" in m and "id" not in m:
                self.notes.append(m)
            elif m.get("id") == i:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, timeout=20, version=None):
        """The next publishDiagnostics for uri (version: at least that one)."""
        deadline = time.monotonic() + timeout
        while True:
            for k, m in enumerate(self.notes):
                p = m.get("params", {})
                if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri and \
                        (version is None or p.get("version", -1) >= version):
                    del self.notes[:k + 1]
                    return p["diagnostics"]
            m = self._read(deadline)
            if m is None:
                raise EOFError("nasls exited before publishing diagnostics for " + uri)
            self.notes.append(m)

    def initialize(self):
        r = self.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})
        return r["result"]

    def open(self, uri, text, version=1):
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "nas", "version": version, "text": text}})

    def close(self):
        """shutdown + exit; returns the exit status (must be 0)."""
        self.request("shutdown")
        self.notify("exit", None)
        try:
            return self.p.wait(timeout=10)
        finally:
            self.p.stdin.close()
            self.p.stdout.close()
            self.p.stderr.close()


def uri_of(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))

"""An HTTPS server on 127.0.0.1 that sends one fixed response to every request.

The simulator produces the responses the endpoint documents. This server covers the
rest: codes the simulator never returns (-91, -43, -160, positive codes) and odd
responses such as a redirect without a ``Location`` header. Its certificates come
from the ``openssl`` command, signed by a throwaway CA.
"""

from __future__ import annotations

import http.server
import pathlib
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from types import TracebackType


def generate_certificates(directory: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, pathlib.Path]:
    """Create a CA and a server certificate for 127.0.0.1, and return the paths of the
    CA, the certificate and its key."""
    ca_key, ca = directory / "ca.key", directory / "ca.pem"
    key, request, certificate = directory / "server.key", directory / "server.csr", directory / "server.pem"
    extensions = directory / "server.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    commands = [
        ["openssl", "req", "-x509", *new_key, "-keyout", ca_key, "-out", ca, "-days", "2"]
        + ["-subj", "/CN=scripted test CA", "-addext", "basicConstraints=critical,CA:TRUE"]
        + ["-addext", "keyUsage=critical,keyCertSign"],
        ["openssl", "req", *new_key, "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"],
        ["openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial"]
        + ["-out", certificate, "-days", "2", "-extfile", extensions],
    ]
    for command in commands:
        subprocess.run([str(part) for part in command], check=True, capture_output=True)
    return ca, certificate, key


@dataclass
class ReceivedRequest:
    """One request as the scripted server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class ScriptedServer:
    """Sends ``body`` with ``status`` and ``headers`` to every POST until closed."""

    certificate: pathlib.Path
    key: pathlib.Path
    body: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    received: list[ReceivedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                headers = {name.lower(): value for name, value in self.headers.items()}
                server.received.append(ReceivedRequest(self.command, self.path, headers, body))

                encoded = server.body.encode()
                self.send_response(server.status)
                for name, value in server.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: object) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, self.key)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        # A short poll interval keeps close(), which waits for the next poll, fast.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        port = self._server.server_address[1]
        return f"https://127.0.0.1:{port}/products/!AutoRevokeCertificate"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> ScriptedServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

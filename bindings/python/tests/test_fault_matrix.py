"""The fault matrix (``tests/fault_matrix.json`` at the repository root) through the
Python API.

Each case's server behaviour is set up on loopback: the simulator with a fault or a
broken certificate, a listener that never completes the TLS handshake, or a proxy that
rejects ``CONNECT``. The exception (or outcome) ``Client.revoke`` gives must match the
result the table names, with the same API code, HTTP status, retry-after time and
cause. The Rust, C and command-line tests read the same table.
"""

from __future__ import annotations

import json
import pathlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from sectigo_revoke import (
    ApiError,
    Client,
    InvalidRequestError,
    Outcome,
    OutcomeUnknownError,
    RateLimitedError,
    RedirectError,
    TransportError,
)
from sectigo_revoke.testing import Simulator
from support import CANARY_PASSWORD, LOGIN_NAME, assert_no_canary

MATRIX_PATH = pathlib.Path(__file__).resolve().parents[3] / "tests" / "fault_matrix.json"
MATRIX: dict[str, Any] = json.loads(MATRIX_PATH.read_text(encoding="utf-8"))
DECOY_PORT_PLACEHOLDER = "{decoy_port}"

# The keyword argument of Simulator.inject_fault for each field of a fault in the
# simulator's JSON form.
FAULT_ARGUMENTS = {
    "delay_ms": "delay_ms",
    "bytes": "body_bytes",
    "retry_after_secs": "retry_after_secs",
    "status": "status",
    "location": "location",
}


@dataclass
class Observed:
    """What the Python API reported for one case, in the matrix's terms."""

    result: str
    api_code: int | None = None
    http_status: int | None = None
    retry_after_secs: int | None = None
    cause: str | None = None
    description: str = ""


def observe(revoke: Callable[[], Outcome]) -> Observed:
    """Call ``revoke`` and describe its outcome or exception. ``RateLimitedError`` is a
    subclass of ``ApiError``, so it is caught first."""
    try:
        outcome = revoke()
    except RateLimitedError as error:
        retry_after = None if error.retry_after is None else int(error.retry_after)
        return Observed("rate_limited", error.code, error.http_status, retry_after, None, str(error))
    except ApiError as error:
        return Observed("api_error", error.code, error.http_status, None, None, str(error))
    except TransportError as error:
        return Observed("not_sent", None, error.http_status, None, error.cause, str(error))
    except RedirectError as error:
        return Observed("redirected", None, error.http_status, None, None, str(error))
    except OutcomeUnknownError as error:
        return Observed("outcome_unknown", None, error.http_status, None, error.cause, str(error))
    except InvalidRequestError as error:
        return Observed("invalid_request", None, None, None, None, str(error))
    return Observed(outcome.kind.value, outcome.code, outcome.http_status, None, None, str(outcome))


def differences(case: dict[str, Any], observed: Observed) -> list[str]:
    """Return every difference between what was observed and what the case expects."""
    expect = case["expect"]
    found = []
    for name in ["result", "api_code", "http_status", "retry_after_secs"]:
        seen, wanted = getattr(observed, name), expect.get(name)
        if seen != wanted:
            found.append(f"{name} is {seen!r}, expected {wanted!r} ({observed.description})")
    cause = expect.get("cause")
    if cause is not None:
        if observed.cause != cause:
            found.append(f"cause is {observed.cause!r}, expected {cause!r}")
        text = MATRIX["cause_texts"][cause]
        if text not in observed.description:
            found.append(f"message does not say {text!r}: {observed.description}")
    return found


def has_pending_connection(listener: socket.socket) -> bool:
    """Return True when a connection waits in the listener's queue; accept it."""
    listener.setblocking(False)
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def loopback_listener(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.bind((host, port))
    listener.listen(8)
    return listener


@dataclass
class RejectingProxy:
    """A loopback HTTP proxy that responds to every request, ``CONNECT`` included, with 403."""

    listener: socket.socket = field(default_factory=loopback_listener)
    request_lines: list[str] = field(default_factory=list)
    thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5.0)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                self.request_lines.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
                connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.listener.close()


@dataclass
class Scenario:
    """The server side of one case, running on loopback until closed."""

    simulator: Simulator
    endpoint: str
    client_options: dict[str, Any]
    decoys: list[socket.socket]
    stall: socket.socket | None
    proxy: RejectingProxy | None

    def differences(self, case: dict[str, Any]) -> list[str]:
        """Return every difference between what the server side saw and what the case
        expects."""
        expect = case["expect"]
        found = []
        requests = len(self.simulator.requests())
        if requests != expect["requests"]:
            found.append(f"the simulator logged {requests} requests, expected {expect['requests']}")
        state = self.simulator.certificate_state(MATRIX["certificate_id"])
        if state != expect["state"]:
            found.append(f"the certificate is {state!r}, expected {expect['state']!r}")
        if any(has_pending_connection(decoy) for decoy in self.decoys):
            found.append("the redirect target received a connection")
        if self.stall is not None and not has_pending_connection(self.stall):
            found.append("the client never connected to the stalling listener")
        if self.proxy is not None:
            expected = f"CONNECT 127.0.0.1:{self.simulator.port} HTTP/1.1"
            if expected not in self.proxy.request_lines:
                found.append(f"the proxy saw {self.proxy.request_lines!r}, expected {expected!r}")
        return found

    def close(self) -> None:
        self.simulator.stop()
        for listener in [*self.decoys, self.stall]:
            if listener is not None:
                listener.close()
        if self.proxy is not None:
            self.proxy.close()


def decoy_listeners() -> list[socket.socket]:
    """Bind the decoy port on 127.0.0.1 and, when the machine has IPv6, on ::1 too, so
    that a client following a redirect to ``localhost`` would reach one of them."""
    first = loopback_listener()
    listeners = [first]
    try:
        listeners.append(loopback_listener("::1", first.getsockname()[1]))
    except OSError:
        pass
    return listeners


def inject(simulator: Simulator, fault: dict[str, Any], decoy_port: int) -> None:
    """Inject a fault given in the simulator's JSON form, with the decoy's port in
    place of the placeholder."""
    arguments: dict[str, Any] = {
        FAULT_ARGUMENTS[name]: value.replace(DECOY_PORT_PLACEHOLDER, str(decoy_port))
        if isinstance(value, str)
        else value
        for name, value in fault.items()
        if name != "kind"
    }
    simulator.inject_fault(fault["kind"], **arguments)


def start_scenario(case: dict[str, Any], directory: pathlib.Path) -> Scenario:
    server, client = case["server"], case.get("client", {})
    certificate: Literal["valid", "expired", "wrong_host"] = server.get("certificate", "valid")
    simulator = Simulator(LOGIN_NAME, CANARY_PASSWORD, server_certificate=certificate)
    ca_file = directory / "ca.pem"
    simulator.write_ca_pem(ca_file)

    decoys = decoy_listeners()
    if "fault" in server:
        inject(simulator, server["fault"], decoys[0].getsockname()[1])

    endpoint, stall = simulator.endpoint, None
    if server.get("listener") == "tls_stall":
        # A listening socket completes TCP handshakes in the kernel, so the client
        # connects and then waits for a ServerHello that never comes.
        stall = loopback_listener()
        endpoint = f"https://127.0.0.1:{stall.getsockname()[1]}/products/!AutoRevokeCertificate"
    proxy = RejectingProxy() if server.get("proxy") == "reject_connect" else None

    options: dict[str, Any] = {
        "endpoint": endpoint,
        "ca_bundle": ca_file if client.get("trust", "simulator_ca") == "simulator_ca" else None,
        "proxy": proxy.url if proxy is not None else None,
        "connect_timeout": client.get("connect_timeout_ms", 5000) / 1000,
        "timeout": client.get("timeout_ms", 10000) / 1000,
    }
    return Scenario(simulator, endpoint, options, decoys, stall, proxy)


@pytest.fixture
def scenario(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[Scenario]:
    started = start_scenario(request.param, tmp_path)
    yield started
    started.close()


CASES = MATRIX["cases"]


@pytest.mark.parametrize(
    ("case", "scenario"), [(case, case) for case in CASES], ids=[case["name"] for case in CASES], indirect=["scenario"]
)
def test_python_api_matches_fault_matrix(case: dict[str, Any], scenario: Scenario) -> None:
    with Client(LOGIN_NAME, CANARY_PASSWORD, **scenario.client_options) as client:
        observed = observe(lambda: client.revoke(certificate_id=MATRIX["certificate_id"]))

    found = differences(case, observed) + scenario.differences(case)
    assert not found, "\n".join(found)
    assert_no_canary(observed.description)


def test_matrix_covers_every_result() -> None:
    results = {case["expect"]["result"] for case in CASES}
    assert results == {"accepted", "api_error", "rate_limited", "not_sent", "redirected", "outcome_unknown"}

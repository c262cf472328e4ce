"""A local stand-in for Sectigo's endpoint, for testing code that revokes certificates.

``Simulator`` runs the project's Rust simulator: an HTTPS server on a loopback port
with a CA generated at start-up, which checks parameters and credentials the way the
API documents them and keeps certificates whose states change as they are revoked.
Latency, a call limit and injected faults make it misbehave on purpose::

    from sectigo_revoke import Client, OutcomeKind
    from sectigo_revoke.testing import Simulator

    with Simulator("api-user", "test-password") as simulator:
        simulator.write_ca_pem("ca.pem")
        client = Client("api-user", "test-password", endpoint=simulator.endpoint,
                        ca_bundle="ca.pem", proxy=None)
        assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ACCEPTED

The built-in catalogue contains one certificate in each state, found by order number,
certificate ID or serial number:

=========  ==============  ==================================  ========
order      certificate ID  serial number                       state
=========  ==============  ==================================  ========
1000001    2000001         00D9B75B1C2E0F11223344556677889AA1  issued
1000002    2000002         4E1F9A2B3C4D5E6F708192A3B4C5D6E7    issued
1000003    2000003         0012AB34CD56EF7890123456789ABCDEF0  pending
1000004    2000004         7A11000000000000000000000000000004  issuing
1000005    2000005         5B22000000000000000000000000000005  revoked
1000006    2000006         6C33000000000000000000000000000006  rejected
1000007    2000007         7D44000000000000000000000000000007  expired
=========  ==============  ==================================  ========

An identifier not in the catalogue gets code -4, unless ``accept_unknown=True`` takes
it as an issued certificate.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, TypeAlias

from sectigo_revoke import _native

__all__ = ["CertificateState", "FaultKind", "LoggedRequest", "Simulator"]

FaultKind: TypeAlias = Literal[
    "slow_reply",
    "reset",
    "empty_body",
    "html_body",
    "truncated_body",
    "oversized_body",
    "server_error_html",
    "service_unavailable_html",
    "too_many_requests",
    "call_limit",
    "unknown_error",
    "redirect",
]
"""The faults ``Simulator.inject_fault`` accepts."""

CertificateState: TypeAlias = Literal["issued", "pending", "issuing", "replaced", "revoked", "rejected", "expired"]
"""The states of a simulated certificate."""


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the simulator received it, with the password redacted.

    Attributes:
        sequence: Position in the order of arrival, from 1.
        time_ms: Arrival time in milliseconds since the Unix epoch.
        method: The HTTP method.
        path: The request path, without the query.
        parameters: The decoded form parameters in the order sent, with
            ``loginPassword`` replaced by ``********``.
        identifier: The certificate identifier as ``name=value``, when the request
            named a valid one.
        code: The API code of the response, when the response carried one.
        fault: The fault applied, if any.
        test_mode: True when the request carried ``test=Y``.
    """

    sequence: int
    time_ms: int
    method: str
    path: str
    parameters: tuple[tuple[str, str], ...]
    identifier: str | None
    code: int | None
    fault: str | None
    test_mode: bool


class Simulator:
    """A simulated ``!AutoRevokeCertificate`` endpoint on ``127.0.0.1``.

    It starts when built and stops on ``stop()`` or at the end of a ``with`` block.

    Args:
        login_name: The ``loginName`` it accepts. Any other gets code -16.
        password: The ``loginPassword`` it accepts. It never appears in the request
            log or in ``repr``.
        latency: Seconds added before every response.
        call_limit: Calls allowed per ``call_limit_window``. Calls over it get code
            -42. ``None`` for no limit.
        call_limit_window: The sliding window of the call limit, in seconds.
        accept_unknown: Take an identifier not in the catalogue as an issued
            certificate instead of returning code -4.
        catalogue: A JSON file of certificates to use instead of the built-in ones:
            ``{"certificates": [{"order_number": 1, "certificate_id": 2,
            "serial_number": "0A1B", "state": "issued"}], "accept_unknown": false}``.
            An entry may carry a ``"fault"`` applied to every request for it.
        server_certificate: ``"valid"``, or ``"expired"`` or ``"wrong_host"`` to make
            every TLS handshake fail.

    Raises:
        ValueError: An argument is invalid, or the catalogue file is unreadable or
            invalid.
        OSError: No loopback port could be bound.
    """

    def __init__(
        self,
        login_name: str = "demo",
        password: str = "demo-password",
        *,
        latency: float = 0.0,
        call_limit: int | None = None,
        call_limit_window: float = 60.0,
        accept_unknown: bool = False,
        catalogue: str | os.PathLike[str] | None = None,
        server_certificate: Literal["valid", "expired", "wrong_host"] = "valid",
    ) -> None:
        self._native = _native.Simulator(
            login_name=login_name,
            password=password,
            latency=latency,
            max_calls=call_limit,
            call_window=call_limit_window,
            accept_unknown=accept_unknown,
            catalogue=catalogue,
            server_certificate=server_certificate,
        )
        self._login_name = login_name

    @property
    def endpoint(self) -> str:
        """The endpoint URL, such as ``https://127.0.0.1:40123/products/!AutoRevokeCertificate``."""
        return self._native.endpoint

    @property
    def ca_pem(self) -> str:
        """The generated CA certificate in PEM, the one root a client must trust."""
        return self._native.ca_pem

    @property
    def port(self) -> int:
        """The loopback port the simulator listens on."""
        return self._native.port

    @property
    def connection_count(self) -> int:
        """The number of TCP connections the simulator has accepted."""
        return self._native.connection_count

    def write_ca_pem(self, path: str | os.PathLike[str]) -> None:
        """Write the CA certificate to a PEM file, for ``Client(ca_bundle=path)``."""
        self._native.write_ca_pem(path)

    def requests(self) -> list[LoggedRequest]:
        """Return every request received so far, in order of arrival."""
        entries = json.loads(self._native.requests_json())
        return [
            LoggedRequest(
                sequence=entry["sequence"],
                time_ms=entry["time_ms"],
                method=entry["method"],
                path=entry["path"],
                parameters=tuple((name, value) for name, value in entry["parameters"]),
                identifier=entry["identifier"],
                code=entry["code"],
                fault=entry["fault"],
                test_mode=entry["test_mode"],
            )
            for entry in entries
        ]

    def inject_fault(
        self,
        kind: FaultKind,
        count: int = 1,
        *,
        delay_ms: int | None = None,
        body_bytes: int | None = None,
        retry_after_secs: int | None = None,
        status: int | None = None,
        location: str | None = None,
    ) -> None:
        """Apply a fault to each of the next ``count`` requests.

        ``slow_reply``, ``reset``, ``empty_body``, ``html_body``, ``truncated_body``
        and ``oversized_body`` carry out the revocation and then spoil the response, so
        the client cannot know the certificate was revoked. The others leave the
        certificate untouched.

        Args:
            kind: The fault.
            count: How many requests it applies to.
            delay_ms: For ``slow_reply``: the wait before responding, in milliseconds.
            body_bytes: For ``oversized_body``: the body size in bytes.
            retry_after_secs: For ``too_many_requests``: the ``Retry-After`` value.
            status: For ``redirect``: 301, 302, 303, 307 or 308.
            location: For ``redirect``: the ``Location`` header.

        Raises:
            ValueError: The kind is unknown or a value it needs is missing.
        """
        values = {
            "delay_ms": delay_ms,
            "bytes": body_bytes,
            "retry_after_secs": retry_after_secs,
            "status": status,
            "location": location,
        }
        fault = {"kind": kind, **{name: value for name, value in values.items() if value is not None}}
        self._native.inject_fault(json.dumps(fault), count)

    def certificate_state(self, certificate_id: int) -> CertificateState | None:
        """Return the current state of the certificate with this certificate ID, or
        ``None`` when the catalogue has no such certificate."""
        return self._native.certificate_state(certificate_id)

    def stop(self) -> None:
        """Stop accepting connections. The request log stays readable."""
        self._native.stop()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Simulator(login_name={self._login_name!r}, endpoint={self.endpoint!r})"

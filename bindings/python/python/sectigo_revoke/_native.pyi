# Type stubs for the native module, written by hand and checked against the built
# module by `python -m mypy.stubtest sectigo_revoke`.

import os
from typing import Literal, final

from sectigo_revoke._types import OutcomeKind

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_ENDPOINT",
    "DEFAULT_TIMEOUT",
    "MAX_RETRIES",
    "REDACTED",
    "Client",
    "DryRun",
    "Outcome",
    "Revocation",
    "Simulator",
    "__version__",
    "parse_reason",
]

__version__: str
DEFAULT_ENDPOINT: str
DEFAULT_TIMEOUT: float
DEFAULT_CONNECT_TIMEOUT: float
MAX_RETRIES: int
REDACTED: str

@final
class Client:
    def __new__(
        cls,
        login_name: str,
        login_password: str,
        *,
        endpoint: str,
        timeout: float,
        connect_timeout: float,
        ca_bundle: str | os.PathLike[str] | None,
        use_system_roots: bool,
        proxy_url: str | None,
        proxy_from_environment: bool,
        retries: int,
    ) -> Client: ...
    @property
    def login_name(self) -> str: ...
    @property
    def endpoint(self) -> str: ...
    def revoke(self, revocation: Revocation) -> Outcome: ...
    def dry_run(self, revocation: Revocation) -> DryRun: ...

@final
class Revocation:
    def __new__(
        cls,
        *,
        order_number: int | str | None,
        certificate_id: int | str | None,
        serial_number: str | None,
        reason: int,
        comment: str | None,
        account_id: int | None,
        product_code: str | None,
        product: int | None,
        test_mode: bool,
        include_in_crl: bool,
    ) -> Revocation: ...

@final
class Outcome:
    """The result of a revocation that left the certificate no longer usable.

    "Accepted" means the API took the request. Sectigo's CPS promises OCSP within one
    hour and CRLs within 24 hours, so the certificate may still show as valid for a
    while. ``str()`` gives a one-line summary; outcomes compare equal when every
    attribute does.
    """

    @property
    def kind(self) -> OutcomeKind:
        """The way the revocation ended."""
    @property
    def code(self) -> int:
        """The API code: 0, -20, -21 or -35."""
    @property
    def message(self) -> str | None:
        """The server's message, when it sent one."""
    @property
    def identifier_name(self) -> str:
        """The parameter that carried the certificate identifier: ``orderNumber``,
        ``certificateID`` or ``serialNumber``."""
    @property
    def identifier_value(self) -> str:
        """The identifier as sent, such as the serial number normalised to upper-case
        hex digits."""
    @property
    def http_status(self) -> int:
        """The HTTP status of the response."""
    @property
    def test_mode(self) -> bool:
        """True when the request was sent with ``test=Y``, so nothing was revoked."""
    @property
    def attempts(self) -> int:
        """The number of requests the call sent, counting retries."""
    @property
    def already_final(self) -> bool:
        """True when the certificate was already revoked, rejected or expired before
        this call."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class DryRun:
    """The exact request a revocation would send, with the password replaced by
    ``********``. ``str()`` gives the request as it goes on the wire."""

    @property
    def method(self) -> str:
        """The HTTP method, always ``POST``."""
    @property
    def url(self) -> str:
        """The endpoint URL."""
    @property
    def headers(self) -> list[tuple[str, str]]:
        """The request headers that the client sets."""
    @property
    def body(self) -> str:
        """The form-encoded body."""
    @property
    def parameters(self) -> list[tuple[str, str]]:
        """The body's parameters, decoded, in the order they are sent."""

@final
class Simulator:
    def __new__(
        cls,
        *,
        login_name: str,
        password: str,
        latency: float,
        max_calls: int | None,
        call_window: float,
        accept_unknown: bool,
        catalogue: str | os.PathLike[str] | None,
        server_certificate: str,
    ) -> Simulator: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def ca_pem(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def connection_count(self) -> int: ...
    def write_ca_pem(self, path: str | os.PathLike[str]) -> None: ...
    def requests_json(self) -> str: ...
    def inject_fault(self, fault_json: str, count: int) -> None: ...
    def certificate_state(
        self, certificate_id: int
    ) -> Literal["issued", "pending", "issuing", "replaced", "revoked", "rejected", "expired"] | None: ...
    def stop(self) -> None: ...

def parse_reason(text: str) -> int: ...

"""Revoke Sectigo certificates through the ``!AutoRevokeCertificate`` API.

A revocation ends in one of these ways:

- ``Client.revoke()`` returns an ``Outcome`` when the certificate is no longer
  usable: ``OutcomeKind.ACCEPTED`` (code 0), or ``ALREADY_REVOKED``,
  ``ALREADY_REJECTED`` or ``EXPIRED`` (codes -21, -20, -35), where there was nothing
  left to do.
- It raises a ``SectigoError`` subclass in every other case; see ``sectigo_revoke._errors``
  for which of them are safe to repeat.

Example::

    from sectigo_revoke import Client, Reason

    with Client.from_env() as client:
        outcome = client.revoke(serial_number="00:d9:b7:5b:1c", reason=Reason.SUPERSEDED)
        print(outcome)

The core's log records reach ``logging`` under the ``sectigo_revoke`` logger, at
debug level for each request and warning level for each retry. The password never
appears in them. ``sectigo_revoke.testing`` has a local simulator of the endpoint
for tests.
"""

from sectigo_revoke._native import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
    DryRun,
    Outcome,
    __version__,
)
from sectigo_revoke._errors import (
    ApiError,
    AuthenticationError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitedError,
    RedirectError,
    SectigoError,
    TransportError,
)
from sectigo_revoke._types import OutcomeKind, Proxy, Reason
from sectigo_revoke._client import Client

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_ENDPOINT",
    "DEFAULT_TIMEOUT",
    "ApiError",
    "AuthenticationError",
    "Client",
    "DryRun",
    "InvalidRequestError",
    "Outcome",
    "OutcomeKind",
    "OutcomeUnknownError",
    "Proxy",
    "RateLimitedError",
    "Reason",
    "RedirectError",
    "SectigoError",
    "TransportError",
    "__version__",
]

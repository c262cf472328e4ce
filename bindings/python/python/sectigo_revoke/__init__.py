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

``Client.revoke_many()`` revokes many certificates from a list of mappings or a CSV
or JSON Lines file, each once, with a journal that lets an interrupted batch resume::

    report = client.revoke_many("incident.csv", journal="incident.journal", reason="superseded")
    report.write("incident-report.csv")
    print(report.status, report.counts)

The core's log records reach ``logging`` under the ``sectigo_revoke`` logger, at
debug level for each request and warning level for each retry. The password never
appears in them. ``sectigo_revoke.testing`` has a local simulator of the endpoint
for tests.
"""

from sectigo_revoke._native import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
    BatchCounts,
    BatchProgress,
    BatchReport,
    DryRun,
    Outcome,
    PlanSummary,
    RowProblem,
    RowReport,
    __version__,
)
from sectigo_revoke._errors import (
    ApiError,
    AuthenticationError,
    BatchError,
    BatchInputError,
    InvalidRequestError,
    JournalError,
    JournalInUseError,
    JournalMismatchError,
    OutcomeUnknownError,
    RateLimitedError,
    RedirectError,
    ReportError,
    SectigoError,
    TransportError,
)
from sectigo_revoke._types import BatchStatus, OutcomeKind, Proxy, Reason, ResultKind, RowStatus
from sectigo_revoke._client import BatchRows, Client

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_ENDPOINT",
    "DEFAULT_TIMEOUT",
    "ApiError",
    "AuthenticationError",
    "BatchCounts",
    "BatchError",
    "BatchInputError",
    "BatchProgress",
    "BatchReport",
    "BatchRows",
    "BatchStatus",
    "Client",
    "DryRun",
    "InvalidRequestError",
    "JournalError",
    "JournalInUseError",
    "JournalMismatchError",
    "Outcome",
    "OutcomeKind",
    "OutcomeUnknownError",
    "PlanSummary",
    "Proxy",
    "RateLimitedError",
    "Reason",
    "RedirectError",
    "ReportError",
    "ResultKind",
    "RowProblem",
    "RowReport",
    "RowStatus",
    "SectigoError",
    "TransportError",
    "__version__",
]

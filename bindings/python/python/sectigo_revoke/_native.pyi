# Type stubs for the native module, written by hand and checked against the built
# module by `python -m mypy.stubtest sectigo_revoke`.

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, final

from sectigo_revoke._types import BatchStatus, OutcomeKind, Reason, ResultKind, RowStatus

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_ENDPOINT",
    "DEFAULT_TIMEOUT",
    "MAX_RETRIES",
    "REDACTED",
    "BatchCounts",
    "BatchProgress",
    "BatchReport",
    "Client",
    "DryRun",
    "Outcome",
    "PlanSummary",
    "Revocation",
    "RowProblem",
    "RowReport",
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
    def revoke_many(
        self,
        *,
        path: str | os.PathLike[str] | None,
        rows: Iterable[Mapping[str, str | int | None]] | None,
        journal: str | os.PathLike[str] | None,
        concurrency: int,
        rate: float | None,
        retry_unknown: bool,
        reason: int | None,
        comment: str | None,
        test_mode: bool,
        on_progress: Callable[[BatchProgress], object] | None,
        dry_run: bool,
    ) -> BatchReport: ...

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
class BatchReport:
    """The result of ``Client.revoke_many()``: the plan, the counts by result, and
    every row, as they stood when the call returned.

    The report is a snapshot and never changes. The journal is closed when the call
    returns, so the same journal can be resumed while the report is still in use.
    ``len()`` gives the number of rows. Every row is kept in memory, an estimated
    300 bytes each.
    """

    @property
    def plan(self) -> PlanSummary:
        """What the plan holds, and whether it was resumed from the journal."""
    @property
    def counts(self) -> BatchCounts:
        """How many rows are in each state, earlier runs included."""
    @property
    def status(self) -> BatchStatus:
        """Whether every row reached success or a final state."""
    @property
    def succeeded(self) -> bool:
        """True when ``status`` is ``BatchStatus.SUCCEEDED``."""
    @property
    def requests(self) -> int:
        """The requests this call sent, repeats included; 0 for a dry run."""
    @property
    def elapsed(self) -> float:
        """How long the run took, in seconds; 0.0 for a dry run."""
    @property
    def cancelled(self) -> bool:
        """True when ``on_progress`` returned ``False``, which ended the run before
        every row was sent."""
    @property
    def stopped(self) -> str | None:
        """Why the run stopped before sending every row, when an error that concerns
        every row stopped it: a rejected login (code -16), a redirect, or a
        ``Retry-After`` longer than 60 s."""
    @property
    def dry_run(self) -> bool:
        """True when the rows were only planned."""
    @property
    def journal(self) -> str | None:
        """The journal's path, or ``None`` for a dry run."""
    @property
    def problems(self) -> tuple[RowProblem, ...]:
        """Every invalid and duplicate row, in line order."""
    @property
    def rows(self) -> tuple[RowReport, ...]:
        """Every row, in line order."""
    def write(self, path: str | os.PathLike[str], format: Literal["csv", "jsonl"] | None = None) -> None:
        """Write the report, one line per row, as CSV or JSON Lines.

        Args:
            path: The file to write, replaced if it exists.
            format: ``"csv"`` or ``"jsonl"``. Defaults to the format the file name's
                extension names: ``.csv``, or ``.jsonl``, ``.ndjson`` or ``.json``.

        Raises:
            ReportError: The file cannot be written, or its name has no known
                extension and no format is given.
            ValueError: ``format`` is not ``"csv"`` or ``"jsonl"``.
        """
    def __len__(self) -> int: ...

@final
class BatchCounts:
    """How many rows are in each state. ``str()`` gives a one-line summary, and
    counts compare equal when every number does."""

    @property
    def rows(self) -> int:
        """Every row read, blank lines not counted."""
    @property
    def planned(self) -> int:
        """Valid rows not sent yet."""
    @property
    def sending(self) -> int:
        """Rows whose request is in flight."""
    @property
    def retryable(self) -> int:
        """Rows that were not carried out and are sent again by the next run."""
    @property
    def unknown(self) -> int:
        """Rows sent without a readable response."""
    @property
    def accepted(self) -> int:
        """Rows whose revocation was accepted (code 0)."""
    @property
    def already_revoked(self) -> int:
        """Rows whose certificate was already revoked (code -21)."""
    @property
    def already_rejected(self) -> int:
        """Rows whose certificate request was already rejected (code -20)."""
    @property
    def expired(self) -> int:
        """Rows whose certificate had expired (code -35)."""
    @property
    def failed(self) -> int:
        """Rows the API rejected for good."""
    @property
    def invalid(self) -> int:
        """Rows that failed validation."""
    @property
    def duplicate(self) -> int:
        """Rows that repeat an earlier row."""
    @property
    def done(self) -> int:
        """Rows whose certificate is no longer usable: accepted, already revoked,
        already rejected or expired."""
    @property
    def outstanding(self) -> int:
        """Rows a later run may still send: planned, sending, retryable or unknown."""
    @property
    def status(self) -> BatchStatus:
        """The overall status these counts give."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class BatchProgress:
    """How far a run has come, passed to ``on_progress``."""

    @property
    def done(self) -> int:
        """Rows this run has finished with, in a final state or left for a later run."""
    @property
    def total(self) -> int:
        """Rows this run set out to send."""
    @property
    def counts(self) -> BatchCounts:
        """Rows in each state across the whole journal, earlier runs included."""
    @property
    def requests(self) -> int:
        """Requests sent by this run so far, repeats included."""
    @property
    def elapsed(self) -> float:
        """Seconds since the run started."""
    @property
    def requests_per_second(self) -> float:
        """Requests per second since the run started."""

@final
class PlanSummary:
    """The content of a plan: the rows to send, the rows rejected, and the split by
    reason code and identifier."""

    @property
    def rows(self) -> int:
        """Every row read, blank lines not counted."""
    @property
    def to_send(self) -> int:
        """Rows that are valid and not duplicates."""
    @property
    def invalid(self) -> int:
        """Rows that failed validation."""
    @property
    def duplicates(self) -> int:
        """Rows that repeat an earlier row."""
    @property
    def per_reason(self) -> dict[Reason, int]:
        """Rows to send for each reason code, in code order."""
    @property
    def per_identifier(self) -> dict[str, int]:
        """Rows to send for each identifier parameter: ``certificateID``,
        ``orderNumber`` or ``serialNumber``."""
    @property
    def test_mode(self) -> bool:
        """True when every request carries ``test=Y``, so nothing is revoked."""
    @property
    def resumed(self) -> bool:
        """True when the plan was read from an existing journal."""
    @property
    def already_final(self) -> int:
        """Rows already in a final state from earlier runs."""
    @property
    def unknown(self) -> int:
        """Rows sent by an earlier run whose outcome is unknown."""

@final
class RowProblem:
    """A row that failed validation or repeats an earlier row, so it is never sent.
    ``str()`` gives ``line N, column: problem``."""

    @property
    def line(self) -> int:
        """The line the row starts on, from 1; for rows given as mappings, the row's
        position."""
    @property
    def column(self) -> str | None:
        """The column at fault, or ``None`` when the row as a whole is at fault."""
    @property
    def problem(self) -> str:
        """What is wrong and how to fix it."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class RowReport:
    """One row of a batch: its identifier, its state and its last result. These are
    the columns of the written report."""

    @property
    def line(self) -> int:
        """The line the row starts on, from 1; for rows given as mappings, the row's
        position."""
    @property
    def identifier(self) -> str | None:
        """The identifier as sent, such as ``serialNumber=00D9B7…``; ``None`` for an
        invalid row."""
    @property
    def status(self) -> RowStatus:
        """Where the row is in its life."""
    @property
    def result(self) -> ResultKind | None:
        """The result of the last request, or why the row is never sent; ``None`` for
        a row not sent yet."""
    @property
    def code(self) -> int | None:
        """The API code of the last response, when there was one."""
    @property
    def message(self) -> str | None:
        """The server's message, the error, or the validation problem."""
    @property
    def column(self) -> str | None:
        """The input column at fault, for an invalid row."""
    @property
    def duplicate_of(self) -> int | None:
        """The line of the row this one repeats, for a duplicate."""
    @property
    def attempts(self) -> int:
        """Requests sent for the row, across all runs."""
    @property
    def updated_at(self) -> str:
        """When the row last changed, in UTC (RFC 3339)."""
    def __eq__(self, value: object, /) -> bool: ...

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

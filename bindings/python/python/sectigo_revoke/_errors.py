"""The exceptions of ``sectigo_revoke``.

The native module raises these classes; nothing here runs during a request. Each
exception's ``str()`` is one line that states what failed and what to do. None of them
ever contains the login password.

Which errors are safe to repeat:

- ``TransportError`` and ``RateLimitedError``: the request was not carried out.
- ``OutcomeUnknownError``: the certificate may already be revoked. Check it first, or
  repeat knowing that a repeat then returns ``OutcomeKind.ALREADY_REVOKED``.
- Every other error needs a different request, different credentials or a different
  endpoint.

``Client.revoke_many()`` raises a ``BatchError`` subclass when the batch as a whole
cannot go on. Problems with single rows are not exceptions: the report lists them.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BatchError",
    "BatchInputError",
    "InvalidRequestError",
    "JournalError",
    "JournalInUseError",
    "JournalMismatchError",
    "OutcomeUnknownError",
    "RateLimitedError",
    "RedirectError",
    "ReportError",
    "SectigoError",
    "TransportError",
]


def _rebuild(cls: type[SectigoError], args: tuple[Any, ...]) -> SectigoError:
    """Create an exception for unpickling; pickle then restores its attributes.

    The class's own ``__init__`` is skipped because its keyword-only attributes are
    not in ``args``. The built-in base's ``__init__`` still runs, because ``OSError``
    sets up its message there when a subclass defines ``__init__``.
    """
    error = cls.__new__(cls, *args)
    super(SectigoError, error).__init__(*args)
    return error


class SectigoError(Exception):
    """Base class of every error that ``sectigo_revoke`` raises.

    Attributes:
        http_status: The HTTP status of the server's response, or ``None`` when no
            response was received or the error happened before sending.
    """

    http_status: int | None

    def __init__(self, text: str, *, http_status: int | None = None) -> None:
        super().__init__(text)
        self.http_status = http_status

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructors take keyword-only attributes, which the default
        # BaseException.__reduce__ would drop; the state carries them instead.
        return (_rebuild, (type(self), self.args), self.__dict__)


class InvalidRequestError(SectigoError, ValueError):
    """A request parameter or client setting failed validation. Nothing was sent.

    Attributes:
        field: The field as the API documentation names it (``serialNumber``,
            ``codeReason``, ``revocationReason``), or the client setting
            (``endpoint``, ``timeout``, ``CA bundle``).
        problem: What is wrong with the value, and what to give instead.
        argument: The Python argument that carried the value (``serial_number``,
            ``reason``, ``comment``), or ``None`` when no single argument did.
    """

    field: str
    problem: str
    argument: str | None

    def __init__(self, text: str, *, field: str, problem: str, argument: str | None = None) -> None:
        super().__init__(text)
        self.field = field
        self.problem = problem
        self.argument = argument


class ApiError(SectigoError):
    """The API returned an error code, so the request arrived and was not carried out.

    The final states are not errors: codes -20 (already rejected), -21 (already
    revoked) and -35 (expired) return an ``Outcome``.

    Attributes:
        code: The API's numeric code, such as -4 for an invalid argument or an unknown
            certificate. ``None`` only for a ``RateLimitedError`` from an HTTP 429
            response without an API body.
        message: The server's message, when it sent one.
        item: The parameter the server found fault with (``errorItem``), when it named
            one.
    """

    code: int | None
    message: str | None
    item: str | None

    def __init__(
        self,
        text: str,
        *,
        code: int | None,
        message: str | None = None,
        item: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(text, http_status=http_status)
        self.code = code
        self.message = message
        self.item = item


class AuthenticationError(ApiError):
    """The login was rejected (code -16: wrong name or password, locked account,
    expired password or blocked source address) or may not act on this certificate or
    account (code -91).

    Never repeat the request unchanged: repeated failed logins can get the source
    address blocked.
    """


class RateLimitedError(ApiError):
    """The API returned code -42 (call limit reached), or the server responded with HTTP 429.

    The request was not carried out; repeat it after a pause.

    Attributes:
        retry_after: The pause the server asked for in ``Retry-After``, in seconds, or
            ``None`` when it asked for none.
    """

    retry_after: float | None

    def __init__(
        self,
        text: str,
        *,
        code: int | None,
        retry_after: float | None = None,
        message: str | None = None,
        item: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(text, code=code, message=message, item=item, http_status=http_status)
        self.retry_after = retry_after


class TransportError(SectigoError, OSError):
    """The request never reached the server: the host name did not resolve, the
    connection or proxy tunnel could not be opened, or the TLS handshake failed.

    Repeating the request is safe.

    Attributes:
        endpoint: The endpoint URL the request was for.
        cause: Where it failed: ``"resolve"``, ``"connect"``, ``"tls"``, ``"proxy"``,
            or ``"other"``.
        detail: The underlying error's description.
    """

    endpoint: str
    cause: str
    detail: str

    def __init__(self, text: str, *, endpoint: str, cause: str, detail: str) -> None:
        super().__init__(text)
        self.endpoint = endpoint
        self.cause = cause
        self.detail = detail


class OutcomeUnknownError(SectigoError):
    """The request was sent, but no response in the API's format came back.

    The certificate may or may not have been revoked. Check its status before
    repeating, or repeat knowing that a repeat then returns
    ``OutcomeKind.ALREADY_REVOKED``. This class is deliberately not an ``OSError``, so
    that generic retry-on-``OSError`` code does not repeat a revocation unknowingly.

    Attributes:
        cause: Why no response could be read: ``"timeout"``, ``"connection"`` (reset or
            closed after sending), ``"empty_body"``, ``"foreign_body"`` (such as an HTML
            error page), ``"body_too_large"``, or ``"other"``.
        detail: A description of the cause.
    """

    cause: str
    detail: str

    def __init__(self, text: str, *, cause: str, detail: str, http_status: int | None = None) -> None:
        super().__init__(text, http_status=http_status)
        self.cause = cause
        self.detail = detail


class RedirectError(SectigoError):
    """The endpoint responded with a redirect, which is never followed.

    A followed redirect turns the POST into a GET and could send the credentials to
    another address. Set the endpoint to the final URL instead.

    Attributes:
        location: The ``Location`` header, or ``"(none)"`` when the server sent none.
    """

    location: str

    def __init__(self, text: str, *, http_status: int, location: str) -> None:
        super().__init__(text, http_status=http_status)
        self.location = location


class BatchError(SectigoError):
    """An error that stops a batch as a whole, before or while it runs.

    The journal stays consistent. Once the cause is fixed, calling
    ``revoke_many()`` again with the same journal resumes the batch, and no row with
    a final result is sent again.
    """


class BatchInputError(BatchError, ValueError):
    """The input cannot be read past some point: the file cannot be opened, its name
    has no known extension, a CSV header or JSON key names an unknown column, or a
    CSV record is over the size limit. Nothing was sent.

    Attributes:
        origin: The input file's path, or ``"rows"`` for rows given in memory.
        line: The line where reading stopped, from 1 (for rows in memory, the row's
            position), or ``None`` when the file as a whole is at fault.
        problem: What is wrong and how to fix it.
    """

    origin: str
    line: int | None
    problem: str

    def __init__(self, text: str, *, origin: str, line: int | None, problem: str) -> None:
        super().__init__(text)
        self.origin = origin
        self.line = line
        self.problem = problem


class JournalError(BatchError, OSError):
    """The journal cannot be created, read or written.

    Attributes:
        path: The journal's path.
    """

    path: str

    def __init__(self, text: str, *, path: str) -> None:
        super().__init__(text)
        self.path = path


class JournalInUseError(JournalError):
    """Another process, or another batch in this process, has the journal open. Two
    runs on one journal could send the same row twice, so only one may hold it."""


class JournalMismatchError(BatchError, ValueError):
    """The journal was planned from a different input, or with a different default
    reason, default comment or test mode, than the call gives. Resuming it could skip
    or repeat rows; give the original input and settings, or a new journal.

    Attributes:
        path: The journal's path.
        setting: The setting that differs: ``"test_mode"``, ``"default_reason"``,
            ``"default_comment"``, ``"input_format"``, or ``"input_sha256"`` when the
            input's content differs.
        recorded: The value the journal recorded.
        given: The value given now.
    """

    path: str
    setting: str
    recorded: str
    given: str

    def __init__(self, text: str, *, path: str, setting: str, recorded: str, given: str) -> None:
        super().__init__(text)
        self.path = path
        self.setting = setting
        self.recorded = recorded
        self.given = given


class ReportError(BatchError, OSError):
    """The report cannot be written, or its file name has no known extension and no
    format is given.

    Attributes:
        path: The report's path.
    """

    path: str

    def __init__(self, text: str, *, path: str) -> None:
        super().__init__(text)
        self.path = path

"""The enums of ``sectigo_revoke``: reason codes, outcome kinds, the proxy choice, and
the states and results of batch rows."""

from __future__ import annotations

import enum

from sectigo_revoke import _native

__all__ = ["BatchStatus", "OutcomeKind", "Proxy", "Reason", "ResultKind", "RowStatus"]


class Reason(enum.IntEnum):
    """The RFC 5280 reason code sent as ``codeReason``.

    Sectigo accepts only the five codes a subscriber may request under the CA/Browser
    Forum Baseline Requirements (section 7.2.2). Besides the members and their codes,
    ``Reason()`` and ``Reason.parse()`` accept the names in any case, with or without
    ``-`` or ``_`` between the words: ``Reason("superseded")``,
    ``Reason("key-compromise")``, ``Reason("keyCompromise")``, ``Reason("4")``. The
    other RFC 5280 codes (2, 6, 8, 9, 10) raise ``InvalidRequestError``, a
    ``ValueError``; they are never turned into ``UNSPECIFIED``.

    Under Mozilla Root Store Policy 2.9 and later, ``KEY_COMPROMISE`` is meant for
    cases where the key is shown or reasonably suspected to be compromised.
    """

    UNSPECIFIED = 0
    """No reason given; the default."""
    KEY_COMPROMISE = 1
    """The private key is compromised or suspected to be."""
    AFFILIATION_CHANGED = 3
    """The subject's name or other information changed."""
    SUPERSEDED = 4
    """The certificate was replaced by a new one."""
    CESSATION_OF_OPERATION = 5
    """The certificate is no longer needed."""

    @classmethod
    def parse(cls, value: Reason | int | str) -> Reason:
        """Return the member for a code or a name, as ``Reason(value)`` does.

        Type checkers accept a name here, where ``Reason()`` is typed for codes only.

        Raises:
            InvalidRequestError: The value is not a reason a subscriber may request.
            TypeError: The value is not a ``Reason``, an ``int`` or a ``str``; ``True``
                and ``4.0`` are rejected although they equal a code.
        """
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(f"reason must be a Reason, an int code or a name, not {type(value).__name__}")
        if isinstance(value, cls):
            return value
        # The Rust core parses names and codes, so the rule exists once for every
        # front door; it raises InvalidRequestError for what it rejects.
        return cls(_native.parse_reason(str(value)))

    @classmethod
    def _missing_(cls, value: object) -> Reason | None:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return None
        return cls.parse(value)


class OutcomeKind(enum.Enum):
    """The way a revocation ended, when the certificate is no longer usable."""

    ACCEPTED = "accepted"
    """Code 0: Sectigo accepted the revocation, or rejected an order not yet issued
    (the response does not tell which)."""
    ALREADY_REVOKED = "already_revoked"
    """Code -21: the certificate was already revoked."""
    ALREADY_REJECTED = "already_rejected"
    """Code -20: the certificate request was already rejected."""
    EXPIRED = "expired"
    """Code -35: the certificate has expired and cannot be revoked."""


class Proxy(enum.Enum):
    """The proxy choice that is neither a URL nor ``None``.

    ``Client(proxy=...)`` takes ``Proxy.FROM_ENVIRONMENT`` (the default), a proxy URL
    such as ``"http://proxy.example:3128"`` or ``"socks5://127.0.0.1:1080"``, or
    ``None`` for a direct connection whatever the environment sets.
    """

    FROM_ENVIRONMENT = "from_environment"
    """The proxy named by ``ALL_PROXY``, ``HTTPS_PROXY`` or ``HTTP_PROXY`` (either
    case), honouring ``NO_PROXY``; a direct connection when none is set."""


class BatchStatus(enum.Enum):
    """Whether every row of a batch reached success or a final state."""

    SUCCEEDED = "succeeded"
    """Every row is done (accepted, already revoked, already rejected or expired), or
    is a duplicate of a row that is."""
    FINISHED_WITH_FAILURES = "finished_with_failures"
    """Every row is in a final state, but some failed or were invalid."""
    INCOMPLETE = "incomplete"
    """Some rows are not sent yet, retryable or unknown. Call ``revoke_many()`` again
    with the same journal to finish them."""


class RowStatus(enum.Enum):
    """The state of a batch row, as the journal records it."""

    PLANNED = "planned"
    """Valid and not sent yet."""
    SENDING = "sending"
    """The request is going out. A row left in this state by a crash becomes
    ``UNKNOWN`` when the journal is opened again."""
    DONE = "done"
    """Final: the certificate is no longer usable."""
    FAILED = "failed"
    """Final: the API rejected the request for this row, for example with code -4."""
    RETRYABLE = "retryable"
    """The request was provably not carried out; the next run sends it again."""
    UNKNOWN = "unknown"
    """The request was sent but no response could be read. Sent again only with
    ``retry_unknown=True``."""
    INVALID = "invalid"
    """The row failed validation and is never sent."""
    DUPLICATE = "duplicate"
    """The row names the same certificate as an earlier row, which is sent instead."""


class ResultKind(enum.Enum):
    """The result of a batch row's last request, or why the row is never sent."""

    ACCEPTED = "accepted"
    """Code 0."""
    ALREADY_REVOKED = "already_revoked"
    """Code -21."""
    ALREADY_REJECTED = "already_rejected"
    """Code -20."""
    EXPIRED = "expired"
    """Code -35."""
    API_ERROR = "api_error"
    """Any other code from the API; the row's ``code`` and ``message`` tell which."""
    RATE_LIMITED = "rate_limited"
    """Code -42 or HTTP 429."""
    NOT_SENT = "not_sent"
    """The request never reached the server."""
    REDIRECTED = "redirected"
    """The server responded with a redirect, which is not followed."""
    UNKNOWN = "unknown"
    """The request was sent, but no response could be read."""
    INVALID = "invalid"
    """The row failed validation."""
    DUPLICATE = "duplicate"
    """The row repeats an earlier row."""

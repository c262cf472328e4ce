"""The client that sends revocations."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TypeAlias

from sectigo_revoke import _native
from sectigo_revoke._errors import InvalidRequestError
from sectigo_revoke._native import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
    BatchProgress,
    BatchReport,
    DryRun,
    Outcome,
)
from sectigo_revoke._types import Proxy, Reason

__all__ = ["BatchRows", "Client"]

BatchRows: TypeAlias = Iterable[Mapping[str, str | int | None]]
"""Rows for ``Client.revoke_many()``: one mapping per certificate, from column name to
value."""

DEFAULT_CONCURRENCY = 4
"""The default number of requests ``revoke_many()`` keeps in flight at once."""

_LOGIN_NAME_VARIABLE = "SECTIGO_LOGIN_NAME"
_LOGIN_PASSWORD_VARIABLE = "SECTIGO_LOGIN_PASSWORD"
_ENDPOINT_VARIABLE = "SECTIGO_ENDPOINT"


class Client:
    """A client that sends revocations to one endpoint with one Sectigo login.

    Every argument is checked when the client is built, and no connection is opened
    until the first revocation. Connections are reused between calls. A client may be
    shared between threads. Calls release the interpreter while they wait for the
    network, so other Python threads run meanwhile. Use the client as a context
    manager, or call ``close()``, to drop its connections.

    The client keeps its copy of the password in the native module, zeroed in memory
    when the client is dropped, and never shows it in any ``repr``, message or log
    record. The ``str`` passed in belongs to the caller and is not zeroed.

    Args:
        login_name: The ``loginName`` of the Sectigo account, at most 64 characters.
        login_password: The ``loginPassword``, at most 128 characters.
        endpoint: The endpoint URL. It must use ``https://``; the path is sent byte
            for byte. Defaults to Sectigo's documented endpoint.
        timeout: The limit in seconds for one whole request, from resolving the host
            to the last byte of the response. It must be at least twice
            ``connect_timeout``. A request that runs out of time after connecting
            raises ``OutcomeUnknownError``.
        connect_timeout: The limit in seconds for resolving the host, connecting and
            the TLS handshake. A request that fails within it raises
            ``TransportError``.
        ca_bundle: A PEM file whose certificates are the only ones trusted, for a
            private CA, a TLS-inspecting proxy or the test simulator. Defaults to
            Mozilla's roots, compiled in.
        use_system_roots: Trust the operating system's store instead of Mozilla's
            roots. Cannot be combined with ``ca_bundle``.
        proxy: ``Proxy.FROM_ENVIRONMENT`` (the default) to use ``HTTPS_PROXY`` and
            the like, a proxy URL, or ``None`` for a direct connection.
        retries: How many times a failed request is repeated, 0 to 99. Only failures
            that provably revoked nothing are repeated: ``TransportError`` and
            ``RateLimitedError``. Waits grow exponentially from about 1 s up to 60 s,
            with random jitter. A ``Retry-After`` from the server replaces the wait,
            and one longer than 60 s ends the retries.

    Raises:
        InvalidRequestError: An argument is invalid; ``field`` names it.
        TypeError: An argument has the wrong type.

    TLS certificate verification cannot be turned off.
    """

    def __init__(
        self,
        login_name: str,
        login_password: str,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        ca_bundle: str | os.PathLike[str] | None = None,
        use_system_roots: bool = False,
        proxy: str | Proxy | None = Proxy.FROM_ENVIRONMENT,
        retries: int = 0,
    ) -> None:
        if proxy is not None and not isinstance(proxy, (str, Proxy)):
            raise TypeError(f"proxy must be a URL, Proxy.FROM_ENVIRONMENT or None, not {type(proxy).__name__}")

        self._native: _native.Client | None = _native.Client(
            login_name,
            login_password,
            endpoint=endpoint,
            timeout=timeout,
            connect_timeout=connect_timeout,
            ca_bundle=ca_bundle,
            use_system_roots=use_system_roots,
            proxy_url=proxy if isinstance(proxy, str) else None,
            proxy_from_environment=proxy is Proxy.FROM_ENVIRONMENT,
            retries=retries,
        )
        self._login_name = login_name
        self._endpoint = endpoint

    @classmethod
    def from_env(
        cls,
        *,
        environ: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        ca_bundle: str | os.PathLike[str] | None = None,
        use_system_roots: bool = False,
        proxy: str | Proxy | None = Proxy.FROM_ENVIRONMENT,
        retries: int = 0,
    ) -> Client:
        """Build a client from ``SECTIGO_LOGIN_NAME``, ``SECTIGO_LOGIN_PASSWORD`` and,
        when set, ``SECTIGO_ENDPOINT``.

        Args:
            environ: The variables to read. Defaults to ``os.environ``.
            timeout, connect_timeout, ca_bundle, use_system_roots, proxy, retries:
                As for ``Client()``.

        Raises:
            InvalidRequestError: A required variable is missing or empty, or a value is
                invalid.
        """
        variables = os.environ if environ is None else environ
        login_name = _required_variable(variables, _LOGIN_NAME_VARIABLE, field="loginName")
        login_password = _required_variable(variables, _LOGIN_PASSWORD_VARIABLE, field="loginPassword")
        endpoint = variables.get(_ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT

        return cls(
            login_name,
            login_password,
            endpoint=endpoint,
            timeout=timeout,
            connect_timeout=connect_timeout,
            ca_bundle=ca_bundle,
            use_system_roots=use_system_roots,
            proxy=proxy,
            retries=retries,
        )

    @property
    def login_name(self) -> str:
        """The ``loginName`` the client sends."""
        return self._login_name

    @property
    def endpoint(self) -> str:
        """The endpoint URL."""
        return self._endpoint

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called."""
        return self._native is None

    def revoke(
        self,
        *,
        order_number: int | str | None = None,
        certificate_id: int | str | None = None,
        serial_number: str | None = None,
        reason: Reason | int | str = Reason.UNSPECIFIED,
        comment: str | None = None,
        account_id: int | None = None,
        product_code: str | None = None,
        product: int | None = None,
        test_mode: bool = False,
        include_in_crl: bool = True,
    ) -> Outcome:
        """Revoke one certificate and wait for the response.

        Give exactly one identifier. Revoking by order number acts on the order's
        current certificate, which after a reissue is the replacement, not the
        original. To revoke one specific certificate, give its serial number or
        certificate ID.

        Args:
            order_number: The ``orderNumber``.
            certificate_id: The ``certificateID``, at most 16 digits.
            serial_number: The ``serialNumber`` in hex, in any spelling ``openssl``
                prints (``serial=00D9…``, ``00:d9:…``, ``0x…``), at most 34 digits.
            reason: The reason code, as a ``Reason``, a code or a name.
            comment: A free-text comment for your own records (``revocationReason``),
                at most 1024 characters. Sectigo takes no action on it.
            account_id: The reseller account (``accountID``); the login is then the
                reseller's.
            product_code: The ``productCode``, at most 50 characters.
            product: The numeric ``product``.
            test_mode: Send ``test=Y``: Sectigo validates the request and revokes
                nothing.
            include_in_crl: ``False`` sends ``includeInCRL=N``, which marks an issued
                certificate replaced instead of revoked.

        Returns:
            The outcome when the certificate is no longer usable: the revocation was
            accepted, or the certificate was already revoked, rejected or expired.

        Raises:
            InvalidRequestError: An argument is invalid; nothing was sent.
            AuthenticationError: The login was rejected or lacks permission.
            RateLimitedError: The call limit was reached; nothing was carried out.
            ApiError: The API rejected the request for another reason.
            TransportError: The request never reached the server.
            RedirectError: The endpoint responded with a redirect.
            OutcomeUnknownError: The request was sent and no response could be read.
            RuntimeError: The client is closed.
        """
        revocation = _revocation(
            order_number=order_number,
            certificate_id=certificate_id,
            serial_number=serial_number,
            reason=reason,
            comment=comment,
            account_id=account_id,
            product_code=product_code,
            product=product,
            test_mode=test_mode,
            include_in_crl=include_in_crl,
        )
        return self._open().revoke(revocation)

    def dry_run(
        self,
        *,
        order_number: int | str | None = None,
        certificate_id: int | str | None = None,
        serial_number: str | None = None,
        reason: Reason | int | str = Reason.UNSPECIFIED,
        comment: str | None = None,
        account_id: int | None = None,
        product_code: str | None = None,
        product: int | None = None,
        test_mode: bool = False,
        include_in_crl: bool = True,
    ) -> DryRun:
        """Return the exact request ``revoke()`` would send, with the password
        replaced by ``********``. Validates the arguments as ``revoke()`` does and
        sends nothing.

        Raises:
            InvalidRequestError: An argument is invalid.
            RuntimeError: The client is closed.
        """
        revocation = _revocation(
            order_number=order_number,
            certificate_id=certificate_id,
            serial_number=serial_number,
            reason=reason,
            comment=comment,
            account_id=account_id,
            product_code=product_code,
            product=product,
            test_mode=test_mode,
            include_in_crl=include_in_crl,
        )
        return self._open().dry_run(revocation)

    def revoke_many(
        self,
        rows: BatchRows | str | os.PathLike[str],
        *,
        journal: str | os.PathLike[str] | None,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
        retry_unknown: bool = False,
        reason: Reason | int | str | None = None,
        comment: str | None = None,
        test_mode: bool = False,
        on_progress: Callable[[BatchProgress], object] | None = None,
        dry_run: bool = False,
    ) -> BatchReport:
        """Revoke many certificates, each once, keeping a journal so that an
        interrupted batch can be resumed.

        Every row is validated and de-duplicated first; invalid and duplicate rows
        are reported and never sent. The valid rows are then sent by ``concurrency``
        worker threads sharing this client, and the journal (a SQLite file) records
        each row before and after its request. The call returns when every row is
        handled, the run is cancelled, or an error that concerns every row (such as a
        rejected login) stops it.

        Resuming: call again with the same rows (or file), the same journal and the
        same ``reason``, ``comment`` and ``test_mode``. Rows with a final result are
        never sent again. A row whose request was cut off has an unknown outcome,
        because Sectigo may or may not have carried it out. Such rows are sent again
        only with ``retry_unknown=True``, and a repeat of a revocation that went
        through then returns "already revoked".

        The interpreter is released while the batch runs, so other Python threads go
        on. ``on_progress`` is called after each row from one of the worker threads,
        never two calls at once, with the interpreter held only for the call. When it
        returns ``False``, the run is cancelled: no new rows are taken, the requests
        in flight finish and are journalled, and the report comes back with
        ``cancelled`` set. An exception raised in ``on_progress`` cancels the run the
        same way and is then raised from ``revoke_many()``. Ctrl-C does the same with
        ``KeyboardInterrupt``
        when ``revoke_many()`` runs on the main thread, which checks for signals every
        50 ms: the call returns once the requests in flight have ended, within the
        client's ``timeout``. A Ctrl-C while the rows are being planned takes effect
        once planning ends, before anything is sent. Either way the journal is
        consistent and the batch can be resumed.

        Args:
            rows: An iterable of mappings, one per row, from column name to value,
                or the path of a CSV or JSON Lines file (``.csv``; ``.jsonl``,
                ``.ndjson`` or ``.json``). The columns are ``order_number``,
                ``certificate_id``, ``serial_number``, ``cert`` (the path of a PEM or
                DER certificate file), ``reason``, ``comment``, ``account_id``,
                ``product_code`` and ``product``, and each row needs exactly one of
                the first four. A value is a ``str``, an ``int`` in the numeric
                columns, or ``None`` for absent. Mappings are read into memory
                before planning starts; a file is read one row at a time.
            journal: The journal file. It is created when missing and resumed when
                it holds a complete plan. May be ``None`` only with ``dry_run=True``.
            concurrency: The number of worker threads, each with one request in
                flight, 1 to 256.
            rate: The maximum number of requests per second across all workers, or
                ``None`` for no limit.
            retry_unknown: Send again the rows whose outcome is unknown.
            reason: The reason code for rows without a ``reason`` value, as a
                ``Reason``, a code or a name. Defaults to unspecified.
            comment: The comment (``revocationReason``) for rows without a
                ``comment`` value.
            test_mode: Send every row with ``test=Y``: Sectigo validates each
                request and revokes nothing.
            on_progress: A function called with a ``BatchProgress`` after each row
                the run finishes with. Returning ``False`` cancels the run; any other
                value, ``None`` included, lets it go on.
            dry_run: Only plan the rows, in a temporary journal, and send nothing.
                The report then shows every valid row as planned and lists the
                invalid and duplicate ones. ``journal`` is not touched.

        Returns:
            The report as it stood when the call returned: the counts by result, the
            overall status, the rows that were rejected, and every row's result. The
            journal is closed by then.

        Raises:
            BatchInputError: The input cannot be read, or names an unknown column;
                nothing was sent.
            JournalInUseError: Another batch has the journal open.
            JournalMismatchError: The journal was planned from other rows or
                settings.
            JournalError: The journal cannot be created, read or written.
            InvalidRequestError: ``concurrency``, ``rate``, ``reason`` or
                ``comment`` is invalid.
            TypeError: ``rows`` or one of its values has the wrong type, or
                ``journal`` is ``None`` without ``dry_run=True``.
            RuntimeError: The client is closed.
            Exception: Whatever ``on_progress`` raised, and ``KeyboardInterrupt``.
        """
        if isinstance(rows, (bytes, bytearray)):
            raise TypeError("rows must be an iterable of mappings or a path given as str or os.PathLike, not bytes")
        path: str | os.PathLike[str] | None = None
        mappings: BatchRows | None = None
        if isinstance(rows, (str, os.PathLike)):
            path = rows
        else:
            mappings = rows
        return self._open().revoke_many(
            path=path,
            rows=mappings,
            journal=journal,
            concurrency=concurrency,
            rate=rate,
            retry_unknown=retry_unknown,
            reason=None if reason is None else int(Reason.parse(reason)),
            comment=comment,
            test_mode=test_mode,
            on_progress=on_progress,
            dry_run=dry_run,
        )

    def close(self) -> None:
        """Drop the client's connections. Later calls raise ``RuntimeError``, and calls
        already running finish first."""
        self._native = None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = ", closed" if self.closed else ""
        return f"Client(login_name={self._login_name!r}, endpoint={self._endpoint!r}{state})"

    def _open(self) -> _native.Client:
        if self._native is None:
            raise RuntimeError("the client is closed; create a new Client to send more requests")
        return self._native


def _revocation(
    *,
    order_number: int | str | None,
    certificate_id: int | str | None,
    serial_number: str | None,
    reason: Reason | int | str,
    comment: str | None,
    account_id: int | None,
    product_code: str | None,
    product: int | None,
    test_mode: bool,
    include_in_crl: bool,
) -> _native.Revocation:
    return _native.Revocation(
        order_number=order_number,
        certificate_id=certificate_id,
        serial_number=serial_number,
        reason=int(Reason.parse(reason)),
        comment=comment,
        account_id=account_id,
        product_code=product_code,
        product=product,
        test_mode=test_mode,
        include_in_crl=include_in_crl,
    )


def _required_variable(variables: Mapping[str, str], name: str, *, field: str) -> str:
    value = variables.get(name)
    if not value:
        problem = f"{name} is not set or empty; export it, or build the Client with explicit arguments"
        raise InvalidRequestError(f"invalid {field}: {problem}", field=field, problem=problem)
    return value

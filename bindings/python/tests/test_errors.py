"""Every way a revocation fails raises its own exception class, with its attributes."""

from __future__ import annotations

import pathlib
import pickle
import socket
from typing import Literal

import pytest

from sectigo_revoke import (
    ApiError,
    AuthenticationError,
    Client,
    InvalidRequestError,
    OutcomeKind,
    OutcomeUnknownError,
    RateLimitedError,
    RedirectError,
    SectigoError,
    TransportError,
)
from sectigo_revoke.testing import FaultKind, Simulator
from support import CANARY_PASSWORD, LOGIN_NAME, ClientFactory


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        port: int = listener.getsockname()[1]
    return port


def test_unknown_certificate_is_api_error(client: Client) -> None:
    with pytest.raises(ApiError) as raised:
        client.revoke(certificate_id=42)

    error = raised.value
    assert type(error) is ApiError
    assert error.code == -4
    assert error.message == "The certificate was not found."
    assert error.item == "certificateID"
    assert error.http_status == 200
    assert str(error) == "API error -4 (argument value invalid): The certificate was not found. [item: certificateID]"


def test_certificate_being_issued_is_api_error(client: Client) -> None:
    with pytest.raises(ApiError) as raised:
        client.revoke(certificate_id=2000004)

    assert raised.value.code == -26
    assert raised.value.message == "The certificate is currently being issued."


def test_server_error_code_is_api_error(client: Client, simulator: Simulator) -> None:
    simulator.inject_fault("unknown_error")

    with pytest.raises(ApiError) as raised:
        client.revoke(certificate_id=2000001)

    assert type(raised.value) is ApiError
    assert raised.value.code == -14
    assert simulator.certificate_state(2000001) == "issued"


def test_wrong_password_is_authentication_error(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client(login_password="wrong-password", retries=3)

    with pytest.raises(AuthenticationError) as raised:
        client.revoke(certificate_id=2000001)

    error = raised.value
    assert isinstance(error, ApiError)
    assert error.code == -16
    assert error.message is not None and "login details are incorrect" in error.message
    assert len(simulator.requests()) == 1, "-16 is never retried"


def test_call_limit_is_rate_limited(tmp_path: pathlib.Path) -> None:
    with Simulator(LOGIN_NAME, CANARY_PASSWORD, call_limit=1, call_limit_window=60.0) as limited:
        limited_ca = tmp_path / "ca.pem"
        limited.write_ca_pem(limited_ca)
        client = Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=limited.endpoint, ca_bundle=limited_ca, proxy=None)
        assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ACCEPTED

        with pytest.raises(RateLimitedError) as raised:
            client.revoke(certificate_id=2000002)

        error = raised.value
        assert isinstance(error, ApiError)
        assert error.code == -42
        assert error.retry_after is None
        assert error.http_status == 200
        assert limited.certificate_state(2000002) == "issued"


def test_status_429_reports_retry_after(client: Client, simulator: Simulator) -> None:
    simulator.inject_fault("too_many_requests", retry_after_secs=17)

    with pytest.raises(RateLimitedError) as raised:
        client.revoke(certificate_id=2000001)

    error = raised.value
    assert error.code is None
    assert error.http_status == 429
    assert error.retry_after == 17.0


def test_rate_limit_retried_then_accepted(make_client: ClientFactory, simulator: Simulator) -> None:
    simulator.inject_fault("call_limit")
    client = make_client(retries=1)

    outcome = client.revoke(certificate_id=2000001)

    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.attempts == 2
    assert [request.code for request in simulator.requests()] == [-42, 0]


def test_connection_refused_is_transport_error() -> None:
    port = closed_port()
    client = Client(
        LOGIN_NAME,
        CANARY_PASSWORD,
        endpoint=f"https://127.0.0.1:{port}/products/!AutoRevokeCertificate",
        proxy=None,
        connect_timeout=2.0,
        timeout=5.0,
    )

    with pytest.raises(TransportError) as raised:
        client.revoke(certificate_id=2000001)

    error = raised.value
    assert isinstance(error, OSError)
    assert error.cause == "connect"
    assert error.endpoint == f"https://127.0.0.1:{port}/products/!AutoRevokeCertificate"
    assert error.http_status is None
    assert str(error).startswith(f"request not sent to https://127.0.0.1:{port}/")


def test_untrusted_certificate_is_transport_error(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client(ca_bundle=None)

    with pytest.raises(TransportError) as raised:
        client.revoke(certificate_id=2000001)

    assert raised.value.cause == "tls"
    assert simulator.requests() == []


@pytest.mark.parametrize("server_certificate", ["expired", "wrong_host"])
def test_bad_server_certificate_is_transport_error(
    tmp_path: pathlib.Path, server_certificate: Literal["expired", "wrong_host"]
) -> None:
    with Simulator(LOGIN_NAME, CANARY_PASSWORD, server_certificate=server_certificate) as broken:
        ca = tmp_path / "ca.pem"
        broken.write_ca_pem(ca)
        client = Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=broken.endpoint, ca_bundle=ca, proxy=None)

        with pytest.raises(TransportError) as raised:
            client.revoke(certificate_id=2000001)

        assert raised.value.cause == "tls"
        assert broken.requests() == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_not_followed(client: Client, simulator: Simulator, status: int) -> None:
    location = "https://127.0.0.1:9/products/!AutoRevokeCertificate"
    simulator.inject_fault("redirect", status=status, location=location)

    with pytest.raises(RedirectError) as raised:
        client.revoke(certificate_id=2000001)

    error = raised.value
    assert error.http_status == status
    assert error.location == location
    assert location in str(error)
    assert len(simulator.requests()) == 1


def test_timeout_after_sending_is_unknown(make_client: ClientFactory, simulator: Simulator) -> None:
    simulator.inject_fault("slow_reply", delay_ms=3000)
    client = make_client(connect_timeout=0.3, timeout=0.8)

    with pytest.raises(OutcomeUnknownError) as raised:
        client.revoke(certificate_id=2000001)

    error = raised.value
    assert error.cause == "timeout"
    assert not isinstance(error, OSError)
    # The slow reply carried out the revocation; the client could not know.
    assert simulator.certificate_state(2000001) == "revoked"


@pytest.mark.parametrize(
    ("fault", "cause", "http_status"),
    [
        ("empty_body", "empty_body", 200),
        ("html_body", "foreign_body", 200),
        ("server_error_html", "foreign_body", 500),
        ("service_unavailable_html", "foreign_body", 503),
        ("reset", "connection", None),
        ("truncated_body", "connection", None),
    ],
)
def test_unreadable_responses_are_unknown(
    client: Client, simulator: Simulator, fault: FaultKind, cause: str, http_status: int | None
) -> None:
    simulator.inject_fault(fault)

    with pytest.raises(OutcomeUnknownError) as raised:
        client.revoke(certificate_id=2000001)

    error = raised.value
    assert error.cause == cause
    if http_status is not None:
        assert error.http_status == http_status
    assert "may or may not be revoked" in str(error)


def test_oversized_body_is_unknown(client: Client, simulator: Simulator) -> None:
    simulator.inject_fault("oversized_body", body_bytes=200_000)

    with pytest.raises(OutcomeUnknownError) as raised:
        client.revoke(certificate_id=2000001)

    assert raised.value.cause == "body_too_large"
    assert raised.value.http_status == 200
    assert "65536 bytes" in raised.value.detail


def test_unknown_outcome_not_retried(make_client: ClientFactory, simulator: Simulator) -> None:
    simulator.inject_fault("empty_body")
    client = make_client(retries=3)

    with pytest.raises(OutcomeUnknownError):
        client.revoke(certificate_id=2000001)

    assert len(simulator.requests()) == 1


def test_hierarchy() -> None:
    assert issubclass(InvalidRequestError, SectigoError)
    assert issubclass(InvalidRequestError, ValueError)
    assert issubclass(AuthenticationError, ApiError)
    assert issubclass(RateLimitedError, ApiError)
    assert issubclass(ApiError, SectigoError)
    assert issubclass(TransportError, SectigoError)
    assert issubclass(TransportError, OSError)
    assert issubclass(OutcomeUnknownError, SectigoError)
    assert not issubclass(OutcomeUnknownError, OSError)
    assert issubclass(RedirectError, SectigoError)


ALL_ERRORS = [
    SectigoError,
    InvalidRequestError,
    ApiError,
    AuthenticationError,
    RateLimitedError,
    TransportError,
    OutcomeUnknownError,
    RedirectError,
]


@pytest.mark.parametrize("error_class", ALL_ERRORS)
def test_exceptions_documented(error_class: type[SectigoError]) -> None:
    assert error_class.__doc__ is not None
    assert len(error_class.__doc__.strip()) > 40
    assert error_class.__module__ == "sectigo_revoke._errors"


CONSTRUCTED = [
    SectigoError("base failure", http_status=418),
    InvalidRequestError("invalid serialNumber: bad", field="serialNumber", problem="bad", argument="serial_number"),
    ApiError("API error -4", code=-4, message="not found", item="certificateID", http_status=200),
    AuthenticationError("API error -16", code=-16, message="login", item=None, http_status=200),
    RateLimitedError("rate limited", code=None, retry_after=17.0, http_status=429),
    TransportError("request not sent", endpoint="https://127.0.0.1:1/x", cause="connect", detail="refused"),
    OutcomeUnknownError("outcome unknown", cause="timeout", detail="timed out", http_status=None),
    RedirectError("redirect", http_status=302, location="https://elsewhere.invalid/"),
]


@pytest.mark.parametrize("error", CONSTRUCTED, ids=lambda error: type(error).__name__)
def test_constructed_exceptions_pickle(error: SectigoError) -> None:
    restored = pickle.loads(pickle.dumps(error))

    assert type(restored) is type(error)
    assert str(restored) == str(error)
    assert restored.args == error.args
    assert vars(restored) == vars(error)


def test_raised_exceptions_pickle(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client()
    simulator.inject_fault("too_many_requests", retry_after_secs=5)
    simulator.inject_fault("redirect", status=302, location="https://127.0.0.1:9/x")
    simulator.inject_fault("html_body")
    raised: list[SectigoError] = []
    for certificate_id in [2000001, 2000001, 2000001, 42]:
        with pytest.raises(SectigoError) as caught:
            client.revoke(certificate_id=certificate_id)
        raised.append(caught.value)
    with pytest.raises(SectigoError) as caught:
        client.revoke(serial_number="not hex")
    raised.append(caught.value)
    with pytest.raises(SectigoError) as caught:
        make_client(ca_bundle=None).revoke(certificate_id=2000001)
    raised.append(caught.value)

    kinds = [type(error) for error in raised]
    assert kinds == [RateLimitedError, RedirectError, OutcomeUnknownError, ApiError, InvalidRequestError, TransportError]
    for error in raised:
        restored = pickle.loads(pickle.dumps(error))
        assert type(restored) is type(error)
        assert str(restored) == str(error)
        assert vars(restored) == vars(error)

"""Responses the simulator never sends, from a scripted HTTPS server on loopback."""

from __future__ import annotations

import pathlib
import urllib.parse

import pytest

from scripted_server import ReceivedRequest, ScriptedServer, generate_certificates
from sectigo_revoke import ApiError, AuthenticationError, Client, Outcome, OutcomeKind, RedirectError
from support import CANARY_PASSWORD, LOGIN_NAME

Certificates = tuple[pathlib.Path, pathlib.Path, pathlib.Path]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return generate_certificates(tmp_path_factory.mktemp("scripted-certificates"))


def revoke_against(
    certificates: Certificates, body: str, status: int = 200
) -> tuple[Outcome, list[ReceivedRequest]]:
    """Revoke certificate ID 2000001 against a server that sends ``body``, and return
    the outcome and the requests the server received. Exceptions propagate."""
    ca, certificate, key = certificates
    with ScriptedServer(certificate, key, body, status) as server:
        client = Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=server.endpoint, ca_bundle=ca, proxy=None)
        outcome = client.revoke(certificate_id=2000001)
    return outcome, server.received


def test_permission_denied_is_authentication_error(certificates: Certificates) -> None:
    body = "errorCode=-91&errorMessage=Permission+denied%21"

    with pytest.raises(AuthenticationError) as raised:
        revoke_against(certificates, body)

    assert raised.value.code == -91
    assert raised.value.message == "Permission denied!"
    assert raised.value.http_status == 200


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("errorCode=-43&errorMessage=Not+allowed+now", -43, "Not allowed now"),
        ("-160\nUpstream CA: request refused\n", -160, "Upstream CA: request refused"),
        ("7\n", 7, None),
    ],
)
def test_other_codes_are_api_errors(certificates: Certificates, body: str, code: int, message: str | None) -> None:
    with pytest.raises(ApiError) as raised:
        revoke_against(certificates, body)

    assert type(raised.value) is ApiError
    assert raised.value.code == code
    assert raised.value.message == message


def test_text_format_with_crlf(certificates: Certificates) -> None:
    outcome, _ = revoke_against(certificates, "-21\r\nThe certificate has already been revoked.\r\n")

    assert outcome.kind is OutcomeKind.ALREADY_REVOKED
    assert outcome.message == "The certificate has already been revoked."


def test_api_body_decides_over_status(certificates: Certificates) -> None:
    outcome, _ = revoke_against(certificates, "errorCode=0", status=503)

    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.http_status == 503


def test_redirect_without_location(certificates: Certificates) -> None:
    with pytest.raises(RedirectError) as raised:
        revoke_against(certificates, "", status=302)

    assert raised.value.location == "(none)"
    assert raised.value.http_status == 302


def test_request_headers_and_body(certificates: Certificates) -> None:
    _, received = revoke_against(certificates, "errorCode=0")

    [request] = received
    assert request.method == "POST"
    assert request.path == "/products/!AutoRevokeCertificate"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["user-agent"] == "sectigo-revoke/0.1.0"
    assert urllib.parse.parse_qsl(request.body) == [
        ("loginName", LOGIN_NAME),
        ("loginPassword", CANARY_PASSWORD),
        ("certificateID", "2000001"),
        ("codeReason", "0"),
        ("responseFormat", "1"),
    ]

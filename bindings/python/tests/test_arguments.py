"""Invalid arguments raise before anything is sent, naming the field and the fix."""

from __future__ import annotations

import math
import pathlib
from typing import Any

import pytest

from sectigo_revoke import DEFAULT_ENDPOINT, Client, DryRun, InvalidRequestError, OutcomeKind, Proxy
from sectigo_revoke.testing import Simulator
from support import CANARY_PASSWORD, LOGIN_NAME, ClientFactory, assert_no_canary


@pytest.mark.parametrize(
    ("arguments", "field", "argument", "problem_start"),
    [
        ({}, "certificate identifier", None, "missing; set one of orderNumber"),
        ({"order_number": 1, "certificate_id": 2}, "certificate identifier", None, "orderNumber and certificateID"),
        ({"order_number": -5}, "orderNumber", "order_number", "'-' is not a decimal digit"),
        ({"order_number": 0}, "orderNumber", "order_number", "0 is not a valid identifier"),
        ({"order_number": "12a"}, "orderNumber", "order_number", "'a' is not a decimal digit"),
        ({"certificate_id": 10**16}, "certificateID", "certificate_id", "17 digits is more than the 16 allowed"),
        ({"serial_number": "00:zz"}, "serialNumber", "serial_number", "'z' at position"),
        ({"serial_number": "ab" * 18}, "serialNumber", "serial_number", "36 hex digits is more than the 34"),
        ({"serial_number": ""}, "serialNumber", "serial_number", "missing"),
        ({"certificate_id": 1, "comment": "x" * 1025}, "revocationReason", "comment", "1025 characters is more"),
        ({"certificate_id": 1, "comment": "line\nbreak"}, "revocationReason", "comment", "control character U+000A"),
        ({"certificate_id": 1, "product_code": "p" * 51}, "productCode", "product_code", "51 characters"),
        ({"certificate_id": 1, "product_code": ""}, "productCode", "product_code", "empty; leave it unset"),
        ({"certificate_id": 1, "account_id": 0}, "accountID", "account_id", "0 is not an account ID"),
        ({"certificate_id": 1, "account_id": -1}, "accountID", "account_id", "-1 is not between 0 and"),
        ({"certificate_id": 1, "product": 2**64}, "product", "product", "18446744073709551616 is not between"),
        ({"certificate_id": 1, "reason": 6}, "codeReason", "reason", "6 (certificateHold) may not be requested"),
        ({"certificate_id": 1, "reason": "hold"}, "codeReason", "reason", '"hold" is not a reason name or code'),
    ],
)
def test_invalid_revocation_arguments(
    client: Client,
    simulator: Simulator,
    arguments: dict[str, Any],
    field: str,
    argument: str | None,
    problem_start: str,
) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        client.revoke(**arguments)

    error = raised.value
    assert isinstance(error, ValueError)
    assert error.field == field
    assert error.argument == argument
    assert problem_start in error.problem
    assert str(error).startswith(f"invalid {field}")
    if argument is not None and argument != field:
        assert f"(argument {argument})" in str(error)
    assert simulator.requests() == []


def test_dry_run_validates_like_revoke(client: Client) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        client.dry_run(serial_number="xyz")

    assert raised.value.field == "serialNumber"


@pytest.mark.parametrize(
    ("arguments", "message_start"),
    [
        ({"order_number": True}, "order_number must be an int or a str of decimal digits, not bool"),
        ({"certificate_id": 2000001.0}, "certificate_id must be an int or a str of decimal digits, not float"),
        ({"serial_number": 0xAB}, "serial_number must be a str of hex digits, not int"),
        ({"certificate_id": 1, "account_id": "7"}, "account_id must be an int, not str"),
        ({"certificate_id": 1, "product": False}, "product must be an int, not bool"),
        ({"certificate_id": 1, "reason": True}, "reason must be a Reason, an int code or a name, not bool"),
        ({"certificate_id": 1, "reason": 4.0}, "reason must be a Reason, an int code or a name, not float"),
        ({"certificate_id": 1, "test_mode": 1}, "test_mode: 'int' object is not an instance of 'bool'"),
        ({"certificate_id": 1, "comment": 5}, "comment: 'int' object is not an instance of 'str'"),
    ],
)
def test_wrong_types_rejected(
    client: Client, simulator: Simulator, arguments: dict[str, Any], message_start: str
) -> None:
    with pytest.raises(TypeError) as raised:
        client.revoke(**arguments)

    assert str(raised.value).startswith(message_start)
    assert simulator.requests() == []


@pytest.mark.parametrize(
    ("options", "field", "argument", "problem_part"),
    [
        ({"login_name": ""}, "loginName", "login_name", "missing; the value is required"),
        ({"login_name": "n" * 65}, "loginName", "login_name", "65 characters is more than the 64 allowed"),
        ({"login_password": "canary" + "x" * 123}, "loginPassword", "login_password", "129 characters"),
        ({"login_password": "canary\ttab"}, "loginPassword", "login_password", "control character U+0009"),
        ({"endpoint": "http://127.0.0.1:9/x"}, "endpoint", "endpoint", "uses plain HTTP"),
        ({"endpoint": "ftp://127.0.0.1/x"}, "endpoint", "endpoint", "is not an https:// URL"),
        ({"endpoint": "https://user:pw@127.0.0.1/x"}, "endpoint", "endpoint", "carries user information"),
        ({"timeout": -1.0}, "timeout", "timeout", "-1.0 is not a number of seconds"),
        ({"timeout": math.nan}, "timeout", "timeout", "NaN is not a number of seconds"),
        ({"connect_timeout": math.inf}, "timeout", "connect_timeout", "inf is not a number of seconds"),
        ({"timeout": 0.0}, "timeout", None, "a timeout of 0 would fail every request"),
        ({"connect_timeout": 8.0, "timeout": 10.0}, "timeout", None, "less than twice the connect timeout"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "CA bundle", "ca_bundle", "cannot read /nonexistent/ca.pem"),
        ({"use_system_roots": True}, "CA bundle", "ca_bundle", "choose one of the two"),
        ({"proxy": "http://user:secret@"}, "proxy", "proxy", "not a valid proxy URL"),
        ({"retries": -1}, "retry policy", "retries", "-1 is outside 0 to 99"),
        ({"retries": 100}, "retry policy", "retries", "100 is outside 0 to 99"),
    ],
)
def test_invalid_client_arguments(
    make_client: ClientFactory,
    options: dict[str, Any],
    field: str,
    argument: str | None,
    problem_part: str,
) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        make_client(**options)

    error = raised.value
    assert error.field == field
    assert error.argument == argument
    assert problem_part in error.problem
    assert_no_canary(str(error))
    assert "secret" not in str(error)


def test_ca_bundle_without_certificates(make_client: ClientFactory, tmp_path: pathlib.Path) -> None:
    bundle = tmp_path / "empty.pem"
    bundle.write_text("no certificates here\n")

    with pytest.raises(InvalidRequestError) as raised:
        make_client(ca_bundle=bundle)

    assert raised.value.field == "CA bundle"
    assert "contains no certificate" in raised.value.problem


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"proxy": 3128}, "proxy must be a URL, Proxy.FROM_ENVIRONMENT or None, not int"),
        ({"login_name": None}, "login_name: 'None' is not an instance of 'str'"),
        ({"timeout": "30"}, "timeout: must be real number, not str"),
        ({"use_system_roots": "yes"}, "use_system_roots: 'str' object is not an instance of 'bool'"),
        ({"ca_bundle": 5}, "ca_bundle: "),
        ({"retries": 1.5}, "retries: 'float' object cannot be interpreted as an integer"),
    ],
)
def test_client_arguments_of_wrong_type(make_client: ClientFactory, options: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError) as raised:
        make_client(**options)

    assert str(raised.value).startswith(message)


def test_defaults_without_connecting() -> None:
    client = Client(LOGIN_NAME, CANARY_PASSWORD, proxy=Proxy.FROM_ENVIRONMENT)

    assert client.endpoint == DEFAULT_ENDPOINT
    assert client.login_name == LOGIN_NAME
    request = client.dry_run(order_number=1234567)
    assert request.url == "https://secure.trust-provider.com/products/!AutoRevokeCertificate"


def test_dry_run_shows_exact_request(client: Client, simulator: Simulator) -> None:
    request = client.dry_run(serial_number="00:ab", reason="superseded", comment="moved & rekeyed")

    assert isinstance(request, DryRun)
    assert request.method == "POST"
    assert request.url == simulator.endpoint
    assert request.body == (
        f"loginName={LOGIN_NAME}&loginPassword=********&serialNumber=00AB&codeReason=4"
        "&revocationReason=moved+%26+rekeyed&responseFormat=1"
    )
    assert request.parameters == [
        ("loginName", LOGIN_NAME),
        ("loginPassword", "********"),
        ("serialNumber", "00AB"),
        ("codeReason", "4"),
        ("revocationReason", "moved & rekeyed"),
        ("responseFormat", "1"),
    ]
    assert request.headers == [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("User-Agent", "sectigo-revoke/0.1.0"),
    ]
    assert str(request) == (
        f"POST {simulator.endpoint}\n"
        "Content-Type: application/x-www-form-urlencoded\n"
        "User-Agent: sectigo-revoke/0.1.0\n"
        "\n" + request.body
    )
    assert simulator.requests() == []


def test_from_env_reads_variables(simulator: Simulator, ca_file: pathlib.Path) -> None:
    environ = {
        "SECTIGO_LOGIN_NAME": LOGIN_NAME,
        "SECTIGO_LOGIN_PASSWORD": CANARY_PASSWORD,
        "SECTIGO_ENDPOINT": simulator.endpoint,
    }

    client = Client.from_env(environ=environ, ca_bundle=ca_file, proxy=None)

    assert client.login_name == LOGIN_NAME
    assert client.endpoint == simulator.endpoint
    assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ACCEPTED


def test_from_env_uses_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECTIGO_LOGIN_NAME", "from-process")
    monkeypatch.setenv("SECTIGO_LOGIN_PASSWORD", CANARY_PASSWORD)
    monkeypatch.delenv("SECTIGO_ENDPOINT", raising=False)

    client = Client.from_env(proxy=None)

    assert client.login_name == "from-process"
    assert client.endpoint == DEFAULT_ENDPOINT


@pytest.mark.parametrize(
    ("environ", "field", "variable"),
    [
        ({"SECTIGO_LOGIN_PASSWORD": CANARY_PASSWORD}, "loginName", "SECTIGO_LOGIN_NAME"),
        ({"SECTIGO_LOGIN_NAME": LOGIN_NAME}, "loginPassword", "SECTIGO_LOGIN_PASSWORD"),
        ({"SECTIGO_LOGIN_NAME": LOGIN_NAME, "SECTIGO_LOGIN_PASSWORD": ""}, "loginPassword", "SECTIGO_LOGIN_PASSWORD"),
    ],
)
def test_from_env_missing_variable(environ: dict[str, str], field: str, variable: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        Client.from_env(environ=environ, proxy=None)

    assert raised.value.field == field
    assert raised.value.problem.startswith(f"{variable} is not set or empty; export it")
    assert_no_canary(str(raised.value))


def test_context_manager_closes(make_client: ClientFactory) -> None:
    with make_client() as client:
        assert client.closed is False
        assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ACCEPTED

    assert client.closed is True
    assert repr(client).endswith(", closed)")
    with pytest.raises(RuntimeError, match="the client is closed"):
        client.revoke(certificate_id=2000002)
    with pytest.raises(RuntimeError, match="the client is closed"):
        client.dry_run(certificate_id=2000002)

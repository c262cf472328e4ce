"""sectigo_revoke.testing.Simulator, as users call it from their own tests."""

from __future__ import annotations

import json
import pathlib
import re

import pytest

from sectigo_revoke import Client, InvalidRequestError, OutcomeKind, TransportError
from sectigo_revoke.testing import LoggedRequest, Simulator
from support import CANARY_PASSWORD, LOGIN_NAME


def client_for(simulator: Simulator, ca: pathlib.Path) -> Client:
    simulator.write_ca_pem(ca)
    return Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=simulator.endpoint, ca_bundle=ca, proxy=None)


def test_endpoint_and_ca(simulator: Simulator, tmp_path: pathlib.Path) -> None:
    assert re.fullmatch(r"https://127\.0\.0\.1:(\d+)/products/!AutoRevokeCertificate", simulator.endpoint)
    assert simulator.endpoint == f"https://127.0.0.1:{simulator.port}/products/!AutoRevokeCertificate"
    assert simulator.ca_pem.startswith("-----BEGIN CERTIFICATE-----\n")

    path = tmp_path / "ca.pem"
    simulator.write_ca_pem(path)
    assert path.read_text() == simulator.ca_pem


def test_write_ca_pem_reports_unwritable_path(simulator: Simulator, tmp_path: pathlib.Path) -> None:
    with pytest.raises(OSError, match="cannot write the CA file"):
        simulator.write_ca_pem(tmp_path / "missing-folder" / "ca.pem")


def test_request_log(client: Client, simulator: Simulator) -> None:
    client.revoke(certificate_id=2000001, test_mode=True)
    with pytest.raises(Exception):
        client.revoke(certificate_id=42)

    requests = simulator.requests()
    assert [request.sequence for request in requests] == [1, 2]
    first = requests[0]
    assert isinstance(first, LoggedRequest)
    assert first.identifier == "certificateID=2000001"
    assert first.code == 0
    assert first.fault is None
    assert first.test_mode is True
    assert first.time_ms > 1_600_000_000_000
    assert requests[1].code == -4


def test_connections_reused(client: Client, simulator: Simulator) -> None:
    for certificate_id in [2000001, 2000002, 2000005]:
        client.revoke(certificate_id=certificate_id)

    assert len(simulator.requests()) == 3
    assert simulator.connection_count == 1


def test_fault_applies_count_times(client: Client, simulator: Simulator) -> None:
    simulator.inject_fault("unknown_error", 2)

    for _ in range(2):
        with pytest.raises(Exception):
            client.revoke(certificate_id=2000001)
    assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ACCEPTED
    assert [request.fault for request in simulator.requests()] == ["unknown_error", "unknown_error", None]


def test_invalid_faults_rejected(simulator: Simulator) -> None:
    with pytest.raises(ValueError, match="unknown variant `slow`, expected one of `slow_reply`"):
        simulator.inject_fault("slow")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="missing field `delay_ms`"):
        simulator.inject_fault("slow_reply")


def test_custom_catalogue(tmp_path: pathlib.Path) -> None:
    catalogue = tmp_path / "catalogue.json"
    entries = [
        {"order_number": 11, "certificate_id": 21, "serial_number": "0A0B", "state": "issued"},
        {"order_number": 12, "certificate_id": 22, "serial_number": "0C0D", "state": "expired"},
    ]
    catalogue.write_text(json.dumps({"certificates": entries}))

    with Simulator(LOGIN_NAME, CANARY_PASSWORD, catalogue=catalogue) as simulator:
        client = client_for(simulator, tmp_path / "ca.pem")
        assert client.revoke(serial_number="0a:0b").kind is OutcomeKind.ACCEPTED
        assert client.revoke(order_number=12).kind is OutcomeKind.EXPIRED
        assert simulator.certificate_state(21) == "revoked"
        assert simulator.certificate_state(2000001) is None


def test_invalid_catalogue_rejected(tmp_path: pathlib.Path) -> None:
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text('{"certificates": [{"order_number": 1}]}')

    with pytest.raises(ValueError, match="is not a valid catalogue"):
        Simulator(catalogue=catalogue)
    with pytest.raises(ValueError, match="cannot read"):
        Simulator(catalogue=tmp_path / "absent.json")


def test_accept_unknown(tmp_path: pathlib.Path) -> None:
    with Simulator(LOGIN_NAME, CANARY_PASSWORD, accept_unknown=True) as simulator:
        client = client_for(simulator, tmp_path / "ca.pem")
        assert client.revoke(certificate_id=777).kind is OutcomeKind.ACCEPTED
        assert simulator.certificate_state(777) == "revoked"


def test_default_credentials() -> None:
    with Simulator() as simulator:
        assert simulator.requests() == []
        assert "login_name='demo'" in repr(simulator)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"server_certificate": "self-signed"}, 'server_certificate "self-signed" is not one of'),
        ({"latency": -1.0}, "latency -1.0 is not a non-negative number of seconds"),
        ({"call_limit": 1, "call_limit_window": float("nan")}, "call_window NaN is not a non-negative"),
    ],
)
def test_invalid_arguments_rejected(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Simulator(**arguments)  # type: ignore[arg-type]


def test_stopped_simulator_refuses_connections(tmp_path: pathlib.Path) -> None:
    simulator = Simulator(LOGIN_NAME, CANARY_PASSWORD)
    ca = tmp_path / "ca.pem"
    simulator.write_ca_pem(ca)
    simulator.stop()
    simulator.stop()

    client = Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=simulator.endpoint, ca_bundle=ca, proxy=None)
    with pytest.raises(TransportError) as raised:
        client.revoke(certificate_id=2000001)
    assert raised.value.cause == "connect"


def test_wrong_login_name_rejected(tmp_path: pathlib.Path) -> None:
    with Simulator("someone-else", CANARY_PASSWORD) as simulator:
        client = client_for(simulator, tmp_path / "ca.pem")
        with pytest.raises(Exception) as raised:
            client.revoke(certificate_id=2000001)
        assert getattr(raised.value, "code", None) == -16
        assert not isinstance(raised.value, InvalidRequestError)

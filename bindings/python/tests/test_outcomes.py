"""Revocations that end with the certificate no longer usable return an Outcome."""

from __future__ import annotations

import pytest

from sectigo_revoke import Client, Outcome, OutcomeKind, Reason
from sectigo_revoke.testing import Simulator
from support import LOGIN_NAME


def test_accepted_by_certificate_id(client: Client, simulator: Simulator) -> None:
    outcome = client.revoke(certificate_id=2000001, reason=Reason.KEY_COMPROMISE)

    assert isinstance(outcome, Outcome)
    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.code == 0
    assert outcome.message is None
    assert outcome.identifier_name == "certificateID"
    assert outcome.identifier_value == "2000001"
    assert outcome.http_status == 200
    assert outcome.test_mode is False
    assert outcome.attempts == 1
    assert outcome.already_final is False
    assert simulator.certificate_state(2000001) == "revoked"


def test_accepted_by_order_number(client: Client, simulator: Simulator) -> None:
    outcome = client.revoke(order_number=1000002)

    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.identifier_name == "orderNumber"
    assert outcome.identifier_value == "1000002"
    assert simulator.certificate_state(2000002) == "revoked"


def test_identifiers_given_as_text(client: Client, simulator: Simulator) -> None:
    assert client.revoke(order_number="1000001").kind is OutcomeKind.ACCEPTED
    assert client.revoke(certificate_id=" 2000002 ").kind is OutcomeKind.ACCEPTED
    assert simulator.certificate_state(2000001) == "revoked"
    assert simulator.certificate_state(2000002) == "revoked"


@pytest.mark.parametrize(
    "spelling",
    [
        "00D9B75B1C2E0F11223344556677889AA1",
        "serial=00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1",
        "0x00d9b75b1c2e0f11223344556677889aa1",
        "00 d9 b7 5b 1c 2e 0f 11 22 33 44 55 66 77 88 9a a1",
    ],
)
def test_serial_spellings_normalised(client: Client, simulator: Simulator, spelling: str) -> None:
    outcome = client.revoke(serial_number=spelling)

    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.identifier_name == "serialNumber"
    assert outcome.identifier_value == "00D9B75B1C2E0F11223344556677889AA1"
    sent = dict(simulator.requests()[-1].parameters)
    assert sent["serialNumber"] == "00D9B75B1C2E0F11223344556677889AA1"


@pytest.mark.parametrize(
    ("certificate_id", "kind", "code"),
    [
        (2000005, OutcomeKind.ALREADY_REVOKED, -21),
        (2000006, OutcomeKind.ALREADY_REJECTED, -20),
        (2000007, OutcomeKind.EXPIRED, -35),
    ],
)
def test_final_states_are_outcomes(client: Client, certificate_id: int, kind: OutcomeKind, code: int) -> None:
    outcome = client.revoke(certificate_id=certificate_id)

    assert outcome.kind is kind
    assert outcome.code == code
    assert outcome.already_final is True
    assert outcome.message is not None and outcome.message != ""


def test_pending_order_rejected_then_final(client: Client, simulator: Simulator) -> None:
    first = client.revoke(certificate_id=2000003)
    second = client.revoke(certificate_id=2000003)

    assert first.kind is OutcomeKind.ACCEPTED
    assert simulator.certificate_state(2000003) == "rejected"
    assert second.kind is OutcomeKind.ALREADY_REJECTED


def test_repeat_reports_already_revoked(client: Client) -> None:
    assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ACCEPTED
    assert client.revoke(certificate_id=2000001).kind is OutcomeKind.ALREADY_REVOKED


def test_test_mode_revokes_nothing(client: Client, simulator: Simulator) -> None:
    outcome = client.revoke(certificate_id=2000001, test_mode=True)

    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.test_mode is True
    assert "nothing was revoked" in str(outcome)
    assert simulator.certificate_state(2000001) == "issued"
    assert simulator.requests()[0].test_mode is True


def test_include_in_crl_false_marks_replaced(client: Client, simulator: Simulator) -> None:
    replaced = client.revoke(certificate_id=2000001, include_in_crl=False)
    assert replaced.kind is OutcomeKind.ACCEPTED
    assert simulator.certificate_state(2000001) == "replaced"
    assert ("includeInCRL", "N") in simulator.requests()[0].parameters

    revoked = client.revoke(certificate_id=2000001)
    assert revoked.kind is OutcomeKind.ACCEPTED
    assert simulator.certificate_state(2000001) == "revoked"


def test_every_parameter_sent_exactly(client: Client, simulator: Simulator) -> None:
    client.revoke(
        certificate_id=2000001,
        reason="cessation-of-operation",
        comment="host decommissioned & key destroyed",
        account_id=7,
        product_code="PC-1",
        product=24,
        test_mode=True,
        include_in_crl=False,
    )

    request = simulator.requests()[0]
    assert request.method == "POST"
    assert request.path == "/products/!AutoRevokeCertificate"
    assert request.parameters == (
        ("loginName", LOGIN_NAME),
        ("loginPassword", "********"),
        ("certificateID", "2000001"),
        ("codeReason", "5"),
        ("revocationReason", "host decommissioned & key destroyed"),
        ("accountID", "7"),
        ("productCode", "PC-1"),
        ("product", "24"),
        ("includeInCRL", "N"),
        ("test", "Y"),
        ("responseFormat", "1"),
    )


def test_outcome_is_immutable(client: Client) -> None:
    outcome = client.revoke(certificate_id=2000001)

    with pytest.raises(AttributeError):
        outcome.code = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        outcome.kind = OutcomeKind.EXPIRED  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        outcome.extra = 1  # type: ignore[attr-defined]
    assert outcome.code == 0


def test_outcome_text_and_equality(client: Client) -> None:
    first = client.revoke(certificate_id=2000005)
    second = client.revoke(certificate_id=2000005)
    accepted = client.revoke(certificate_id=2000001)

    assert str(first) == "certificateID=2000005: already revoked"
    assert repr(first) == (
        "Outcome(kind=OutcomeKind.ALREADY_REVOKED, code=-21, identifier_name='certificateID', "
        "identifier_value='2000005', http_status=200, test_mode=False, attempts=1)"
    )
    assert first == second
    assert first != accepted

"""Reason is an IntEnum whose names and codes are parsed by the Rust core."""

from __future__ import annotations

import enum

import pytest

from sectigo_revoke import Client, InvalidRequestError, Reason
from sectigo_revoke.testing import Simulator


def test_members_and_codes() -> None:
    assert issubclass(Reason, enum.IntEnum)
    assert [(member.name, int(member)) for member in Reason] == [
        ("UNSPECIFIED", 0),
        ("KEY_COMPROMISE", 1),
        ("AFFILIATION_CHANGED", 3),
        ("SUPERSEDED", 4),
        ("CESSATION_OF_OPERATION", 5),
    ]
    code: int = Reason.SUPERSEDED
    assert code == 4


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4, Reason.SUPERSEDED),
        ("4", Reason.SUPERSEDED),
        ("superseded", Reason.SUPERSEDED),
        ("SUPERSEDED", Reason.SUPERSEDED),
        ("key-compromise", Reason.KEY_COMPROMISE),
        ("keyCompromise", Reason.KEY_COMPROMISE),
        ("KEY_COMPROMISE", Reason.KEY_COMPROMISE),
        (" key compromise ", Reason.KEY_COMPROMISE),
        ("affiliation_changed", Reason.AFFILIATION_CHANGED),
        ("cessationOfOperation", Reason.CESSATION_OF_OPERATION),
        ("unspecified", Reason.UNSPECIFIED),
        ("0", Reason.UNSPECIFIED),
    ],
)
def test_names_and_codes_accepted(value: int | str, expected: Reason) -> None:
    assert Reason(value) is expected  # type: ignore[arg-type]
    assert Reason.parse(value) is expected


@pytest.mark.parametrize(
    ("value", "problem_start"),
    [
        (2, "2 (cACompromise) may not be requested by a subscriber"),
        (6, "6 (certificateHold) may not be requested by a subscriber"),
        (7, "7 is not a reason code"),
        (-1, "-1 is not a reason code"),
        ("certificate-hold", "6 (certificateHold) may not be requested"),
        ("removeFromCRL", "8 (removeFromCRL) may not be requested"),
        ("bogus", '"bogus" is not a reason name or code'),
        ("", '"" is not a reason name or code'),
        (10**30, '"1000000000000000000000000000000" is not a reason name or code'),
    ],
)
def test_forbidden_and_unknown_rejected(value: int | str, problem_start: str) -> None:
    with pytest.raises(InvalidRequestError):
        Reason(value)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError) as raised:
        Reason.parse(value)

    error = raised.value
    assert isinstance(error, ValueError)
    assert error.field == "codeReason"
    assert error.argument == "reason"
    assert error.problem.startswith(problem_start)
    assert "allowed: 0 unspecified, 1 keyCompromise, 3 affiliationChanged, 4 superseded" in error.problem


def test_other_types_rejected() -> None:
    with pytest.raises(ValueError, match="is not a valid Reason"):
        Reason(b"4")  # type: ignore[arg-type]
    for value in [True, 4.0, b"4", None]:
        with pytest.raises(TypeError, match="reason must be a Reason, an int code or a name"):
            Reason.parse(value)  # type: ignore[arg-type]


def test_parse_returns_members_unchanged() -> None:
    assert Reason.parse(Reason.SUPERSEDED) is Reason.SUPERSEDED


@pytest.mark.parametrize(
    ("reason", "code"),
    [(Reason.KEY_COMPROMISE, "1"), (3, "3"), ("superseded", "4"), ("cessation-of-operation", "5")],
)
def test_reason_sent_as_code(client: Client, simulator: Simulator, reason: Reason | int | str, code: str) -> None:
    client.revoke(certificate_id=2000001, reason=reason)

    assert ("codeReason", code) in simulator.requests()[0].parameters


def test_default_reason_is_unspecified(client: Client, simulator: Simulator) -> None:
    client.revoke(certificate_id=2000001)

    assert ("codeReason", "0") in simulator.requests()[0].parameters

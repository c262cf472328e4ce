"""The password never appears in any repr, str, exception or pickle."""

from __future__ import annotations

import pickle

import pytest

from sectigo_revoke import Client, SectigoError
from sectigo_revoke.testing import Simulator
from support import CANARY_PASSWORD, LOGIN_NAME, ClientFactory, assert_no_canary


def test_client_text_hides_password(client: Client) -> None:
    assert_no_canary(repr(client))
    assert_no_canary(str(client))
    assert_no_canary(repr(vars(client)))
    assert LOGIN_NAME in repr(client)


def test_client_cannot_be_pickled(client: Client) -> None:
    with pytest.raises(TypeError) as raised:
        pickle.dumps(client)

    assert_no_canary(str(raised.value))


def test_outcomes_and_dry_runs_hide_password(client: Client) -> None:
    texts: list[str] = []
    for certificate_id in [2000001, 2000005, 2000006, 2000007]:
        outcome = client.revoke(certificate_id=certificate_id)
        texts += [repr(outcome), str(outcome), repr(outcome.message)]
    request = client.dry_run(order_number=1000001)
    texts += [repr(request), str(request), request.body, repr(request.parameters), repr(request.headers)]

    for text in texts:
        assert_no_canary(text)
    assert "loginPassword=********" in request.body


def test_every_exception_hides_password(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client()
    simulator.inject_fault("too_many_requests", retry_after_secs=3)
    simulator.inject_fault("redirect", status=307, location="https://127.0.0.1:9/x")
    simulator.inject_fault("empty_body")
    simulator.inject_fault("reset")
    errors: list[SectigoError] = []
    for certificate_id in [2000001, 2000001, 2000001, 2000002, 42, 2000004]:
        with pytest.raises(SectigoError) as raised:
            client.revoke(certificate_id=certificate_id)
        errors.append(raised.value)
    for wrong in [CANARY_PASSWORD + "-wrong", "canary\x00nul", "canary" * 30]:
        with pytest.raises(SectigoError) as raised:
            make_client(login_password=wrong).revoke(certificate_id=2000001)
        errors.append(raised.value)
    with pytest.raises(SectigoError) as raised:
        make_client(ca_bundle=None).revoke(certificate_id=2000001)
    errors.append(raised.value)

    assert len({type(error) for error in errors}) == 7
    for error in errors:
        for text in [str(error), repr(error), repr(error.args), repr(vars(error))]:
            assert_no_canary(text)
        assert b"canary" not in pickle.dumps(error)


def test_simulator_log_and_repr_hide_password(client: Client, simulator: Simulator) -> None:
    client.revoke(certificate_id=2000001)

    assert_no_canary(repr(simulator))
    for request in simulator.requests():
        assert_no_canary(repr(request))
        assert ("loginPassword", "********") in request.parameters

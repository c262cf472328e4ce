"""The core's log records reach Python's logging under the sectigo_revoke logger."""

from __future__ import annotations

import logging

import pytest

from sectigo_revoke import AuthenticationError, Client, SectigoError
from sectigo_revoke.testing import Simulator
from support import ClientFactory, assert_no_canary


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name.startswith("sectigo_revoke.")]


def test_request_logged_at_debug(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sectigo_revoke")

    client.revoke(certificate_id=2000001)

    records = ours(caplog)
    assert [record.name for record in records] == ["sectigo_revoke.client"]
    record = records[0]
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert message.startswith("POST https://127.0.0.1:")
    assert "certificateID=2000001: revocation accepted (code 0)" in message


def test_retry_logged_at_warning(
    make_client: ClientFactory, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="sectigo_revoke")
    simulator.inject_fault("call_limit")

    make_client(retries=1).revoke(certificate_id=2000001)

    records = ours(caplog)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].getMessage().startswith("revocation of certificateID=2000001 failed on attempt 1")
    assert "retrying in" in records[0].getMessage()


def test_level_change_after_first_record_applies(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="sectigo_revoke")
    client.revoke(certificate_id=2000001)
    assert ours(caplog) == []

    caplog.set_level(logging.DEBUG, logger="sectigo_revoke")
    client.revoke(certificate_id=2000002)
    assert len(ours(caplog)) == 1


def test_no_record_contains_password(
    make_client: ClientFactory, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    simulator.inject_fault("call_limit")
    client = make_client(retries=1)

    client.revoke(certificate_id=2000001)
    simulator.inject_fault("html_body")
    for certificate_id in [2000002, 42]:
        with pytest.raises(SectigoError):
            client.revoke(certificate_id=certificate_id)
    with pytest.raises(AuthenticationError):
        make_client(login_password="canary-wrong").revoke(certificate_id=2000003)

    assert len(ours(caplog)) >= 4
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s")
    for record in caplog.records:
        assert_no_canary(formatter.format(record))
        assert_no_canary(repr(record.__dict__))

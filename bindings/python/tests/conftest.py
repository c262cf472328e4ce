"""Fixtures shared by the tests: a simulator per test and clients that trust it.

Every client is built with ``proxy=None`` and the proxy variables are removed from
the environment, so no test traffic leaves the loopback interface.
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import Any

import pytest

from sectigo_revoke import Client
from sectigo_revoke.testing import Simulator
from support import CANARY_PASSWORD, LOGIN_NAME, ClientFactory


PROXY_VARIABLES = ("ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_environment_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with Simulator(LOGIN_NAME, CANARY_PASSWORD) as running:
        yield running


@pytest.fixture
def ca_file(simulator: Simulator, tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "simulator-ca.pem"
    simulator.write_ca_pem(path)
    return path


@pytest.fixture
def make_client(simulator: Simulator, ca_file: pathlib.Path) -> ClientFactory:
    """Returns a function that builds a client for the simulator; keyword arguments
    override the defaults."""

    def build(**options: Any) -> Client:
        settings: dict[str, Any] = {
            "endpoint": simulator.endpoint,
            "ca_bundle": ca_file,
            "proxy": None,
            "connect_timeout": 5.0,
            "timeout": 10.0,
        }
        settings.update(options)
        login_name = settings.pop("login_name", LOGIN_NAME)
        login_password = settings.pop("login_password", CANARY_PASSWORD)
        return Client(login_name, login_password, **settings)

    return build


@pytest.fixture
def client(make_client: ClientFactory) -> Iterator[Client]:
    with make_client() as built:
        yield built

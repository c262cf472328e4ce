"""Constants and checks shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable

from sectigo_revoke import Client

# A password with every character that naive form encoding gets wrong. The simulator
# compares it decoded, so a mis-encoded password gets code -16. The secrecy tests
# check that it never shows up in output.
CANARY_PASSWORD = "canary+&=%/ pässwörd-7f3a"
CANARY_MARKERS = ("canary", "p%C3%A4ssw", "pässwörd", "p\\xe4ssw")
LOGIN_NAME = "python-user"

# The type of the `make_client` fixture: keyword arguments override the defaults.
ClientFactory = Callable[..., Client]


def assert_no_canary(text: str) -> None:
    for marker in CANARY_MARKERS:
        assert marker not in text, f"password fragment {marker!r} in {text!r}"

"""Revoke one certificate by serial number, and print what happened.

Usage::

    export SECTIGO_LOGIN_NAME=api-user SECTIGO_LOGIN_PASSWORD=...
    python examples/python/revoke.py 00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1 superseded

With ``--simulate`` it revokes against the local simulator from
``sectigo_revoke.testing`` instead, so it runs without a Sectigo account::

    python examples/python/revoke.py --simulate 00D9B75B1C2E0F11223344556677889AA1 key-compromise

Exit status: 0 when the certificate is no longer usable, 1 when the request failed and
may be repeated or corrected, 2 when the outcome is unknown and the certificate must be
checked before repeating.
"""

from __future__ import annotations

import argparse
import logging
import pathlib
import sys
import tempfile

from sectigo_revoke import (
    ApiError,
    Client,
    InvalidRequestError,
    Outcome,
    OutcomeKind,
    OutcomeUnknownError,
    RateLimitedError,
    Reason,
    SectigoError,
    TransportError,
)
from sectigo_revoke.testing import Simulator


def report(outcome: Outcome) -> None:
    if outcome.kind is OutcomeKind.ACCEPTED:
        print(f"revoked: {outcome}; OCSP and CRLs can take up to 24 hours to show it")
    else:
        print(f"nothing to do: {outcome}")


def revoke(client: Client, serial_number: str, reason: Reason) -> int:
    try:
        outcome = client.revoke(serial_number=serial_number, reason=reason)
    except InvalidRequestError as error:
        print(f"fix the {error.argument or error.field} argument: {error.problem}", file=sys.stderr)
        return 1
    except RateLimitedError as error:
        pause = f"{error.retry_after:.0f} s" if error.retry_after is not None else "a while"
        print(f"rate limited; repeat after {pause}", file=sys.stderr)
        return 1
    except ApiError as error:
        print(f"Sectigo rejected the request: code {error.code}, {error.message}", file=sys.stderr)
        return 1
    except TransportError as error:
        print(f"not sent ({error.cause}), safe to repeat: {error}", file=sys.stderr)
        return 1
    except OutcomeUnknownError as error:
        print(f"check the certificate before repeating: {error}", file=sys.stderr)
        return 2
    except SectigoError as error:
        print(f"failed: {error}", file=sys.stderr)
        return 1

    report(outcome)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Revoke a Sectigo certificate by serial number.")
    parser.add_argument("serial_number", help="the serial in hex, as `openssl x509 -noout -serial` prints it")
    parser.add_argument("reason", nargs="?", default="unspecified", help="a reason name or code (default: unspecified)")
    parser.add_argument("--simulate", action="store_true", help="revoke against the local simulator")
    parser.add_argument("--verbose", action="store_true", help="log each request")
    arguments = parser.parse_args()

    logging.basicConfig(level=logging.DEBUG if arguments.verbose else logging.WARNING)
    try:
        reason = Reason.parse(arguments.reason)
    except ValueError as error:
        parser.error(str(error))

    if not arguments.simulate:
        with Client.from_env() as client:
            return revoke(client, arguments.serial_number, reason)

    with Simulator("demo", "demo-password") as simulator, tempfile.TemporaryDirectory() as folder:
        ca_bundle = pathlib.Path(folder) / "simulator-ca.pem"
        simulator.write_ca_pem(ca_bundle)
        with Client("demo", "demo-password", endpoint=simulator.endpoint, ca_bundle=ca_bundle, proxy=None) as client:
            return revoke(client, arguments.serial_number, reason)


if __name__ == "__main__":
    sys.exit(main())

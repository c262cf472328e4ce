#!/usr/bin/env python3
"""Per-call cost of the Python layer over the Rust core, without network.

Times the Python calls that match the Rust figures of ``cargo bench --bench layers``
(benches/layers.rs), which this script runs first with ``--rust-only`` so that both
come from the same run, and prints the Python layer's overhead as the difference:

- validate, rejected: ``Client.dry_run`` with an invalid serial number, which raises
  ``InvalidRequestError``. Rust: ``RevocationBuilder::build`` returning the error.
- validate and encode: ``str(Client.dry_run(...))`` for a valid request by serial
  number with a reason and a comment. Rust: ``build`` and ``Client::dry_run`` as text.
- parse: the Python module has no parse function (it parses inside a revocation), so
  only the Rust figure is printed.

Each figure is the fastest of several ``timeit`` rounds. Run from the repository root
with a Python that has the package installed (see BENCHMARKS.md)::

    python benches/layers.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import timeit
from collections.abc import Callable

from sectigo_revoke import Client, InvalidRequestError, Reason

SERIAL = "00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1"
INVALID_SERIAL = "00:d9:zz"
COMMENT = "key left on a shared host"
ENDPOINT = "https://127.0.0.1:9/products/!AutoRevokeCertificate"
ROUNDS = 7
CALLS_PER_ROUND = 20_000


def rust_figures() -> dict[str, float]:
    command = ["cargo", "bench", "--quiet", "--locked", "--bench", "layers", "--", "--rust-only"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return {name: float(value) for name, value in re.findall(r"^rust_ns (\w+)=([0-9.]+)$", output, re.MULTILINE)}


def nanoseconds_per_call(call: Callable[[], object]) -> float:
    timer = timeit.Timer(call)
    return min(timer.repeat(repeat=ROUNDS, number=CALLS_PER_ROUND)) / CALLS_PER_ROUND * 1e9


def main() -> int:
    rust = rust_figures()
    client = Client("bench-user", "bench-password", endpoint=ENDPOINT, proxy=None)

    def rejected() -> None:
        try:
            client.dry_run(serial_number=INVALID_SERIAL, reason=Reason.KEY_COMPROMISE, comment=COMMENT)
        except InvalidRequestError:
            return
        raise AssertionError("the invalid serial number was accepted")

    def encoded() -> str:
        return str(client.dry_run(serial_number=SERIAL, reason=Reason.KEY_COMPROMISE, comment=COMMENT))

    assert "serialNumber=00D9B75B1C2E0F11223344556677889AA1" in encoded()
    python = {
        "validate_rejected": nanoseconds_per_call(rejected),
        "validate_and_encode": nanoseconds_per_call(encoded),
    }

    print(f"{'operation':<22} {'Rust ns':>10} {'Python ns':>10} {'Python overhead':>16}")
    for key, name in [("validate_rejected", "validate, rejected"), ("validate_and_encode", "validate and encode")]:
        print(f"{name:<22} {rust[key]:>10.0f} {python[key]:>10.0f} {python[key] - rust[key]:>13.0f} ns")
    print(f"{'parse':<22} {rust['parse']:>10.0f} {'-':>10} {'no Python call':>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

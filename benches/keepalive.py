#!/usr/bin/env python3
"""Revocations per second over one keep-alive HTTPS connection, measured in one run for
the Rust API, the Python API, Python ``requests.Session`` and ``curl``.

Every client sends the same form (certificate ID 2000005, which the simulator's built-in
catalogue lists as revoked) to one server process and checks that every response is
``errorCode=-21``. The server is the minimal fixed-reply HTTPS server in
benches/keepalive.rs (``--server fixed``, the default), which does no work per request
beyond TLS and HTTP framing, or ``sectigo-revoke simulate`` built in release mode
(``--server simulator``), which parses, checks and logs every request. Each client
opens its connection with one request before the clock starts, except ``curl``, which
opens it with the first of its requests:

- Rust API: the ``keepalive`` benchmark binary (benches/keepalive.rs), one ``Client``.
- Python API: ``sectigo_revoke.Client.revoke`` in a loop.
- ``requests.Session().post`` in a loop, the response body compared as text.
- ``curl`` with a config file naming the URL N times: one process, one connection
  (``%{num_connects}`` is checked to be 1 in total).
- ``curl`` once per request from a loop, a new process and connection each time: for
  reference only, since it measures process start and TLS handshakes.

The clients take turns, in rounds, so that a slowdown from other work on the machine
falls on all of them. ``--cpu N`` pins the script, the server and every client to one
CPU, so that each request costs the client's and the server's CPU time plus two context
switches. Unpinned, the figures also carry the latency of waking the other CPU, which
varies widely on a virtual machine. Each figure is the best round, the one least disturbed by that
work, and every round is printed next to it, with the load average before and after.

Run from the repository root with a Python that has the package and ``requests``
installed (see BENCHMARKS.md)::

    python benches/keepalive.py [--requests N] [--rounds R] [--server fixed|simulator] [--cpu N]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import requests

from sectigo_revoke import Client, OutcomeKind

CERTIFICATE_ID = 2000005
LOGIN_NAME = "demo"
PASSWORD = "demo-password"
FORM = {
    "loginName": LOGIN_NAME,
    "loginPassword": PASSWORD,
    "certificateID": str(CERTIFICATE_ID),
    "codeReason": "0",
    "responseFormat": "1",
}
EXPECTED_BODY_START = "errorCode=-21&"
PROXY_VARIABLES = ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]


def clean_environment() -> dict[str, str]:
    """Return the environment without proxy and Sectigo variables, so that every client
    connects directly and the simulator accepts its demo login."""
    removed = {*PROXY_VARIABLES, "SECTIGO_LOGIN_NAME", "SECTIGO_LOGIN_PASSWORD", "SECTIGO_ENDPOINT"}
    return {name: value for name, value in os.environ.items() if name not in removed}


def build_command_line_tool() -> pathlib.Path:
    subprocess.run(["cargo", "build", "--quiet", "--release", "--locked", "-p", "sectigo-revoke-cli"], check=True)
    return pathlib.Path("target/release/sectigo-revoke")


def build_benchmark() -> pathlib.Path:
    """Build benches/keepalive.rs in the bench profile and return its executable."""
    command = ["cargo", "bench", "--quiet", "--locked", "--bench", "keepalive", "--no-run", "--message-format=json"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for line in output.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            return pathlib.Path(message["executable"])
    raise RuntimeError("cargo did not report the keepalive benchmark's executable")


@contextmanager
def server(command: list[str | pathlib.Path], folder: pathlib.Path) -> Iterator[tuple[str, pathlib.Path]]:
    """Start the server ``command``, with ``{ca_file}`` and ``{ready}`` replaced by the
    paths where it writes its CA certificate and its endpoint, and yield both."""
    ca_file, ready = folder / "ca.pem", folder / "ready"
    process = subprocess.Popen(
        [part.format(ca_file=ca_file, ready=ready) if isinstance(part, str) else part for part in command],
        env=clean_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (ready.exists() and ready.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server {command} did not start")
            time.sleep(0.05)
        yield ready.read_text().strip(), ca_file
    finally:
        process.terminate()
        process.wait(timeout=10)


def rate(requests_sent: int, send: Callable[[], None]) -> float:
    started = time.perf_counter()
    for _ in range(requests_sent):
        send()
    return requests_sent / (time.perf_counter() - started)


def rust_api(benchmark: pathlib.Path, endpoint: str, ca_file: pathlib.Path, count: int) -> float:
    command = [str(benchmark), endpoint, str(ca_file), str(count)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=clean_environment()).stdout
    match = re.search(r"^rust_api .* per_second=([0-9.]+)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no figure in the Rust benchmark's output: {output}")
    return float(match.group(1))


def python_api(endpoint: str, ca_file: pathlib.Path, count: int) -> float:
    with Client(LOGIN_NAME, PASSWORD, endpoint=endpoint, ca_bundle=ca_file, proxy=None) as client:

        def send() -> None:
            outcome = client.revoke(certificate_id=CERTIFICATE_ID)
            assert outcome.kind is OutcomeKind.ALREADY_REVOKED

        send()
        return rate(count, send)


def python_requests(endpoint: str, ca_file: pathlib.Path, count: int) -> float:
    with requests.Session() as session:
        session.trust_env = False

        def send() -> None:
            response = session.post(endpoint, data=FORM, verify=str(ca_file), timeout=30)
            assert response.text.startswith(EXPECTED_BODY_START), response.text

        send()
        return rate(count, send)


def curl_config(endpoint: str, ca_file: pathlib.Path, count: int, folder: pathlib.Path) -> float:
    body = "&".join(f"{name}={value}" for name, value in FORM.items())
    lines = ["silent", "show-error", f'cacert = "{ca_file}"', 'noproxy = "*"', f'data = "{body}"']
    lines.append('write-out = "\\nconnects=%{num_connects}\\n"')
    lines += [f'url = "{endpoint}"'] * count
    config = folder / "curl.config"
    config.write_text("\n".join(lines) + "\n")

    started = time.perf_counter()
    output = subprocess.run(["curl", "-K", config], check=True, capture_output=True, text=True, env=clean_environment())
    elapsed = time.perf_counter() - started

    bodies = output.stdout.count(EXPECTED_BODY_START)
    connects = sum(int(value) for value in re.findall(r"^connects=(\d+)$", output.stdout, re.MULTILINE))
    if bodies != count or connects != 1:
        raise RuntimeError(f"curl returned {bodies} of {count} expected bodies over {connects} connections")
    return count / elapsed


def curl_per_process(endpoint: str, ca_file: pathlib.Path, count: int) -> float:
    body = "&".join(f"{name}={value}" for name, value in FORM.items())
    command = ["curl", "--silent", "--show-error", "--cacert", str(ca_file), "--noproxy", "*", "--data", body, endpoint]
    environment = clean_environment()

    def send() -> None:
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=environment)
        assert output.stdout.startswith(EXPECTED_BODY_START), output.stdout

    return rate(count, send)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per client and round (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--server", choices=["fixed", "simulator"], default="fixed", help="server (default fixed)")
    parser.add_argument("--cpu", type=int, help="pin everything to this CPU (default: not pinned)")
    arguments = parser.parse_args()
    count = arguments.requests
    if arguments.cpu is not None:
        # Child processes inherit the affinity.
        os.sched_setaffinity(0, {arguments.cpu})

    benchmark = build_benchmark()
    server_command: list[str | pathlib.Path] = [benchmark, "serve", "{ready}", "{ca_file}"]
    if arguments.server == "simulator":
        server_command = [build_command_line_tool(), "simulate", "--ca-file", "{ca_file}", "--ready-file", "{ready}"]

    pinned = "not pinned" if arguments.cpu is None else f"pinned to CPU {arguments.cpu}"
    print(f"server: {arguments.server}; {pinned}; load average before: {os.getloadavg()}")
    rounds: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as temporary, server(server_command, pathlib.Path(temporary)) as (endpoint, ca):
        folder = pathlib.Path(temporary)
        clients: dict[str, Callable[[], float]] = {
            "Rust API": lambda: rust_api(benchmark, endpoint, ca, count),
            "Python API": lambda: python_api(endpoint, ca, count),
            "requests.Session": lambda: python_requests(endpoint, ca, count),
            "curl, config file, one connection": lambda: curl_config(endpoint, ca, count, folder),
            "curl, one process per request": lambda: curl_per_process(endpoint, ca, max(count // 10, 20)),
        }
        for _ in range(arguments.rounds):
            for name, measure in clients.items():
                rounds.setdefault(name, []).append(measure())
    print(f"load average after: {os.getloadavg()}")

    figures = {name: max(values) for name, values in rounds.items()}
    baseline = figures["requests.Session"]
    print(f"{count} requests per client and round, {arguments.rounds} rounds; best round, median, every round:")
    print(f"{'client':<36} {'per second':>12} {'vs requests':>12} {'median':>9}   rounds")
    for name, per_second in figures.items():
        spread = ", ".join(f"{value:.0f}" for value in rounds[name])
        median = statistics.median(rounds[name])
        print(f"{name:<36} {per_second:>12.1f} {per_second / baseline:>11.2f}x {median:>9.0f}   {spread}")
    curl = figures["curl, config file, one connection"]
    print(f"Rust API / curl config file: {figures['Rust API'] / curl:.2f}x")
    print(f"Python API / curl config file: {figures['Python API'] / curl:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

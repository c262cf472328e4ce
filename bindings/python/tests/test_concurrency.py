"""Revocations release the interpreter while they wait, so threads overlap."""

from __future__ import annotations

import pathlib
import threading
import time

from sectigo_revoke import Client, Outcome, OutcomeKind
from sectigo_revoke.testing import Simulator
from support import CANARY_PASSWORD, LOGIN_NAME

LATENCY = 0.2
THREADS = 8


def test_threads_wait_for_network_in_parallel(tmp_path: pathlib.Path) -> None:
    # Holding the interpreter during the request would serialise the threads, so eight
    # responses 200 ms apart would take at least 1.6 s. Released, they take about
    # 200 ms plus the TLS handshakes. The bound leaves room for a loaded machine.
    with Simulator(LOGIN_NAME, CANARY_PASSWORD, latency=LATENCY, accept_unknown=True) as simulator:
        ca = tmp_path / "ca.pem"
        simulator.write_ca_pem(ca)
        client = Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=simulator.endpoint, ca_bundle=ca, proxy=None)
        outcomes: list[Outcome] = []
        failures: list[BaseException] = []
        start = threading.Barrier(THREADS + 1)

        def revoke(certificate_id: int) -> None:
            start.wait()
            try:
                outcomes.append(client.revoke(certificate_id=certificate_id))
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=revoke, args=(5000001 + index,)) for index in range(THREADS)]
        for thread in threads:
            thread.start()
        start.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        print(f"{THREADS} threads, {LATENCY * 1000:.0f} ms latency each: {elapsed * 1000:.0f} ms in all")

        assert failures == []
        assert len(outcomes) == THREADS
        assert all(outcome.kind is OutcomeKind.ACCEPTED for outcome in outcomes)
        assert len(simulator.requests()) == THREADS
        assert elapsed < 4 * LATENCY, f"{THREADS} threads took {elapsed:.3f} s"

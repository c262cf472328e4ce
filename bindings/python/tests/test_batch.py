"""Client.revoke_many: bulk revocation with a journal, against the simulator."""

from __future__ import annotations

import _thread
import collections
import csv
import json
import pathlib
import threading
from collections.abc import Iterator

import pytest

from sectigo_revoke import (
    BatchError,
    BatchInputError,
    BatchProgress,
    BatchStatus,
    Client,
    InvalidRequestError,
    JournalInUseError,
    JournalMismatchError,
    Reason,
    ReportError,
    ResultKind,
    RowStatus,
)
from sectigo_revoke.testing import Simulator
from support import CANARY_MARKERS, CANARY_PASSWORD, LOGIN_NAME, assert_no_canary

FIRST_ID = 5_000_001
REPORT_COLUMNS = [
    "line",
    "identifier",
    "status",
    "result",
    "code",
    "message",
    "column",
    "duplicate_of",
    "attempts",
    "updated_at",
]


class StopBatch(Exception):
    """Raised by a progress callback to stop a batch."""


@pytest.fixture
def bulk_simulator() -> Iterator[Simulator]:
    """A simulator that takes every unknown identifier as an issued certificate."""
    with Simulator(LOGIN_NAME, CANARY_PASSWORD, latency=0.002, accept_unknown=True) as running:
        yield running


@pytest.fixture
def bulk_client(bulk_simulator: Simulator, tmp_path: pathlib.Path) -> Iterator[Client]:
    ca = tmp_path / "simulator-ca.pem"
    bulk_simulator.write_ca_pem(ca)
    with Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=bulk_simulator.endpoint, ca_bundle=ca, proxy=None) as client:
        yield client


def id_rows(count: int) -> list[dict[str, str | int | None]]:
    return [{"certificate_id": FIRST_ID + index, "reason": "superseded"} for index in range(count)]


def sent_identifiers(simulator: Simulator) -> collections.Counter[str]:
    return collections.Counter(request.identifier for request in simulator.requests() if request.identifier)


def assert_each_sent_once(simulator: Simulator, count: int) -> None:
    sent = sent_identifiers(simulator)
    expected = {f"certificateID={FIRST_ID + index}" for index in range(count)}
    assert set(sent) == expected
    repeated = {identifier: times for identifier, times in sent.items() if times != 1}
    assert repeated == {}


def test_rows_sent_exactly_once(bulk_client: Client, bulk_simulator: Simulator, tmp_path: pathlib.Path) -> None:
    progress: list[BatchProgress] = []
    threads: set[int] = set()

    def record(update: BatchProgress) -> None:
        progress.append(update)
        threads.add(threading.get_ident())

    report = bulk_client.revoke_many(
        id_rows(300), journal=tmp_path / "incident.journal", concurrency=4, on_progress=record
    )

    assert report.status is BatchStatus.SUCCEEDED
    assert report.succeeded
    assert report.counts.accepted == 300
    assert report.counts.done == 300
    assert report.counts.outstanding == 0
    assert report.requests == 300
    assert len(report) == 300
    assert report.journal == str(tmp_path / "incident.journal")
    assert not report.dry_run
    assert not report.cancelled
    assert report.stopped is None
    assert report.problems == ()
    assert report.plan.to_send == 300
    assert report.plan.per_reason == {Reason.SUPERSEDED: 300}
    assert report.plan.per_identifier == {"certificateID": 300}
    assert_each_sent_once(bulk_simulator, 300)

    first, last = report.rows[0], report.rows[-1]
    assert (first.line, first.identifier) == (1, f"certificateID={FIRST_ID}")
    assert (last.line, last.identifier) == (300, f"certificateID={FIRST_ID + 299}")
    for row in report.rows:
        assert row.status is RowStatus.DONE
        assert row.result is ResultKind.ACCEPTED
        assert row.code == 0
        assert row.attempts == 1

    # Calls never overlap, so `done` counts up by one per call.
    assert [update.done for update in progress] == list(range(1, 301))
    assert {update.total for update in progress} == {300}
    assert progress[-1].counts.accepted == 300
    assert progress[-1].requests == 300
    assert threading.get_ident() not in threads


def test_csv_file_and_written_reports(
    bulk_client: Client, bulk_simulator: Simulator, tmp_path: pathlib.Path
) -> None:
    source = tmp_path / "incident.csv"
    lines = ["certificate_id,reason,comment"] + [f"{FIRST_ID + index},4," for index in range(200)]
    source.write_text("\n".join(lines) + "\n")

    report = bulk_client.revoke_many(source, journal=str(tmp_path / "incident.journal"), comment="incident 42")
    report.write(tmp_path / "report.csv")
    report.write(tmp_path / "report.out", format="jsonl")

    assert report.counts.accepted == 200
    assert_each_sent_once(bulk_simulator, 200)
    comments = {dict(request.parameters).get("revocationReason") for request in bulk_simulator.requests()}
    assert comments == {"incident 42"}
    with open(tmp_path / "report.csv", newline="") as file:
        written = list(csv.reader(file))
    assert written[0] == REPORT_COLUMNS
    assert len(written) == 201
    assert written[1][:5] == ["2", f"certificateID={FIRST_ID}", "done", "accepted", "0"]
    entries = [json.loads(line) for line in (tmp_path / "report.out").read_text().splitlines()]
    assert len(entries) == 200
    assert entries[-1]["line"] == 201
    assert entries[-1]["code"] == 0
    assert entries[-1]["column"] is None


def test_cancel_from_callback_then_resume(
    bulk_client: Client, bulk_simulator: Simulator, tmp_path: pathlib.Path
) -> None:
    journal = tmp_path / "incident.journal"
    rows = id_rows(400)

    first = bulk_client.revoke_many(
        rows, journal=journal, concurrency=4, on_progress=lambda update: update.done < 100
    )

    assert first.cancelled
    assert first.status is BatchStatus.INCOMPLETE
    assert 100 <= first.counts.accepted < 400
    assert first.counts.accepted + first.counts.planned == 400
    assert first.counts.unknown == 0
    assert len(bulk_simulator.requests()) == first.counts.accepted

    second = bulk_client.revoke_many(rows, journal=journal, concurrency=4)

    assert second.plan.resumed
    assert second.plan.already_final == first.counts.accepted
    assert second.requests == 400 - first.counts.accepted
    assert second.status is BatchStatus.SUCCEEDED
    assert_each_sent_once(bulk_simulator, 400)
    # The first report is a snapshot: the second run did not change it.
    assert first.counts.planned == 400 - first.counts.accepted
    assert sum(row.status is RowStatus.PLANNED for row in first.rows) == first.counts.planned


def test_callback_exception_cancels_and_is_raised(
    bulk_client: Client, bulk_simulator: Simulator, tmp_path: pathlib.Path
) -> None:
    journal = tmp_path / "incident.journal"
    calls: list[int] = []

    def stop_at_fifty(update: BatchProgress) -> None:
        calls.append(update.done)
        if update.done == 50:
            raise StopBatch("enough")

    with pytest.raises(StopBatch, match="enough"):
        bulk_client.revoke_many(id_rows(300), journal=journal, concurrency=4, on_progress=stop_at_fifty)

    # After raising, the callback is not called again.
    assert calls == list(range(1, 51))
    sent_before = len(bulk_simulator.requests())
    assert 50 <= sent_before < 300

    resumed = bulk_client.revoke_many(id_rows(300), journal=journal)
    assert resumed.requests == 300 - sent_before
    assert resumed.succeeded
    assert_each_sent_once(bulk_simulator, 300)


def test_keyboard_interrupt_cancels_cleanly(
    bulk_client: Client, bulk_simulator: Simulator, tmp_path: pathlib.Path
) -> None:
    journal = tmp_path / "incident.journal"
    calls: list[int] = []

    def interrupt_at_thirty(update: BatchProgress) -> None:
        calls.append(update.done)
        if update.done == 30:
            # What Ctrl-C does: the main thread's SIGINT handler raises on its next check.
            _thread.interrupt_main()

    with pytest.raises(KeyboardInterrupt):
        bulk_client.revoke_many(id_rows(300), journal=journal, concurrency=2, on_progress=interrupt_at_thirty)

    sent_before = len(bulk_simulator.requests())
    assert 30 <= sent_before < 300
    assert len(calls) == sent_before

    resumed = bulk_client.revoke_many(id_rows(300), journal=journal)
    assert resumed.plan.unknown == 0
    assert resumed.requests == 300 - sent_before
    assert resumed.succeeded
    assert_each_sent_once(bulk_simulator, 300)


def test_gil_released_while_batch_runs(tmp_path: pathlib.Path) -> None:
    # A thread that reads the request log while the batch runs finds counts between
    # 0 and the total only if the batch lets it run. With the interpreter held for
    # the whole call, it could read the log only before the batch and after it.
    with Simulator(LOGIN_NAME, CANARY_PASSWORD, latency=0.02, accept_unknown=True) as simulator:
        ca = tmp_path / "ca.pem"
        simulator.write_ca_pem(ca)
        client = Client(LOGIN_NAME, CANARY_PASSWORD, endpoint=simulator.endpoint, ca_bundle=ca, proxy=None)
        observed: set[int] = set()
        started = threading.Event()
        finished = threading.Event()

        def sample() -> None:
            started.set()
            while not finished.is_set():
                observed.add(len(simulator.requests()))

        sampler = threading.Thread(target=sample)
        sampler.start()
        started.wait()
        try:
            report = client.revoke_many(id_rows(60), journal=tmp_path / "j", concurrency=2)
        finally:
            finished.set()
            sampler.join()

        assert report.counts.accepted == 60
        during = sorted(count for count in observed if 0 < count < 60)
        assert len(during) >= 10, f"the sampler saw only {during} while the batch ran"


def test_bad_and_duplicate_rows_reported(client: Client, simulator: Simulator, tmp_path: pathlib.Path) -> None:
    rows: list[dict[str, str | int | None]] = [
        {"serial_number": "00:D9:B7:5B:1C:2E:0F:11:22:33:44:55:66:77:88:9A:A1", "reason": "superseded"},
        {"serial_number": "D9B75B1C2E0F11223344556677889AA1", "reason": Reason.SUPERSEDED},
        {"serial_number": "XYZ"},
        {"certificate_id": 2000002, "reason": 6},
        {"comment": "no identifier"},
        {"certificate_id": 2000002, "order_number": "1000002"},
        {"Certificate-ID": "2000002", "comment": None},
    ]

    report = client.revoke_many(rows, journal=tmp_path / "mixed.journal")

    assert report.status is BatchStatus.FINISHED_WITH_FAILURES
    assert (report.plan.rows, report.plan.to_send, report.plan.invalid, report.plan.duplicates) == (7, 2, 4, 1)
    assert (report.counts.accepted, report.counts.invalid, report.counts.duplicate) == (2, 4, 1)
    located = [(problem.line, problem.column) for problem in report.problems]
    assert located == [(2, None), (3, "serial_number"), (4, "reason"), (5, "identifier"), (6, "identifier")]
    assert report.problems[0].problem.startswith("names the same certificate as line 1")
    assert report.problems[1].problem.startswith("'X' at position 1 is not a hex digit")
    assert report.problems[2].problem.startswith("6 (certificateHold) may not be requested")
    assert report.problems[3].problem.startswith("missing; set one of order_number, certificate_id")
    assert report.problems[4].problem.startswith("order_number and certificate_id are all set")
    assert str(report.problems[1]).startswith("line 3, serial_number: ")

    duplicate = report.rows[1]
    assert (duplicate.status, duplicate.result, duplicate.duplicate_of) == (
        RowStatus.DUPLICATE,
        ResultKind.DUPLICATE,
        1,
    )
    invalid = report.rows[2]
    assert (invalid.status, invalid.result, invalid.identifier, invalid.column) == (
        RowStatus.INVALID,
        ResultKind.INVALID,
        None,
        "serial_number",
    )
    assert report.rows[6].status is RowStatus.DONE
    sent = sorted(request.identifier or "" for request in simulator.requests())
    assert sent == ["certificateID=2000002", "serialNumber=00D9B75B1C2E0F11223344556677889AA1"]


def test_unknown_column_stops_before_planning(client: Client, simulator: Simulator, tmp_path: pathlib.Path) -> None:
    rows: list[dict[str, str | int | None]] = [{"certificate_id": 2000001}, {"serial": "01"}]

    with pytest.raises(BatchInputError) as raised:
        client.revoke_many(rows, journal=tmp_path / "typo.journal")

    error = raised.value
    assert isinstance(error, ValueError)
    assert isinstance(error, BatchError)
    assert (error.origin, error.line) == ("rows", 2)
    assert error.problem.startswith('unknown column "serial"; known columns: order_number, certificate_id')
    assert str(error).startswith("rows line 2: unknown column")
    assert simulator.requests() == []


def test_missing_file_raises_input_error(client: Client, tmp_path: pathlib.Path) -> None:
    with pytest.raises(BatchInputError) as raised:
        client.revoke_many(tmp_path / "missing.csv", journal=tmp_path / "j")
    assert raised.value.line is None
    assert raised.value.origin == str(tmp_path / "missing.csv")
    assert "cannot open the input file" in raised.value.problem

    (tmp_path / "rows.txt").write_text("certificate_id\n2000001\n")
    with pytest.raises(BatchInputError, match="cannot tell the format from the file name"):
        client.revoke_many(str(tmp_path / "rows.txt"), journal=tmp_path / "j2")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"serial_number": 1234}], 'row 1, column "serial_number": an int is not accepted here'),
        ([{"certificate_id": True}], 'row 1, column "certificate_id": the value must be a str, an int or None, not bool'),
        ([{"certificate_id": 2000001}, {"certificate_id": 2.5}], 'row 2, column "certificate_id": the value must be'),
        ([{"comment": b"x", "certificate_id": 1}], 'row 1, column "comment": the value must be a str or None, not bytes'),
        ([("certificate_id", "1")], "row 1 must be a mapping of column names to values, not tuple"),
        ([{1: "2000001"}], "row 1: column names must be str, not int"),
        (42, "rows must be an iterable of mappings, or the path of a CSV or JSON Lines file, not int"),
        (b"rows.csv", "not bytes"),
    ],
)
def test_wrong_types_raise_type_error(
    client: Client, simulator: Simulator, tmp_path: pathlib.Path, rows: object, message: str
) -> None:
    with pytest.raises(TypeError) as raised:
        client.revoke_many(rows, journal=tmp_path / "j")  # type: ignore[arg-type]
    assert message in str(raised.value)
    assert simulator.requests() == []
    assert not (tmp_path / "j").exists()


def test_invalid_options_rejected(client: Client, simulator: Simulator, tmp_path: pathlib.Path) -> None:
    rows = [{"certificate_id": 2000001}]
    cases: list[tuple[dict[str, object], str, str | None]] = [
        ({"concurrency": 0}, "concurrency", "concurrency"),
        ({"concurrency": -3}, "concurrency", "concurrency"),
        ({"concurrency": 257}, "concurrency", "concurrency"),
        ({"rate": 0.0}, "rate", "rate"),
        ({"rate": float("nan")}, "rate", "rate"),
        ({"reason": 6}, "codeReason", "reason"),
    ]
    for index, (options, field, argument) in enumerate(cases):
        with pytest.raises(InvalidRequestError) as raised:
            client.revoke_many(rows, journal=tmp_path / f"j{index}", **options)  # type: ignore[arg-type]
        assert raised.value.field == field, options
        assert raised.value.argument == argument, options

    with pytest.raises(InvalidRequestError) as raised:
        client.revoke_many(rows, journal=tmp_path / "negative", concurrency=-3)
    assert str(raised.value) == "invalid concurrency: -3 is outside 1 to 256"

    with pytest.raises(TypeError, match="needs a journal path unless dry_run=True"):
        client.revoke_many(rows, journal=None)
    assert simulator.requests() == []


def test_dry_run_plans_and_sends_nothing(client: Client, simulator: Simulator, tmp_path: pathlib.Path) -> None:
    rows: list[dict[str, str | int | None]] = [
        {"order_number": 1000001, "reason": "key-compromise"},
        {"order_number": "1000002"},
        {"order_number": "1000003"},
        {"order_number": "x"},
    ]

    report = client.revoke_many(rows, journal=None, dry_run=True, reason="cessation-of-operation", test_mode=True)

    assert report.dry_run
    assert report.journal is None
    assert report.requests == 0
    assert report.status is BatchStatus.INCOMPLETE
    assert (report.counts.planned, report.counts.invalid) == (3, 1)
    assert report.plan.test_mode
    assert report.plan.per_reason == {Reason.KEY_COMPROMISE: 1, Reason.CESSATION_OF_OPERATION: 2}
    assert [row.status for row in report.rows] == [RowStatus.PLANNED] * 3 + [RowStatus.INVALID]
    assert report.rows[0].result is None
    assert simulator.requests() == []

    journal = tmp_path / "untouched.journal"
    client.revoke_many(rows, journal=journal, dry_run=True)
    assert not journal.exists()


def test_changed_rows_or_settings_refused(client: Client, simulator: Simulator, tmp_path: pathlib.Path) -> None:
    journal = tmp_path / "incident.journal"
    rows: list[dict[str, str | int | None]] = [{"certificate_id": 2000001}, {"certificate_id": 2000002}]
    client.revoke_many(rows, journal=journal, reason="superseded")

    with pytest.raises(JournalMismatchError) as raised:
        client.revoke_many(rows, journal=journal, reason="key-compromise")
    error = raised.value
    assert isinstance(error, ValueError)
    assert (error.setting, error.recorded, error.given) == ("default_reason", "superseded", "keyCompromise")
    assert error.path == str(journal)

    with pytest.raises(JournalMismatchError) as raised:
        client.revoke_many(rows[:1], journal=journal, reason="superseded")
    assert raised.value.setting == "input_sha256"
    assert "resume with the original input" in str(raised.value)

    resumed = client.revoke_many(rows, journal=journal, reason=Reason.SUPERSEDED)
    assert resumed.plan.resumed
    assert resumed.requests == 0
    assert len(simulator.requests()) == 2


def test_journal_open_elsewhere_refused(bulk_client: Client, tmp_path: pathlib.Path) -> None:
    journal = tmp_path / "incident.journal"
    failures: list[BaseException] = []

    def second_call(update: BatchProgress) -> bool:
        if update.done == 1:
            try:
                bulk_client.revoke_many(id_rows(5), journal=journal)
            except BaseException as error:
                failures.append(error)
        return True

    report = bulk_client.revoke_many(id_rows(5), journal=journal, concurrency=1, on_progress=second_call)

    assert report.succeeded
    assert len(failures) == 1
    assert isinstance(failures[0], JournalInUseError)
    assert isinstance(failures[0], OSError)
    assert "is in use by another process" in str(failures[0])


def test_report_immutable_and_writes_checked(client: Client, tmp_path: pathlib.Path) -> None:
    report = client.revoke_many([{"certificate_id": 2000001}], journal=tmp_path / "j")

    with pytest.raises(AttributeError):
        report.requests = 5  # type: ignore[misc]
    assert report.rows is report.rows
    assert report.counts == report.counts
    assert "accepted" in repr(report.rows[0]).lower()
    assert repr(report).startswith("BatchReport(status=BatchStatus.SUCCEEDED, rows=1, requests=1, journal=")
    assert str(report.counts).startswith("1 rows: 1 accepted")

    with pytest.raises(ReportError) as raised:
        report.write(tmp_path / "report.txt")
    assert raised.value.path == str(tmp_path / "report.txt")
    with pytest.raises(ReportError):
        report.write(tmp_path / "missing-folder" / "report.csv")
    with pytest.raises(ValueError, match='invalid format "xml"; give "csv" or "jsonl"'):
        report.write(tmp_path / "report.csv", format="xml")  # type: ignore[arg-type]


def test_password_absent_from_journal_and_report(
    bulk_client: Client, bulk_simulator: Simulator, tmp_path: pathlib.Path
) -> None:
    journal = tmp_path / "incident.journal"
    bulk_simulator.inject_fault("html_body")
    bulk_simulator.inject_fault("reset")

    report = bulk_client.revoke_many(id_rows(30), journal=journal, concurrency=2, comment="incident check")
    report.write(tmp_path / "report.csv")
    report.write(tmp_path / "report.jsonl")

    assert report.counts.unknown == 2
    files = [journal, tmp_path / "report.csv", tmp_path / "report.jsonl"]
    files += [path for path in tmp_path.glob("incident.journal-*")]
    for path in files:
        content = path.read_bytes()
        for marker in CANARY_MARKERS:
            assert marker.encode() not in content, f"{path.name} contains {marker!r}"
    texts = [repr(report), str(report.counts), repr(report.plan), repr(report.problems)]
    texts += [repr(row) for row in report.rows] + [row.message or "" for row in report.rows]
    for text in texts:
        assert_no_canary(text)

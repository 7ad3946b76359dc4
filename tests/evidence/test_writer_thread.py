"""The archive's writer thread: jobs in order on the thread that owns the archive, and nothing after a failure."""

import threading

import pytest

from oniondex.evidence.archive import CaptureArchive
from oniondex.evidence.errors import WarcWriteError
from oniondex.evidence.writer_thread import ArchiveThread


def opener(tmp_path):
    return lambda: CaptureArchive(tmp_path, "20250101T000000Z-abcdef", 1 << 20)


def test_jobs_run_in_order_on_the_thread_that_opened_the_archive(tmp_path):
    errors = []
    writer = ArchiveThread(opener(tmp_path), 2, errors.append)  # a queue shorter than the jobs: put waits
    ran = [writer.submit(lambda archive, n=n: (n, threading.current_thread().name, archive.history.count()))
           for n in range(20)]  # fmt: skip
    writer.drain()
    assert [future.result(timeout=0) for future in ran] == [(n, "warc-writer", 0) for n in range(20)]
    writer.close()
    assert errors == []


def test_after_a_failure_nothing_more_runs_and_the_error_is_reported_once(tmp_path):
    errors = []
    writer = ArchiveThread(opener(tmp_path), 8, errors.append)
    ran = []

    def broken(_archive):
        raise OSError("disk gone")  # not a WarcWriteError: still the end of the writes

    first = writer.submit(ran.append)
    failing = writer.submit(broken)
    after = writer.submit(ran.append)
    writer.close()
    assert first.result(timeout=0) is None
    assert len(ran) == 1
    for future in (failing, after):
        with pytest.raises(WarcWriteError, match="OSError: disk gone"):
            future.result(timeout=0)
    assert errors == [writer.failed]


def test_an_archive_that_cannot_be_opened_raises_in_the_constructor(tmp_path):
    (tmp_path / "history.sqlite").mkdir()  # a folder where the history file should be
    with pytest.raises(Exception, match="unable to open"):
        ArchiveThread(opener(tmp_path), 8, lambda exc: None)

"""A CaptureArchive on a thread of its own: the crawl hands it jobs and goes on with its downloads.

The archive (its WARC files and its SQLite history) is opened, used and closed on that one thread, since a
sqlite3 connection belongs to the thread that made it; zlib and file writes release the GIL, so the
compression runs beside the crawl instead of on its thread. Jobs run one at a time in the order given, so
each file's records stay in crawl order; the queue is bounded, so a slow disk holds the crawl back instead
of filling the memory. Once a job fails, every later one fails with the same error without running: after
a gap in the evidence, nothing more is written.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from oniondex.evidence.archive import CaptureArchive
from oniondex.evidence.errors import WarcWriteError

T = TypeVar("T")


class ArchiveThread:
    def __init__(
        self,
        open_archive: Callable[[], CaptureArchive],
        queue_size: int,
        on_error: Callable[[WarcWriteError], None],
    ) -> None:
        """Opens the archive on the new thread (raising here what opening it raised); `on_error` is called,
        on that thread, with the first error a job meets."""
        self.failed: WarcWriteError | None = None
        self._stopping = False
        self._jobs: queue.Queue[tuple[Callable[[CaptureArchive], Any], Future[Any]] | None] = queue.Queue(queue_size)
        self._on_error = on_error
        opened: Future[CaptureArchive] = Future()
        self._thread = threading.Thread(target=self._run, args=(open_archive, opened), name="warc-writer", daemon=True)
        self._thread.start()
        self.archive = opened.result()  # its job id and root are read from other threads, never its files

    def submit(self, job: Callable[[CaptureArchive], T]) -> Future[T]:
        """Run job(archive) after every job submitted before it; waits while the queue is full."""
        done: Future[T] = Future()
        self._jobs.put((job, done))
        return done

    def drain(self) -> None:
        """Wait until every job submitted so far has run (or failed)."""
        self.submit(lambda _archive: None).exception()

    def close(self) -> None:
        """Run what is queued, close the archive, end the thread."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()

    def _run(self, open_archive: Callable[[], CaptureArchive], opened: Future[CaptureArchive]) -> None:
        try:
            archive = open_archive()
        except BaseException as exc:  # handed to the constructor, which raises it
            opened.set_exception(exc)
            return
        opened.set_result(archive)
        try:
            while (batch := self._next_batch()) is not None:
                self._run_batch(archive, batch)
        finally:
            archive.close()

    def _next_batch(self) -> list[tuple[Callable[[CaptureArchive], Any], Future[Any]]] | None:
        """The jobs waiting (at least one, waited for), or None once the stop is reached."""
        if self._stopping:
            return None
        batch = []
        item = self._jobs.get()
        while item is not None:
            batch.append(item)
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                return batch
        self._stopping = True
        return batch or None

    def _run_batch(
        self, archive: CaptureArchive, batch: list[tuple[Callable[[CaptureArchive], Any], Future[Any]]]
    ) -> None:
        """One history transaction for the batch, and each job's Future settled only once it is committed:
        fewer commits, and fewer hand-overs of the GIL, which a busy reactor makes each cost up to 5 ms."""
        results: list[tuple[Future[Any], Any]] = []
        try:
            with archive.history.batch():
                for job, done in batch:
                    if self.failed is not None:
                        done.set_exception(self.failed)
                        continue
                    try:
                        results.append((done, job(archive)))
                    except WarcWriteError as exc:
                        self._fail(exc, done)
                    except Exception as exc:  # the history's sqlite3 errors: the capture is not kept either
                        self._fail(WarcWriteError(archive.root, f"{type(exc).__name__}: {exc}"), done)
        except Exception as exc:  # the commit itself
            if self.failed is None:
                self.failed = WarcWriteError(archive.root, f"{type(exc).__name__}: {exc}")
                self._on_error(self.failed)
            for done, _result in results:
                done.set_exception(self.failed)
            return
        for done, result in results:
            done.set_result(result)

    def _fail(self, exc: WarcWriteError, done: Future[Any]) -> None:
        self.failed = exc
        self._on_error(exc)
        done.set_exception(exc)

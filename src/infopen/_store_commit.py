"""
Group commit for SQLite: the writers of one process share transactions.

SQLite has one writer at a time, and a commit waits for the disk. When several threads
save at once, the first to take the lock writes every save queued so far in one
transaction, each inside a savepoint of its own (a conflict rolls back that save only), and
commits once; the others find their save done when they get the lock. Four writer threads
are then faster than one, where taking turns on the file lock made them much slower
(each waiter polls the lock and sleeps up to 100 ms between tries, and every hand-over of
the interpreter lock costs a switch interval).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["GroupCommit"]


class _RollBackError(Exception):
    """The only job of a transaction failed: roll the transaction back."""


class _Job:
    __slots__ = ("done", "error", "result", "work")

    def __init__(self, work: Callable[[Any], Any]) -> None:
        self.work = work
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


class GroupCommit:
    """
    Runs ``work(cursor)`` functions in shared transactions.

    Args:
        lock: The store's write lock (held by whoever writes).
        transaction: A context manager factory yielding a cursor inside one transaction
            that commits at the end of the block (the caller already holds ``lock``).
    """

    def __init__(self, lock: threading.Lock, transaction: Callable[[], Any]) -> None:
        self._lock = lock
        self._transaction = transaction
        self._queue: list[_Job] = []
        self._queue_lock = threading.Lock()

    def run(self, work: Callable[[Any], Any]) -> Any:
        """Run ``work`` in a transaction (perhaps shared); its result, or its error, raised here."""
        job = _Job(work)
        with self._queue_lock:
            self._queue.append(job)
        with self._lock:
            if not job.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write(batch)
        if job.error is not None:
            error, job.error = job.error, None
            raise error
        return job.result

    def _write(self, batch: list[_Job]) -> None:
        try:
            with self._transaction() as cursor:
                if len(batch) == 1:
                    if not self._one(batch[0], cursor):
                        raise _RollBackError
                else:
                    for number, job in enumerate(batch):
                        cursor.execute(f"SAVEPOINT infopen_{number}")
                        if not self._one(job, cursor):
                            cursor.execute(f"ROLLBACK TO infopen_{number}")
                        cursor.execute(f"RELEASE infopen_{number}")
        except _RollBackError:  # the transaction rolled back; its job holds its own error
            return
        except BaseException as exc:  # the commit failed: no job of the batch was written
            for job in batch:
                if job.error is None:
                    job.error = exc
        finally:
            for job in batch:
                job.done = True

    @staticmethod
    def _one(job: _Job, cursor: Any) -> bool:
        try:
            job.result = job.work(cursor)
        except Exception as exc:  # delivered to the job's own thread
            job.error = exc
            return False
        return True

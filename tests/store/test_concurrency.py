"""Several processes appending to one request; a process killed in the middle of an append."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import signal
import time
from typing import Any

import pytest

from infopen import ConflictError, EventStore, Request, State

D = dt.date
WORKERS = 4
APPENDS = 8


def _append_worker(url: str, queue: Any) -> None:
    store = EventStore(url)
    accepted: list[tuple[int, str]] = []
    conflicts = 0
    while len(accepted) < APPENDS:
        r = store.load("shared")
        if r.state is State.PROCESSING:
            r.consult_third_party(D(2026, 10, 9))
        else:
            r.third_party_replied(D(2026, 10, 9))
        try:
            store.save(r)
        except ConflictError:
            conflicts += 1
            continue
        accepted.append((r.version, r.events[-1].kind))
    queue.put((accepted, conflicts))


def test_concurrent_appends_lose_and_duplicate_nothing(store_url: str) -> None:
    """Every conflict is detected; the stored events are exactly the accepted appends, in order."""
    store = EventStore(store_url)
    store.create_schema()
    store.save(Request.receive(D(2026, 9, 28), request_id="shared"))
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_append_worker, args=(store_url, queue)) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    accepted = sorted(a for got, _c in results for a in got)
    versions = [v for v, _kind in accepted]
    assert versions == list(range(2, 2 + WORKERS * APPENDS))  # no version accepted twice, none lost
    final = store.load("shared")
    assert final.version == 1 + WORKERS * APPENDS
    assert [e.kind for e in final.events[1:]] == [kind for _v, kind in accepted]
    store.engine.dispose()


def _crash_worker(url: str, started: Any) -> None:
    store = EventStore(url)

    def stall() -> None:
        started.set()
        time.sleep(120)

    store._before_commit = stall
    r = store.load("victim")
    r.third_party_replied(D(2026, 10, 20))
    r.consult_agency(D(2026, 10, 21))
    r.agency_replied(D(2026, 10, 22))
    store.save(r)


def test_killed_append_leaves_all_or_nothing(store_url: str) -> None:
    """SIGKILL inside the append transaction leaves the request exactly as it was."""
    store = EventStore(store_url)
    store.create_schema()
    r = Request.receive(D(2026, 9, 28), request_id="victim")
    r.consult_third_party(D(2026, 10, 9))
    store.save(r)
    ctx = mp.get_context("spawn")
    started = ctx.Event()
    proc = ctx.Process(target=_crash_worker, args=(store_url, started))
    proc.start()
    assert started.wait(timeout=120), "the worker never reached the middle of its append"
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    store.engine.dispose()
    after = EventStore(store_url)
    deadline = time.monotonic() + 30
    while True:  # PostgreSQL notices the dead client within moments
        try:
            back = after.load("victim")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    assert back == r
    assert back.version == 2
    back.third_party_replied(D(2026, 10, 20))
    assert after.save(back) == 1  # the store is writable again at the old version
    after.engine.dispose()


@pytest.mark.parametrize("n", [3])
def test_batch_is_stored_whole(store: EventStore, n: int) -> None:
    """A batch of new events is written in one transaction: all or nothing."""
    r = Request.receive(D(2026, 9, 28), request_id="batch")
    r.consult_third_party(D(2026, 10, 9))
    r.third_party_replied(D(2026, 10, 20))

    def boom() -> None:
        raise RuntimeError("disk full")

    store._before_commit = boom
    with pytest.raises(RuntimeError):
        store.save(r)
    store._before_commit = None
    with pytest.raises(KeyError):
        store.load("batch")
    assert store.save(r) == n

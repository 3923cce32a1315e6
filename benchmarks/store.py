"""
Benchmark: the event store on SQLite and PostgreSQL (issue #6).

Prints single-event appends/s and loads/s (one by one and with ``load_many``), and requests
bulk-loaded per second (``save`` one by one beside ``save_many``) for each backend,
beside the obvious alternative (storing each request's whole ``to_dict()`` JSON blob, rewritten
on every change and rebuilt with ``from_dict`` on every read), and the
time to rebuild projections for N requests. Targets on PostgreSQL here: >= 2,000 appends/s,
>= 5,000 loads/s; rebuild of 100k requests in under 60 s.

Then, on SQLite, appends/s with one writer thread and with four (one store shared by the
threads, as a web server shares it): four must not be slower than one.

Run: ``python benchmarks/store.py [N_REBUILD]`` (a throwaway PostgreSQL cluster is started,
as in the tests; or set INFOPEN_BENCH_PG to a URL).
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))  # for tests.store.pgcluster

import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import sqlalchemy as sa  # noqa: E402

from infopen import EventStore, Request  # noqa: E402
from infopen._store import store_metadata  # noqa: E402

N_REBUILD = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
N_APPEND = 2_000
N_LOAD = 5_000
N_BULK = 5_000
D = dt.date


def _rate(label: str, n: int, seconds: float) -> float:
    print(f"  {label:<38} {n / seconds:>10,.0f} /s")
    return n / seconds


def _bench(url: str, name: str) -> None:
    print(f"{name}:")
    engine = sa.create_engine(url)
    store_metadata().drop_all(engine)
    store = EventStore(url)
    store.create_schema()
    requests = [Request.receive(D(2026, 9, 28), request_id=f"a{i:06d}") for i in range(N_APPEND)]
    for r in requests:
        store.save(r)
    blob = sa.Table("bench_blobs", sa.MetaData(), sa.Column("id", sa.String(64), primary_key=True),
                    sa.Column("doc", sa.Text))  # fmt: skip
    blob.drop(engine, checkfirst=True)
    blob.create(engine)
    docs = [Request.receive(D(2026, 9, 28), request_id=r.request_id) for r in requests]
    with engine.begin() as conn:
        conn.execute(
            blob.insert(), [{"id": r.request_id, "doc": json.dumps(r.to_dict())} for r in docs]
        )
    # The two ways take turns, 100 appends at a time, so that a shared machine's load
    # weighs on both alike; each append is one new event in one transaction.
    spent = {"ours": 0.0, "theirs": 0.0}
    for i in range(0, N_APPEND, 100):
        t0 = time.perf_counter()
        for r in requests[i : i + 100]:
            r.consult_third_party(D(2026, 10, 9))
            store.save(r)
        t1 = time.perf_counter()
        for r in docs[i : i + 100]:  # the alternative: rewrite the whole document per change
            r.consult_third_party(D(2026, 10, 9))
            with engine.begin() as conn:
                conn.execute(
                    blob.update()
                    .where(blob.c.id == r.request_id)
                    .values(doc=json.dumps(r.to_dict()))
                )
        spent["ours"] += t1 - t0
        spent["theirs"] += time.perf_counter() - t1
    ours = _rate("appends (event store)", N_APPEND, spent["ours"])
    theirs = _rate("appends (whole-document rewrite)", N_APPEND, spent["theirs"])
    print(f"  event store / whole document = {ours / theirs:.2f}x")

    ids = [r.request_id for r in requests]
    wanted = [ids[i % len(ids)] for i in range(N_LOAD)]
    for request_id in wanted[:200]:  # warm up: the server prepares the statement
        store.load(request_id)
    query = sa.select(blob.c.doc).where(blob.c.id == sa.bindparam("id"))
    spent = {"ours": 0.0, "theirs": 0.0}
    for i in range(0, N_LOAD, 100):  # taking turns again, 100 loads at a time
        t0 = time.perf_counter()
        for request_id in wanted[i : i + 100]:
            loaded = store.load(request_id)
        t1 = time.perf_counter()
        # The alternative: read the document, rebuild from it; each call takes a pooled
        # connection, as a web request does.
        for request_id in wanted[i : i + 100]:
            with engine.connect() as conn:
                doc = conn.execute(query, {"id": request_id}).scalar_one()
            Request.from_dict(json.loads(doc))
        spent["ours"] += t1 - t0
        spent["theirs"] += time.perf_counter() - t1
    ours = _rate("loads (event store, one by one)", N_LOAD, spent["ours"])
    theirs = _rate("loads (whole document)", N_LOAD, spent["theirs"])
    print(f"  event store / whole document = {ours / theirs:.2f}x")
    # The store holds what was saved before the whole-document run added an event.
    assert loaded.events == requests[(N_LOAD - 1) % len(ids)].events[:2]
    t0 = time.perf_counter()
    for i in range(0, N_LOAD, 100):
        store.load_many(wanted[i : i + 100])
    _rate("loads (event store, load_many of 100)", N_LOAD, time.perf_counter() - t0)

    def fresh(prefix: str) -> list[Request]:
        out = []
        for i in range(N_BULK):
            r = Request.receive(D(2026, 9, 28), request_id=f"{prefix}{i:06d}")
            r.consult_third_party(D(2026, 10, 9))
            out.append(r)
        return out

    one_by_one, bulk = fresh("s"), fresh("m")
    t0 = time.perf_counter()
    for r in one_by_one:  # the obvious way: one save (one transaction) per request
        store.save(r)
    theirs = _rate("bulk load (save, one by one)", N_BULK, time.perf_counter() - t0)
    t0 = time.perf_counter()
    for i in range(0, N_BULK, 1000):  # one transaction per 1,000 requests
        store.save_many(bulk[i : i + 1000])
    ours = _rate("bulk load (save_many of 1,000)", N_BULK, time.perf_counter() - t0)
    print(f"  save_many / save = {ours / theirs:.2f}x")

    with engine.begin() as conn:
        proj = store_metadata().tables
        for table in ("infopen_identities", "infopen_events", "infopen_requests"):
            conn.execute(proj[table].delete())
    batch = []
    for i in range(N_REBUILD):
        r = Request.receive(D(2026, 9, 28), request_id=f"r{i:07d}")
        r.consult_third_party(D(2026, 10, 9))
        r.third_party_replied(D(2026, 10, 20))
        batch.append(r)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        t = store_metadata().tables
        # Bare rows with a stale projection: rebuild_projections must fill them in.
        conn.execute(t["infopen_requests"].insert(), [
            {"request_id": r.request_id, "version": r.version, "rules": "PRC_2019", "state": "submitted",
             "applicant_type": "NATURAL_PERSON", "is_open": True, "last_event_on": D(2026, 9, 28)}
            for r in batch])  # fmt: skip
        conn.execute(t["infopen_events"].insert(), [
            {"request_id": r.request_id, "seq": i, "type": e.kind, "on": e.on, "payload": json.dumps(dict(e.params))}
            for r in batch for i, e in enumerate(r.events, 1)])  # fmt: skip
    print(f"  bulk load of {N_REBUILD:,} requests: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    store.rebuild_projections()
    print(
        f"  rebuild_projections for {N_REBUILD:,} requests: {time.perf_counter() - t0:.1f} s (target < 60 s)"
    )
    store.engine.dispose()
    engine.dispose()


@contextlib.contextmanager
def _postgres() -> Iterator[str]:
    url = os.environ.get("INFOPEN_BENCH_PG")
    if url:
        yield url
        return
    from tests.store.pgcluster import throwaway_cluster

    with throwaway_cluster() as started:
        yield started


def _threads(url: str, n_threads: int, n: int = 2_000) -> float:
    """Appends/s with ``n_threads`` threads sharing one store, each on its own requests."""
    store = EventStore(url)
    store.create_schema()
    prefix = f"t{n_threads}-"
    requests = [Request.receive(D(2026, 9, 28), request_id=f"{prefix}{i:06d}") for i in range(n)]
    store.save_many(requests)
    share = [requests[k::n_threads] for k in range(n_threads)]
    barrier = threading.Barrier(n_threads + 1)

    def work(mine: list[Request]) -> None:
        barrier.wait()
        for r in mine:
            r.consult_third_party(D(2026, 10, 9))
            store.save(r)

    threads = [threading.Thread(target=work, args=(m,)) for m in share]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    rate = _rate(f"appends, {n_threads} writer thread(s)", n, time.perf_counter() - t0)
    store.close()
    return rate


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _bench(f"sqlite:///{tmp}/bench.db", "SQLite")
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite, writer threads:")
        one = _threads(f"sqlite:///{tmp}/threads.db", 1)
        four = _threads(f"sqlite:///{tmp}/threads.db", 4)
        print(f"  four threads / one thread = {four / one:.2f}x")
    with _postgres() as url:
        _bench(url, "PostgreSQL")


if __name__ == "__main__":
    main()

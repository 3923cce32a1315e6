"""
Benchmark: the agency desk (issue #21) on a SQLite store of 10,000 requests.

Prints the time of a 台账 page (first, middle and last page; filtered by state and year;
searched by 编号), of a request page, and of recording one event (POST: load, check the
version, apply, save, note the actor). Targets on this machine: under 1 s per 台账 page,
under 100 ms per recorded event. Figures, not a timed test.

Run: ``python benchmarks/desk.py [N_REQUESTS]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

from starlette.testclient import TestClient  # noqa: E402

from infopen import EstimatedDateWarning, EventStore, Outcome, Request  # noqa: E402
from infopen._desk import create_app  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
TODAY = dt.date(2026, 12, 15)


def populate(url: str) -> None:
    store = EventStore(url)
    store.create_schema()
    start = dt.date(2025, 1, 2)
    batch = []
    for i in range(N):
        day = start + dt.timedelta(days=i * 700 // N)
        r = Request.receive(day, request_id=f"{day.year}-{i:05d}", subject=f"第{i}号申请的信息")
        if i % 3 == 0:
            r.extend(day + dt.timedelta(days=10), workdays=10)
        if i % 2 == 0 and day + dt.timedelta(days=25) <= TODAY:
            r.decide(day + dt.timedelta(days=25), Outcome.DISCLOSED)
        batch.append(r)
        if len(batch) == 2000:
            store.save_many(batch)
            batch = []
    if batch:
        store.save_many(batch)
    store.close()


def timed(client: TestClient, path: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def main() -> None:
    warnings.simplefilter("ignore", EstimatedDateWarning)  # the pages flag estimates themselves
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/desk.db"
        t = time.perf_counter()
        populate(url)
        print(f"{N} requests stored in {time.perf_counter() - t:.1f} s")
        app = create_app(url, today=lambda: TODAY)
        app.state.desk.accounts.create_user("bench", "bench-password")
        client = TestClient(app)
        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        client.post(
            "/login", data={"csrf": token, "username": "bench", "password": "bench-password"}
        )
        pages = -(-N // 50)
        print("台账 (50 rows a page), median of 5:")
        for label, path in [
            ("first page", "/"),
            ("middle page", f"/?page={pages // 2}"),
            ("last page", f"/?page={pages}"),
            ("open requests", "/?state=open"),
            ("by due date", "/?state=open&sort=due"),
            ("year 2026", "/?year=2026"),
            ("search 编号", "/?q=2026-09"),
        ]:
            print(f"  {label:14} {timed(client, path) * 1000:7.1f} ms   (target < 1000 ms)")
        print(f"request page     {timed(client, '/request?id=2026-09999') * 1000:7.1f} ms")
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)  # type: ignore[union-attr]
        open_ids = re.findall(r"id=([0-9-]+)\"", client.get("/?state=PROCESSING").text)
        times = []
        for rid in open_ids[:20]:
            version = app.state.desk.store.load(rid).version
            t = time.perf_counter()
            response = client.post(
                "/request/event",
                data={"csrf": csrf, "id": rid, "kind": "consult_agency", "version": str(version),
                      "on": TODAY.isoformat()},
                follow_redirects=False,
            )  # fmt: skip
            times.append(time.perf_counter() - t)
            assert response.status_code == 303, response.text[:300]
        print(
            f"record one event {statistics.median(times) * 1000:7.1f} ms median, "
            f"{max(times) * 1000:.1f} ms max over {len(times)}   (target < 100 ms)"
        )


if __name__ == "__main__":
    main()

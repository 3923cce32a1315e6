"""
Benchmark: the request lifecycle at scale (issue #3), beside raw transitions dispatch and a
plain dict table in the same run.

100k requests with 8 events each: create and fire (live, through the one transitions
machine), query status, serialise (to_dict), replay (from_dict, through the compiled table);
bytes per live request by tracemalloc.

Targets: replay >= 200k events/s; a live event <= 2 x a raw transitions dispatch;
<= 3 KB per live request. Run: ``python benchmarks/lifecycle.py [N]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402

from infopen import Outcome, Request  # noqa: E402
from infopen._machine import COMPILED, MACHINE, State  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
D = dt.date
STEPS: list[tuple[str, Callable[[Request], None]]] = [
    ("consult_third_party", lambda r: r.consult_third_party(D(2026, 10, 9))),
    ("third_party_replied", lambda r: r.third_party_replied(D(2026, 10, 20), consents=True)),
    ("consult_agency", lambda r: r.consult_agency(D(2026, 10, 21))),
    ("agency_replied", lambda r: r.agency_replied(D(2026, 10, 23))),
    ("extend", lambda r: r.extend(D(2026, 10, 26), workdays=10)),
    ("send_fee_notice", lambda r: r.send_fee_notice(D(2026, 10, 27), amount=100)),
    ("fee_paid", lambda r: r.fee_paid(D(2026, 10, 28))),
]
EVENTS_PER_REQUEST = 1 + len(STEPS)  # receive + the steps (decide is timed apart)


def timed(label: str, fn: Callable[[], object], events: int) -> float:
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    rate = events / seconds
    print(f"{label:<34} {seconds:8.2f} s  {rate:>12,.0f} events/s")
    return rate


def main() -> None:
    print(f"{N:,} requests x {EVENTS_PER_REQUEST} events")
    requests: list[Request] = []

    def live() -> None:
        for i in range(N):
            r = Request.receive(D(2026, 9, 28), request_id=f"r{i}")
            for _name, step in STEPS:
                step(r)
            requests.append(r)

    live_rate = timed("create and fire (live)", live, N * EVENTS_PER_REQUEST)

    class Holder:
        __slots__ = ("_state",)

    names = [name for name, _ in STEPS]

    def raw() -> None:
        h = Holder()
        for _ in range(N):
            h._state = State.PROCESSING.value
            for name in names:
                MACHINE.events[name].trigger(h)

    raw_rate = timed("raw transitions dispatch", raw, N * len(STEPS))

    def table() -> None:
        for _ in range(N):
            s = State.PROCESSING.value
            for name in names:
                s = COMPILED[(name, s)]

    timed("plain dict table", table, N * len(STEPS))

    timed("status(as_of)", lambda: [r.status(D(2026, 10, 29)) for r in requests], N)
    docs: list[dict[str, object]] = []
    timed("to_dict", lambda: docs.extend(r.to_dict() for r in requests), N * EVENTS_PER_REQUEST)
    replayed: list[Request] = []
    replay_rate = timed(
        "replay (from_dict)",
        lambda: replayed.extend(Request.from_dict(d) for d in docs),
        N * EVENTS_PER_REQUEST,
    )
    assert replayed[-1] == requests[-1]

    sample = 10_000
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    keep = []
    for i in range(sample):
        r = Request.receive(D(2026, 9, 28), request_id=f"m{i:07d}")
        for _name, step in STEPS:
            step(r)
        keep.append(r)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    size = sum(s.size_diff for s in after.compare_to(before, "filename")) / sample
    keep[0].decide(D(2026, 11, 20), Outcome.DISCLOSED)

    long_ratio = _long_request_ratio()

    print()
    print(f"live event cost / raw dispatch = {raw_rate / live_rate:.2f}x   (target <= 2)")
    print(
        f"every query of a 10,000-event request / of a 1,000-event one = {long_ratio:.1f}x   "
        f"(linear: about 10; quadratic: about 100)"
    )
    print(f"replay = {replay_rate:,.0f} events/s   (target >= 200,000)")
    print(f"memory per live request (8 events) = {size:,.0f} bytes   (target <= 3,072)")


def _long_request_ratio() -> float:
    """
    Time of replay, status, deadlines, violations and explain on a request of 10,000 events
    (one receipt, then repeated extensions: each a violation) against one of 1,000 (#13).
    """
    import time

    from infopen import national_calendar

    cal = national_calendar(beyond="estimate")
    seconds = []
    for n in (1_000, 10_000):
        r = Request.receive(D(2026, 1, 5), calendar=cal, request_id=f"long-{n}")
        for _ in range(n - 1):
            r.extend(D(2026, 1, 6), workdays=1)
        doc = r.to_dict()
        start = time.perf_counter()
        for _ in range(3):
            again = Request.from_dict(doc, calendar=cal)
            again.status(D(2026, 12, 1))
            again.deadlines(D(2026, 12, 1))
            again.violations(D(2026, 12, 1))
            again.explain(D(2026, 12, 1))
        seconds.append(time.perf_counter() - start)
        print(f"{n:>6} events: replay and every query {seconds[-1] / 3 * 1000:,.1f} ms")
    return seconds[1] / seconds[0]


if __name__ == "__main__":
    main()

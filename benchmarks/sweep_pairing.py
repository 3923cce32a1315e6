"""
What common random numbers buy: the 95 % interval of a difference between two sweep cells,
paired replicate by replicate (as ``SweepResult.differences`` does) against the obvious
alternative, an unpaired two-sample t interval on the same runs.

Printed as half-widths and their ratio, for a change of staff and of queue order (the
arrivals are shared exactly) and for a March surge (draws are tied to the day, so every
day outside March keeps its requests), and the share of days whose arrivals are the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import math  # noqa: E402

import attrs  # noqa: E402

from infopen import SimulationConfig, simulate, sweep  # noqa: E402
from infopen._simulate import t975  # noqa: E402

REPLICATES = 20
METRIC = "mean_queue_workdays"


def main() -> None:
    cfg = SimulationConfig.example("county")
    for name, values in (("officers", [2, 3]), ("order", ["fifo", "edd"]),
                         ("monthly_factors.3", [1.1, 1.43])):  # fmt: skip
        result = sweep(cfg, {name: values}, seed=1, replicates=REPLICATES, workers=2)
        paired = result.differences(METRIC)[1]
        a, b = ([r[METRIC] for r in result.rows if r[name] == v] for v in values)
        var = [sum((x - sum(s) / len(s)) ** 2 for x in s) / (len(s) - 1) for s in (a, b)]
        unpaired = t975(len(a) + len(b) - 2) * math.sqrt(var[0] / len(a) + var[1] / len(b))
        half = (paired["high"] - paired["low"]) / 2
        print(
            f"{name} {values[0]} -> {values[1]}: mean difference {paired['mean']:+.4f}; "
            f"95% half-width paired {half:.4f}, unpaired {unpaired:.4f} "
            f"(unpaired/paired = {unpaired / half:.1f}x)"
        )
    base = simulate(cfg, seed=1)
    surge = simulate(
        attrs.evolve(cfg, monthly_factors=(0.8, 0.6, 1.43, *cfg.monthly_factors[3:])), seed=1
    )

    def per_day(result: object) -> dict[object, int]:
        days: dict[object, int] = {}
        for r in result.requests:  # type: ignore[attr-defined]
            days[r.received_on] = days.get(r.received_on, 0) + 1
        return days

    a, b = per_day(base), per_day(surge)
    worked = sorted(set(a) | set(b))
    same = sum(1 for d in worked if a.get(d) == b.get(d))
    print(f"March surge: {same} of {len(worked)} days with requests keep their arrivals")


if __name__ == "__main__":
    main()

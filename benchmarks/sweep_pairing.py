"""
What common random numbers buy: the 95 % interval of a difference between two sweep cells,
paired replicate by replicate (as ``SweepResult.differences`` does) against the obvious
alternative, an unpaired two-sample t interval on the same runs.

Printed as half-widths and their ratio, for a change of queue order (the arrivals are
shared exactly) and a change of arrival rate (they are not).
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import math  # noqa: E402

import attrs  # noqa: E402

from infopen import SimulationConfig, sweep  # noqa: E402
from infopen._simulate import t975  # noqa: E402

REPLICATES = 10
METRIC = "on_time_share_of_due"


def main() -> None:
    cfg = attrs.evolve(SimulationConfig.example("county"), capacity=1, daily_rate=1.56)
    for name, values in (("order", ["fifo", "edd"]), ("daily_rate", [1.2, 1.56])):
        result = sweep(cfg, {name: values}, seed=1, replicates=REPLICATES)
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


if __name__ == "__main__":
    main()

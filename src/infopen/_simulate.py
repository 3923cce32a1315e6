"""
The simulation's public names, gathered from its modules (#22 split the one module):

* :mod:`infopen._sim_config` — :class:`SimulationConfig`, its keys and checks;
* :mod:`infopen._sim_engine` — the SimPy engine and :func:`simulate`;
* :mod:`infopen._sim_result` — :class:`SimulationResult`: records, measures, files;
* :mod:`infopen._sweep` — :func:`sweep` and :class:`SweepResult`, intervals, parquet;
* :mod:`infopen._calibrate` — a configuration fitted on an audited register;
* :mod:`infopen._elapsed` — the elapsed-time definitions the audit shares.
"""

from __future__ import annotations

from ._sim_config import (
    MAX_DAILY_RATE,
    MIXES,
    TABLES,
    Empirical,
    SimulationConfig,
    check_value,
    last_year,
)
from ._sim_engine import simulate
from ._sim_result import SimulationResult
from ._sweep import DEFAULT_REPLICATES, METRICS, SweepResult, mean_ci, sweep, t975

__all__ = [
    "DEFAULT_REPLICATES",
    "MAX_DAILY_RATE",
    "METRICS",
    "MIXES",
    "TABLES",
    "Empirical",
    "SimulationConfig",
    "SimulationResult",
    "SweepResult",
    "check_value",
    "last_year",
    "mean_ci",
    "simulate",
    "sweep",
    "t975",
]

"""
Sweeps: every cell of a grid of configuration values, replicated, with 95 % intervals and
paired differences (common random numbers), as rows, CSV, a pandas DataFrame or parquet.

How many replicates: the interval of a cell's mean is Student's t interval over its
replicates; :data:`DEFAULT_REPLICATES` (20) gives intervals whose measured coverage is
close to the nominal 95 % for the sweep measures (see ``docs/researchers.md``); five
under-covered (0.79 to 0.93 measured, #22).
"""

from __future__ import annotations

import itertools
import math
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ._errors import InvalidInputError, InvalidTypeError, MissingExtraError, check_flag
from ._i18n import Lang
from ._sim_config import FIELDS, SimulationConfig, check_value
from ._sim_engine import check_seed, simulate

__all__ = [
    "DEFAULT_REPLICATES",
    "METRICS",
    "SweepResult",
    "apply_parameters",
    "check_parameter",
    "mean_ci",
    "sweep",
    "t975",
]

#: Replicates per cell unless told otherwise: enough for the 95 % t interval to cover.
DEFAULT_REPLICATES = 20

#: Two-sided 95 % quantiles of Student's t by degrees of freedom (t table, e.g. NIST/SEMATECH
#: e-Handbook of Statistical Methods, section 1.3.6.7.2); between rows the next smaller
#: degrees of freedom are used (a slightly wider, conservative interval).
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
         9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
         16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
         23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
         30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}  # fmt: skip


def t975(df: int) -> float:
    """Student's t 97.5 % quantile for ``df`` degrees of freedom (1.960 beyond 120)."""
    if df > 120:
        return 1.960
    return _T975[max(k for k in _T975 if k <= df)]


def mean_ci(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """Mean and a 95 % t confidence interval (``None`` bounds for fewer than two values)."""
    if not values:
        return None, None, None
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None, None
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t975(n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


#: The measures of a sweep row, aggregated per cell (see :meth:`SimulationResult.summary`).
METRICS: tuple[str, ...] = (
    "requests", "answered", "withdrawn", "abandoned", "open_at_year_end",
    "on_time_share_of_answered", "due_in_year", "on_time_share_of_due", "share_extended",
    "p50_workdays", "p90_workdays", "p99_workdays", "mean_queue_workdays",
    "p90_queue_workdays", "late_answers", "mean_days_late", "mean_utilisation",
    "max_backlog", "mean_backlog", *(f"backlog_{m:02d}" for m in range(1, 13)),
)  # fmt: skip
_INDEXED = {"weekday_factors": 5, "monthly_factors": 12}


def check_parameter(name: object) -> str:
    """
    A grid parameter: a configuration field, ``seed``, or one entry of a list field as
    ``monthly_factors.3`` (March; months 1..12) or ``weekday_factors.1`` (Monday; 1..5).
    """
    if not isinstance(name, str):
        msg = f"a grid parameter must be a name, got {type(name).__name__}"
        raise InvalidTypeError(msg)
    field, _, index = name.partition(".")
    if index and field in _INDEXED:
        if not index.isdigit() or not 1 <= int(index) <= _INDEXED[field]:
            msg = f"{name!r:.40}: {field} has entries 1..{_INDEXED[field]}"
            raise InvalidInputError(msg)
        return name
    if name not in FIELDS and name != "seed":
        known = sorted([*FIELDS, "seed", *(f"{f}.N" for f in _INDEXED)])
        msg = f"cannot sweep unknown parameters [{name!r:.60}]; parameters: {known}"
        raise InvalidInputError(msg)
    return name


def _check_grid_value(key: str, value: object) -> Any:
    if key == "seed":
        return check_seed(value, key)
    field, _, index = key.partition(".")
    if index:
        return check_value(field, [value] * _INDEXED[field])[0]
    return check_value(key, value)


def apply_parameters(config: SimulationConfig, params: Mapping[str, Any]) -> SimulationConfig:
    """``config`` with a cell's values set (``seed`` aside; ``field.N`` sets one entry)."""
    changes: dict[str, Any] = {}
    for key, value in params.items():
        field, _, index = key.partition(".")
        if key == "seed":
            continue
        if index:
            entries = list(changes.get(field, getattr(config, field)))
            entries[int(index) - 1] = value
            changes[field] = tuple(entries)
        else:
            changes[key] = value
    return attrs.evolve(config, **changes)


def _plain(value: Any) -> Any:
    """A grid value as JSON would hold it (tuples as lists)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@attrs.frozen
class SweepResult:
    """
    A sweep's raw replicate rows and, per cell of the grid, each measure's mean and 95 %
    confidence interval.

    ``rows`` holds one row per run (the cell's parameters, ``seed``, ``replicate``, then
    every measure of :data:`METRICS`, ``late_share_<OUTCOME>`` for each configured outcome
    and ``estimated_rest_days``); ``cells()`` aggregates them; ``differences()`` pairs the
    replicates of two cells; ``manifest()`` says how the rows were made.

    .. versionadded:: 0.1.0
    """

    parameters: tuple[str, ...]
    replicates: int
    metrics: tuple[str, ...]
    rows: tuple[dict[str, Any], ...] = attrs.field(hash=False)
    base: Mapping[str, Any] = attrs.field(factory=dict, hash=False)  # the base configuration
    grid: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    seed: int = 1

    def _cells(self) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for row in self.rows:
            groups.setdefault(tuple(row[p] for p in self.parameters), []).append(row)
        return groups

    def cells(self) -> list[dict[str, Any]]:
        """Per cell, in grid order: its parameters, ``n`` runs, then ``<metric>_mean``,
        ``<metric>_low`` and ``<metric>_high`` (the 95 % t interval) for every measure."""
        out = []
        for key, rows in self._cells().items():
            cell: dict[str, Any] = dict(zip(self.parameters, key, strict=True))
            cell["n"] = len(rows)
            for m in self.metrics:
                mean, low, high = mean_ci([r[m] for r in rows if r[m] is not None])
                cell[f"{m}_mean"], cell[f"{m}_low"], cell[f"{m}_high"] = mean, low, high
            out.append(cell)
        return out

    def differences(
        self, metric: str, baseline: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """
        Each cell minus the baseline cell (default: the first), replicate by replicate
        (paired: replicate k of both used the same random streams, day by day, when they
        share a seed), with the mean difference and its 95 % t interval.

        Raises:
            InvalidInputError: an unknown metric or a baseline that is not a cell.
        """
        if metric not in self.metrics:
            msg = f"unknown metric {metric!r:.40}; metrics: {list(self.metrics)}"
            raise InvalidInputError(msg)
        groups = self._cells()
        if baseline is None:
            base_key = next(iter(groups))
        else:
            base_key = tuple(baseline.get(p) for p in self.parameters)
            if base_key not in groups:
                msg = f"baseline {dict(baseline)} is not a cell; cells: {[dict(zip(self.parameters, k, strict=True)) for k in groups]}"
                raise InvalidInputError(msg)
        base = {(r["seed"], r["replicate"]): r[metric] for r in groups[base_key]}
        out = []
        for key, rows in groups.items():
            pairs = [(r[metric], base.get((r["seed"], r["replicate"]))) for r in rows]
            diffs = [a - b for a, b in pairs if a is not None and b is not None]
            mean, low, high = mean_ci(diffs)
            out.append({**dict(zip(self.parameters, key, strict=True)), "n": len(diffs),
                        "mean": mean, "low": low, "high": high})  # fmt: skip
        return out

    def plot(
        self, metric: str, parameter: str, folder: str | Path, *, lang: Lang | str = "both"
    ) -> list[Path]:
        """
        ``metric`` against ``parameter`` with its 95 % confidence band, as PNG, PDF and SVG
        in ``folder`` (needs ``infopen[sim]``); labels in Chinese and English by default
        (``lang="zh"`` or ``"en"`` for one); see :func:`infopen._plots.plot_sweep`.
        """
        from ._files import as_path
        from ._plots import plot_sweep

        return plot_sweep(self, metric, parameter, as_path(folder, "folder"), lang=lang)

    def to_csv(self, *, cells: bool = True) -> str:
        """The cells (default) or the raw replicate rows as CSV text."""
        import csv
        import io

        check_flag(cells, "cells")
        table = self.cells() if cells else [
            {k: (" ".join(v) if isinstance(v, list) else v) for k, v in r.items()} for r in self.rows
        ]  # fmt: skip
        out = io.StringIO()
        if table:
            w = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(table)
        return out.getvalue()

    def manifest(self) -> dict[str, Any]:
        """
        How the rows were made: the base configuration, the grid, the seed, replicates,
        the measures and the versions of Python and the packages that made them.

        .. versionadded:: 0.2.0
        """
        from importlib.metadata import PackageNotFoundError, version

        versions = {"python": sys.version.split()[0]}
        for package in ("infopen", "numpy", "simpy", "pandas", "pyarrow"):
            try:
                versions[package] = version(package)
            except PackageNotFoundError:
                versions[package] = None  # type: ignore[assignment]  # not installed
        return {"base_config": dict(self.base), "grid": {k: _plain(v) for k, v in self.grid.items()},
                "parameters": list(self.parameters), "seed": self.seed,
                "replicates": self.replicates, "runs": len(self.rows),
                "metrics": list(self.metrics), "versions": versions}  # fmt: skip

    def to_frame(self, *, cells: bool = False) -> Any:
        """
        The raw replicate rows (default) or the cells as a pandas DataFrame (needs
        ``infopen[research]``); the manifest is in ``frame.attrs["manifest"]``.

        .. versionadded:: 0.2.0
        """
        check_flag(cells, "cells")
        try:
            import pandas as pd  # type: ignore[import-untyped]  # no stubs required
        except ModuleNotFoundError:
            raise MissingExtraError("Sweep results as a DataFrame", "research", "pandas") from None
        frame = pd.DataFrame(self.cells() if cells else [dict(r) for r in self.rows])
        frame.attrs["manifest"] = self.manifest()
        return frame

    def to_parquet(self, path: str | os.PathLike[str], *, cells: bool = False) -> tuple[Path, Path]:
        """
        Write the rows (or cells) as parquet and the manifest beside them as
        ``<name>.manifest.json`` (needs ``infopen[research]``); returns both paths.

        .. versionadded:: 0.2.0
        """
        import json

        from ._errors import file_access_error
        from ._files import as_path

        p = as_path(path, "path")
        check_flag(cells, "cells")
        frame = self.to_frame(cells=cells)
        try:
            import pyarrow  # type: ignore[import-untyped]  # noqa: F401  # pandas' parquet engine
        except ModuleNotFoundError:
            raise MissingExtraError("Sweep results as parquet", "research", "pyarrow") from None
        manifest = p.with_name(p.stem + ".manifest.json")
        try:
            frame.attrs = {}  # the manifest goes beside the table, not into its metadata
            frame.to_parquet(p, index=False)
            manifest.write_text(
                json.dumps(self.manifest(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise file_access_error(exc.filename or p, "write", exc) from None
        return p, manifest


def _sweep_one(args: tuple[SimulationConfig, int, int, dict[str, Any]]) -> dict[str, Any]:
    cfg, seed, replicate, params = args
    result = simulate(apply_parameters(cfg, params), seed=seed, replicate=replicate)
    summary = result.measures()
    wd, queue, late = summary["workdays_to_answer"], summary["queue_workdays"], summary["days_late"]
    row = {**params, "seed": seed, "replicate": replicate}
    for key in ("requests", "answered", "withdrawn", "abandoned", "open_at_year_end",
                "on_time_share_of_answered", "due_in_year", "on_time_share_of_due",
                "share_extended", "max_backlog", "mean_backlog"):  # fmt: skip
        row[key] = summary[key]
    row.update({f"p{q}_workdays": wd[f"p{q}"] for q in (50, 90, 99)})
    row["mean_queue_workdays"], row["p90_queue_workdays"] = queue["mean"], queue["p90"]
    row["late_answers"] = summary["late"]
    row["mean_days_late"] = late["mean"] if late["mean"] is not None else 0.0
    used = [u for u in summary["utilisation"] if u is not None]
    row["mean_utilisation"] = round(sum(used) / len(used), 4) if used else None
    row.update({f"backlog_{m:02d}": n for m, n in enumerate(summary["backlog_month_end"], 1)})
    by_outcome = summary["late_share_by_outcome"]
    row.update({f"late_share_{o}": by_outcome.get(o) for o in sorted(cfg.outcomes)})
    row["estimated_rest_days"] = summary["estimated_rest_days"]
    return row


def _check_grid(config: SimulationConfig, grid: Mapping[str, Any]) -> dict[str, list[Any]]:
    checked: dict[str, list[Any]] = {}
    for key in grid:
        check_parameter(key)
        values = grid[key]
        if not isinstance(values, (list, tuple)) or not values:
            msg = f"grid[{key!r}] must be a non-empty list of values, got {values!r:.60}"
            raise InvalidInputError(msg)
        checked[key] = [_check_grid_value(key, v) for v in values]
        seen: list[Any] = []
        for v in checked[key]:
            if v in seen:  # two identical cells pair with themselves: a zero-width "interval"
                msg = f"grid[{key!r}] lists {v!r:.40} twice; give each value once"
                raise InvalidInputError(msg)
            seen.append(v)
    fields = [k.partition(".")[0] for k in checked]
    twice = sorted({f for f in fields if fields.count(f) > 1 and f in checked})
    if twice:
        msg = f"grid sets {twice[0]} both whole and by entry; sweep one or the other"
        raise InvalidInputError(msg)
    for combo in itertools.product(*checked.values()):  # fields checked together, before any run
        params = dict(zip(checked, combo, strict=True))
        try:
            apply_parameters(config, params)
        except InvalidInputError as exc:
            msg = f"grid {params}: {exc}"
            raise InvalidInputError(msg) from None
    return checked


def sweep(
    config: SimulationConfig,
    grid: Mapping[str, list[Any]],
    *,
    seed: int = 1,
    replicates: int = DEFAULT_REPLICATES,
    scheduler: str | None = None,
    workers: int | None = None,
) -> SweepResult:
    """
    Run the simulation for every combination in ``grid`` (e.g. ``{"officers": [2, 3],
    "monthly_factors.3": [1.0, 1.3]}``), ``replicates`` times each: in this process when
    ``workers=1`` (no ``if __name__ == "__main__":`` guard needed), otherwise in local
    processes (one per CPU by default) or on a dask.distributed cluster at ``scheduler``
    (``infopen[dask]``); all give the same result.

    Replicate k of every cell uses the random streams of ``(seed, k)``, tied to the day:
    the same arrivals on every day whose rate is the same, and the same draws for the same
    request, so differences between cells are paired (common random numbers). ``seed`` may
    itself be a grid parameter; ``field.N`` sweeps one entry of ``monthly_factors`` (month
    N) or ``weekday_factors`` (weekday N). Every value is checked as a configuration value
    before any run.

    Raises:
        InvalidInputError: an unknown parameter (the valid ones listed), a value the
            configuration refuses (``officers=1.5``), a value given twice, or
            ``replicates`` below 1.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 20 replicates by default; ``workers=1`` runs in-process;
       ``field.N`` parameters; duplicate values refused.
    """
    if not isinstance(config, SimulationConfig):
        msg = f"config must be a SimulationConfig, got {type(config).__name__}"
        raise InvalidTypeError(msg)
    if not isinstance(grid, Mapping):
        msg = f"grid must map parameter names to lists of values, got {type(grid).__name__}"
        raise InvalidTypeError(msg)
    if scheduler is not None and not isinstance(scheduler, str):
        msg = f"scheduler must be an address such as 'tcp://host:8786', got {scheduler!r:.40}"
        raise InvalidTypeError(msg)
    if workers is not None and (type(workers) is not int or workers < 1):
        msg = f"workers must be a number of processes (int >= 1) or None, got {workers!r:.40}"
        raise InvalidInputError(msg)
    if type(replicates) is not int or replicates < 1:
        msg = f"replicates must be a whole number >= 1, got {replicates!r:.40}"
        raise InvalidInputError(msg)
    check_seed(seed, "seed")
    checked = _check_grid(config, grid)
    combos = [dict(zip(checked, v, strict=True)) for v in itertools.product(*checked.values())]
    jobs = [
        (config, combo.get("seed", seed), k, combo) for combo in combos for k in range(replicates)
    ]
    if scheduler is not None:
        try:
            from distributed import Client
        except ModuleNotFoundError:
            raise MissingExtraError("Sweeps on a dask cluster", "dask", "distributed") from None
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]  # distributed is untyped
            rows = list(client.gather(client.map(_sweep_one, jobs, pure=False)))
    elif workers == 1 or len(jobs) == 1:
        rows = [_sweep_one(job) for job in jobs]
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # Never fork: the caller may have threads (a dask client, a web server), and a forked
        # child of a threaded process can deadlock. A fork server starts workers cleanly.
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
            rows = list(pool.map(_sweep_one, jobs))
    metrics = METRICS + tuple(f"late_share_{o}" for o in sorted(config.outcomes))
    return SweepResult(
        tuple(checked), replicates, metrics, tuple(rows), config.to_dict(),
        {k: tuple(v) for k, v in checked.items()}, seed,
    )  # fmt: skip

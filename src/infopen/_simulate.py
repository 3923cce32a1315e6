"""
A discrete-event simulation of an agency handling requests, on SimPy.

Every step is recorded as a real event on a real :class:`Request`, so deadlines, pauses,
violations and the annual report come from the library itself, not from a second model.
Time runs in calendar days from 1 January of the simulated year; agencies work on the
calendar's working days.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._calendar import WorkCalendar, default_calendar
from ._errors import MissingExtraError
from ._machine import State
from ._model import ApplicantType, Ground, Outcome
from ._request import Request
from ._toml import read_toml

__all__ = ["SimulationConfig", "SimulationResult", "simulate", "sweep"]

_DECIDED = [o for o in Outcome if o not in (Outcome.WITHDRAWN, Outcome.ABANDONED_NO_CORRECTION,
                                            Outcome.ABANDONED_UNPAID_FEE)]  # fmt: skip


def _check_mix(name: str, mix: Mapping[str, float], members: list[str]) -> dict[str, float]:
    if not isinstance(mix, Mapping) or not mix:
        msg = f"[{name}] must be a table of shares"
        raise ValueError(msg)
    unknown = set(mix) - set(members)
    if unknown:
        msg = f"[{name}] has unknown keys {sorted(unknown)}; known: {members}"
        raise ValueError(msg)
    for key, share in mix.items():
        if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 1:
            msg = f"[{name}].{key} must be a share between 0 and 1, got {share!r}"
            raise ValueError(msg)
    total = sum(mix.values())
    if abs(total - 1) > 1e-9:
        msg = f"[{name}] shares must sum to 1, they sum to {total:g}"
        raise ValueError(msg)
    return {k: float(v) for k, v in mix.items()}


def _probability(value: object, where: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        msg = f"{where} must be a probability between 0 and 1, got {value!r}"
        raise ValueError(msg)
    return float(value)


def _range(value: object, where: str) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(type(v) is int and v >= 0 for v in value) or value[0] > value[1]):  # fmt: skip
        msg = f"{where} must be [low, high] working days with 0 <= low <= high, got {value!r}"
        raise ValueError(msg)
    return value[0], value[1]


@attrs.frozen
class SimulationConfig:
    """
    A validated simulation configuration (see ``infopen/examples/*.toml`` for every key
    with its meaning and default).

    .. versionadded:: 0.1.0
    """

    name: str = "示例"
    year: int = 2025
    daily_rate: float = 4.0  # mean requests per working day
    weekday_factors: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0)
    monthly_factors: tuple[float, ...] = (1.0,) * 12
    arrival_dates: tuple[dt.date, ...] = ()  # replayed arrivals instead of the rate
    officers: int = 2
    capacity: int = 3  # answers per officer per working day
    order: str = "fifo"  # or "edd" (earliest due date first)
    handling_days: tuple[int, int] = (3, 12)  # working days of search and review before answering
    p_correction: float = 0.1
    p_correction_answered: float = 0.8
    correction_reply_days: tuple[int, int] = (2, 10)  # working days the applicant takes
    p_third_party: float = 0.05
    third_party_reply_days: tuple[int, int] = (3, 20)  # beyond 15: silence
    p_agency: float = 0.03
    agency_reply_days: tuple[int, int] = (2, 18)
    p_fee: float = 0.02
    p_fee_paid: float = 0.5
    p_extension: float = 0.5  # chance of extending a request about to be late
    p_withdraw: float = 0.02
    outcomes: Mapping[str, float] = attrs.field(factory=lambda: {"DISCLOSED": 1.0}, hash=False)
    grounds: Mapping[str, float] = attrs.field(factory=lambda: {"THIRD_PARTY": 1.0}, hash=False)
    applicants: Mapping[str, float] = attrs.field(
        factory=lambda: {"NATURAL_PERSON": 1.0}, hash=False
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationConfig:
        """Validate plain data (the TOML tables flattened as in the examples)."""
        known = {f.name for f in attrs.fields(cls)}
        flat: dict[str, Any] = {}
        for section, values in data.items():
            if isinstance(values, Mapping) and section not in ("outcomes", "grounds", "applicants"):
                for key, value in values.items():
                    flat[key] = value
            else:
                flat[section] = values
        unknown = set(flat) - known
        if unknown:
            msg = f"unknown configuration keys {sorted(unknown)}; known: {sorted(known)}"
            raise ValueError(msg)
        kw: dict[str, Any] = {}
        for key, value in flat.items():
            if key.startswith("p_"):
                kw[key] = _probability(value, key)
            elif key.endswith("_reply_days") or key == "handling_days":
                kw[key] = _range(value, key)
            elif key in ("officers", "capacity", "year"):
                if type(value) is not int or value < (2001 if key == "year" else 1):
                    msg = f"{key} must be a whole number >= 1, got {value!r}"
                    raise ValueError(msg)
                kw[key] = value
            elif key == "daily_rate":
                if not isinstance(value, (int, float)) or value < 0:
                    msg = f"daily_rate must be a number >= 0, got {value!r}"
                    raise ValueError(msg)
                kw[key] = float(value)
            elif key in ("weekday_factors", "monthly_factors"):
                size = 5 if key == "weekday_factors" else 12
                if (
                    not isinstance(value, list)
                    or len(value) != size
                    or any(not isinstance(v, (int, float)) or v < 0 for v in value)
                ):
                    msg = f"{key} must be a list of {size} numbers >= 0"
                    raise ValueError(msg)
                kw[key] = tuple(float(v) for v in value)
            elif key == "order":
                if value not in ("fifo", "edd"):
                    msg = f"order must be 'fifo' or 'edd', got {value!r}"
                    raise ValueError(msg)
                kw[key] = value
            elif key == "outcomes":
                kw[key] = _check_mix(key, value, [o.name for o in _DECIDED])
            elif key == "grounds":
                kw[key] = _check_mix(key, value, [g.name for g in Ground])
            elif key == "applicants":
                kw[key] = _check_mix(key, value, [a.name for a in ApplicantType])
            elif key == "arrival_dates":
                kw[key] = tuple(dt.date.fromisoformat(str(v)) for v in value)
            elif key == "name":
                kw[key] = str(value)
        return cls(**kw)

    @classmethod
    def from_toml(cls, path: str | Path) -> SimulationConfig:
        """Read and validate a TOML configuration; errors name the key."""
        p = Path(path)
        data = read_toml(p)
        try:
            return cls.from_dict(data)
        except ValueError as exc:
            msg = f"{p}: {exc}"
            raise ValueError(msg) from None

    @classmethod
    def example(cls, name: str = "county") -> SimulationConfig:
        """A shipped example: ``"county"`` (a county government office) or ``"municipal_bureau"``."""
        path = Path(__file__).parent / "examples" / f"{name}.toml"
        if not path.exists():
            msg = f"no example {name!r}; use 'county' or 'municipal_bureau'"
            raise ValueError(msg)
        return cls.from_toml(path)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, recorded with every run."""
        data: dict[str, Any] = json.loads(json.dumps(attrs.asdict(self), default=str))
        return data


@attrs.frozen
class SimulationResult:
    """
    The simulated requests and what the library says about them.

    .. versionadded:: 0.1.0
    """

    config: SimulationConfig
    seed: int
    requests: tuple[Request, ...]
    backlog: tuple[tuple[dt.date, int], ...]  # open requests at the end of each working day
    year_end: dt.date

    def records(self) -> list[dict[str, Any]]:
        """One record per request: its events and the derived dates, on-time flag, violations."""
        out = []
        cal = self.requests[0].calendar if self.requests else default_calendar()
        for r in self.requests:
            st = r.status(self.year_end)
            answered = next(
                (e.on for e in reversed(r.events) if e.kind in ("decide", "withdraw", "abandon")),
                None,
            )
            start = r.received_on
            out.append({
                **r.to_dict(),
                "due_date": st.due_date.isoformat() if st.due_date else None,
                "answered_on": answered.isoformat() if answered else None,
                "workdays_taken": cal.workdays_between(start, answered) if answered and start else None,
                "on_time": None if answered is None or st.due_date is None else answered <= st.due_date,
                "violations": [v.code for v in r.violations(self.year_end)],
            })  # fmt: skip
        return out

    def summary(self, records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """On-time share, working days to answer (percentiles), violations by kind, backlog."""
        recs = self.records() if records is None else records
        answered = [r for r in recs if r["on_time"] is not None]
        taken = sorted(r["workdays_taken"] for r in answered)
        counts: dict[str, int] = {}
        for r in recs:
            for code in r["violations"]:
                counts[code] = counts.get(code, 0) + 1

        def pct(q: float) -> int | None:
            return taken[min(len(taken) - 1, int(q * len(taken)))] if taken else None

        return {
            "name": self.config.name,
            "seed": self.seed,
            "requests": len(recs),
            "answered": len(answered),
            "open_at_year_end": sum(1 for r in self.requests if r.is_open),
            "on_time_share": round(sum(r["on_time"] for r in answered) / len(answered), 4) if answered else None,
            "workdays_to_answer": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": taken[-1] if taken else None},
            "violations": dict(sorted(counts.items())),
            "max_backlog": max((n for _d, n in self.backlog), default=0),
            "backlog": [[d.isoformat(), n] for d, n in self.backlog],
        }  # fmt: skip

    def write(self, out: str | Path, *, plot: bool = False) -> Path:
        """Write run.json, requests.jsonl, summary.json, report.md/.csv (and PNG plots)."""
        from importlib.metadata import version

        from ._report import annual_report

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        run = {"seed": self.seed, "infopen": version("infopen"), "config": self.config.to_dict()}
        (folder / "run.json").write_text(
            json.dumps(run, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        records = self.records()  # computed once for both files
        with (folder / "requests.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        (folder / "summary.json").write_text(
            json.dumps(self.summary(records), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        report = annual_report(self.requests, self.config.year)
        (folder / "report.md").write_text(report.to_markdown(), encoding="utf-8")
        (folder / "report.csv").write_text(report.to_csv(), encoding="utf-8")
        if plot:
            from ._plots import plot_result

            plot_result(self, folder)
        return folder


class _Sim:
    """One run: SimPy processes for arrivals, each request, the officers and extensions."""

    def __init__(
        self,
        cfg: SimulationConfig,
        seed: int,
        calendar: WorkCalendar,
        progress: Callable[[int], None] | None,
    ) -> None:
        try:
            import numpy as np
            import simpy
        except ModuleNotFoundError as exc:
            raise MissingExtraError("The simulation", "sim", exc.name or "simpy") from None
        self.np = np
        self.cfg = cfg
        self.cal = calendar
        self.rng = np.random.Generator(np.random.PCG64(seed))
        self.env = simpy.Environment()
        self.start = dt.date(cfg.year, 1, 1)
        self.end = dt.date(cfg.year, 12, 31)
        self.days = [self.start]  # day number -> date, grown as the clock advances
        self.queue: list[tuple[Any, int, Request]] = []
        self.requests: list[Request] = []
        self.backlog: list[tuple[dt.date, int]] = []
        self.open = 0  # requests not yet answered, withdrawn or abandoned
        self.progress = progress
        # Weighted draws by bisecting running totals: Generator.choice(p=...) validates its
        # weights on every call and cost a quarter of a run (measured).
        self.outcomes = [Outcome[k] for k in cfg.outcomes]
        self.outcome_cum = list(itertools.accumulate(cfg.outcomes.values()))
        self.grounds = [Ground[k] for k in cfg.grounds]
        self.ground_cum = list(itertools.accumulate(cfg.grounds.values()))
        self.applicants = [ApplicantType[k] for k in cfg.applicants]
        self.applicant_cum = list(itertools.accumulate(cfg.applicants.values()))

    def day(self) -> dt.date:
        """The simulated day (the clock counts days from 1 January)."""
        n = int(self.env.now)
        while n >= len(self.days):  # the officers may work on past 31 December
            self.days.append(self.days[-1] + dt.timedelta(days=1))
        return self.days[n]

    def wait_until(self, day: dt.date) -> Any:
        return self.env.timeout(max(0, (day - self.day()).days))

    def wd(self, low_high: tuple[int, int]) -> int:
        """A whole number of days drawn uniformly from ``low..high``."""
        low, high = low_high
        return low + int(self.rng.random() * (high - low + 1))

    def pick(self, cum: list[float]) -> int:
        """An index drawn with the weights whose running totals are ``cum``."""
        return bisect.bisect_right(cum, self.rng.random() * cum[-1])

    def arrivals(self) -> Any:
        cfg = self.cfg
        if cfg.arrival_dates:
            for d in sorted(cfg.arrival_dates):
                yield self.wait_until(d)
                self.env.process(self.request(d))
            return
        day = self.start
        while day <= self.end:
            if self.cal.is_workday(day):
                wf = cfg.weekday_factors[day.weekday()] if day.weekday() < 5 else 1.0
                n = int(self.rng.poisson(cfg.daily_rate * wf * cfg.monthly_factors[day.month - 1]))
                for _ in range(n):
                    self.env.process(self.request(day))
            yield self.env.timeout(1)
            day += dt.timedelta(days=1)

    def request(self, received: dt.date) -> Any:
        cfg, cal, rng = self.cfg, self.cal, self.rng
        kind = self.applicants[self.pick(self.applicant_cum)]
        r = Request.receive(
            received, applicant_type=kind, calendar=cal, request_id=f"S{len(self.requests) + 1:07d}"
        )
        self.requests.append(r)
        self.open += 1
        if self.progress:
            self.progress(1)
        if rng.random() < cfg.p_withdraw:
            yield self.wait_until(cal.add_workdays(received, self.wd((1, 10))))
            r.withdraw(self.day())
            self.open -= 1
            return
        if rng.random() < cfg.p_correction:
            asked = cal.add_workdays(received, self.wd((1, 7)))
            yield self.wait_until(asked)
            r.request_correction(asked, reply_by=asked + dt.timedelta(days=15))
            if rng.random() < cfg.p_correction_answered:
                yield self.wait_until(cal.add_workdays(asked, self.wd(cfg.correction_reply_days)))
                r.receive_correction(self.day())
            else:
                yield self.wait_until(asked + dt.timedelta(days=16))
                r.abandon(self.day())
                self.open -= 1
                return
        if rng.random() < cfg.p_fee:
            yield self.env.timeout(1)
            notice = self.day()
            r.send_fee_notice(notice, amount=100)
            if rng.random() < cfg.p_fee_paid:
                yield self.wait_until(cal.add_workdays(notice, self.wd((1, 15))))
                r.fee_paid(self.day())
            else:  # deemed abandoned the working day after the payment window
                yield self.wait_until(cal.add_workdays(notice, r.rules.fee_payment_workdays + 1))
                r.abandon(self.day())
                self.open -= 1
                return
        for which, p, span in (("third_party", cfg.p_third_party, cfg.third_party_reply_days),
                               ("agency", cfg.p_agency, cfg.agency_reply_days)):  # fmt: skip
            if rng.random() < p:
                yield self.env.timeout(1)
                sent = self.day()
                getattr(r, f"consult_{which}")(sent)
                wait = self.wd(span)
                if wait <= 15:  # replied within its 15 working days; otherwise silence
                    yield self.wait_until(cal.add_workdays(sent, wait))
                    getattr(r, f"{which}_replied")(self.day())
                else:
                    yield self.wait_until(cal.add_workdays(sent, 15))
                if r.state is not State.PROCESSING:
                    break  # a silent party leaves the request with the agency in its state
        yield self.wait_until(cal.add_workdays(self.day(), self.wd(cfg.handling_days)))
        due = r.status(self.day()).due_date
        key: Any = (len(self.queue), 0) if cfg.order == "fifo" else (due, len(self.queue))
        self.queue.append((key, len(self.queue), r))

    def officers(self) -> Any:
        cfg = self.cfg
        day = self.start
        yield self.env.timeout(0.5)  # officers work after the day's arrivals and replies
        while True:
            if self.cal.is_workday(day) and self.queue:
                self.queue.sort(key=lambda item: item[0])
                take = min(len(self.queue), cfg.officers * cfg.capacity)
                batch, self.queue = self.queue[:take], self.queue[take:]
                for _k, _n, r in batch:
                    if r.events[-1].on <= day:
                        self.decide(r, day)
                    else:
                        self.queue.append((_k, _n, r))
                self.extend_late(day)
            if self.cal.is_workday(day):
                self.backlog.append((day, self.open))
            yield self.env.timeout(1)
            day += dt.timedelta(days=1)
            if day > self.end and not self.queue:
                return

    def extend_late(self, day: dt.date) -> None:
        """A request in the queue whose due date is tomorrow may be extended (art 33)."""
        tomorrow = self.cal.add_workdays(day, 1)
        for _k, _n, r in self.queue:
            if (
                (
                    r.state is State.PROCESSING
                    and r.events[-1].on <= day
                    and not any(e.kind == "extend" for e in r.events)
                )
                and r.status(day).due_date == tomorrow
                and self.rng.random() < self.cfg.p_extension
            ):
                r.extend(day, workdays=20)

    def decide(self, r: Request, day: dt.date) -> None:
        outcome = self.outcomes[self.pick(self.outcome_cum)]
        grounds: list[Ground] = []
        if outcome.needs_grounds:
            grounds = [self.grounds[self.pick(self.ground_cum)]]
        if outcome is Outcome.STILL_UNCLEAR and not any(
            e.kind == "receive_correction" for e in r.events
        ):
            outcome = Outcome.NOT_HELD
        r.decide(day, outcome, grounds=grounds)
        self.open -= 1

    def run(self) -> SimulationResult:
        self.env.process(self.arrivals())
        self.env.process(self.officers())
        horizon = (self.end - self.start).days + 1
        self.env.run(until=horizon)
        return SimulationResult(self.cfg, 0, tuple(self.requests), tuple(self.backlog), self.end)


def simulate(
    config: SimulationConfig | None = None,
    *,
    seed: int = 1,
    calendar: WorkCalendar | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """
    Simulate one agency-year (``config.year``) with a fixed seed (same seed, same result).

    Needs ``infopen[sim]``. Without a configuration the built-in county example runs.

    .. versionadded:: 0.1.0
    """
    cfg = config or SimulationConfig.example("county")
    if type(seed) is not int or seed < 0:
        msg = f"seed must be a whole number >= 0, got {seed!r}"
        raise ValueError(msg)
    cal = calendar or default_calendar()
    result = _Sim(cfg, seed, cal, progress).run()
    return attrs.evolve(result, seed=seed)


def _sweep_one(args: tuple[SimulationConfig, int, dict[str, Any]]) -> dict[str, Any]:
    cfg, seed, params = args
    summary = simulate(attrs.evolve(cfg, **params), seed=seed).summary()
    return {**params, "seed": seed, **{k: summary[k] for k in ("requests", "on_time_share", "open_at_year_end", "max_backlog")},
            "p90_workdays": summary["workdays_to_answer"]["p90"]}  # fmt: skip


def sweep(
    config: SimulationConfig,
    grid: Mapping[str, list[Any]],
    *,
    seed: int = 1,
    scheduler: str | None = None,
    workers: int | None = None,
) -> list[dict[str, Any]]:
    """
    Run the simulation for every combination in ``grid`` (e.g. ``{"officers": [2, 3],
    "daily_rate": [4.0, 6.0]}``), a seed per run derived from ``seed``, in parallel: local
    processes by default, or a dask.distributed cluster at ``scheduler`` (``infopen[dask]``).
    Returns one row per run, in grid order.

    .. versionadded:: 0.1.0
    """
    import itertools

    keys = list(grid)
    known = {f.name for f in attrs.fields(SimulationConfig)}
    bad = set(keys) - known
    if bad:
        msg = f"cannot sweep unknown parameters {sorted(bad)}"
        raise ValueError(msg)
    combos = [
        dict(zip(keys, values, strict=True))
        for values in itertools.product(*(grid[k] for k in keys))
    ]
    jobs = [(config, seed * 1000 + i, combo) for i, combo in enumerate(combos)]
    if scheduler is not None:
        try:
            from distributed import Client
        except ModuleNotFoundError:
            raise MissingExtraError("Sweeps on a dask cluster", "dask", "distributed") from None
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]  # distributed is untyped
            return list(client.gather(client.map(_sweep_one, jobs, pure=False)))
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # Never fork: the caller may have threads (a dask client, a web server), and a forked
    # child of a threaded process can deadlock. A fork server starts workers cleanly.
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
        return list(pool.map(_sweep_one, jobs))

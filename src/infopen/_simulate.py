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
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._calendar import (
    WorkCalendar,
    as_date,
    calendar_or_default,
    check_reach,
    default_calendar,
    last_day,
)
from ._errors import (
    InvalidInputError,
    InvalidTypeError,
    MissingExtraError,
    check_flag,
    file_access_error,
)
from ._files import as_path
from ._i18n import Lang
from ._machine import State
from ._model import ApplicantType, DeliveryMethod, Ground, Outcome
from ._request import Request
from ._toml import read_toml

_CHINA = dt.timezone(dt.timedelta(hours=8), "CST")

__all__ = [
    "MAX_DAILY_RATE",
    "METRICS",
    "MIXES",
    "TABLES",
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

_DECIDED = [o for o in Outcome if o not in (Outcome.WITHDRAWN, Outcome.ABANDONED_NO_CORRECTION,
                                            Outcome.ABANDONED_UNPAID_FEE)]  # fmt: skip


def _check_mix(name: str, mix: object, members: list[str]) -> dict[str, float]:
    if not isinstance(mix, Mapping) or not mix:
        msg = f"[{name}] must be a table of shares, e.g. {members[0]} = 1.0"
        raise InvalidInputError(msg)
    unknown = set(mix) - set(members)
    if unknown:
        msg = f"[{name}] has unknown keys {sorted(unknown)}; known: {members}"
        raise InvalidInputError(msg)
    for key, share in mix.items():
        if not _number(share) or not 0 <= share <= 1:
            msg = f"[{name}].{key} must be a share between 0 and 1, got {share!r}"
            raise InvalidInputError(msg)
    total = sum(mix.values())
    if abs(total - 1) > 1e-9:
        msg = f"[{name}] shares must sum to 1, they sum to {total:g}"
        raise InvalidInputError(msg)
    return {k: float(v) for k, v in mix.items()}


def _number(value: object) -> bool:
    """A finite int or float (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _probability(value: object, where: str) -> float:
    if not _number(value) or not 0 <= value <= 1:  # type: ignore[operator]  # _number checked
        msg = f"{where} must be a probability between 0 and 1, got {value!r}"
        raise InvalidInputError(msg)
    return float(value)  # type: ignore[arg-type]  # _number checked


def _range(value: object, where: str) -> tuple[int, int]:
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(type(v) is int and v >= 0 for v in value) or value[0] > value[1]):  # fmt: skip
        msg = f"{where} must be [low, high] working days with 0 <= low <= high, got {value!r}"
        raise InvalidInputError(msg)
    if value[1] > _MOST:
        msg = f"{where} must be at most {_MOST} working days, got {value!r:.40}"
        raise InvalidInputError(msg)
    return value[0], value[1]


# Sanity bounds, not legal numbers (#13): larger values only exhaust memory or run past
# every calendar (a thousand officers, a stage of 1,000 working days).
_MOST = 1000


def last_year() -> int:
    """
    The last year a simulation can run on the default calendar: the year before the last
    one it estimates, since the requests of December are answered in January (#23).
    """
    return last_day(default_calendar()).year - 1


#: The tables of a configuration file and the keys each takes (see ``examples/*.toml``).
TABLES: dict[str, tuple[str, ...]] = {
    "arrivals": ("daily_rate", "weekday_factors", "monthly_factors", "arrival_dates"),
    "staff": ("officers", "capacity", "handling_days", "order"),
    "branches": ("p_correction", "p_correction_answered", "correction_reply_days",
                 "p_third_party", "third_party_reply_days", "p_agency", "agency_reply_days",
                 "p_fee", "p_fee_paid", "p_extension", "p_withdraw"),
}  # fmt: skip
#: Tables of shares that sum to 1, keyed by enum member names.
MIXES = ("outcomes", "grounds", "applicants")
#: The most requests per working day a configuration may ask for: far above any agency, it
#: only catches typing errors (a rate of 1e6 would never finish).
MAX_DAILY_RATE = 10_000.0


def check_value(key: str, value: object) -> Any:
    """
    One configuration value, checked and converted; the message names the key and the rule.

    Raises:
        InvalidInputError: an unknown key (the known ones listed) or a value it cannot take.
    """
    if key.startswith("p_") and key in _FIELDS:
        return _probability(value, key)
    if key.endswith("_reply_days") or key == "handling_days":
        return _range(value, key)
    if key in ("officers", "capacity", "year"):
        low, high = (2001, last_year()) if key == "year" else (1, _MOST)
        if type(value) is not int or value < low:
            what = "a whole number of people" if key == "officers" else "a whole number"
            msg = f"{key} must be {what} >= {low}, got {value!r:.40}"
            raise InvalidInputError(msg)
        if value > high:
            msg = f"{key} must be at most {high}, got {value}"
            if key == "year":
                msg += (
                    f": the default calendar estimates the holidays through {high + 1}, and "
                    f"a year's last requests are answered in the next"
                )
            raise InvalidInputError(msg)
        return value
    if key == "daily_rate":
        if not _number(value) or not 0 <= value <= MAX_DAILY_RATE:  # type: ignore[operator]  # _number checked
            msg = f"daily_rate must be a number of requests per working day in 0..{MAX_DAILY_RATE:g}, got {value!r}"
            raise InvalidInputError(msg)
        return float(value)  # type: ignore[arg-type]  # _number checked
    if key in ("weekday_factors", "monthly_factors"):
        size = 5 if key == "weekday_factors" else 12
        if (not isinstance(value, (list, tuple)) or len(value) != size
                or any(not _number(v) or v < 0 for v in value)):  # fmt: skip
            msg = f"{key} must be a list of {size} finite numbers >= 0, got {value!r}"
            raise InvalidInputError(msg)
        return tuple(float(v) for v in value)
    if key == "order":
        if value not in ("fifo", "edd"):
            msg = f"order must be 'fifo' or 'edd', got {value!r}"
            raise InvalidInputError(msg)
        return value
    if key == "outcomes":
        return _check_mix(key, value, [o.name for o in _DECIDED])
    if key == "grounds":
        return _check_mix(key, value, [g.name for g in Ground])
    if key == "applicants":
        return _check_mix(key, value, [a.name for a in ApplicantType])
    if key == "arrival_dates":
        if not isinstance(value, (list, tuple)):
            msg = f"arrival_dates must be a list of dates, got {value!r:.60}"
            raise InvalidInputError(msg)
        return tuple(as_date(v, "arrival_dates") for v in value)
    if key == "name":
        if not isinstance(value, str) or not value.strip():
            msg = f"name must be a non-empty string, got {value!r:.40}"
            raise InvalidInputError(msg)
        return value
    msg = f"unknown configuration key {key!r}; known: {sorted(_FIELDS)}"
    raise InvalidInputError(msg)


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
        """
        Validate plain data: the TOML tables of the examples ([arrivals], [staff],
        [branches], [outcomes], [grounds], [applicants]) or their keys at the top level.

        Raises:
            InvalidInputError: an unknown table or key (the valid ones listed), a value of
                the wrong kind (``officers = 1.5``) or out of range (a probability of 1.5, a
                negative or impossibly large rate).
        """
        if not isinstance(data, Mapping):
            msg = f"a simulation configuration must be a mapping, got {type(data).__name__}"
            raise InvalidTypeError(msg)
        flat: dict[str, Any] = {}
        for section, values in data.items():
            if section in TABLES:
                if not isinstance(values, Mapping):
                    msg = f"[{section}] must be a table with keys {list(TABLES[section])}"
                    raise InvalidInputError(msg)
                unknown = sorted(map(str, set(values) - set(TABLES[section])))
                if unknown:
                    msg = f"unknown configuration keys {unknown} in [{section}]; it takes {list(TABLES[section])}"
                    raise InvalidInputError(msg)
                flat.update(values)
            elif isinstance(values, Mapping) and section not in MIXES:
                msg = f"unknown table [{section}]; tables: {sorted([*TABLES, *MIXES])}"
                raise InvalidInputError(msg)
            elif section not in _FIELDS:
                msg = f"unknown configuration keys [{section!r}]; known: {sorted(_FIELDS)}"
                raise InvalidInputError(msg)
            else:
                flat[section] = values
        return cls(**{key: check_value(key, value) for key, value in flat.items()})

    @classmethod
    def from_toml(cls, path: str | Path) -> SimulationConfig:
        """Read and validate a TOML configuration; errors name the key."""
        p = as_path(path)
        data = read_toml(p)
        try:
            return cls.from_dict(data)
        except ValueError as exc:
            msg = f"{p}: {exc}"
            raise InvalidInputError(msg) from None

    @classmethod
    def example(cls, name: str = "county") -> SimulationConfig:
        """A bundled configuration by name (see :meth:`examples` for the names)."""
        known = cls.examples()
        if not isinstance(name, str) or name not in known:
            msg = f"no bundled configuration {name!r}; bundled: {sorted(known)}"
            raise InvalidInputError(msg)
        return cls.from_toml(_EXAMPLES / f"{name}.toml")

    @staticmethod
    def examples() -> dict[str, str]:
        """
        The bundled configurations: name -> what it models (the file's opening comment).

        .. versionadded:: 0.1.0
        """
        out = {}
        for path in sorted(_EXAMPLES.glob("*.toml")):
            lines = path.read_text(encoding="utf-8").splitlines()
            if not any(line.startswith("[staff]") for line in lines):
                continue  # not a simulation configuration (the rule profile example)
            comment = []
            for line in lines:
                if not line.startswith("#"):
                    break
                comment.append(line.lstrip("# ").strip())
            out[path.stem] = " ".join(comment)
        return out

    def __attrs_post_init__(self) -> None:
        # The constructor and attrs.evolve (sweeps) check every field as from_dict does (#13).
        for field in attrs.fields(SimulationConfig):
            object.__setattr__(self, field.name, check_value(field.name, getattr(self, field.name)))
        outside = [d for d in self.arrival_dates if d.year != self.year]
        if outside:
            msg = (
                f"arrival_dates must fall in the simulated year {self.year}, got "
                f"{outside[0].isoformat()}; set year to match or drop those dates"
            )
            raise InvalidInputError(msg)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, recorded with every run."""
        data: dict[str, Any] = json.loads(json.dumps(attrs.asdict(self), default=str))
        return data


_FIELDS = frozenset(f.name for f in attrs.fields(SimulationConfig))
_EXAMPLES = Path(__file__).parent / "examples"


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
    replicate: int = 0

    def _calendar(self) -> WorkCalendar:
        """The calendar the run's requests were simulated on."""
        return self.requests[0].calendar if self.requests else default_calendar()

    def records(self) -> list[dict[str, Any]]:
        """
        One record per request: its events and the derived dates, on-time flag, violations,
        and ``estimated``: whether its due date rests on estimated rest days.
        """
        out = []
        cal = self._calendar()
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
                "extended": any(e.kind == "extend" for e in r.events),
                "violations": [v.code for v in r.violations(self.year_end)],
                "estimated": bool(st.estimated),
            })  # fmt: skip
        return out

    def estimated_rest_days(self) -> list[str]:
        """
        The estimated rest days (years whose State Council notice is not yet published) that
        fall between 1 January and the run's last event: the run's dates rest on them.
        """
        cal = self._calendar()
        last = max((e.on for r in self.requests for e in r.events), default=self.year_end)
        last = max(last, self.backlog[-1][0] if self.backlog else last)
        start = dt.date(self.config.year, 1, 1)
        days = []
        for year in range(start.year, last.year + 1):
            if not cal.is_estimated(dt.date(year, 12, 31)):
                continue
            days += [d.isoformat() for d, note in cal.rest_and_work_days(year)
                     if note.kind == "estimated_rest" and start <= d <= last]  # fmt: skip
        return days

    def summary(self, records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """
        The run's measures.

        * ``on_time_share_of_answered``: of the requests answered (decided, withdrawn or
          abandoned) by 31 December, the share answered by their due date. Requests still
          open are left out, so read it beside ``open_at_year_end``.
        * ``on_time_share_of_due``: of *all* requests whose due date fell in the year, the
          share answered by it (an unanswered one counts as late).
        * ``workdays_to_answer``: percentiles of working days from receipt to answer.
        * ``share_extended``: the share of requests extended (art 33 ¶2).
        * ``late_share_by_outcome``: per outcome, the share of answers given late.
        * ``backlog_month_end``: open requests at the end of each month's last working day.
        * ``estimated_rest_days``: estimated rest days the run's dates rest on (see
          :meth:`estimated_rest_days`); ``estimated_requests``: records flagged estimated.
        """
        recs = self.records() if records is None else _check_records(records)
        answered = [r for r in recs if r["on_time"] is not None]
        taken = sorted(r["workdays_taken"] for r in answered)
        counts: dict[str, int] = {}
        for r in recs:
            for code in r["violations"]:
                counts[code] = counts.get(code, 0) + 1
        year_end = self.year_end.isoformat()
        due = [r for r in recs if r["due_date"] is not None and r["due_date"] <= year_end
               and r.get("outcome") not in _CLOSED_WITHOUT_ANSWER]  # fmt: skip
        by_outcome: dict[str, list[bool]] = {}
        for r in answered:
            by_outcome.setdefault(_outcome_of(r), []).append(bool(r["on_time"]))
        month_end: dict[int, int] = {}
        for d, n in self.backlog:
            if d.year == self.config.year:
                month_end[d.month] = n

        def pct(q: float) -> int | None:
            return taken[min(len(taken) - 1, int(q * len(taken)))] if taken else None

        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        return {
            "name": self.config.name,
            "seed": self.seed,
            "replicate": self.replicate,
            "requests": len(recs),
            "answered": len(answered),
            "open_at_year_end": sum(1 for r in self.requests if r.is_open),
            "on_time_share_of_answered": share(sum(r["on_time"] for r in answered), len(answered)),
            "due_in_year": len(due),
            "on_time_share_of_due": share(sum(1 for r in due if r["on_time"]), len(due)),
            "share_extended": share(sum(1 for r in recs if r.get("extended")), len(recs)),
            "workdays_to_answer": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": taken[-1] if taken else None},
            "late_share_by_outcome": {k: share(v.count(False), len(v)) for k, v in sorted(by_outcome.items())},
            "violations": dict(sorted(counts.items())),
            "max_backlog": max((n for _d, n in self.backlog), default=0),
            "mean_backlog": round(sum(n for _d, n in self.backlog) / len(self.backlog), 2) if self.backlog else 0,
            "backlog_month_end": [month_end.get(m, 0) for m in range(1, 13)],
            "estimated_requests": sum(1 for r in recs if r.get("estimated")),
            "estimated_rest_days": self.estimated_rest_days(),
            "backlog": [[d.isoformat(), n] for d, n in self.backlog],
        }  # fmt: skip

    def write(self, out: str | Path, *, plot: bool = False, lang: Lang = "zh") -> Path:
        """
        Write run.json, requests.jsonl, summary.json, report.md/.csv (and the plots as PNG
        and SVG, labelled in ``lang``).
        """
        folder = as_path(out, "out")
        check_flag(plot, "plot")
        if lang not in ("zh", "en"):
            msg = f"lang must be 'zh' or 'en', got {lang!r:.40}"
            raise InvalidInputError(msg)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._write(folder)
        except OSError as exc:
            raise file_access_error(exc.filename or folder, "write", exc) from None
        if plot:
            from ._plots import plot_result

            plot_result(self, folder, lang=lang)
        return folder

    def _write(self, folder: Path) -> None:
        from importlib.metadata import version

        from ._report import annual_report

        run = {"seed": self.seed, "replicate": self.replicate, "infopen": version("infopen"),
               "config": self.config.to_dict(), "estimated_rest_days": self.estimated_rest_days()}  # fmt: skip
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


_CLOSED_WITHOUT_ANSWER = ("WITHDRAWN", "ABANDONED_NO_CORRECTION", "ABANDONED_UNPAID_FEE")


def _record_ok(r: object) -> bool:
    """Whether ``r`` has the fields :meth:`SimulationResult.summary` reads, typed as records() makes them."""
    if not isinstance(r, dict):
        return False
    on_time, taken, due = r.get("on_time"), r.get("workdays_taken"), r.get("due_date")
    events, codes = r.get("events"), r.get("violations")
    return (
        (on_time is None or (type(on_time) is bool and type(taken) is int))
        and (due is None or isinstance(due, str))
        and isinstance(codes, list)
        and all(isinstance(c, str) for c in codes)
        and isinstance(events, list)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("type"), str)
            and (e["type"] != "decide" or isinstance(e.get("outcome"), str))
            for e in events
        )
    )


def _check_records(records: object) -> list[dict[str, Any]]:
    """``records`` as :meth:`SimulationResult.records` returns them, or an error (#13)."""
    if not isinstance(records, list) or not all(_record_ok(r) for r in records):
        msg = "records must be what SimulationResult.records() returns (or None to compute them)"
        raise InvalidTypeError(msg)
    return records


def _outcome_of(record: Mapping[str, Any]) -> str:
    """The outcome name of an answered record (its last closing event)."""
    for e in reversed(record["events"]):
        if e["type"] == "decide":
            return str(e["outcome"])
        if e["type"] == "withdraw":
            return "WITHDRAWN"
        if e["type"] == "abandon":
            return "ABANDONED"
    return "OPEN"


#: The uniform draws each request owns, by purpose: with common random numbers the same
#: request gets the same draw for the same decision in every cell of a sweep.
_SLOTS = {name: i for i, name in enumerate((
    "applicant", "withdraw", "withdraw_days", "correction", "correction_asked",
    "correction_answered", "correction_reply", "fee", "fee_paid", "fee_paid_days",
    "third_party", "third_party_wait", "agency", "agency_wait", "handling", "extension",
    "outcome", "ground",
))}  # fmt: skip


class _Sim:
    """
    One run: SimPy processes for arrivals, each request, the officers and extensions.

    Randomness comes in two streams spawned from ``SeedSequence([seed, replicate])``: one
    draws the daily arrivals, the other a fixed block of uniforms per request in arrival
    order (:data:`_SLOTS`). Two runs with the same seed and replicate and the same arrival
    parameters therefore see the same requests making the same choices, whatever the
    staff or the queue order: common random numbers, so differences are paired.
    """

    def __init__(
        self,
        cfg: SimulationConfig,
        seed: int,
        calendar: WorkCalendar,
        progress: Callable[[int], None] | None,
        replicate: int = 0,
    ) -> None:
        try:
            import numpy as np
            import simpy
        except ModuleNotFoundError as exc:
            raise MissingExtraError("The simulation", "sim", exc.name or "simpy") from None
        self.np = np
        self.cfg = cfg
        self.cal = calendar
        arrivals, draws = np.random.SeedSequence([seed, replicate]).spawn(2)
        self.rng = np.random.Generator(np.random.PCG64(arrivals))
        self.draw_rng = np.random.Generator(np.random.PCG64(draws))
        self.draws: dict[str, list[float]] = {}  # request id -> its uniforms
        self.pending: dict[str, Request] = {}  # open requests, in arrival order
        self.due_cache: dict[str, tuple[int, dt.date | None]] = {}  # id -> (events, due)
        self.replicate = replicate
        # The requests of December run into the next year: a calendar that stops sooner is
        # refused here, not by a failure deep inside the run (#23).
        check_reach(calendar, dt.date(cfg.year + 1, 12, 31))
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

    def _sim_clock(self) -> dt.datetime:
        """When a simulated event is recorded: the start of its simulated day in China."""
        day = self.day()
        return dt.datetime(day.year, day.month, day.day, tzinfo=_CHINA)

    def day(self) -> dt.date:
        """The simulated day (the clock counts days from 1 January)."""
        n = int(self.env.now)
        while n >= len(self.days):  # the officers may work on past 31 December
            self.days.append(self.days[-1] + dt.timedelta(days=1))
        return self.days[n]

    def wait_until(self, day: dt.date) -> Any:
        return self.env.timeout(max(0, (day - self.day()).days))

    @staticmethod
    def wd(low_high: tuple[int, int], u: float) -> int:
        """A whole number of days in ``low..high`` from the uniform draw ``u``."""
        low, high = low_high
        return low + int(u * (high - low + 1))

    @staticmethod
    def pick(cum: list[float], u: float) -> int:
        """An index with the weights whose running totals are ``cum``, from the draw ``u``."""
        return min(bisect.bisect_right(cum, u * cum[-1]), len(cum) - 1)

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
        cfg, cal = self.cfg, self.cal
        u = self.draw_rng.random(len(_SLOTS)).tolist()
        s = _SLOTS
        kind = self.applicants[self.pick(self.applicant_cum, u[s["applicant"]])]
        rid = f"S{len(self.requests) + 1:07d}"
        self.draws[rid] = u
        r = Request.receive(
            received, applicant_type=kind, calendar=cal, request_id=rid, clock=self._sim_clock
        )
        self.requests.append(r)
        self.pending[rid] = r
        self.open += 1
        if self.progress:
            self.progress(1)
        if u[s["withdraw"]] < cfg.p_withdraw:
            yield self.wait_until(
                cal.add_workdays(received, self.wd((1, 10), u[s["withdraw_days"]]))
            )
            r.withdraw(self.day())
            self.close(r)
            return
        if u[s["correction"]] < cfg.p_correction:
            asked = cal.add_workdays(received, self.wd((1, 7), u[s["correction_asked"]]))
            yield self.wait_until(asked)
            # Sent electronically: delivered (送达) the day it is sent (art 30 needs it).
            by = asked + dt.timedelta(days=15)
            r.request_correction(
                asked, reply_by=by, delivered_on=asked, method=DeliveryMethod.ELECTRONIC
            )
            if u[s["correction_answered"]] < cfg.p_correction_answered:
                reply = self.wd(cfg.correction_reply_days, u[s["correction_reply"]])
                yield self.wait_until(cal.add_workdays(asked, reply))
                r.receive_correction(self.day())
            else:
                # A last day on a rest day ends on the next working day (民事诉讼法 art 85).
                last = by if cal.is_workday(by) else cal.add_workdays(by, 1)
                yield self.wait_until(last + dt.timedelta(days=1))
                r.abandon(self.day())
                self.close(r)
                return
        if u[s["fee"]] < cfg.p_fee:
            yield self.env.timeout(1)
            notice = self.day()
            # Sent electronically: delivered (送达) the day it is sent.
            r.send_fee_notice(
                notice, amount=100, delivered_on=notice, method=DeliveryMethod.ELECTRONIC
            )
            window = r.rules.fee_payment_workdays
            if u[s["fee_paid"]] < cfg.p_fee_paid or window is None:  # a cost fee is paid
                yield self.wait_until(
                    cal.add_workdays(notice, self.wd((1, 15), u[s["fee_paid_days"]]))
                )
                r.fee_paid(self.day())
            else:  # deemed abandoned the working day after the payment window
                yield self.wait_until(cal.add_workdays(notice, window + 1))
                r.abandon(self.day())
                self.close(r)
                return
        for which, p, span in (("third_party", cfg.p_third_party, cfg.third_party_reply_days),
                               ("agency", cfg.p_agency, cfg.agency_reply_days)):  # fmt: skip
            if u[s[which]] < p:
                yield self.env.timeout(1)
                sent = self.day()
                getattr(r, f"consult_{which}")(sent)
                wait = self.wd(span, u[s[f"{which}_wait"]])
                if wait <= 15:  # replied within its 15 working days; otherwise silence
                    yield self.wait_until(cal.add_workdays(sent, wait))
                    getattr(r, f"{which}_replied")(self.day())
                else:
                    yield self.wait_until(cal.add_workdays(sent, 15))
                if r.state is not State.PROCESSING:
                    break  # a silent party leaves the request with the agency in its state
        yield self.wait_until(
            cal.add_workdays(self.day(), self.wd(cfg.handling_days, u[s["handling"]]))
        )
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
            if self.cal.is_workday(day):
                self.extend_late(day)
                self.backlog.append((day, self.open))
            yield self.env.timeout(1)
            day += dt.timedelta(days=1)
            if day > self.end and not self.queue:
                return

    def extend_late(self, day: dt.date) -> None:
        """
        An open request whose due date is tomorrow may be extended (art 33 ¶2), whether it
        waits for an officer or is still being searched and reviewed. Each request's due
        date is cached until its next event.
        """
        tomorrow = self.cal.add_workdays(day, 1)
        for rid, r in self.pending.items():
            if r.state is not State.PROCESSING or r.events[-1].on > day:
                continue
            n, due = self.due_cache.get(rid, (-1, None))
            if n != len(r.events):
                due = r.status(day).due_date
                self.due_cache[rid] = (len(r.events), due)
            if (
                due == tomorrow
                and self.draws[rid][_SLOTS["extension"]] < self.cfg.p_extension
                and not any(e.kind == "extend" for e in r.events)
            ):
                r.extend(day, workdays=20)

    def decide(self, r: Request, day: dt.date) -> None:
        u = self.draws[r.request_id]
        outcome = self.outcomes[self.pick(self.outcome_cum, u[_SLOTS["outcome"]])]
        grounds: list[Ground] = []
        if outcome.needs_grounds:
            grounds = [self.grounds[self.pick(self.ground_cum, u[_SLOTS["ground"]])]]
        if outcome is Outcome.STILL_UNCLEAR and not any(
            e.kind == "receive_correction" for e in r.events
        ):
            outcome = Outcome.NOT_HELD
        if outcome is Outcome.EXCESSIVE and not any(e.kind == "reasons_replied" for e in r.events):
            # Art 35 needs reasons asked for and the applicant's answer first; the agency
            # model does not ask, so it answers on the merits instead.
            outcome = Outcome.NOT_HELD
        r.decide(day, outcome, grounds=grounds)
        self.close(r)

    def close(self, r: Request) -> None:
        """A request answered, withdrawn or abandoned leaves the open ones."""
        self.open -= 1
        del self.pending[r.request_id]
        self.due_cache.pop(r.request_id, None)

    def run(self) -> SimulationResult:
        self.env.process(self.arrivals())
        self.env.process(self.officers())
        horizon = (self.end - self.start).days + 1
        self.env.run(until=horizon)
        return SimulationResult(
            self.cfg, 0, tuple(self.requests), tuple(self.backlog), self.end, self.replicate
        )


def _check_seed(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        msg = f"{what} must be a whole number >= 0, got {value!r:.40}"
        raise InvalidInputError(msg)
    return value


def simulate(
    config: SimulationConfig | None = None,
    *,
    seed: int = 1,
    replicate: int = 0,
    calendar: WorkCalendar | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """
    Simulate one agency-year (``config.year``) with a fixed seed (same seed, same result).

    Needs ``infopen[sim]``. Without a configuration the built-in county example runs.
    ``replicate`` numbers independent runs of one seed; runs with the same seed and
    replicate share their random streams (common random numbers, see :func:`sweep`).

    .. versionadded:: 0.1.0
    """
    if config is not None and not isinstance(config, SimulationConfig):
        msg = (
            f"config must be a SimulationConfig (e.g. SimulationConfig.example({config!r:.40})), "
            f"got {type(config).__name__}"
        )
        raise InvalidTypeError(msg)
    cal = calendar_or_default(calendar)
    if progress is not None and not callable(progress):
        msg = f"progress must be a function taking a count, got {type(progress).__name__}"
        raise InvalidTypeError(msg)
    _check_seed(seed, "seed")
    _check_seed(replicate, "replicate")
    cfg = config or SimulationConfig.example("county")
    result = _Sim(cfg, seed, cal, progress, replicate).run()
    return attrs.evolve(result, seed=seed)


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
    "requests", "answered", "open_at_year_end", "on_time_share_of_answered", "due_in_year",
    "on_time_share_of_due", "share_extended", "p50_workdays", "p90_workdays", "p99_workdays",
    "max_backlog", "mean_backlog", *(f"backlog_{m:02d}" for m in range(1, 13)),
)  # fmt: skip


@attrs.frozen
class SweepResult:
    """
    A sweep's raw replicate rows and, per cell of the grid, each measure's mean and 95 %
    confidence interval.

    ``rows`` holds one row per run (the cell's parameters, ``seed``, ``replicate``, then
    every measure of :data:`METRICS`, ``late_share_<OUTCOME>`` for each configured outcome
    and ``estimated_rest_days``); ``cells()`` aggregates them; ``differences()`` pairs the
    replicates of two cells.

    .. versionadded:: 0.1.0
    """

    parameters: tuple[str, ...]
    replicates: int
    metrics: tuple[str, ...]
    rows: tuple[dict[str, Any], ...] = attrs.field(hash=False)

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
        (paired: replicate k of both used the same random streams when they share a seed),
        with the mean difference and its 95 % t interval.

        Raises:
            InvalidInputError: an unknown metric or a baseline that is not a cell.
        """
        if metric not in self.metrics:
            msg = f"unknown metric {metric!r}; metrics: {list(self.metrics)}"
            raise InvalidInputError(msg)
        groups = self._cells()
        if baseline is None:
            base_key = next(iter(groups))
        else:
            base_key = tuple(baseline.get(p) for p in self.parameters)
            if base_key not in groups:
                msg = f"baseline {dict(baseline)} is not a cell; cells: {[dict(zip(self.parameters, k, strict=True)) for k in groups]}"
                raise InvalidInputError(msg)
        base = {r["replicate"]: r[metric] for r in groups[base_key]}
        out = []
        for key, rows in groups.items():
            diffs = [r[metric] - base[r["replicate"]] for r in rows
                     if r[metric] is not None and base.get(r["replicate"]) is not None]  # fmt: skip
            mean, low, high = mean_ci(diffs)
            out.append({**dict(zip(self.parameters, key, strict=True)), "n": len(diffs),
                        "mean": mean, "low": low, "high": high})  # fmt: skip
        return out

    def plot(
        self, metric: str, parameter: str, folder: str | Path, *, lang: Lang = "zh"
    ) -> list[Path]:
        """
        ``metric`` against ``parameter`` with its 95 % confidence band, as PNG and SVG in
        ``folder`` (needs ``infopen[sim]``); see :func:`infopen._plots.plot_sweep`.
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


def _sweep_one(args: tuple[SimulationConfig, int, int, dict[str, Any]]) -> dict[str, Any]:
    cfg, seed, replicate, params = args
    changes = {k: v for k, v in params.items() if k != "seed"}
    result = simulate(attrs.evolve(cfg, **changes), seed=seed, replicate=replicate)
    summary = result.summary()
    wd = summary["workdays_to_answer"]
    row = {**params, "seed": seed, "replicate": replicate}
    for key in ("requests", "answered", "open_at_year_end", "on_time_share_of_answered",
                "due_in_year", "on_time_share_of_due", "share_extended", "max_backlog",
                "mean_backlog"):  # fmt: skip
        row[key] = summary[key]
    row.update({f"p{q}_workdays": wd[f"p{q}"] for q in (50, 90, 99)})
    row.update({f"backlog_{m:02d}": n for m, n in enumerate(summary["backlog_month_end"], 1)})
    late = summary["late_share_by_outcome"]
    row.update({f"late_share_{o}": late.get(o) for o in sorted(cfg.outcomes)})
    row["estimated_rest_days"] = summary["estimated_rest_days"]
    return row


def sweep(
    config: SimulationConfig,
    grid: Mapping[str, list[Any]],
    *,
    seed: int = 1,
    replicates: int = 1,
    scheduler: str | None = None,
    workers: int | None = None,
) -> SweepResult:
    """
    Run the simulation for every combination in ``grid`` (e.g. ``{"officers": [2, 3],
    "daily_rate": [4.0, 6.0]}``), ``replicates`` times each, in parallel: local processes
    by default, or a dask.distributed cluster at ``scheduler`` (``infopen[dask]``); both
    give the same result.

    Replicate k of every cell uses the random streams of ``(seed, k)``: the same arrivals
    (when the arrival parameters are the same) and the same draws for the same request, so
    differences between cells are paired (common random numbers). ``seed`` may itself be
    a grid parameter. Every value is checked as a configuration value before any run.

    Raises:
        InvalidInputError: an unknown parameter (the valid ones listed), a value the
            configuration refuses (``officers=1.5``), or ``replicates`` below 1.

    .. versionadded:: 0.1.0
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
    keys = list(grid)
    bad = sorted(map(str, set(keys) - _FIELDS - {"seed"}))
    if bad:
        msg = f"cannot sweep unknown parameters {bad!r:.200}; parameters: {sorted([*_FIELDS, 'seed'])}"
        raise InvalidInputError(msg)
    if type(replicates) is not int or replicates < 1:
        msg = f"replicates must be a whole number >= 1, got {replicates!r}"
        raise InvalidInputError(msg)
    _check_seed(seed, "seed")
    checked: dict[str, list[Any]] = {}
    for key in keys:
        values = grid[key]
        if not isinstance(values, (list, tuple)) or not values:
            msg = f"grid[{key!r}] must be a non-empty list of values, got {values!r}"
            raise InvalidInputError(msg)
        check = (
            (lambda v, k=key: _check_seed(v, k))
            if key == "seed"
            else (lambda v, k=key: check_value(k, v))
        )
        checked[key] = [check(v) for v in values]
    combos = [
        dict(zip(keys, values, strict=True)) for values in itertools.product(*checked.values())
    ]
    for combo in combos:  # fields checked together (arrival dates in the year), before any run
        try:
            attrs.evolve(config, **{k: v for k, v in combo.items() if k != "seed"})
        except InvalidInputError as exc:
            msg = f"grid {combo}: {exc}"
            raise InvalidInputError(msg) from None
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
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # Never fork: the caller may have threads (a dask client, a web server), and a forked
        # child of a threaded process can deadlock. A fork server starts workers cleanly.
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
            rows = list(pool.map(_sweep_one, jobs))
    metrics = METRICS + tuple(f"late_share_{o}" for o in sorted(config.outcomes))
    return SweepResult(tuple(keys), replicates, metrics, tuple(rows))

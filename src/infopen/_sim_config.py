"""
The simulation's configuration: every key checked, shares put in one canonical order.

References:
    * 条例第三十三条 (20 working days, +20 by extension); the branches' shares and the
      staff's hours are assumptions of each configuration, commented in the bundled files.
    * 职工带薪年休假条例 (国务院令第514号) 第三条: 5, 10 or 15 days of paid annual leave by
      years of service — the range a configuration's ``leave_days`` is meant to cover.

Limitations:
    * Officers' hours and absences are configuration assumptions, not data; a calibrated
      configuration (:mod:`infopen._calibrate`) says which numbers came from a register.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._calendar import as_date, default_calendar, last_day
from ._errors import InvalidInputError, InvalidTypeError
from ._files import as_path
from ._model import ApplicantType, Ground
from ._sim_tables import DECIDED, Empirical
from ._toml import read_toml

if TYPE_CHECKING:
    from ._audit import AuditResult

__all__ = [
    "DECIDED",
    "EXAMPLES",
    "FIELDS",
    "MAX_DAILY_RATE",
    "MIXES",
    "TABLES",
    "Empirical",
    "SimulationConfig",
    "check_value",
    "last_year",
    "number",
]


def number(value: object) -> bool:
    """A finite int or float (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_mix(name: str, mix: object, members: list[str]) -> dict[str, float]:
    if not isinstance(mix, Mapping) or not mix:
        msg = f"[{name}] must be a table of shares, e.g. {members[0]} = 1.0"
        raise InvalidInputError(msg)
    unknown = set(mix) - set(members)
    if unknown:
        msg = f"[{name}] has unknown keys {sorted(map(str, unknown))}; known: {members}"
        raise InvalidInputError(msg)
    for key, share in mix.items():
        if not number(share) or not 0 <= share <= 1:
            msg = f"[{name}].{key} must be a share between 0 and 1, got {share!r}"
            raise InvalidInputError(msg)
    total = sum(mix.values())
    if abs(total - 1) > 1e-9:
        msg = f"[{name}] shares must sum to 1, they sum to {total:g}"
        raise InvalidInputError(msg)
    # One canonical order (the enum's), whatever order the file or the caller listed them
    # in: the draws bisect the running totals, so the order decides which request gets
    # which answer, and equal configurations must give equal runs (#22).
    return {k: float(mix[k]) for k in members if k in mix}


def _probability(value: object, where: str) -> float:
    if not number(value) or not 0 <= value <= 1:  # type: ignore[operator]  # number checked
        msg = f"{where} must be a probability between 0 and 1, got {value!r}"
        raise InvalidInputError(msg)
    return float(value)  # type: ignore[arg-type]  # number checked


def _distribution(value: object, where: str, *, whole: bool) -> tuple[Any, Any] | Empirical:
    """A ``[low, high]`` range (uniform) or an :class:`Empirical` table of values and weights."""
    unit = "working days" if whole else "hours"
    if isinstance(value, Empirical):
        value = {"values": value.values, "weights": value.weights}
    if isinstance(value, Mapping):
        unknown = sorted(map(str, set(value) - {"values", "weights"}))
        values, weights = value.get("values"), value.get("weights")
        if weights is None and isinstance(values, (list, tuple)):
            weights = [1] * len(values)
        if (unknown or not isinstance(values, (list, tuple)) or not values
                or not isinstance(weights, (list, tuple)) or len(weights) != len(values)
                or not all(number(v) and 0 <= v <= _MOST for v in values)
                or (whole and not all(float(v).is_integer() for v in values))
                or not all(number(w) and w >= 0 for w in weights) or sum(weights) <= 0):  # fmt: skip
            msg = (
                f"{where} must be [low, high] {unit} or a table {{values = [...], weights = "
                f"[...]}} of {unit} (0..{_MOST}) and weights >= 0, got {value!r:.80}"
            )
            raise InvalidInputError(msg)
        conv = int if whole else float
        return Empirical(tuple(conv(v) for v in values), tuple(float(w) for w in weights))
    ok = int if whole else (int, float)
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(isinstance(v, ok) and not isinstance(v, bool) and number(v) and v >= 0
                       for v in value) or value[0] > value[1]):  # fmt: skip
        msg = f"{where} must be [low, high] {unit} with 0 <= low <= high, got {value!r:.80}"
        raise InvalidInputError(msg)
    if value[1] > _MOST:
        msg = f"{where} must be at most {_MOST} {unit}, got {value!r:.40}"
        raise InvalidInputError(msg)
    if whole:
        return int(value[0]), int(value[1])
    return float(value[0]), float(value[1])


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
    "arrivals": ("daily_rate", "weekday_factors", "monthly_factors", "arrival_dates",
                 "warmup_days", "initial_backlog"),
    "staff": ("officers", "capacity", "hours_per_day", "leave_days", "handling_days",
              "search_hours", "review_hours", "consultation_hours", "signoff_hours", "order"),
    "branches": ("p_correction", "p_correction_answered", "correction_reply_days",
                 "p_third_party", "third_party_reply_days", "p_agency", "agency_reply_days",
                 "p_fee", "p_fee_paid", "p_extension", "p_withdraw"),
}  # fmt: skip
#: Tables of shares that sum to 1, keyed by enum member names.
MIXES = ("outcomes", "grounds", "applicants")
#: The most requests per working day a configuration may ask for: far above any agency, it
#: only catches typing errors (a rate of 1e6 would never finish).
MAX_DAILY_RATE = 10_000.0
_HOURS = ("search_hours", "review_hours", "consultation_hours", "signoff_hours")
# The year's upper bound is last_year(), read when checked (the calendar's reach).
_WHOLE = {"officers": (1, _MOST), "capacity": (1, _MOST), "year": (2001, 0),
          "warmup_days": (0, 366), "initial_backlog": (0, 1_000_000)}  # fmt: skip


def check_value(key: str, value: object) -> Any:
    """
    One configuration value, checked and converted; the message names the key and the rule.

    Raises:
        InvalidInputError: an unknown key (the known ones listed) or a value it cannot take.
    """
    if key.startswith("p_") and key in FIELDS:
        return _probability(value, key)
    if key.endswith("_reply_days") or key == "handling_days":
        return _distribution(value, key, whole=True)
    if key in _HOURS:
        return _distribution(value, key, whole=False)
    if key in _WHOLE:
        low, high = _WHOLE[key]
        if key == "year":
            high = last_year()
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
    if key in ("daily_rate", "hours_per_day", "leave_days"):
        most = {"daily_rate": MAX_DAILY_RATE, "hours_per_day": 24.0, "leave_days": 250.0}[key]
        if not number(value) or not 0 <= value <= most:  # type: ignore[operator]  # number checked
            msg = f"{key} must be a number in 0..{most:g}, got {value!r:.40}"
            raise InvalidInputError(msg)
        return float(value)  # type: ignore[arg-type]  # number checked
    if key in ("weekday_factors", "monthly_factors"):
        size = 5 if key == "weekday_factors" else 12
        if (not isinstance(value, (list, tuple)) or len(value) != size
                or any(not number(v) or v < 0 for v in value)):  # fmt: skip
            msg = f"{key} must be a list of {size} finite numbers >= 0, got {value!r:.80}"
            raise InvalidInputError(msg)
        return tuple(float(v) for v in value)
    if key == "order":
        if value not in ("fifo", "edd"):
            msg = f"order must be 'fifo' or 'edd', got {value!r:.40}"
            raise InvalidInputError(msg)
        return value
    if key in MIXES:
        enum: Any = {"outcomes": DECIDED, "grounds": Ground, "applicants": ApplicantType}[key]
        return _check_mix(key, value, [m.name for m in enum])
    if key == "arrival_dates":
        if not isinstance(value, (list, tuple)):
            msg = f"arrival_dates must be a list of dates, got {value!r:.60}"
            raise InvalidInputError(msg)
        return tuple(sorted(as_date(v, "arrival_dates") for v in value))
    if key == "name":
        if not isinstance(value, str) or not value.strip():
            msg = f"name must be a non-empty string, got {value!r:.40}"
            raise InvalidInputError(msg)
        return value
    msg = f"unknown configuration key {key!r:.40}; known: {sorted(FIELDS)}"
    raise InvalidInputError(msg)


def _mix(default: str) -> Any:
    return attrs.field(factory=lambda: {default: 1.0}, hash=False)


@attrs.frozen
class SimulationConfig:
    """
    A validated simulation configuration (see ``infopen/examples/*.toml`` for every key
    with its meaning and default).

    Durations: ``*_days`` are working days, ``*_hours`` are an officer's working hours,
    ``warmup_days`` calendar days. A ``[low, high]`` range is drawn uniformly; a table
    ``{values = [...], weights = [...]}`` (:class:`Empirical`) draws observed values.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 officers spend working hours on every stage
       (``search_hours``, ``review_hours``, ``consultation_hours``, ``signoff_hours``,
       ``hours_per_day``, ``leave_days``); ``warmup_days`` and ``initial_backlog``.
    """

    name: str = "示例"
    year: int = 2025
    daily_rate: float = 4.0  # mean requests per working day
    weekday_factors: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0)
    monthly_factors: tuple[float, ...] = (1.0,) * 12
    arrival_dates: tuple[dt.date, ...] = ()  # replayed arrivals instead of the rate
    warmup_days: int = 0  # calendar days simulated before 1 January, not measured
    initial_backlog: int = 0  # requests open on the first simulated day
    officers: int = 2
    capacity: int = 20  # the most answers an officer signs off a working day
    hours_per_day: float = 6.0  # an officer's hours for requests on a working day present
    leave_days: float = 10.0  # working days an officer is absent a year (leave, sickness)
    order: str = "fifo"  # or "edd" (earliest due date first), at every stage
    handling_days: tuple[int, int] | Empirical = (1, 5)  # working days records take to come
    search_hours: tuple[float, float] | Empirical = (1.0, 4.0)
    review_hours: tuple[float, float] | Empirical = (0.5, 2.0)
    consultation_hours: tuple[float, float] | Empirical = (1.0, 3.0)  # drafting a letter
    signoff_hours: tuple[float, float] | Empirical = (0.2, 0.5)
    p_correction: float = 0.1
    p_correction_answered: float = 0.8
    correction_reply_days: tuple[int, int] | Empirical = (2, 10)  # the applicant's days
    p_third_party: float = 0.05
    third_party_reply_days: tuple[int, int] | Empirical = (3, 20)  # beyond 15: silence
    p_agency: float = 0.03
    agency_reply_days: tuple[int, int] | Empirical = (2, 18)
    p_fee: float = 0.02
    p_fee_paid: float = 0.5
    p_extension: float = 0.5  # chance of extending a request about to be late
    p_withdraw: float = 0.02
    outcomes: Mapping[str, float] = _mix("DISCLOSED")
    grounds: Mapping[str, float] = _mix("THIRD_PARTY")
    applicants: Mapping[str, float] = _mix("NATURAL_PERSON")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationConfig:
        """
        Validate plain data: the TOML tables of the examples ([arrivals], [staff],
        [branches], [outcomes], [grounds], [applicants]) or their keys at the top level
        (as :meth:`to_dict` and ``run.json`` write them).

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
            elif isinstance(values, Mapping) and section not in FIELDS:
                msg = f"unknown table [{section}]; tables: {sorted([*TABLES, *MIXES])}"
                raise InvalidInputError(msg)
            elif section not in FIELDS:
                msg = f"unknown configuration keys [{section!r}]; known: {sorted(FIELDS)}"
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
    def from_audit(cls, audit_result: AuditResult, **overrides: Any) -> SimulationConfig:
        """
        A configuration calibrated on an audited register: arrivals by weekday and month,
        the outcome shares, and the handling time as the register's distribution of
        statutory working days used; :func:`infopen._calibrate.calibration_report`
        reports the fit. ``overrides`` set any other field (e.g. ``officers=3``).

        Raises:
            InvalidInputError: a register with too few answered requests to fit.

        .. versionadded:: 0.2.0
        """
        from ._calibrate import calibrate

        config: SimulationConfig = calibrate(audit_result, cls, **overrides).config
        return config

    @classmethod
    def example(cls, name: str = "county") -> SimulationConfig:
        """A bundled configuration by name (see :meth:`examples` for the names)."""
        known = cls.examples()
        if not isinstance(name, str) or name not in known:
            msg = f"no bundled configuration {name!r:.40}; bundled: {sorted(known)}"
            raise InvalidInputError(msg)
        return cls.from_toml(EXAMPLES / f"{name}.toml")

    @staticmethod
    def examples() -> dict[str, str]:
        """
        The bundled configurations: name -> what it models (the file's opening comment).

        .. versionadded:: 0.1.0
        """
        out = {}
        for path in sorted(EXAMPLES.glob("*.toml")):
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

    @property
    def start(self) -> dt.date:
        """The first simulated day: 1 January less the warm-up (calendar days)."""
        return dt.date(self.year, 1, 1) - dt.timedelta(days=self.warmup_days)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, recorded with every run; :meth:`from_dict` reads it back."""
        data: dict[str, Any] = json.loads(json.dumps(attrs.asdict(self), default=str))
        return data


FIELDS = frozenset(f.name for f in attrs.fields(SimulationConfig))
EXAMPLES = Path(__file__).parent / "examples"

"""
Calibration: a simulation configuration fitted on an audited register, and the fit reported.

What is fitted, from the register's own rows (as :func:`infopen.audit` judged them):

* arrivals: the mean per working day, and factors by weekday (Monday..Friday) and by month,
  from the receipt dates;
* the outcome shares (withdrawals as ``p_withdraw``), from the decided rows;
* handling time: the empirical distribution of the statutory working days used (pauses
  left out, restart after correction; :mod:`infopen._elapsed`) of the decided requests,
  drawn as it is (not a uniform range); ``p_extension`` is the share of the answers past 20
  working days that were still on time (so were extended);
* staff: officers' hours are not in a register, so the calibrated configuration spends no
  officer hours (``*_hours = [0, 0]``) and the register's own waiting is in the handling
  distribution; set ``officers``/``*_hours`` to study staffing from there.

The report gives, per month, the register's arrivals beside the fitted expectation with a
95 % interval for one simulated year (Poisson, Bonferroni-adjusted over the twelve months
so that the twelve hold together), and the register's on-time share with a 95 % interval
for one simulated year of as many answers (normal approximation to the binomial).

Limitations:
    * Corrections, consultations and fees are folded into the handling distribution (their
      pauses are not counted in it); a register without those columns cannot tell them apart.
    * Arrivals on rest days are counted in the rate of the working days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from ._calendar import default_calendar
from ._errors import InvalidInputError, InvalidTypeError
from ._sim_tables import DECIDED, Empirical

if TYPE_CHECKING:
    from ._audit import AuditResult

#: What builds the configuration from the fitted fields (``SimulationConfig``): passed in,
#: since the configuration's own ``from_audit`` calls this module.
ConfigType = Callable[..., Any]

__all__ = ["Calibration", "calibrate"]

_Z_MONTHS = 2.865  # standard normal quantile 1 - 0.05 / 24: twelve two-sided 95 % intervals
_Z = 1.960
_MIN_ANSWERS = 10


@attrs.frozen
class Calibration:
    """
    A calibrated configuration and the report of its fit (plain JSON types).

    .. versionadded:: 0.2.0
    """

    config: Any  # a SimulationConfig
    report: dict[str, Any] = attrs.field(hash=False)

    def render(self) -> str:
        """The fit as lines of text: months, weekdays, on-time share, handling time."""
        r = self.report
        lines = [f"calibrated on {r['rows']} rows ({r['answered']} decided), year {r['year']}"]
        lines.append(f"daily rate {r['daily_rate']:.3f} requests per working day")
        for m in r["months"]:
            lines.append(
                f"month {m['month']:2d}: register {m['observed']:5d}, fitted {m['expected']:8.1f} "
                f"[{m['low']}, {m['high']}]"
            )
        lines.append(
            "weekdays (Mon..Fri): register "
            + " ".join(str(w["observed"]) for w in r["weekdays"])
            + ", fitted "
            + " ".join(f"{w['expected']:.0f}" for w in r["weekdays"])
        )
        o = r["on_time"]
        lines.append(
            f"on-time share of decided: register {o['observed']}, interval for a simulated "
            f"year [{o['low']}, {o['high']}]"
        )
        h = r["handling"]
        lines.append(
            f"statutory working days used: n {h['n']}, mean {h['mean']}, p50 {h['p50']}, "
            f"p90 {h['p90']}, max {h['max']} (drawn empirically)"
        )
        return "\n".join(lines)


def _year(rows: list[Any]) -> int:
    years: dict[int, int] = {}
    for row in rows:
        years[row.received.year] = years.get(row.received.year, 0) + 1
    return max(sorted(years), key=lambda y: years[y])


def calibrate(audit_result: AuditResult, config_type: ConfigType, **overrides: Any) -> Calibration:
    """
    Fit a :class:`SimulationConfig` on an audited register (see the module docstring);
    ``overrides`` set any other field. The year is the register's busiest receipt year;
    only the rows received in it are fitted.

    Raises:
        InvalidInputError: fewer than 10 decided requests in that year, or an override the
            configuration refuses.

    .. versionadded:: 0.2.0
    """
    from ._audit import AuditResult

    if not isinstance(audit_result, AuditResult):
        msg = f"calibration needs an AuditResult (infopen.audit(...)), got {type(audit_result).__name__}"
        raise InvalidTypeError(msg)
    if not audit_result.rows:
        msg = "the register has no readable rows to calibrate on"
        raise InvalidInputError(msg)
    year = _year(list(audit_result.rows))
    rows = [r for r in audit_result.rows if r.received.year == year]
    decided = [r for r in rows if r.decided is not None and r.outcome != "WITHDRAWN"]
    if len(decided) < _MIN_ANSWERS:
        msg = f"the register has {len(decided)} decided requests received in {year}; calibration needs at least {_MIN_ANSWERS}"
        raise InvalidInputError(msg)
    cal = default_calendar()
    # Arrivals: working days of each weekday and month in the year.
    day, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    per_weekday, per_month = [0] * 5, [0] * 12
    while day <= last:
        if cal.is_workday(day):
            per_month[day.month - 1] += 1
            if day.weekday() < 5:
                per_weekday[day.weekday()] += 1
        day += dt.timedelta(days=1)
    workdays = sum(per_month)
    got_month, got_weekday = [0] * 12, [0] * 5
    for r in rows:
        got_month[r.received.month - 1] += 1
        if r.received.weekday() < 5:
            got_weekday[r.received.weekday()] += 1
    rate = len(rows) / workdays
    wd_rate = [g / n if n else 0.0 for g, n in zip(got_weekday, per_weekday, strict=True)]
    mean_wd = sum(g for g in got_weekday) / max(1, sum(per_weekday))
    weekday_factors = tuple(round(x / mean_wd, 6) if mean_wd else 1.0 for x in wd_rate)
    monthly_factors = tuple(
        round(g / n / rate, 6) if n and rate else 0.0
        for g, n in zip(got_month, per_month, strict=True)
    )
    # Outcomes and withdrawals.
    counts: dict[str, int] = {}
    for r in decided:
        counts[str(r.outcome)] = counts.get(str(r.outcome), 0) + 1
    names = [o.name for o in DECIDED]
    outcomes = {k: counts[k] / len(decided) for k in names if k in counts}
    withdrawn = sum(1 for r in rows if r.outcome == "WITHDRAWN")
    # Handling: the statutory working days used, drawn as observed.
    used = sorted(int(r.workdays_taken) for r in decided if r.workdays_taken is not None)
    hist: dict[int, int] = {}
    for u in used:
        hist[u] = hist.get(u, 0) + 1
    long = [r for r in decided if (r.workdays_taken or 0) > 20]
    p_extension = sum(1 for r in long if r.on_time) / len(long) if long else 0.0
    fields: dict[str, Any] = {
        "name": f"calibrated {year}", "year": year, "daily_rate": rate,
        "weekday_factors": weekday_factors, "monthly_factors": monthly_factors,
        "handling_days": Empirical(tuple(hist), tuple(float(v) for v in hist.values())),
        "search_hours": (0.0, 0.0), "review_hours": (0.0, 0.0),
        "consultation_hours": (0.0, 0.0), "signoff_hours": (0.0, 0.0),
        "p_correction": 0.0, "p_third_party": 0.0, "p_agency": 0.0, "p_fee": 0.0,
        "p_withdraw": withdrawn / len(rows), "p_extension": round(p_extension, 6),
        "outcomes": outcomes,
    }  # fmt: skip
    fields.update(overrides)
    try:
        config = config_type(**fields)
    except TypeError as exc:
        msg = f"calibrate: {exc}"
        raise InvalidInputError(msg) from None
    report = _report(year, rows, decided, used, got_month, per_month, config)
    report["weekdays"] = [
        {"weekday": k + 1, "observed": got_weekday[k],
         "expected": round(rate * weekday_factors[k] * per_weekday[k], 2)}
        for k in range(5)
    ]  # fmt: skip
    return Calibration(config, report)


def _report(
    year: int,
    rows: list[Any],
    decided: list[Any],
    used: list[int],
    got_month: list[int],
    per_month: list[int],
    config: Any,
) -> dict[str, Any]:
    months = []
    for m in range(12):
        # A month's expected arrivals: its working days at the month's rate (the weekday
        # factors average to one over the year's working weekdays).
        expected = config.daily_rate * config.monthly_factors[m] * per_month[m]
        half = _Z_MONTHS * math.sqrt(expected)
        months.append({"month": m + 1, "observed": got_month[m], "expected": round(expected, 2),
                       "low": max(0, math.floor(expected - half)),
                       "high": math.ceil(expected + half)})  # fmt: skip
    on_time = [bool(r.on_time) for r in decided if r.on_time is not None]
    p = sum(on_time) / len(on_time)
    half = _Z * math.sqrt(max(p * (1 - p), 1 / len(on_time)) / len(on_time))
    return {
        "year": year,
        "rows": len(rows),
        "answered": len(decided),
        "daily_rate": round(config.daily_rate, 6),
        "weekday_factors": list(config.weekday_factors),
        "months": months,
        "outcomes": dict(config.outcomes),
        "p_withdraw": config.p_withdraw,
        "p_extension": config.p_extension,
        "on_time": {
            "observed": round(p, 4),
            "low": round(max(0.0, p - half), 4),
            "high": round(min(1.0, p + half), 4),
            "n": len(on_time),
        },
        "handling": {
            "n": len(used),
            "mean": round(sum(used) / len(used), 2),
            "p50": used[len(used) // 2],
            "p90": used[min(len(used) - 1, int(0.9 * len(used)))],
            "max": used[-1],
        },
    }

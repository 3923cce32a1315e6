"""
A simulated agency-year: its requests, their records and the run's measures.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ._calendar import WorkCalendar, default_calendar
from ._elapsed import request_elapsed
from ._errors import InvalidInputError, InvalidTypeError, check_flag, file_access_error
from ._files import as_path
from ._i18n import Lang
from ._request import Request
from ._sim_config import SimulationConfig

__all__ = [
    "CLOSED_WITHOUT_ANSWER",
    "RECORD_FIELDS",
    "SimulationResult",
    "check_records",
    "outcome_of",
    "request_documents",
]

#: Outcomes that close a request without an answer: counted apart, never on time or late.
CLOSED_WITHOUT_ANSWER = ("WITHDRAWN", "ABANDONED_NO_CORRECTION", "ABANDONED_UNPAID_FEE")
_CLOSING = ("decide", "withdraw", "abandon")


def _spread(values: list[int]) -> dict[str, float | int | None]:
    """Mean and percentiles (p50, p90, p99) and maximum of whole numbers."""
    v = sorted(values)

    def pct(q: float) -> int | None:
        return v[min(len(v) - 1, int(q * len(v)))] if v else None

    return {"mean": round(sum(v) / len(v), 3) if v else None, "p50": pct(0.5),
            "p90": pct(0.9), "p99": pct(0.99), "max": v[-1] if v else None}  # fmt: skip


@attrs.frozen
class SimulationResult:
    """
    The simulated requests and what the library says about them.

    ``requests`` holds every simulated request, those carried over from before 1 January
    (warm-up, initial backlog) included; the measures of :meth:`summary` count the
    requests received in the year. ``officer_hours`` is, per officer, the hours worked and
    the hours present in the year; ``queue_workdays`` the working days each request
    waited for an officer, summed over its stages.

    .. versionadded:: 0.1.0
    """

    config: SimulationConfig
    seed: int
    requests: tuple[Request, ...]
    backlog: tuple[tuple[dt.date, int], ...]  # open requests at the end of each working day
    year_end: dt.date
    replicate: int = 0
    officer_hours: tuple[tuple[float, float], ...] = ()
    queue_workdays: Mapping[str, int] = attrs.field(factory=dict, hash=False)

    def _calendar(self) -> WorkCalendar:
        """The calendar the run's requests were simulated on."""
        return self.requests[0].calendar if self.requests else default_calendar()

    def records(self) -> list[dict[str, Any]]:
        """
        One record per request: its events and the derived dates and judgements.

        ``workdays_taken`` is the statutory working days used (from the start of the reply
        clock, restarted after a correction, pauses left out) and ``calendar_days`` the
        calendar days from receipt, both to the answer (see :mod:`infopen._elapsed`);
        ``on_time`` is judged for decided requests only (a withdrawn or abandoned request
        has ``None``, its ``outcome`` says which); ``days_late`` counts working days after
        the due date; ``queue_workdays`` the working days it waited for officers;
        ``carried_in`` marks a request received before 1 January (warm-up, backlog);
        ``estimated`` whether its due date rests on estimated rest days.
        """
        return self._records(full=True)

    def _records(self, *, full: bool) -> list[dict[str, Any]]:
        """The records; without ``full``, neither the events nor the violations (sweeps)."""
        out = []
        cal = self._calendar()
        first = dt.date(self.config.year, 1, 1)
        for r in self.requests:
            st = r.status(self.year_end)
            closing = next((e for e in reversed(r.events) if e.kind in _CLOSING), None)
            answered = closing.on if closing else None
            decided = closing is not None and closing.kind == "decide"
            due = st.due_date
            on_time = answered <= due if decided and answered and due else None
            used, days = request_elapsed(r, answered) if answered else (None, None)
            out.append({
                **(r.to_dict() if full else {"request_id": r.request_id}),
                "received": r.received_on.isoformat() if r.received_on else None,
                "outcome": closing.params["outcome"] if closing else None,
                "due_date": due.isoformat() if due else None,
                "answered_on": answered.isoformat() if answered else None,
                "workdays_taken": used,
                "calendar_days": days,
                "on_time": on_time,
                "days_late": (cal.workdays_between(due, answered) if on_time is False and due
                              and answered else 0 if on_time else None),
                "queue_workdays": self.queue_workdays.get(r.request_id),
                "extended": any(e.kind == "extend" for e in r.events),
                "violations": [v.code for v in r.violations(self.year_end)] if full else [],
                "estimated": bool(st.estimated),
                "carried_in": bool(r.received_on and r.received_on < first),
            })  # fmt: skip
        return out

    def estimated_rest_days(self, records: list[dict[str, Any]] | None = None) -> list[str]:
        """
        The estimated rest days (years whose State Council notice is not yet published)
        the run's dates rest on: those from 1 January to the run's last event or the latest
        due date of a record flagged estimated, whichever is later.
        """
        recs = self.records() if records is None else check_records(records)
        return self._estimated_days(recs)

    def _estimated_days(self, recs: list[dict[str, Any]]) -> list[str]:
        cal = self._calendar()
        start = min(self.config.start, dt.date(self.config.year, 1, 1))
        last = max((e.on for r in self.requests for e in r.events), default=self.year_end)
        dues = [dt.date.fromisoformat(r["due_date"]) for r in recs
                if r.get("estimated") and r.get("due_date")]  # fmt: skip
        last = max([last, *dues])
        days = []
        for year in range(start.year, last.year + 1):
            if not cal.is_estimated(dt.date(year, 12, 31)):
                continue
            days += [d.isoformat() for d, note in cal.rest_and_work_days(year)
                     if note.kind == "estimated_rest" and start <= d <= last]  # fmt: skip
        return days

    def utilisation(self) -> list[float | None]:
        """Per officer, the share of the hours present in the year spent on requests."""
        return [round(w / a, 4) if a else None for w, a in self.officer_hours]

    def summary(self, records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """
        The run's measures, over the requests received in the year.

        * ``on_time_share_of_answered``: of the requests *decided* by 31 December, the
          share decided by their due date (``late`` counts the others). Withdrawn and
          abandoned requests are neither on time nor late: ``withdrawn`` and ``abandoned``
          count them apart.
        * ``on_time_share_of_due``: of all requests (withdrawn and abandoned ones aside)
          whose due date fell in the year, the share decided by it (an undecided one is late).
        * ``workdays_to_answer``: statutory working days used to a decision (pauses left
          out), ``calendar_days_to_answer`` calendar days: mean, p50, p90, p99 and maximum.
        * ``queue_workdays``: the waiting-time distribution: working days each request
          waited for an officer, summed over its stages.
        * ``days_late``: working days after the due date, over the late decisions.
        * ``utilisation``: per officer, the share of hours present spent on requests.
        * ``share_extended``, ``late_share_by_outcome``, ``violations``;
          ``backlog_month_end``: open requests at each month's last working day;
          ``carried_in``: requests received before 1 January (warm-up, backlog);
          ``estimated_rest_days``, ``estimated_requests``: see :meth:`estimated_rest_days`.
        """
        return self._summarise(self.records() if records is None else check_records(records))

    def measures(self) -> dict[str, Any]:
        """
        :meth:`summary` without the violations, whose judgement a sweep does not need
        (``violations`` is empty): about twice as fast.

        .. versionadded:: 0.2.0
        """
        return self._summarise(self._records(full=False))

    def _summarise(self, all_recs: list[dict[str, Any]]) -> dict[str, Any]:
        first = dt.date(self.config.year, 1, 1).isoformat()
        recs = [r for r in all_recs if r["received"] >= first]
        decided = [r for r in recs if r["on_time"] is not None]
        closed = [r for r in recs if r.get("outcome") in CLOSED_WITHOUT_ANSWER]
        counts: dict[str, int] = {}
        for r in recs:
            for code in r["violations"]:
                counts[code] = counts.get(code, 0) + 1
        year_end = self.year_end.isoformat()
        due = [r for r in recs if r["due_date"] is not None and r["due_date"] <= year_end
               and r.get("outcome") not in CLOSED_WITHOUT_ANSWER]  # fmt: skip
        by_outcome: dict[str, list[bool]] = {}
        for r in decided:
            by_outcome.setdefault(str(r["outcome"]), []).append(bool(r["on_time"]))
        month_end: dict[int, int] = {}
        for d, n in self.backlog:
            if d.year == self.config.year:
                month_end[d.month] = n

        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        taken = _spread([r["workdays_taken"] for r in decided])
        waits = [r["queue_workdays"] for r in recs if r.get("queue_workdays") is not None]
        return {
            "name": self.config.name,
            "seed": self.seed,
            "replicate": self.replicate,
            "requests": len(recs),
            "answered": len(decided),
            "late": sum(1 for r in decided if r["on_time"] is False),
            "withdrawn": sum(1 for r in closed if r["outcome"] == "WITHDRAWN"),
            "abandoned": sum(1 for r in closed if r["outcome"] != "WITHDRAWN"),
            "open_at_year_end": sum(1 for r in self.requests if r.is_open),
            "carried_in": sum(1 for r in all_recs if r.get("carried_in")),
            "on_time_share_of_answered": share(sum(r["on_time"] for r in decided), len(decided)),
            "due_in_year": len(due),
            "on_time_share_of_due": share(sum(1 for r in due if r["on_time"]), len(due)),
            "share_extended": share(sum(1 for r in recs if r.get("extended")), len(recs)),
            "workdays_to_answer": {k: taken[k] for k in ("p50", "p90", "p99", "max")},
            "calendar_days_to_answer": _spread([r["calendar_days"] for r in decided]),
            "queue_workdays": _spread(waits),
            "days_late": _spread([r["days_late"] for r in decided if r["on_time"] is False]),
            "utilisation": self.utilisation(),
            "late_share_by_outcome": {k: share(v.count(False), len(v)) for k, v in sorted(by_outcome.items())},
            "violations": dict(sorted(counts.items())),
            "max_backlog": max((n for _d, n in self.backlog), default=0),
            "mean_backlog": round(sum(n for _d, n in self.backlog) / len(self.backlog), 2) if self.backlog else 0,
            "backlog_month_end": [month_end.get(m, 0) for m in range(1, 13)],
            "estimated_requests": sum(1 for r in recs if r.get("estimated")),
            "estimated_rest_days": self._estimated_days(all_recs),
            "backlog": [[d.isoformat(), n] for d, n in self.backlog],
        }  # fmt: skip

    def write(self, out: str | Path, *, plot: bool = False, lang: Lang | str = "zh") -> Path:
        """
        Write run.json, requests.jsonl, summary.json, report.md/.csv (and the plots as PNG,
        PDF and SVG, labelled in ``lang``).
        """
        folder = as_path(out, "out")
        check_flag(plot, "plot")
        if lang not in ("zh", "en", "both"):
            msg = f"lang must be 'zh', 'en' or 'both', got {lang!r:.40}"
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

        records = self.records()  # computed once for every file
        run = {"seed": self.seed, "replicate": self.replicate, "infopen": version("infopen"),
               "config": self.config.to_dict(),
               "estimated_rest_days": self.estimated_rest_days(records)}  # fmt: skip
        (folder / "run.json").write_text(
            json.dumps(run, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        with (folder / "requests.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        (folder / "summary.json").write_text(
            json.dumps(self.summary(records), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        report = annual_report(self.requests, self.config.year)
        (folder / "report.md").write_text(report.to_markdown(), encoding="utf-8")
        (folder / "report.csv").write_text(report.to_csv(), encoding="utf-8")


def _record_ok(r: object) -> bool:
    """Whether ``r`` has the fields :meth:`SimulationResult.summary` reads, typed as records() makes them."""
    if not isinstance(r, dict):
        return False
    on_time, taken, due = r.get("on_time"), r.get("workdays_taken"), r.get("due_date")
    events, codes = r.get("events"), r.get("violations")
    return (
        (on_time is None or (type(on_time) is bool and type(taken) is int))
        and isinstance(r.get("received"), str)
        and (due is None or isinstance(due, str))
        and isinstance(codes, list)
        and all(isinstance(c, str) for c in codes)
        and isinstance(events, list)
        and all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in events)
    )


def check_records(records: object) -> list[dict[str, Any]]:
    """``records`` as :meth:`SimulationResult.records` returns them, or an error (#13)."""
    if not isinstance(records, list) or not all(_record_ok(r) for r in records):
        msg = "records must be what SimulationResult.records() returns (or None to compute them)"
        raise InvalidTypeError(msg)
    return records


def outcome_of(record: Mapping[str, Any]) -> str:
    """The outcome name of a record (its ``outcome``, or ``OPEN``)."""
    return str(record.get("outcome") or "OPEN")


#: The fields :meth:`SimulationResult.records` adds to a request's document.
RECORD_FIELDS = ("received", "outcome", "due_date", "answered_on", "workdays_taken",
                 "calendar_days", "on_time", "days_late", "queue_workdays", "extended",
                 "violations", "estimated", "carried_in")  # fmt: skip


def request_documents(text: str) -> str:
    """
    JSON Lines of simulation records (``requests.jsonl``) as the request documents they
    extend (the derived fields of :data:`RECORD_FIELDS` dropped: they are recomputed);
    other lines are kept as they are.
    """
    out = []
    for line in text.split("\n"):
        try:
            data = json.loads(line) if line.strip() else None
        except (json.JSONDecodeError, RecursionError):
            data = None
        if isinstance(data, dict) and "events" in data and "due_date" in data:
            line = json.dumps({k: v for k, v in data.items() if k not in RECORD_FIELDS},
                              ensure_ascii=False)  # fmt: skip
        out.append(line)
    return "\n".join(out)

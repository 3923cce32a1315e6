"""
Audit of a real request log: which answers were late under the law, and why.

Each row of the log becomes a real :class:`Request` replayed through the library (the same
lifecycle and calendar, not a second model); the due date, lateness, working days taken
and violations come from it. A row that cannot be read is reported with its line number
and reason; the rest of the log is still audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._calendar import WorkCalendar, default_calendar, today_in_china
from ._clock import compute_violations, facts_of, reply_clock
from ._errors import CalendarCoverageError, InvalidTransition
from ._model import ApplicantType, Channel, Ground, Outcome
from ._request import Request
from ._rules import PRC_2019, Rules
from ._toml import read_toml

__all__ = ["DEFAULT_COLUMNS", "AuditResult", "AuditRow", "audit", "audit_csv", "load_column_map"]

#: infopen field -> the headers accepted for it out of the box (Chinese first).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "申请编号", "受理编号", "id", "request_id"),
    "received": ("收到日期", "收到申请日期", "received", "received_on"),
    "channel": ("申请方式", "渠道", "channel"),
    "applicant_type": ("申请人类型", "applicant_type"),
    "correction_asked": ("补正告知日期", "correction_asked"),
    "correction_reply_by": ("补正期限", "correction_reply_by"),
    "correction_received": ("补正收到日期", "correction_received"),
    "consulted": ("征求意见日期", "consulted"),
    "consult_kind": ("征求对象", "consult_kind"),
    "consult_replied": ("意见答复日期", "consult_replied"),
    "extended": ("延期日期", "extended"),
    "extension_days": ("延期天数", "extension_days"),
    "decided": ("答复日期", "decided"),
    "outcome": ("答复结果", "处理结果", "outcome"),
    "grounds": ("不予公开理由", "grounds"),
}

_CHANNELS = {c.name: c for c in Channel} | {c.label: c for c in Channel} | {
    "当面": Channel.IN_PERSON, "现场": Channel.IN_PERSON, "邮寄": Channel.REGISTERED_POST,
    "挂号信": Channel.REGISTERED_POST, "快递": Channel.REGISTERED_POST, "信函": Channel.ORDINARY_POST,
    "平信": Channel.ORDINARY_POST, "网上": Channel.ONLINE, "网络": Channel.ONLINE, "在线": Channel.ONLINE,
    "传真": Channel.FAX,
}  # fmt: skip
_APPLICANTS = {a.name: a for a in ApplicantType} | {a.label: a for a in ApplicantType} | {
    "个人": ApplicantType.NATURAL_PERSON, "公民": ApplicantType.NATURAL_PERSON,
    "企业": ApplicantType.COMMERCIAL_ENTERPRISE, "律师事务所": ApplicantType.LEGAL_SERVICE,
}  # fmt: skip
_OUTCOMES = {o.name: o for o in Outcome} | {o.label: o for o in Outcome} | {
    "公开": Outcome.DISCLOSED, "已公开": Outcome.ALREADY_PUBLIC, "不公开": Outcome.REFUSED,
    "信息不存在": Outcome.NOT_HELD, "政府信息不存在": Outcome.NOT_HELD, "本机关不掌握": Outcome.NOT_HELD,
    "非本机关": Outcome.NOT_THIS_AGENCY, "非本机关负责公开": Outcome.NOT_THIS_AGENCY,
    "需另行制作": Outcome.NEEDS_CREATION, "重复申请": Outcome.DUPLICATE, "信访": Outcome.PETITION,
    "撤回": Outcome.WITHDRAWN,
}  # fmt: skip
_GROUNDS = {g.name: g for g in Ground} | {g.label: g for g in Ground} | {
    "国家秘密": Ground.STATE_SECRET, "第三方": Ground.THIRD_PARTY, "商业秘密": Ground.THIRD_PARTY,
    "个人隐私": Ground.THIRD_PARTY, "过程性信息": Ground.PROCESS_INFORMATION,
    "内部事务": Ground.INTERNAL_AFFAIRS, "执法案卷": Ground.ENFORCEMENT_FILE,
}  # fmt: skip
_DATE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))\s*$"
)


class _RowError(ValueError):
    """A row that cannot be read: the message names the column."""


@functools.lru_cache(maxsize=65536)
def parse_date(text: str) -> dt.date:
    """Read 2026-09-28, 2026/9/28, 2026.9.28, 2026年9月28日 or 20260928."""
    m = _DATE.match(text)
    if m is None:
        msg = f"{text!r} is not a date (use 2026-09-28, 2026/9/28, 2026年9月28日 or 20260928)"
        raise ValueError(msg)
    year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        msg = f"{text!r} is not a date ({exc})"
        raise ValueError(msg) from None


@attrs.frozen
class AuditRow:
    """The audit of one request of the log."""

    line: int
    request_id: str
    received: dt.date
    due: dt.date | None
    decided: dt.date | None
    on_time: bool | None
    workdays_taken: int | None
    violations: tuple[tuple[str, str], ...]  # (code, article)
    estimated: bool


@attrs.frozen
class AuditResult:
    """
    One row per audited request, the rows that could not be read, and a summary.

    .. versionadded:: 0.1.0
    """

    rows: tuple[AuditRow, ...]
    problems: tuple[tuple[int, str], ...]  # (line, reason)
    as_of: dt.date

    def summary(self) -> dict[str, Any]:
        """Counts, on-time share of answered requests, violations by code."""
        answered = [r for r in self.rows if r.on_time is not None]
        codes: dict[str, int] = {}
        for r in self.rows:
            for code, _article in r.violations:
                codes[code] = codes.get(code, 0) + 1
        return {
            "requests": len(self.rows),
            "unreadable": len(self.problems),
            "answered": len(answered),
            "late": sum(1 for r in answered if not r.on_time),
            "on_time_share": round(sum(1 for r in answered if r.on_time) / len(answered), 4)
            if answered
            else None,
            "violations": dict(sorted(codes.items())),
        }

    def to_csv(self) -> str:
        """One line per request: id, line, received, due, decided, on time, working days, violations."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(
            [
                "request_id",
                "line",
                "received",
                "due",
                "decided",
                "on_time",
                "workdays_taken",
                "violations",
            ]
        )
        for r in self.rows:
            w.writerow([r.request_id, r.line, r.received, r.due or "", r.decided or "",
                        "" if r.on_time is None else r.on_time, "" if r.workdays_taken is None else r.workdays_taken,
                        "; ".join(f"{c}({a})" for c, a in r.violations)])  # fmt: skip
        return out.getvalue()


def load_column_map(path: str | Path) -> dict[str, str]:
    """A TOML mapping file: infopen field = "the log's header"."""
    data = read_toml(path)
    unknown = set(data) - set(DEFAULT_COLUMNS)
    if unknown:
        msg = f"{path}: unknown fields {sorted(unknown)}; known: {sorted(DEFAULT_COLUMNS)}"
        raise ValueError(msg)
    return {k: str(v) for k, v in data.items()}


def _resolve(headers: Iterable[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """infopen field -> the header used in this log."""
    present = {h.strip(): h for h in headers}
    found: dict[str, str] = {}
    for field, names in DEFAULT_COLUMNS.items():
        wanted = [columns[field]] if columns and field in columns else list(names)
        for name in wanted:
            if name in present:
                found[field] = present[name]
                break
    if "received" not in found:
        msg = f"no receipt-date column found; expected one of {DEFAULT_COLUMNS['received']} or a mapping for 'received'"
        raise ValueError(msg)
    return found


def _lookup(table: Mapping[str, Any], text: str, column: str) -> Any:
    key = text.strip()
    if key in table:
        return table[key]
    raise _RowError(f"column {column}: {text!r} is not known")


def _events(row: Mapping[str, str], cols: Mapping[str, str]) -> list[dict[str, Any]]:
    def get(field: str) -> str:
        return (row.get(cols[field]) or "").strip() if field in cols else ""

    def date(field: str) -> dt.date | None:
        text = get(field)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise _RowError(f"column {cols[field]}: {exc}") from None

    received = date("received")
    if received is None:
        raise _RowError(f"column {cols['received']}: the receipt date is missing")
    channel = (
        _lookup(_CHANNELS, get("channel"), cols.get("channel", ""))
        if get("channel")
        else Channel.IN_PERSON
    )
    kind = (_lookup(_APPLICANTS, get("applicant_type"), cols.get("applicant_type", ""))
            if get("applicant_type") else ApplicantType.NATURAL_PERSON)  # fmt: skip
    events: list[dict[str, Any]] = [{"type": "receive", "on": received, "channel": channel.value,
                                     "applicant_type": kind.value}]  # fmt: skip
    asked = date("correction_asked")
    if asked:
        by = date("correction_reply_by") or asked + dt.timedelta(days=15)
        events.append({"type": "request_correction", "on": asked, "reply_by": by})
        if got := date("correction_received"):
            events.append({"type": "receive_correction", "on": got})
    if consulted := date("consulted"):
        which = (
            "agency"
            if "机关" in get("consult_kind") or get("consult_kind") == "agency"
            else "third_party"
        )
        events.append({"type": f"consult_{which}", "on": consulted})
        if replied := date("consult_replied"):
            events.append({"type": f"{which}_replied", "on": replied})
    if extended := date("extended"):
        days = get("extension_days") or "20"
        if not days.isdigit():
            raise _RowError(
                f"column {cols.get('extension_days')}: {days!r} is not a number of working days"
            )
        events.append({"type": "extend", "on": extended, "workdays": int(days)})
    decided = date("decided")
    if decided:
        outcome_text = get("outcome") or "DISCLOSED"
        outcome = _lookup(_OUTCOMES, outcome_text, cols.get("outcome", "outcome"))
        if outcome is Outcome.WITHDRAWN:
            events.append({"type": "withdraw", "on": decided})
        else:
            grounds = [_lookup(_GROUNDS, g, cols.get("grounds", "")).value
                       for g in re.split(r"[;；、,，]", get("grounds")) if g.strip()] if outcome.needs_grounds else []  # fmt: skip
            event: dict[str, Any] = {
                "type": "decide",
                "on": decided,
                "outcome": outcome.value,
            }
            if grounds:
                event["grounds"] = grounds
            events.append(event)
    return events


def audit(
    rows: Iterable[Mapping[str, str]],
    *,
    columns: Mapping[str, str] | None = None,
    calendar: WorkCalendar | None = None,
    rules: Rules = PRC_2019,
    as_of: dt.date | None = None,
    first_line: int = 2,
    workers: int | None = None,
) -> AuditResult:
    """
    Audit log rows (mappings of header -> text) against the law.

    Column names come from ``columns`` (infopen field -> header) or the defaults in
    :data:`DEFAULT_COLUMNS` (Chinese headers work out of the box). Line numbers count the
    header as line 1. Requests still unanswered are judged as of ``as_of`` (default: the
    latest date in the log). Rows that differ only in their id are judged once; more than
    100,000 distinct rows are split across ``workers`` processes (default: one per CPU).
    Results keep the input order.

    .. versionadded:: 0.1.0
    """
    cal = calendar or default_calendar()
    rows = list(rows)
    if not rows:
        return AuditResult((), (), as_of or today_in_china())
    cols = _resolve(rows[0].keys(), columns)
    # A log repeats the same dated steps many times (the same receipt and answer days, the
    # same outcome): each distinct row, its id aside, is read once and judged once. A
    # verdict names neither line nor id, so it holds for every row with those steps.
    headers = [h for field, h in cols.items() if field != "id"]
    id_header = cols.get("id")
    read: dict[tuple[Any, ...], list[dict[str, Any]] | str] = {}
    keys: list[tuple[int, str, tuple[Any, ...]]] = []
    latest = dt.date.min
    for line, row in enumerate(rows, first_line):
        key = tuple([row.get(h) for h in headers])
        if key not in read:
            try:
                events = read[key] = _events(row, cols)
                latest = max(latest, *(e["on"] for e in events))
            except _RowError as exc:
                read[key] = str(exc)
        rid = (row.get(id_header) or "").strip() if id_header else ""
        keys.append((line, rid or f"line-{line}", key))
    day = as_of or (latest if latest != dt.date.min else today_in_china())
    distinct = [(key, events) for key, events in read.items() if not isinstance(events, str)]
    verdicts: dict[tuple[Any, ...], tuple[Any, ...] | str] = {
        key: events for key, events in read.items() if isinstance(events, str)
    }
    verdicts.update(_judge_distinct(distinct, cal, rules, day, workers))
    out: list[AuditRow] = []
    problems: list[tuple[int, str]] = []
    for line, rid, key in keys:
        verdict = verdicts[key]
        if isinstance(verdict, str):
            problems.append((line, verdict))
        else:
            out.append(AuditRow(line, rid, *verdict))
    return AuditResult(tuple(out), tuple(problems), day)


_PARALLEL_FROM = 100_000
_WORK: Any = None


def _fork_workers(workers: int | None, distinct: int) -> int:
    """
    How many processes to fork for ``distinct`` rows (1: judge them here). Fork shares the
    parsed log with the workers without copying it, but a forked child of a threaded process
    can deadlock, so a threaded caller (a web server) gets a serial audit.
    """
    import multiprocessing as mp

    if (
        distinct <= _PARALLEL_FROM
        or "fork" not in mp.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return 1
    return workers if workers is not None else (os.cpu_count() or 1)


def _judge_distinct(
    distinct: list[tuple[tuple[Any, ...], list[dict[str, Any]]]],
    cal: WorkCalendar,
    rules: Rules,
    day: dt.date,
    workers: int | None,
) -> dict[tuple[Any, ...], tuple[Any, ...] | str]:
    """A verdict per distinct row: across processes when there are more than 100,000."""
    import multiprocessing as mp

    procs = _fork_workers(workers, len(distinct))
    if procs < 2:
        return dict(
            zip([k for k, _ in distinct], _judge_all(distinct, cal, rules, day), strict=True)
        )
    global _WORK
    _WORK = (distinct, cal, rules, day)
    size = -(-len(distinct) // procs)
    spans = [(i, min(i + size, len(distinct))) for i in range(0, len(distinct), size)]
    try:
        with mp.get_context("fork").Pool(procs) as pool:
            parts = pool.map(_judge_span, spans)
    finally:
        _WORK = None
    return dict(zip([k for k, _ in distinct], [v for part in parts for v in part], strict=True))


def _judge_span(span: tuple[int, int]) -> list[tuple[Any, ...] | str]:
    distinct, cal, rules, day = _WORK
    return _judge_all(distinct[span[0] : span[1]], cal, rules, day)


def _judge_all(
    distinct: list[tuple[tuple[Any, ...], list[dict[str, Any]]]],
    cal: WorkCalendar,
    rules: Rules,
    day: dt.date,
) -> list[tuple[Any, ...] | str]:
    """Replay and judge each row's events: its verdict, or why it cannot be judged."""
    verdicts: list[tuple[Any, ...] | str] = []
    for _key, events in distinct:
        try:
            request = Request.replay(events, rules=rules, calendar=cal)
            verdicts.append(_verdict(request, cal, rules, day))
        except (InvalidTransition, ValueError, CalendarCoverageError) as exc:
            verdicts.append(str(exc))
    return verdicts


def _verdict(r: Request, cal: WorkCalendar, rules: Rules, as_of: dt.date) -> tuple[Any, ...]:
    """The fields of an :class:`AuditRow` after its line and request id."""
    events = r.events
    last = events[-1]
    decided = last.on if last.kind in ("decide", "withdraw") else None
    when = decided or as_of
    f = facts_of(events, when)
    reply = reply_clock(f, rules, cal, when)
    received = f.received or events[0].on  # every audited request starts with its receipt
    start = reply.start or received
    return (
        received,
        reply.due,
        decided,
        None if decided is None or reply.due is None else decided <= reply.due,
        cal.workdays_between(start, decided) if decided and start else None,
        tuple((v.code, v.article) for v in compute_violations(f, rules, cal, when, reply)),
        reply.estimated,
    )


def audit_csv(text: str, **kwargs: Any) -> AuditResult:
    """Audit a CSV log given as text (header on line 1)."""
    return audit(csv.DictReader(io.StringIO(text)), **kwargs)

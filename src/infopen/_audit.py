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
from typing import Any, ClassVar

import attrs

from ._calendar import WorkCalendar, as_date, calendar_or_default, today_in_china
from ._clock import facts_of, reply_clock, served_on
from ._errors import (
    CalendarCoverageError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    MissingExtraError,
    file_access_error,
)
from ._files import as_path, write_bytes
from ._model import ApplicantType, Channel, Ground, Outcome
from ._registers import Register, csv_rows, find_header, read_register
from ._request import Request
from ._rules import Rules
from ._toml import read_toml
from ._violations import compute_violations

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
    # The day the answer was handed to the post (交邮): the act of service that meets the
    # reply deadline (国办公开办函〔2016〕235号); without it, the answer's own date.
    "posted": ("交邮日期", "寄出日期", "posted", "posted_on"),
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
        raise InvalidInputError(msg)
    year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        msg = f"{text!r} is not a date ({exc})"
        raise InvalidInputError(msg) from None


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
        """
        Counts, the on-time share of *answered* requests, violations by code.

        ``on_time_share_of_answered`` leaves out requests still open on the as-of date
        (``open`` counts them; ``overdue`` those already past their due date), so read
        it beside them. ``estimated`` counts rows whose due date rests on estimated
        rest days (a year whose State Council notice is not yet published).
        """
        answered = [r for r in self.rows if r.on_time is not None]
        still_open = [r for r in self.rows if r.decided is None]
        codes: dict[str, int] = {}
        for r in self.rows:
            for code, _article in r.violations:
                codes[code] = codes.get(code, 0) + 1
        return {
            "as_of": self.as_of.isoformat(),
            "requests": len(self.rows),
            "unreadable": len(self.problems),
            "answered": len(answered),
            "late": sum(1 for r in answered if not r.on_time),
            "on_time_share_of_answered": round(
                sum(1 for r in answered if r.on_time) / len(answered), 4
            )
            if answered
            else None,
            "open": len(still_open),
            "overdue": sum(1 for r in still_open if r.due is not None and r.due < self.as_of),
            "estimated": sum(1 for r in self.rows if r.estimated),
            "violations": dict(sorted(codes.items())),
        }

    #: The columns of :meth:`to_csv` and of the .xlsx results sheet, in order.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "request_id", "line", "received", "due", "decided", "on_time", "workdays_taken",
        "violations", "estimated",
    )  # fmt: skip

    def table(self) -> list[list[Any]]:
        """One list per request, in the order of :attr:`FIELDS` (blank for unknown)."""
        return [
            [r.request_id, r.line, r.received, r.due or "", r.decided or "",
             "" if r.on_time is None else r.on_time,
             "" if r.workdays_taken is None else r.workdays_taken,
             "; ".join(f"{c}({a})" for c, a in r.violations), r.estimated]
            for r in self.rows
        ]  # fmt: skip

    def to_csv(self) -> str:
        """
        One line per request with every judgement: id, line, received, due, decided, on
        time, working days taken, violations with their articles, and whether the due
        date rests on estimated rest days.
        """
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(self.FIELDS)
        w.writerows(self.table())
        return out.getvalue()

    def to_xlsx(self, path: str | Path) -> None:
        """
        The results on one sheet (the columns of :meth:`to_csv`) and the unreadable rows,
        with their line and reason, on a sheet of their own (needs ``infopen[report]``).
        """
        try:
            from openpyxl import Workbook
        except ModuleNotFoundError:
            raise MissingExtraError("The .xlsx audit output", "report", "openpyxl") from None
        wb = Workbook()
        ws = wb.active
        ws.title = "results"
        ws.append(list(self.FIELDS))
        for row in self.table():
            ws.append([v.isoformat() if isinstance(v, dt.date) else v for v in row])
        bad = wb.create_sheet("problems")
        bad.append(["line", "reason"])
        for line, reason in self.problems:
            bad.append([line, reason])
        buf = io.BytesIO()
        wb.save(buf)
        write_bytes(path, buf.getvalue())


def load_column_map(path: str | Path) -> dict[str, str]:
    """A TOML mapping file: infopen field = "the log's header"."""
    data = read_toml(path)
    unknown = set(data) - set(DEFAULT_COLUMNS)
    if unknown:
        msg = f"{path}: unknown fields {sorted(unknown)}; known: {sorted(DEFAULT_COLUMNS)}"
        raise InvalidInputError(msg)
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
        raise InvalidInputError(msg)
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
            if posted := date("posted"):
                event["posted_on"] = posted
            events.append(event)
    return events


def _received_names(columns: Mapping[str, str] | None) -> tuple[str, ...]:
    """The headers that mark a log's header row: its receipt-date column."""
    if columns and "received" in columns:
        return (columns["received"],)
    return DEFAULT_COLUMNS["received"]


def _cells_problem(n_cells: int, header: tuple[str, ...], extra: list[str], csv_row: bool) -> str:
    """Why a row whose cell count does not match the header is not read (empty: it does)."""
    if extra:
        return (
            f"{n_cells} cells where the header has {len(header)}: extra cells {extra}; "
            f"remove them or give them a header (the row is not guessed at)"
        )
    if csv_row and n_cells < len(header):
        missing = list(header[n_cells:])
        return (
            f"{n_cells} cells where the header has {len(header)}: no cells for {missing}; "
            f"the row looks truncated (a blank cell still needs its comma)"
        )
    return ""


def _register_rows(reg: Register) -> list[tuple[int, Mapping[str, str] | str]]:
    """Each row as header -> text, or why its cells do not match the header."""
    out: list[tuple[int, Mapping[str, str] | str]] = []
    csv_file = reg.encoding is not None
    width = len(reg.header)
    for line, cells in reg.rows:
        extra = [c for c in cells[width:] if c.strip()]
        problem = _cells_problem(len(cells), reg.header, extra, csv_file)
        if problem:
            out.append((line, problem))
        else:
            out.append((line, {h: c for h, c in zip(reg.header, cells, strict=False) if h}))
    return out


def _mapping_rows(
    rows: Iterable[Mapping[str | None, Any]], first_line: int
) -> tuple[tuple[str, ...], list[tuple[int, Mapping[str, str] | str]]]:
    """
    Mappings (a :class:`csv.DictReader`'s rows) numbered from ``first_line``; a row with
    extra cells (under the key ``None``) or missing ones (value ``None``) becomes a problem.
    """
    out: list[tuple[int, Mapping[str, str] | str]] = []
    # Every header any row has is a column: dict rows may differ in their keys (#13; read from
    # the first row only, an answer given in a later row's own column was not seen).
    headers: dict[str, None] = {}
    for line, row in enumerate(rows, first_line):
        if not isinstance(row, Mapping):
            msg = f"row {line} must be a mapping of header -> text, got {type(row).__name__}"
            raise InvalidTypeError(msg)
        own = tuple(str(k) for k in row if k is not None)
        headers.update(dict.fromkeys(own))
        spill = row.get(None) or ()
        if not isinstance(spill, (list, tuple)):
            spill = (spill,)
        extra = [str(c) for c in spill if str(c).strip()]
        cells = sum(1 for k, v in row.items() if k is not None and v is not None)
        problem = _cells_problem(cells, own, extra, csv_row=True)
        if problem:
            out.append((line, problem))
        else:
            out.append(
                (
                    line,
                    {str(k): "" if v is None else str(v) for k, v in row.items() if k is not None},
                )
            )
    return tuple(headers), out


def audit(
    rows: Iterable[Mapping[str, str]] | str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    calendar: WorkCalendar | None = None,
    rules: Rules | None = None,
    as_of: dt.date | str | None = None,
    first_line: int = 2,
    workers: int | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> AuditResult:
    """
    Audit a register: a file (.csv, .xlsx, .xls, .xlsb, .ods) or rows (mappings of header
    -> text) against the law.

    Column names come from ``columns`` (infopen field -> header) or the defaults in
    :data:`DEFAULT_COLUMNS` (Chinese headers work out of the box). A file's header row is the
    first row with a receipt-date header (titles above it are skipped); a CSV file's
    encoding is detected (UTF-8 with or without BOM, GBK/GB18030) unless ``encoding`` names
    it. Line numbers are the file's own; for rows given as mappings the first is
    ``first_line`` (2: the header is line 1).

    A row with extra cells, or (in CSV) too few, is reported by line and not read; so is a
    date after ``as_of``. Requests still unanswered are judged as of ``as_of`` (default:
    today in China). Rows that differ only in their id are judged once; more than 100,000
    distinct rows are split across ``workers`` processes (default: one per CPU). Results
    keep the input order. With no ``rules`` each row is judged under the profile in force
    on its receipt date (``PRC_2008`` before 2019-05-15), so a log spanning the change need
    not be split.

    Raises:
        InvalidInputError: an unreadable file or one without a header row with a
            receipt-date column.
        MissingExtraError: a spreadsheet without ``infopen[audit]``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``rules`` defaults to the profile in force per row.
    """
    columns = _check_arguments(columns, calendar, rules, first_line, workers, encoding, sheet)
    day = None if as_of is None else as_date(as_of, "as_of")
    if isinstance(rows, (str, os.PathLike)):
        path = as_path(rows, "rows")
        try:
            reg = read_register(path, _received_names(columns), encoding=encoding, sheet=sheet)
        except OSError as exc:
            raise file_access_error(path, "read", exc) from None
        return _audit_numbered(
            reg.header, _register_rows(reg), columns, calendar, rules, day, workers
        )
    if isinstance(rows, (bytes, Mapping)) or not isinstance(rows, Iterable):
        msg = (
            f"rows must be a file path or an iterable of mappings (header -> text), "
            f"got {type(rows).__name__}"
        )
        raise InvalidTypeError(msg)
    header, numbered = _mapping_rows(rows, first_line)  # type: ignore[arg-type]  # str keys are a special case of str | None
    return _audit_numbered(header, numbered, columns, calendar, rules, day, workers)


def _check_arguments(
    columns: object,
    calendar: object,
    rules: object,
    first_line: object,
    workers: object,
    encoding: object = None,
    sheet: object = None,
) -> Mapping[str, str] | None:
    """The column mapping, with every other option checked; raise naming what is wrong (#13)."""
    if columns is not None:
        if not isinstance(columns, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            msg = "columns must map infopen fields to the log's headers, both strings"
            raise InvalidTypeError(msg)
        unknown = set(columns) - set(DEFAULT_COLUMNS)
        if unknown:
            msg = f"columns: unknown fields {sorted(unknown)}; known: {sorted(DEFAULT_COLUMNS)}"
            raise InvalidInputError(msg)
    calendar_or_default(calendar)  # checked before any file is read
    if rules is not None and not isinstance(rules, Rules):
        msg = f"rules must be a Rules profile or None, got {type(rules).__name__}"
        raise InvalidTypeError(msg)
    if type(first_line) is not int or first_line < 1:
        msg = f"first_line must be a line number (int >= 1), got {first_line!r:.40}"
        raise InvalidInputError(msg)
    if workers is not None and (type(workers) is not int or workers < 1):
        msg = f"workers must be a number of processes (int >= 1) or None, got {workers!r:.40}"
        raise InvalidInputError(msg)
    if encoding is not None and not isinstance(encoding, str):
        msg = f"encoding must be a codec name such as 'gbk', got {type(encoding).__name__}"
        raise InvalidTypeError(msg)
    if (sheet is not None and not isinstance(sheet, (str, int))) or isinstance(sheet, bool):
        msg = f"sheet must be a sheet's name or its number, got {type(sheet).__name__}"
        raise InvalidTypeError(msg)
    return columns


def _audit_numbered(
    header: tuple[str, ...],
    numbered: list[tuple[int, Mapping[str, str] | str]],
    columns: Mapping[str, str] | None,
    calendar: WorkCalendar | None,
    rules: Rules | None,
    as_of: dt.date | None,
    workers: int | None,
) -> AuditResult:
    """Judge numbered rows (or the reasons they cannot be read) as of ``as_of``."""
    cal = calendar_or_default(calendar)
    day = as_of if as_of is not None else today_in_china()
    if not numbered:
        return AuditResult((), (), day)
    cols = _resolve(header, columns)
    # A log repeats the same dated steps many times (the same receipt and answer days, the
    # same outcome): each distinct row, its id aside, is read once and judged once. A
    # verdict names neither line nor id, so it holds for every row with those steps.
    headers = [h for field, h in cols.items() if field != "id"]
    id_header = cols.get("id")
    read: dict[tuple[Any, ...], list[dict[str, Any]] | str] = {}
    keys: list[tuple[int, str, tuple[Any, ...]]] = []
    for line, row in numbered:
        if isinstance(row, str):
            key: tuple[Any, ...] = ("\x00problem", row)
            read[key] = row
            keys.append((line, f"line-{line}", key))
            continue
        key = tuple([row.get(h) for h in headers])
        if key not in read:
            try:
                events = read[key] = _events(row, cols)
                _not_after(events, cols, day)
            except _RowError as exc:
                read[key] = str(exc)
        rid = (row.get(id_header) or "").strip() if id_header else ""
        keys.append((line, rid or f"line-{line}", key))
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


_EVENT_FIELD = {"receive": "received", "request_correction": "correction_asked",
                "receive_correction": "correction_received", "consult_agency": "consulted",
                "consult_third_party": "consulted", "agency_replied": "consult_replied",
                "third_party_replied": "consult_replied", "extend": "extended",
                "decide": "decided", "withdraw": "decided"}  # fmt: skip


def _not_after(events: list[dict[str, Any]], cols: Mapping[str, str], as_of: dt.date) -> None:
    """A row's dates must not lie after the as-of date: a future date is a typing error."""
    for e in events:
        if e["on"] > as_of:
            column = cols.get(_EVENT_FIELD.get(e["type"], ""), e["type"])
            msg = (
                f"column {column}: {e['on'].isoformat()} is after the as-of date "
                f"{as_of.isoformat()}; correct the date, or audit as of a later day"
            )
            raise _RowError(msg)


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
    rules: Rules | None,
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
    rules: Rules | None,
    day: dt.date,
) -> list[tuple[Any, ...] | str]:
    """Replay and judge each row's events: its verdict, or why it cannot be judged."""
    verdicts: list[tuple[Any, ...] | str] = []
    for _key, events in distinct:
        try:
            # One fixed id: a verdict (or a refusal naming an event id) is the same for every
            # row with these steps, serial or parallel.
            request = Request.replay(events, rules=rules, calendar=cal, request_id="audit")
            verdicts.append(_verdict(request, cal, request.rules, day))
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
    # On time by the act of service (国办公开办函〔2016〕235号) when recorded, else the decision day.
    served = served_on(f)[0] or decided
    return (
        received,
        reply.due,
        decided,
        None if decided is None or served is None or reply.due is None else served <= reply.due,
        cal.workdays_between(start, decided) if decided and start else None,
        tuple((v.code, v.article) for v in compute_violations(f, rules, cal, when, reply)),
        reply.estimated,
    )


def audit_csv(
    text: str,
    *,
    columns: Mapping[str, str] | None = None,
    calendar: WorkCalendar | None = None,
    rules: Rules | None = None,
    as_of: dt.date | None = None,
    workers: int | None = None,
) -> AuditResult:
    """
    Audit a CSV log given as text (the header is the first row with a receipt-date column;
    a leading byte-order mark is dropped); with no ``rules``, each row under the profile in
    force on its receipt date.
    """
    if not isinstance(text, str):
        msg = f"text must be the log's text (str), got {type(text).__name__}"
        raise InvalidTypeError(msg)
    columns = _check_arguments(columns, calendar, rules, 2, workers)
    day = None if as_of is None else as_date(as_of, "as_of")
    line, header, below = find_header(
        csv_rows(text.removeprefix("\ufeff")), _received_names(columns)
    )
    reg = Register(header, line, tuple((n, tuple(c)) for n, c in below), "utf-8", "<text>")
    return _audit_numbered(reg.header, _register_rows(reg), columns, calendar, rules, day, workers)

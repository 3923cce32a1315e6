"""
Audit of a real request log: which answers were late under the law, and why.

Reading the rows (columns, an office's words, dates, footers) is :mod:`infopen._register_rows`.

Each row of the log becomes a real :class:`Request` replayed through the library (the same
lifecycle and calendar, not a second model); the due date, lateness, working days taken
and violations come from it. A row that cannot be read is reported with its line number
and reason; the rest of the log is still audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
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
from ._i18n import N_
from ._register_rows import (
    DEFAULT_COLUMNS,
    RowError,
    RowNote,
    accepted_values,
    check_values,
    in_order,
    load_column_map,
    load_value_map,
    mapping_rows,
    not_after,
    parse_date,
    read_date,
    received_names,
    register_rows,
    resolve,
    row_events,
    split_footers,
    synonyms,
)
from ._registers import Register, check_encoding, csv_rows, find_header, read_register
from ._request import Request
from ._rules import Rules
from ._violations import compute_violations

__all__ = [
    "DEFAULT_COLUMNS",
    "AuditResult",
    "AuditRow",
    "RowNote",
    "accepted_values",
    "audit",
    "audit_csv",
    "load_column_map",
    "load_value_map",
    "parse_date",
    "read_date",
    "synonyms",
]


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

    ``problems`` are ``(line, reason)`` for the rows not audited, ``warnings`` ``(line,
    note)`` for rows audited with a word not known or a date read from a serial number or
    a date-time, ``footers`` ``(line, text)`` for the rows below the table. Each reason and
    note is a Chinese sentence (a ``str``) whose ``render("en")`` gives it in English.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 ``warnings`` and ``footers``; reasons render in English.
    """

    rows: tuple[AuditRow, ...]
    problems: tuple[tuple[int, str], ...]  # (line, reason)
    as_of: dt.date
    #: (line, note): rows audited with a value that was not known or read with a guess
    #: stated (an unknown 申请方式, a date-time, a serial date); empty by default.
    warnings: tuple[tuple[int, str], ...] = ()
    #: (line, text): rows below the table that sign or annotate it (填表人, 注：…).
    footers: tuple[tuple[int, str], ...] = ()

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
            "warnings": len(self.warnings),
            "footers": len(self.footers),
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
        noted = wb.create_sheet("warnings")
        noted.append(["line", "note"])
        for line, note in (*self.warnings, *((n, f"footer: {t}") for n, t in self.footers)):
            noted.append([line, note])
        buf = io.BytesIO()
        wb.save(buf)
        write_bytes(path, buf.getvalue())


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
    values: Mapping[str, Mapping[str, str]] | None = None,
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

    A row with extra cells, or (in CSV) too few, is reported by line and not read. With
    ``as_of`` given, steps dated after it have not happened yet: the row is judged as it
    stood that day (a request received later is reported, not judged); without it, a date
    after today is reported as a typing error. Requests still unanswered are judged as of
    ``as_of`` (default: today in China).

    Coded columns (申请方式, 申请人类型, 答复结果, 不予公开理由) accept each value's name
    and statutory label and the common words of ``data/register_synonyms.toml`` (网上申请,
    法人或其他组织, 涉及个人隐私, 已答复…); ``values`` adds an office's own words (field ->
    {word: member name}). An unknown word is a warning listing the accepted ones, and the
    row is still audited; a date column that cannot be read rejects the row. Excel serial
    days (46097) and date-times (2026-08-03 15:30:00) are read as their date, with a
    warning. A repeated 编号 is reported (the later row is not judged), and rows below the
    table that sign or annotate it (填表人, 注：…) are footers, not problems. Rows that differ only in their id are judged once; more than 100,000
    distinct rows are split across ``workers`` processes (default: one per CPU). Results
    keep the input order. With no ``rules`` each row is judged under the profile in force
    on its receipt date (``PRC_2008`` before 2019-05-15), so a log spanning the change need
    not be split.

    Raises:
        InvalidInputError: an unreadable file or one without a header row with a
            receipt-date column, an unknown or non-text ``encoding``, a negative ``sheet``,
            or two columns for one field.
        MissingExtraError: a spreadsheet without ``infopen[audit]``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``rules`` defaults to the profile in force per row.
    .. versionchanged:: 0.3.0 ``values``; synonyms, serial dates, date-times, duplicate
       ids, footers and warnings; ``as_of`` cuts later steps instead of rejecting rows.
    """
    columns = _check_arguments(columns, calendar, rules, first_line, workers, encoding, sheet)
    tables = check_values(values)
    day = None if as_of is None else as_date(as_of, "as_of")
    if isinstance(rows, (str, os.PathLike)):
        path = as_path(rows, "rows")
        try:
            reg = read_register(path, received_names(columns), encoding=encoding, sheet=sheet)
        except OSError as exc:
            raise file_access_error(path, "read", exc) from None
        return _audit_numbered(
            reg.header, register_rows(reg), columns, calendar, rules, day, workers, tables
        )
    if isinstance(rows, (bytes, Mapping)) or not isinstance(rows, Iterable):
        msg = (
            f"rows must be a file path or an iterable of mappings (header -> text), "
            f"got {type(rows).__name__}"
        )
        raise InvalidTypeError(msg)
    header, numbered = mapping_rows(rows, first_line)  # type: ignore[arg-type]  # str keys are a special case of str | None
    return _audit_numbered(header, numbered, columns, calendar, rules, day, workers, tables)


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
    if encoding is not None:
        check_encoding(encoding)
    if (sheet is not None and not isinstance(sheet, (str, int))) or isinstance(sheet, bool):
        msg = f"sheet must be a sheet's name or its number, got {type(sheet).__name__}"
        raise InvalidTypeError(msg)
    if isinstance(sheet, int) and sheet < 0:
        msg = f"sheet must be a sheet's name or its number from 0, got {sheet}"
        raise InvalidInputError(msg)
    return columns


def _audit_numbered(
    header: tuple[str, ...],
    numbered: list[tuple[int, Mapping[str, str] | str]],
    columns: Mapping[str, str] | None,
    calendar: WorkCalendar | None,
    rules: Rules | None,
    as_of: dt.date | None,
    workers: int | None,
    tables: Mapping[str, Mapping[str, Any]] | None = None,
) -> AuditResult:
    """Judge numbered rows (or the reasons they cannot be read) as of ``as_of``."""
    cal = calendar_or_default(calendar)
    day = as_of if as_of is not None else today_in_china()
    if not numbered:
        return AuditResult((), (), day)
    cols = resolve(header, columns)
    numbered, footers = split_footers(numbered, cols)
    tables = tables if tables is not None else synonyms()
    # A log repeats the same dated steps many times (the same receipt and answer days, the
    # same outcome): each distinct row, its id aside, is read once and judged once. A
    # verdict names neither line nor id, so it holds for every row with those steps.
    headers = [h for field, h in cols.items() if field != "id"]
    id_header = cols.get("id")
    read: dict[tuple[Any, ...], list[dict[str, Any]] | str] = {}
    notes: dict[tuple[Any, ...], list[RowNote]] = {}
    keys: list[tuple[int, str, tuple[Any, ...]]] = []
    seen: dict[str, int] = {}
    for line, row in numbered:
        if isinstance(row, str):
            key: tuple[Any, ...] = ("\x00problem", row)
            read[key] = row
            keys.append((line, f"line-{line}", key))
            continue
        rid = (row.get(id_header) or "").strip() if id_header else ""
        if rid and rid in seen:
            # English: "the id {id} is already on line {line}: this row is not audited; give
            # each request its own id, or delete the repeated row"
            dup = RowNote(N_("编号“{id}”与第 {line} 行重复，本行未审计：请为每件申请编一个号，或删除重复行"),
                          id=rid, line=seen[rid])  # fmt: skip
            key = ("\x00problem", dup)
            read[key] = dup
            keys.append((line, rid, key))
            continue
        if rid:
            seen[rid] = line
        key = tuple([row.get(h) for h in headers])
        if key not in read:
            try:
                events, notes[key] = row_events(row, cols, tables, as_of)
                in_order(events, cols)
                read[key] = events
                if as_of is None:
                    not_after(events, cols, day)
            except RowError as exc:
                read[key] = exc.note
        keys.append((line, rid or f"line-{line}", key))
    distinct = [(key, events) for key, events in read.items() if not isinstance(events, str)]
    verdicts: dict[tuple[Any, ...], tuple[Any, ...] | str] = {
        key: events for key, events in read.items() if isinstance(events, str)
    }
    verdicts.update(_judge_distinct(distinct, cal, rules, day, workers))
    out: list[AuditRow] = []
    problems: list[tuple[int, str]] = []
    warnings: list[tuple[int, str]] = []
    for line, rid, key in keys:
        verdict = verdicts[key]
        if isinstance(verdict, str):
            problems.append((line, verdict))
        else:
            out.append(AuditRow(line, rid, *verdict))
            noted = notes.get(key)
            if noted:
                warnings.extend((line, note) for note in noted)
    return AuditResult(tuple(out), tuple(problems), day, tuple(warnings), tuple(footers))


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
            # English: "the row's steps cannot be replayed: {detail}"
            verdicts.append(RowNote(N_("本行各步骤无法按法定流程重放：{detail}"), detail=exc))
    return verdicts


def _verdict(r: Request, cal: WorkCalendar, rules: Rules, as_of: dt.date) -> tuple[Any, ...]:
    """The fields of an :class:`AuditRow` after its line and request id."""
    events = r.events
    last = events[-1]
    decided = last.on if last.kind in ("decide", "withdraw", "abandon") else None
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
        csv_rows(text.removeprefix("\ufeff")), received_names(columns)
    )
    reg = Register(header, line, tuple((n, tuple(c)) for n, c in below), "utf-8", "<text>")
    return _audit_numbered(reg.header, register_rows(reg), columns, calendar, rules, day, workers)

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
from ._clock import compute_violations, facts_of, reply_clock
from ._errors import (
    CalendarCoverageError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    MissingExtraError,
    file_access_error,
)
from ._files import as_path, write_bytes
from ._i18n import N_, Lang, translate
from ._model import ApplicantType, Channel, Ground, Outcome
from ._registers import Register, check_encoding, csv_rows, find_header, read_register
from ._request import Request
from ._rules import Rules
from ._toml import read_toml

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
    "read_date",
    "synonyms",
]

#: infopen field -> the headers accepted for it out of the box (Chinese first).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "申请编号", "受理编号", "登记编号", "id", "request_id"),
    "received": (
        "收到日期",
        "收到申请日期",
        "申请日期",
        "收件日期",
        "受理日期",
        "received",
        "received_on",
    ),
    "channel": ("申请方式", "申请渠道", "渠道", "申请形式", "channel"),
    "applicant_type": ("申请人类型", "申请人类别", "申请主体", "applicant_type"),
    "correction_asked": ("补正告知日期", "告知补正日期", "correction_asked"),
    "correction_reply_by": ("补正期限", "correction_reply_by"),
    "correction_received": ("补正收到日期", "收到补正日期", "correction_received"),
    "consulted": ("征求意见日期", "consulted"),
    "consult_kind": ("征求对象", "consult_kind"),
    "consult_replied": ("意见答复日期", "consult_replied"),
    "extended": ("延期日期", "延期告知日期", "extended"),
    "extension_days": ("延期天数", "延期工作日", "extension_days"),
    "decided": ("答复日期", "办结日期", "decided"),
    "outcome": ("答复结果", "处理结果", "办理结果", "答复类型", "outcome"),
    "grounds": ("不予公开理由", "不公开理由", "grounds"),
}

_SYNONYMS_FILE = Path(__file__).parent / "data" / "register_synonyms.toml"
#: The enums whose values a register's columns hold.
_ENUMS: dict[str, type[Any]] = {"channel": Channel, "applicant_type": ApplicantType,
                                 "outcome": Outcome, "grounds": Ground}  # fmt: skip


def _key(text: str) -> str:
    """A word as it is matched: no spaces (full-width ones too), ASCII case ignored."""
    return re.sub(r"[\s\u3000]+", "", text).lower()


@functools.cache
def synonyms() -> dict[str, dict[str, Any]]:
    """
    field -> {word: value} for the register's coded columns: each enum member's name and
    label, and the words of ``data/register_synonyms.toml`` (网上申请, 法人或其他组织…).
    """
    data = read_toml(_SYNONYMS_FILE)
    out: dict[str, dict[str, Any]] = {}
    for field, enum in _ENUMS.items():
        table = {_key(m.name): m for m in enum} | {_key(m.label): m for m in enum}
        for name, words in data.get(field, {}).items():
            for word in words:
                table[_key(word)] = enum[name]
        out[field] = table
    out["answered"] = {_key(w): True for w in data.get("answered", {}).get("words", [])}
    out["consult_kind"] = {
        _key(w): kind for kind, words in data.get("consult_kind", {}).items() for w in words
    }
    return out


def _tables(values: Mapping[str, Mapping[str, str]] | None) -> dict[str, dict[str, Any]]:
    """The synonym tables with a user's own words (field -> {word: value name}) laid over."""
    tables = {field: dict(table) for field, table in synonyms().items()}
    for field, words in (values or {}).items():
        for word, name in words.items():
            tables[field][_key(word)] = _value_of(field, name)
    return tables


def _value_of(field: str, name: str) -> Any:
    """The value a user's mapping names (an enum member's name or label)."""
    if field == "consult_kind":
        if name in ("agency", "third_party"):
            return name
        msg = f"values.consult_kind: {name!r} must be agency or third_party"
        raise InvalidInputError(msg)
    found = synonyms()[field].get(_key(name))
    if found is None:
        accepted = ", ".join(m.name for m in _ENUMS[field])
        msg = f"values.{field}: {name!r} is not a value of {field}; use one of {accepted}"
        raise InvalidInputError(msg)
    return found


def accepted_values(field: str) -> list[str]:
    """The Chinese labels accepted in a coded column, for messages and drop-down lists."""
    if field == "consult_kind":
        return ["第三方", "其他机关"]
    if field == "outcome":
        return [m.label for m in Outcome] + ["撤回", "已答复"]
    return [m.label for m in _ENUMS[field]]


_DATE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))\s*$"
)
#: A date with a time of day (Excel date-time cells, exports of OA systems).
_DATE_TIME = re.compile(r"^\s*(\S+?)[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*$")
#: An Excel serial day number (1900 date system): 2000-01-01 is 36526, 2099-12-31 is 73050.
_SERIAL = re.compile(r"^\s*(\d{5})(?:\.0+)?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 system (after its 1900-02-29)
#: Rows below the table that offices sign or annotate: reported as footers.
_FOOTER = re.compile(
    r"^\s*(填表人|填报人|制表人|审核人|负责人|联系人|联系电话|填表日期|制表日期|注[:：]|注\s*\d|备注[:：]|说明[:：]|合计|总计|小计)"
)


class RowNote(str):
    """
    Why a row was not audited, or how it was read: a Chinese sentence (the ``str`` itself)
    that renders in English with :meth:`render` (the catalogue translates its template).

    .. versionadded:: 0.2.0
    """

    template: str
    params: dict[str, str]

    def __new__(cls, template: str, **params: object) -> RowNote:
        texts = {k: v if isinstance(v, RowNote) else str(v) for k, v in params.items()}
        obj = super().__new__(cls, template.format(**texts))
        obj.template = template
        obj.params = texts
        return obj

    def render(self, lang: Lang) -> str:
        """The note in ``lang`` ("zh" or "en")."""
        return translate(lang)(self.template).format(
            **{k: v.render(lang) if isinstance(v, RowNote) else v for k, v in self.params.items()}
        )

    def __reduce__(self) -> tuple[Any, ...]:  # kept whole across the audit's worker processes
        return (_row_note, (self.template, self.params))


def _row_note(template: str, params: dict[str, str]) -> RowNote:
    return RowNote(template, **params)


class _RowError(ValueError):
    """A row that cannot be read: the message (a :class:`RowNote`) names the column."""

    def __init__(self, note: RowNote) -> None:
        super().__init__(note)
        self.note = note


def read_date(text: str) -> tuple[dt.date, str | None]:
    """
    A register's date and, when it was not written as a plain date, a note saying how it
    was read: an Excel serial number (46097) as the day it counts, a date-time
    (2026-08-03 15:30:00) as its date.
    """
    serial = _SERIAL.match(text)
    if serial is not None and 36526 <= int(serial.group(1)) <= 73050:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1)))
        # English: "{text} read as the Excel serial date {day}"
        return day, N_("“{text}”按 Excel 日期序号读作 {day}")
    timed = _DATE_TIME.match(text)
    if timed is not None:
        day = parse_date(timed.group(1))
        # English: "{text} read as its date {day} (the time is not used)"
        return day, N_("“{text}”只取日期部分，读作 {day}")
    return parse_date(text), None


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

    ``problems`` are ``(line, reason)`` for the rows not audited, ``warnings`` ``(line,
    note)`` for rows audited with a word not known or a date read from a serial number or
    a date-time, ``footers`` ``(line, text)`` for the rows below the table. Each reason and
    note is a Chinese sentence (a ``str``) whose ``render("en")`` gives it in English.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``warnings`` and ``footers``; reasons render in English.
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


def load_column_map(path: str | Path) -> dict[str, str]:
    """
    A TOML mapping file: infopen field = "the log's header" (a ``[values]`` table, read
    by :func:`load_value_map`, is left out).
    """
    data = {k: v for k, v in read_toml(path).items() if k != "values"}
    unknown = set(data) - set(DEFAULT_COLUMNS)
    if unknown:
        msg = f"{path}: unknown fields {sorted(unknown)}; known: {sorted(DEFAULT_COLUMNS)}"
        raise InvalidInputError(msg)
    return {k: str(v) for k, v in data.items()}


def load_value_map(path: str | Path) -> dict[str, dict[str, str]]:
    """
    The ``[values]`` tables of a mapping file: the office's own words for a coded column,
    ``[values.channel]`` ``"微信公众号" = "ONLINE"`` (value: a member's name or label).
    """
    data = read_toml(path).get("values", {})
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        msg = f"{path}: [values] must hold tables such as [values.channel]"
        raise InvalidInputError(msg)
    unknown = set(data) - {*_ENUMS, "consult_kind"}
    if unknown:
        msg = f"{path}: [values] for unknown columns {sorted(unknown)}; known: {sorted({*_ENUMS, 'consult_kind'})}"
        raise InvalidInputError(msg)
    out = {field: {str(k): str(v) for k, v in words.items()} for field, words in data.items()}
    _tables(out)  # every value named is checked now, not at the first row that uses it
    return out


def _resolve(headers: Iterable[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """infopen field -> the header used in this log; two columns for one field are refused."""
    listed = [h.strip() for h in headers]
    present = {h: h for h in listed}
    found: dict[str, str] = {}
    for field, names in DEFAULT_COLUMNS.items():
        wanted = [columns[field]] if columns and field in columns else list(names)
        hits = [(i, h) for i, h in enumerate(listed, 1) if h and h in wanted]
        if len(hits) > 1:
            both = " and ".join(f"column {i} {h!r}" for i, h in hits)
            msg = (
                f"two columns give the field {field!r}: {both}; rename or remove one "
                f"(or map {field} to one header in a mapping file)"
            )
            raise InvalidInputError(msg)
        for name in wanted:
            if name in present:
                found[field] = present[name]
                break
    if "received" not in found:
        msg = f"no receipt-date column found; expected one of {DEFAULT_COLUMNS['received']} or a mapping for 'received'"
        raise InvalidInputError(msg)
    return found


def _lookup(
    tables: Mapping[str, Mapping[str, Any]],
    field: str,
    text: str,
    column: str,
    notes: list[RowNote],
    default: Any,
) -> Any:
    """
    A coded cell's value. An unknown word does not change a date: the row is audited with
    ``default`` and a note that lists the accepted words.
    """
    found = tables[field].get(_key(text))
    if found is not None:
        return found
    notes.append(
        RowNote(
            # English: "column {column}: "{text}" is not a known value and is left out of the
            # audit (accepted: {accepted}; map other words in a mapping file's [values.{field}])"
            N_("“{column}”列：“{text}”不是可识别的值，审计中不计（可用：{accepted}；其他用语可在对照表的 [values.{field}] 中对应）"),
            column=column, text=text, accepted="、".join(accepted_values(field)), field=field,
        )
    )  # fmt: skip
    return default


def _events(
    row: Mapping[str, str],
    cols: Mapping[str, str],
    tables: Mapping[str, Mapping[str, Any]] | None = None,
    cut: dt.date | None = None,
) -> tuple[list[dict[str, Any]], list[RowNote]]:
    """
    A row's events and the notes on how it was read; events after ``cut`` (an explicit
    as-of date) have not happened yet and are left out.
    """
    tables = tables if tables is not None else synonyms()
    notes: list[RowNote] = []

    def get(field: str) -> str:
        return (row.get(cols[field]) or "").strip() if field in cols else ""

    def date(field: str) -> dt.date | None:
        text = get(field)
        if not text:
            return None
        try:
            day, note = read_date(text)
        except ValueError:
            raise _RowError(
                RowNote(
                    # English: "column {column}: "{text}" is not a date (write 2026-09-28,
                    # 2026/9/28, 2026年9月28日, 20260928 or an Excel date)"
                    N_("“{column}”列：“{text}”不是日期（可写 2026-09-28、2026/9/28、2026年9月28日、20260928 或 Excel 日期）"),
                    column=cols[field], text=text[:40],
                )
            ) from None  # fmt: skip
        if note:
            notes.append(
                RowNote(
                    N_("“{column}”列：{note}"),
                    column=cols[field],
                    note=RowNote(note, text=text.strip(), day=day.isoformat()),
                )
            )
        if cut is not None and day > cut and field != "received":
            return None  # not yet happened on the as-of date
        return day

    received = date("received")
    if received is None:
        # English: "column {column}: the receipt date is missing"
        raise _RowError(RowNote(N_("“{column}”列：缺少收到日期"), column=cols["received"]))
    if cut is not None and received > cut:
        # English: "received on {received}, after the as-of date {as_of}: not audited yet"
        raise _RowError(
            RowNote(N_("收到日期 {received} 晚于审计截至日 {as_of}，尚不审计"),
                    received=received.isoformat(), as_of=cut.isoformat())
        )  # fmt: skip
    channel = (
        _lookup(
            tables, "channel", get("channel"), cols.get("channel", ""), notes, Channel.IN_PERSON
        )
        if get("channel")
        else Channel.IN_PERSON
    )
    kind = (_lookup(tables, "applicant_type", get("applicant_type"), cols.get("applicant_type", ""),
                    notes, ApplicantType.NATURAL_PERSON)
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
        which = tables["consult_kind"].get(_key(get("consult_kind")))
        if which is None:
            which = "agency" if "机关" in get("consult_kind") else "third_party"
        events.append({"type": f"consult_{which}", "on": consulted})
        if replied := date("consult_replied"):
            events.append({"type": f"{which}_replied", "on": replied})
    if extended := date("extended"):
        days = get("extension_days") or "20"
        if not days.isdigit():
            # English: "column {column}: "{text}" is not a number of working days (accepted: a
            # whole number from 1 to 20)"
            raise _RowError(
                RowNote(N_("“{column}”列：“{text}”不是工作日数（可用：1 至 20 的整数）"),
                        column=cols.get("extension_days", ""), text=days[:40])
            )  # fmt: skip
        events.append({"type": "extend", "on": extended, "workdays": int(days)})
    decided = date("decided")
    if decided:
        outcome_text = get("outcome")
        column = cols.get("outcome", "outcome")
        if not outcome_text or tables["answered"].get(_key(outcome_text)):
            outcome = Outcome.DISCLOSED  # answered, which answer not said: only its date counts
            if outcome_text:
                notes.append(
                    RowNote(
                        # English: "column {column}: "{text}" says only that the request was
                        # answered: its dates are audited, its outcome is not counted"
                        N_("“{column}”列：“{text}”只说明已答复，按日期审计，答复类型不计"),
                        column=column, text=outcome_text,
                    )
                )  # fmt: skip
        else:
            outcome = _lookup(tables, "outcome", outcome_text, column, notes, None)
            if outcome is None:
                outcome = Outcome.DISCLOSED
        if outcome is Outcome.WITHDRAWN:
            events.append({"type": "withdraw", "on": decided})
        elif outcome in (Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE):
            if outcome is Outcome.ABANDONED_UNPAID_FEE:
                # English: "column {column}: "{text}" needs a fee notice, which a register has
                # no column for: record the request with infopen record"
                raise _RowError(
                    RowNote(N_("“{column}”列：“{text}”需要收费通知，台账没有该列：请用 infopen record 记录该申请"),
                            column=column, text=outcome_text)
                )  # fmt: skip
            if not asked or date("correction_received"):
                # English: "column {column}: "{text}" (no longer processed for want of a
                # correction) needs a date in {asked} and none in {received}"
                raise _RowError(
                    RowNote(N_("“{column}”列：“{text}”（逾期不补正、不再处理）需要“{asked}”列有日期且“{got}”列为空"),
                            column=column, text=outcome_text,
                            asked=cols.get("correction_asked", "补正告知日期"),
                            got=cols.get("correction_received", "补正收到日期"))
                )  # fmt: skip
            events.append({"type": "abandon", "on": decided})
        else:
            grounds = []
            if outcome.needs_grounds:
                for g in re.split(r"[;；、,，]", get("grounds")):
                    if g.strip():
                        found = _lookup(tables, "grounds", g, cols.get("grounds", ""), notes, None)
                        if found is not None:
                            grounds.append(found.value)
            event: dict[str, Any] = {
                "type": "decide",
                "on": decided,
                "outcome": outcome.value,
            }
            if grounds:
                event["grounds"] = grounds
            events.append(event)
    return events, notes


def _received_names(columns: Mapping[str, str] | None) -> tuple[str, ...]:
    """The headers that mark a log's header row: its receipt-date column."""
    if columns and "received" in columns:
        return (columns["received"],)
    return DEFAULT_COLUMNS["received"]


def _cells_problem(n_cells: int, header: tuple[str, ...], extra: list[str], csv_row: bool) -> str:
    """Why a row whose cell count does not match the header is not read (empty: it does)."""
    if extra:
        # English: "{n} cells where the header has {width}: extra cells {extra}; remove them
        # or give them a header (the row is not guessed at)"
        return RowNote(
            N_("本行有 {n} 格，表头只有 {width} 列：多出 {extra}；请删除或为其加表头（不猜测本行含义）"),
            n=n_cells, width=len(header), extra="、".join(extra),
        )  # fmt: skip
    if csv_row and n_cells < len(header):
        # English: "{n} cells where the header has {width}: no cells for {missing}; the row
        # looks truncated (a blank cell still needs its comma)"
        return RowNote(
            N_("本行有 {n} 格，表头有 {width} 列：缺少 {missing}；本行似乎被截断（空格也要保留逗号）"),
            n=n_cells, width=len(header), missing="、".join(header[n_cells:]),
        )  # fmt: skip
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
    .. versionchanged:: 0.2.0 ``values``; synonyms, serial dates, date-times, duplicate
       ids, footers and warnings; ``as_of`` cuts later steps instead of rejecting rows.
    """
    columns = _check_arguments(columns, calendar, rules, first_line, workers, encoding, sheet)
    tables = _check_values(values)
    day = None if as_of is None else as_date(as_of, "as_of")
    if isinstance(rows, (str, os.PathLike)):
        path = as_path(rows, "rows")
        try:
            reg = read_register(path, _received_names(columns), encoding=encoding, sheet=sheet)
        except OSError as exc:
            raise file_access_error(path, "read", exc) from None
        return _audit_numbered(
            reg.header, _register_rows(reg), columns, calendar, rules, day, workers, tables
        )
    if isinstance(rows, (bytes, Mapping)) or not isinstance(rows, Iterable):
        msg = (
            f"rows must be a file path or an iterable of mappings (header -> text), "
            f"got {type(rows).__name__}"
        )
        raise InvalidTypeError(msg)
    header, numbered = _mapping_rows(rows, first_line)  # type: ignore[arg-type]  # str keys are a special case of str | None
    return _audit_numbered(header, numbered, columns, calendar, rules, day, workers, tables)


def _check_values(values: object) -> dict[str, dict[str, Any]]:
    """The synonym tables with ``values`` laid over, after checking its shape."""
    if values is None:
        return synonyms()
    if not isinstance(values, Mapping) or not all(
        isinstance(k, str)
        and isinstance(v, Mapping)
        and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
        for k, v in values.items()
    ):
        msg = "values must map a column field to {word: value name}, all strings"
        raise InvalidTypeError(msg)
    unknown = set(values) - {*_ENUMS, "consult_kind"}
    if unknown:
        msg = (
            f"values: unknown fields {sorted(unknown)}; known: {sorted({*_ENUMS, 'consult_kind'})}"
        )
        raise InvalidInputError(msg)
    return _tables(values)


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
    cols = _resolve(header, columns)
    numbered, footers = _split_footers(numbered, cols)
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
                events, notes[key] = _events(row, cols, tables, as_of)
                _in_order(events, cols)
                read[key] = events
                if as_of is None:
                    _not_after(events, cols, day)
            except _RowError as exc:
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


def _split_footers(
    numbered: list[tuple[int, Mapping[str, str] | str]], cols: Mapping[str, str]
) -> tuple[list[tuple[int, Mapping[str, str] | str]], list[tuple[int, str]]]:
    """
    The rows of the table and, apart, the footer rows below it: rows with no receipt date
    whose text starts like a signature or a note (填表人, 注：, 合计…), and every row after
    the first such footer that has no receipt date either.
    """
    received = cols["received"]
    rows: list[tuple[int, Mapping[str, str] | str]] = []
    footers: list[tuple[int, str]] = []
    in_footer = False
    for line, row in numbered:
        if not isinstance(row, str) and not (row.get(received) or "").strip():
            text = " ".join(v.strip() for v in row.values() if v and v.strip())
            if in_footer or _FOOTER.match(text):
                in_footer = True
                footers.append((line, text))
                continue
        rows.append((line, row))
    return rows, footers


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
            # English: "column {column}: {day} is after the as-of date {as_of}; correct the
            # date, or audit as of a later day with --as-of"
            raise _RowError(
                RowNote(N_("“{column}”列：{day} 晚于审计截至日 {as_of}；请更正日期，或用 --as-of 指定更晚的截至日"),
                        column=column, day=e["on"].isoformat(), as_of=as_of.isoformat())
            )  # fmt: skip


def _in_order(events: list[dict[str, Any]], cols: Mapping[str, str]) -> None:
    """No step of a row may come before its receipt date (a typing error)."""
    received = events[0]["on"]
    for e in events[1:]:
        if e["on"] < received:
            column = cols.get(_EVENT_FIELD.get(e["type"], ""), e["type"])
            # English: "column {column}: {day} is before the receipt date {received}"
            raise _RowError(
                RowNote(N_("“{column}”列：{day} 早于收到日期 {received}，请更正"),
                        column=column, day=e["on"].isoformat(), received=received.isoformat())
            )  # fmt: skip


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
            request = Request.replay(events, rules=rules, calendar=cal)
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
    return (
        received,
        reply.due,
        decided,
        None if decided is None or reply.due is None else decided <= reply.due,
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

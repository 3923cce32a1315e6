"""
Reading a register's rows into events: which column is which field, what the office's
words mean, how its dates are written, which rows are footers.

Offices write registers in their own words: the coded columns accept each value's name and
statutory label and the words of ``data/register_synonyms.toml``; an unknown word in a
column that changes no date is a note, not a rejected row. Every note and rejection is a
:class:`RowNote`, a Chinese sentence that renders in English.

References:
    * 国办公开办函〔2021〕30号 (the report's rows and columns, whose labels offices copy).
    * Microsoft, "Date systems in Excel": the 1900 date system counts days from
      1899-12-30 (it keeps the 1900-02-29 that did not exist), so 46097 is 2026-03-16.

Limitations:
    * A serial number is read as a date only in a date column and only from 36526
      (2000-01-01) to 73050 (2099-12-31).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._calendar import add_days
from ._errors import InvalidInputError, InvalidTypeError
from ._i18n import N_, Lang, translate
from ._model import ApplicantType, Channel, Ground, Outcome
from ._registers import Register
from ._toml import read_toml

__all__ = [
    "DEFAULT_COLUMNS",
    "RowError",
    "RowNote",
    "accepted_values",
    "cells_problem",
    "check_values",
    "in_order",
    "load_column_map",
    "load_value_map",
    "mapping_rows",
    "not_after",
    "parse_date",
    "read_date",
    "received_names",
    "register_rows",
    "resolve",
    "row_events",
    "split_footers",
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
    # The day the answer was handed to the post (交邮): the act of service that meets the
    # reply deadline (国办公开办函〔2016〕235号); without it, the answer's own date.
    "posted": ("交邮日期", "寄出日期", "posted", "posted_on"),
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

    .. versionadded:: 0.3.0
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


class RowError(ValueError):
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


def resolve(headers: Iterable[str], columns: Mapping[str, str] | None) -> dict[str, str]:
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


def row_events(
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
            raise RowError(
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
        raise RowError(RowNote(N_("“{column}”列：缺少收到日期"), column=cols["received"]))
    if cut is not None and received > cut:
        # English: "received on {received}, after the as-of date {as_of}: not audited yet"
        raise RowError(
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
        try:
            by = date("correction_reply_by") or add_days(asked, 15, "the correction period")
        except InvalidInputError as exc:  # 15 days past 9999-12-31 (#23): this row's problem
            # English: "column {column}: {problem}"
            note = RowNote(N_("“{column}”列：{problem}"), column=cols["correction_asked"],
                           problem=str(exc))  # fmt: skip
            raise RowError(note) from None
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
            raise RowError(
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
                raise RowError(
                    RowNote(N_("“{column}”列：“{text}”需要收费通知，台账没有该列：请用 infopen record 记录该申请"),
                            column=column, text=outcome_text)
                )  # fmt: skip
            if not asked or date("correction_received"):
                # English: "column {column}: "{text}" (no longer processed for want of a
                # correction) needs a date in {asked} and none in {received}"
                raise RowError(
                    RowNote(N_("“{column}”列：“{text}”（逾期不补正、不再处理）需要“{asked}”列有日期且“{got}”列为空"),
                            column=column, text=outcome_text,
                            asked=cols.get("correction_asked", "补正告知日期"),
                            got=cols.get("correction_received", "补正收到日期"))
                )  # fmt: skip
            # Abandonment needs the correction notice served (art 30); a register has no
            # column for its delivery, so the notice is taken as served the day it was sent
            # and the row says so (the real period may have ended later).
            for step in events:
                if step["type"] == "request_correction" and "delivered_on" not in step:
                    step["delivered_on"] = step["on"]
                    # English: "column {column}: the correction notice's delivery is not
                    # recorded; audited as delivered the day it was sent ({asked})"
                    notes.append(RowNote(N_("“{column}”列：未记录补正告知的送达日期，按告知当日（{asked}）送达审计"),
                                         column=cols.get("correction_asked", "补正告知日期"),
                                         asked=step["on"]))  # fmt: skip
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
            if posted := date("posted"):
                event["posted_on"] = posted
            events.append(event)
    return events, notes


def received_names(columns: Mapping[str, str] | None) -> tuple[str, ...]:
    """The headers that mark a log's header row: its receipt-date column."""
    if columns and "received" in columns:
        return (columns["received"],)
    return DEFAULT_COLUMNS["received"]


def cells_problem(n_cells: int, header: tuple[str, ...], extra: list[str], csv_row: bool) -> str:
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


def register_rows(reg: Register) -> list[tuple[int, Mapping[str, str] | str]]:
    """Each row as header -> text, or why its cells do not match the header."""
    out: list[tuple[int, Mapping[str, str] | str]] = []
    csv_file = reg.encoding is not None
    width = len(reg.header)
    for line, cells in reg.rows:
        extra = [c for c in cells[width:] if c.strip()]
        problem = cells_problem(len(cells), reg.header, extra, csv_file)
        if problem:
            out.append((line, problem))
        else:
            out.append((line, {h: c for h, c in zip(reg.header, cells, strict=False) if h}))
    return out


def mapping_rows(
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
        problem = cells_problem(cells, own, extra, csv_row=True)
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


def check_values(values: object) -> dict[str, dict[str, Any]]:
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


def split_footers(
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


def not_after(events: list[dict[str, Any]], cols: Mapping[str, str], as_of: dt.date) -> None:
    """A row's dates must not lie after the as-of date: a future date is a typing error."""
    for e in events:
        if e["on"] > as_of:
            column = cols.get(_EVENT_FIELD.get(e["type"], ""), e["type"])
            # English: "column {column}: {day} is after the as-of date {as_of}; correct the
            # date, or audit as of a later day with --as-of"
            raise RowError(
                RowNote(N_("“{column}”列：{day} 晚于审计截至日 {as_of}；请更正日期，或用 --as-of 指定更晚的截至日"),
                        column=column, day=e["on"].isoformat(), as_of=as_of.isoformat())
            )  # fmt: skip


def in_order(events: list[dict[str, Any]], cols: Mapping[str, str]) -> None:
    """No step of a row may come before its receipt date (a typing error)."""
    received = events[0]["on"]
    for e in events[1:]:
        if e["on"] < received:
            column = cols.get(_EVENT_FIELD.get(e["type"], ""), e["type"])
            # English: "column {column}: {day} is before the receipt date {received}"
            raise RowError(
                RowNote(N_("“{column}”列：{day} 早于收到日期 {received}，请更正"),
                        column=column, day=e["on"].isoformat(), received=received.isoformat())
            )  # fmt: skip

"""
Exports and imports of requests: JSON Lines, CSV (one row per event), and iCalendar.

Imports validate everything before returning anything: a malformed line names its line
number and field, and nothing is half-imported.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from ._calendar import WorkCalendar, add_days, as_date, calendar_or_default, today_in_china
from ._errors import (
    InfopenError,
    InvalidFileError,
    InvalidInputError,
    InvalidTypeError,
    MissingExtraError,
    check_flag,
)
from ._i18n import translate
from ._request import Request, request_list
from ._rules import rules_from_text

__all__ = ["CSV_FIELDS", "read_csv", "read_jsonl", "to_csv", "to_ical", "to_jsonl"]

#: The columns of the CSV export, one row per event (``event_id`` added in 0.2.0;
#: ``recorded_at``, ``actor``, ``note`` and ``meta``, a JSON object, in 0.3.0).
CSV_FIELDS = (
    "request_id", "rules", "seq", "type", "on", "params", "event_id",
    "recorded_at", "actor", "note", "meta",
)  # fmt: skip
#: The columns of the 0.1 and 0.2 CSV exports, still read.
_CSV_FIELDS_0_1 = CSV_FIELDS[:6]
_CSV_FIELDS_0_2 = CSV_FIELDS[:7]
_RECORDING = frozenset({"event_id", "recorded_at", "actor", "note", "meta"})

# Characters that JSON leaves unescaped but that a reader splitting lines (str.splitlines,
# editors, some JSON Lines tools) would take as line ends: written as \u escapes.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_jsonl(requests: Iterable[Request], *, include_identity: bool = False) -> str:
    """
    One ``Request.to_dict()`` document per line. Identity is left out unless asked for.

    Each line ends at its ``\\n`` and nowhere else: the line breaks JSON allows inside
    strings (U+0085, U+2028, U+2029) are written as ``\\u`` escapes.

    .. versionadded:: 0.1.0
    """
    check_flag(include_identity, "include_identity")
    return "".join(
        json.dumps(r.to_dict(include_identity=include_identity), ensure_ascii=False).translate(
            _LINE_BREAKS
        )
        + "\n"
        for r in request_list(requests)
    )


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        hint = (
            " (decode the file first, e.g. path.read_text(encoding='utf-8'))"
            if isinstance(value, (bytes, bytearray))
            else ""
        )
        msg = f"{what} must be the text of the file (str), got {type(value).__name__}{hint}"
        raise InvalidTypeError(msg)
    return value


def read_jsonl(text: str, *, calendar: WorkCalendar | None = None) -> list[Request]:
    """
    Requests from JSON Lines; a bad line raises ``ValueError`` naming its number, and no
    request is returned unless every line is good. ``calendar`` is the one the requests are
    replayed on (default: the national calendar with estimates past the announced years,
    whose results are flagged estimated).

    Lines end at ``\\n`` (or ``\\r\\n``) only, as JSON Lines defines them; a request id
    that appears twice is refused, as :func:`read_csv` refuses it.

    .. versionadded:: 0.1.0
    """
    text = _text(text, "text")
    calendar = calendar_or_default(calendar)
    out = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidFileError(f"not JSON ({exc.msg})", line=number) from None
        except RecursionError:
            raise InvalidFileError("JSON nested too deeply to be a request", line=number) from None
        try:
            request = Request.from_dict(data, calendar=calendar)
        except InfopenError as exc:
            raise InvalidFileError(str(exc), line=number) from None
        rid = request.request_id
        if rid in first_line:
            msg = f"request {rid} appears again (first on line {first_line[rid]}); each request is one line"
            raise InvalidFileError(msg, line=number)
        first_line[rid] = number
        out.append(request)
    return out


def to_csv(requests: Iterable[Request]) -> str:
    """
    The requests' events as CSV, one row per event (``CSV_FIELDS``); params as JSON.

    Rows end in ``\\r\\n`` (RFC 4180); a field holding a line break is quoted.

    .. versionadded:: 0.1.0
    """
    buf = io.StringIO(newline="")
    # RFC 4180 line ends: with "\r\n" as terminator the writer quotes every field holding
    # "\r" or "\n" (with "\n" alone a bare "\r" in an id went out unquoted).
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_FIELDS)
    for r in request_list(requests):
        rules = r.to_dict()["rules"]
        rules_text = rules if isinstance(rules, str) else json.dumps(rules, ensure_ascii=False)
        for seq, e in enumerate(r.events, 1):
            w.writerow([r.request_id, rules_text, seq, e.kind, e.on.isoformat(),
                        json.dumps(e.params, ensure_ascii=False, sort_keys=True),
                        e.event_id or "",
                        "" if e.recorded_at is None else e.recorded_at.isoformat(),
                        e.actor or "", e.note or "",
                        "" if e.meta is None else json.dumps(e.meta, ensure_ascii=False, sort_keys=True)])  # fmt: skip
    return buf.getvalue()


def read_csv(text: str, *, calendar: WorkCalendar | None = None) -> list[Request]:
    """
    Requests from the CSV of :func:`to_csv`; a malformed row raises ``ValueError`` naming its
    line and field, and nothing is returned unless every row is good. ``calendar`` as for
    :func:`read_jsonl`.

    .. versionadded:: 0.1.0
    """
    text = _text(text, "text")
    calendar = calendar_or_default(calendar)
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        with _field_limit(len(text)):
            fieldnames = tuple(reader.fieldnames or ())
            rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:  # a NUL, a bad quote
        # line_num counts the lines read before the one that failed
        raise InvalidFileError(f"not CSV ({exc})", line=reader.line_num + 1) from None
    if fieldnames not in (CSV_FIELDS, _CSV_FIELDS_0_2, _CSV_FIELDS_0_1):
        msg = f"the header must be {','.join(CSV_FIELDS)}, got {','.join(fieldnames)[:200]!r}"
        raise InvalidFileError(msg, line=1)
    grouped: dict[str, tuple[str, list[tuple[int, dict[str, Any]]]]] = {}
    for line, row in rows:
        if None in row or any(v is None for v in row.values()):
            raise InvalidFileError(
                f"the row must have exactly the {len(CSV_FIELDS)} fields of the header", line=line
            )
        rid = row["request_id"]
        if not rid:
            msg = f"line {line}: field request_id is empty"
            raise InvalidInputError(msg)
        try:
            params = json.loads(row["params"] or "{}")
        except json.JSONDecodeError:
            msg = f"line {line}: field params is not JSON: {row['params']!r:.80}"
            raise InvalidInputError(msg) from None
        except RecursionError:
            msg = f"line {line}: field params is nested too deeply"
            raise InvalidInputError(msg) from None
        if not isinstance(params, dict):
            msg = f"line {line}: field params must be a JSON object"
            raise InvalidInputError(msg)
        if "type" in params or "on" in params or not _RECORDING.isdisjoint(params):
            msg = f"line {line}: field params must not hold 'type', 'on', 'event_id', 'recorded_at', 'actor', 'note' or 'meta' (they have their own columns)"
            raise InvalidInputError(msg)
        rules, events = grouped.setdefault(rid, (row["rules"], []))
        if row["rules"] != rules:
            msg = f"line {line}: field rules differs from the request's first row"
            raise InvalidInputError(msg)
        if row["seq"] != str(len(events) + 1):
            msg = f"line {line}: field seq should be {len(events) + 1} for request {rid}, got {row['seq']!r}"
            raise InvalidInputError(msg)
        event = {"type": row["type"], "on": row["on"], **params}
        for key in ("event_id", "recorded_at", "actor", "note"):
            if row.get(key):
                event[key] = row[key]
        if row.get("meta"):
            try:
                event["meta"] = json.loads(row["meta"])
            except (json.JSONDecodeError, RecursionError):
                msg = f"line {line}: field meta is not a JSON object"
                raise InvalidInputError(msg) from None
        events.append((line, event))
    out = []
    for rid, (rules_text, events) in grouped.items():
        first = events[0][0]
        try:
            profile = rules_from_text(rules_text)
            out.append(Request.replay([e for _line, e in events], rules=profile,
                                      calendar=calendar, request_id=rid))  # fmt: skip
        except InfopenError as exc:
            text_ = str(exc)
            if text_.startswith("event "):  # point at the row of the failing event
                number = int(text_.split()[1])
                first = events[number - 1][0]
            raise InvalidFileError(f"request {rid}: {text_}", line=first) from None
    return out


_FIELD_LIMIT_LOCK = threading.Lock()


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """
    Let the csv module read fields of up to ``size`` characters while reading (#23).

    Its default limit (131,072 characters) refused our own export of a long subject. No
    field can be longer than the text it comes from, so the text's length bounds it. The
    limit is process-wide: it is only raised (never lowered under another reader), under a
    lock, and put back afterwards.
    """
    with _FIELD_LIMIT_LOCK:
        before = csv.field_size_limit()
        csv.field_size_limit(max(before, size + 1))
        try:
            yield
        finally:
            csv.field_size_limit(before)


def to_ical(requests: Iterable[Request], *, as_of: dt.date | str | None = None) -> bytes:
    """
    The running deadlines of requests (``Request.deadlines(as_of)`` not yet settled) as an
    iCalendar file of all-day events, so an officer's mail client shows them. Needs
    ``infopen[ical]``. ``as_of`` defaults to today in China (UTC+8).

    Each deadline keeps one ``UID`` per request and clock (``{request_id}-{name}@infopen``),
    so a calendar client updates the entry when its date moves rather than adding another;
    ``LAST-MODIFIED`` is the day the date last moved and ``SEQUENCE`` the number of
    calendar days from the request's first event to that day, which grows with every
    move (RFC 5545 §3.8.7.4). A date computed on estimated days says so, in Chinese and
    English, in its description.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 stable UIDs with ``SEQUENCE`` and ``LAST-MODIFIED``.
    """
    try:
        from icalendar import Calendar, Event
    except ModuleNotFoundError:
        raise MissingExtraError("to_ical", "ical", "icalendar") from None
    reqs = request_list(requests)
    day = today_in_china() if as_of is None else as_date(as_of, "as_of")
    estimated_note = "注意：结果使用了推定日期，须以国务院办公厅公布的放假安排为准。"
    note_both = f"{estimated_note} / {translate('en')(estimated_note)}"
    cal = Calendar()
    cal.add("prodid", "-//infopen//deadlines//ZH")
    cal.add("version", "2.0")
    for r in reqs:
        for d in r.deadlines(day):
            if d.due is None or d.met is not None:
                continue
            moved = _last_moved(r, d.name, d.due, day)
            ev = Event()
            ev.add("uid", f"{r.request_id}-{d.name}@infopen")
            ev.add("summary", f"{d.label}：{r.request_id}")
            ev.add("dtstart", dt.date(d.due.year, d.due.month, d.due.day))
            # DTEND is exclusive: the day after the due date (none can follow 9999-12-31).
            ev.add("dtend", add_days(d.due, 1, f"the {d.name} deadline of {r.request_id}"))
            ev.add("dtstamp", _utc_midnight_in_china(day))
            ev.add("last-modified", _utc_midnight_in_china(moved))
            ev.add("sequence", (moved - r.events[0].on).days)
            note = f"{d.article}；{d.unit}" + (f"；{d.note}" if d.note else "")
            ev.add("description", note + (f"\n{note_both}" if d.estimated else ""))
            cal.add_component(ev)
    return bytes(cal.to_ical())


def _utc_midnight_in_china(day: dt.date) -> dt.datetime:
    """The start of ``day`` in China Standard Time (UTC+8), as a UTC datetime."""
    china = dt.timezone(dt.timedelta(hours=8))
    start = dt.datetime(day.year, day.month, day.day, tzinfo=china)
    return start.astimezone(dt.timezone.utc)


def _due_of(request: Request, name: str, day: dt.date) -> dt.date | None:
    for d in request.deadlines(day):
        if d.name == name:
            return d.due
    return None


def _last_moved(request: Request, name: str, due: dt.date, as_of: dt.date) -> dt.date:
    """
    The last day on or before ``as_of`` on which deadline ``name`` took the date ``due``.

    A date changes only on the day of an event, or on the days a pause runs (when it moves
    later day by day); between two events it is therefore either constant or still moving.
    So the search steps back over the event days, and a date still moving inside an
    interval is dated at that interval's latest day looked at.
    """
    days = sorted({e.on for e in request.events if e.on <= as_of})
    latest = as_of
    for start in reversed(days):
        if _due_of(request, name, start) != due:
            return latest  # it moved after ``start``: a running pause
        before = start - dt.timedelta(days=1)
        if start == days[0] or _due_of(request, name, before) != due:
            return start
        latest = before
    return days[0] if days else as_of

"""
Loading a register (台账) into the store: each row becomes a request recorded through the
public event methods (receipt, extension, answer), so the store holds only what the
lifecycle could have recorded. The audit (``infopen.audit``) judges the same file first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from infopen import (
    ApplicantType,
    Channel,
    Ground,
    InvalidInputError,
    Outcome,
    Request,
    WorkCalendar,
)

__all__ = ["requests_from_register"]

#: field -> headers accepted (the audit's Chinese headers and the register template's).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "申请编号", "受理编号", "id", "request_id"),
    "received": ("收到日期", "收到申请日期", "received", "received_on"),
    "channel": ("申请方式", "渠道", "channel"),
    "applicant_type": ("申请人类型", "applicant_type"),
    "subject": ("申请内容", "申请公开的政府信息", "subject"),
    "extended": ("延期日期", "extended"),
    "extension_days": ("延期天数", "extension_days"),
    "decided": ("答复日期", "decided"),
    "outcome": ("答复结果", "处理结果", "outcome"),
    "grounds": ("不予公开理由", "grounds"),
}
_WORDS = {"当面": "IN_PERSON", "现场": "IN_PERSON", "邮寄": "REGISTERED_POST", "快递": "REGISTERED_POST",
          "挂号信": "REGISTERED_POST", "信函": "ORDINARY_POST", "平信": "ORDINARY_POST",
          "网上": "ONLINE", "网上申请": "ONLINE", "网络": "ONLINE", "在线": "ONLINE", "传真": "FAX",
          "个人": "NATURAL_PERSON", "公民": "NATURAL_PERSON", "企业": "COMMERCIAL_ENTERPRISE",
          "律师事务所": "LEGAL_SERVICE", "公开": "DISCLOSED", "不公开": "REFUSED",
          "信息不存在": "NOT_HELD", "非本机关": "NOT_THIS_AGENCY"}  # fmt: skip
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _member(enum: Any, text: str, what: str) -> Any:
    text = text.strip()
    key = _WORDS.get(text, text)
    for member in enum:
        if key in (member.name, member.label):
            return member
    accepted = "、".join(m.label for m in enum)
    msg = f"{what}“{text}”无法识别；可用：{accepted}"
    raise InvalidInputError(msg)


def _day(value: Any, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value))
    if not match:
        msg = f"{what}“{value}”不是日期（如 2026-12-07）"
        raise InvalidInputError(msg)
    return dt.date(*map(int, match.groups()))


def _rows(path: Path) -> list[list[Any]]:
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            msg = "CSV 文件的编码无法识别（应为 UTF-8 或 GBK）"
            raise InvalidInputError(msg)
        return [list(r) for r in csv.reader(io.StringIO(text))]
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def requests_from_register(
    path: str | Path, calendar: WorkCalendar, as_of: dt.date
) -> list[Request]:
    """
    The requests of a register file (.xlsx or .csv), one per row with a receipt date.

    Raises:
        InvalidInputError: naming the line and the value a row could not be read from.
    """
    rows = _rows(Path(path))
    header_at = next(
        (
            i
            for i, row in enumerate(rows)
            if any(str(c or "").strip() in HEADERS["received"] for c in row)
        ),
        None,
    )
    if header_at is None:
        msg = "找不到表头：需要“收到日期”一列"
        raise InvalidInputError(msg)
    header = [str(c or "").strip() for c in rows[header_at]]
    col = {
        field: next((header.index(h) for h in names if h in header), None)
        for field, names in HEADERS.items()
    }
    out = []
    for line, row in enumerate(rows[header_at + 1 :], header_at + 2):

        def get(field: str, row: list[Any] = row) -> Any:
            i = col[field]
            return row[i] if i is not None and i < len(row) and row[i] not in (None, "") else None

        try:
            received = _day(get("received"), "收到日期")
            if received is None:
                continue
            if received > as_of:
                continue
            rid = str(get("id") or f"导入-{line}").strip()
            channel = (
                _member(Channel, str(get("channel")), "申请方式")
                if get("channel")
                else Channel.IN_PERSON
            )
            kind = (_member(ApplicantType, str(get("applicant_type")), "申请人类型")
                    if get("applicant_type") else ApplicantType.NATURAL_PERSON)  # fmt: skip
            subject = str(get("subject")).strip() if get("subject") else None
            request = Request.receive(received, channel=channel, applicant_type=kind, request_id=rid,
                                      subject=subject, calendar=calendar)  # fmt: skip
            extended = _day(get("extended"), "延期日期")
            if extended is not None and extended <= as_of:
                days = int(str(get("extension_days") or 20).strip())
                request.extend(extended, workdays=days)
            decided = _day(get("decided"), "答复日期")
            if decided is not None and decided <= as_of:
                outcome = _member(Outcome, str(get("outcome") or ""), "答复结果")
                grounds = [
                    _member(Ground, g, "不予公开理由")
                    for g in re.split(r"[、,，;；]", str(get("grounds") or ""))
                    if g.strip()
                ]
                if outcome is Outcome.WITHDRAWN:
                    request.withdraw(decided)
                else:
                    request.decide(decided, outcome, grounds=grounds)
        except (InvalidInputError, ValueError) as exc:
            msg = f"第 {line} 行：{exc}"
            raise InvalidInputError(msg) from None
        out.append(request)
    return out

"""
Chinese display of dates, states and marks, and the 台账 query on the store's projection.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import attrs
import sqlalchemy as sa

from infopen import EventStore, Request, State

__all__ = [
    "CHINA",
    "LedgerRow",
    "cn_date",
    "id_exists",
    "ledger_page",
    "ledger_rows",
    "ledger_xlsx",
    "ledger_years",
    "today_in_china",
]

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
#: Open requests due within this many working days are marked 即将到期.
SOON_WORKDAYS = 5


def today_in_china() -> dt.date:
    """Today's date in China Standard Time (the day every period counts from)."""
    return dt.datetime.now(CHINA).date()


def cn_date(day: dt.date | str | None) -> str:
    """``2026年12月7日`` (empty for None); ``（推定）`` after a date on estimated holidays."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    text = f"{day.year}年{day.month}月{day.day}日"
    if getattr(day, "estimated", False):
        text += "（推定）"
    return text


def cn_time(stamp: str | dt.datetime | None) -> str:
    """A UTC time stamp as Beijing time: ``2026年12月7日 09:30``."""
    if not stamp:
        return ""
    when = stamp if isinstance(stamp, dt.datetime) else dt.datetime.fromisoformat(str(stamp))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    local = when.astimezone(CHINA)
    return f"{cn_date(local.date())} {local:%H:%M}"


@attrs.frozen
class LedgerRow:
    """One line of the 台账."""

    number: str
    received_on: dt.date | None
    subject: str
    state: str
    due: dt.date | None
    remaining: int | None
    overdue: bool
    soon: bool
    paused: bool
    estimated: bool
    version: int


def ledger_rows(requests: list[Request], as_of: dt.date) -> list[LedgerRow]:
    """The 台账 lines of ``requests`` as of ``as_of``."""
    rows = []
    for r in requests:
        st = r.status(as_of)
        open_ = r.is_open
        due = st.due_date if open_ else None
        remaining = st.remaining_workdays if open_ else None
        rows.append(
            LedgerRow(
                number=r.request_id,
                received_on=r.received_on,
                subject=r.subject or "",
                state=r.state.label,
                due=due,
                remaining=remaining,
                overdue=bool(open_ and st.overdue),
                soon=bool(
                    open_
                    and not st.overdue
                    and remaining is not None
                    and remaining <= SOON_WORKDAYS
                ),
                paused=bool(open_ and st.paused),
                estimated=bool(st.estimated or getattr(due, "estimated", False)),
                version=r.version,
            )
        )
    return rows


def _conditions(table: Any, state: str, year: int | None, q: str) -> list[Any]:
    conditions = []
    if state == "open":
        conditions.append(table.c.is_open.is_(True))
    elif state:
        conditions.append(table.c.state == State[state].value)
    if year is not None:
        conditions.append(table.c.year == year)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(table.c.request_id.like(f"%{escaped}%", escape="\\"))
    return conditions


def ledger_page(
    store: EventStore,
    *,
    state: str,
    year: int | None,
    q: str,
    page: int,
    per_page: int,
    sort: str = "received",
) -> tuple[int, list[str]]:
    """
    The number of matching requests and the ids on one page: newest receipt first, or
    (``sort="due"``) open requests by their stored reply due date, earliest first (the date as
    of each request's last event; a running pause only moves it later, and every row shows
    its due date recomputed as of today).

    Reads the store's projection table (``store.metadata``, documented for hosts): one
    counted query and one page query, whatever the size of the store.
    """
    table = store.metadata.tables["infopen_requests"]
    conditions = _conditions(table, state, year, q)
    newest = (table.c.received_on.desc().nulls_last(), table.c.request_id.desc())
    order = (
        (table.c.is_open.desc(), table.c.due_date.asc().nulls_last(), *newest)
        if sort == "due"
        else newest
    )
    with store.engine.connect() as conn:
        total = conn.execute(
            sa.select(sa.func.count()).select_from(table).where(*conditions)
        ).scalar_one()
        ids = list(
            conn.execute(
                sa.select(table.c.request_id)
                .where(*conditions)
                .order_by(*order)
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).scalars()
        )
    return int(total), ids


def ledger_ids(
    store: EventStore, *, state: str, year: int | None, q: str, sort: str = "received"
) -> list[str]:
    """Every matching id in the page order (for the export)."""
    return ledger_page(store, state=state, year=year, q=q, page=1, per_page=10**9, sort=sort)[1]


def id_exists(store: EventStore, request_id: str) -> bool:
    """Whether a request with this id is stored."""
    table = store.metadata.tables["infopen_requests"]
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(table.c.request_id).where(table.c.request_id == request_id))
        return found.first() is not None


def ledger_years(store: EventStore) -> list[int]:
    """The receipt years present, newest first."""
    table = store.metadata.tables["infopen_requests"]
    with store.engine.connect() as conn:
        years = conn.execute(
            sa.select(table.c.year)
            .where(table.c.year.is_not(None))
            .distinct()
            .order_by(table.c.year.desc())
        ).scalars()
        return [int(y) for y in years]


def ledger_xlsx(rows: list[LedgerRow], as_of: dt.date, title: Callable[[], str]) -> bytes:
    """The 台账 as an .xlsx workbook (dates as Excel dates)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append([title()])
    ws.append([f"统计日期：{cn_date(as_of)}；剩余工作日不含周末、法定节假日，调休上班日计入"])
    ws.append(["编号", "收到日期", "申请内容", "状态", "答复期限", "剩余工作日", "标记"])
    for r in rows:
        marks = [m for m, on in (("已逾期", r.overdue), ("即将到期", r.soon), ("暂停计算", r.paused),
                                 ("推定日期", r.estimated)) if on]  # fmt: skip
        ws.append([
            r.number, _plain(r.received_on), r.subject, r.state, _plain(r.due),
            r.remaining, "、".join(marks),
        ])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _plain(day: dt.date | None) -> dt.date | None:
    """A date openpyxl writes as a date (an EstimatedDate is a date subclass)."""
    return None if day is None else dt.date(day.year, day.month, day.day)

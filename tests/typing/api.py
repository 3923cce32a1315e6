"""Type-checked use of the public API (run by mypy strict, not by pytest)."""

from __future__ import annotations

import datetime as dt

import infopen

cal: infopen.WorkCalendar = infopen.national_calendar()
due: dt.date = cal.add_workdays(dt.date(2026, 9, 28), 20)
count: int = cal.workdays_between(dt.date(2026, 9, 28), due)
work: bool = cal.is_workday(due)
trace: infopen.WorkdayTrace = cal.explain(dt.date(2026, 9, 28), 20)
text: str = trace.render("en")
first, last = cal.coverage
local: infopen.WorkCalendar = cal.with_days(rest=[dt.date(2026, 10, 9)], name="示例")

# Events as facts, their JSON form, and the store (#12).
req: infopen.Request = infopen.Request.receive(dt.date(2026, 9, 28), event_id="open-1")
req.extend(dt.date(2026, 10, 20), workdays=10, event_id="ext-1")
req.apply({"type": "consult_agency", "on": "2026-10-21", "event_id": "c-1"})
req.apply(infopen.Event.from_dict({"type": "agency_replied", "on": "2026-10-22"}))
as_json: dict[str, object] = req.events[-1].to_dict()
event_id: str | None = req.events[-1].event_id


def _store_use(store: infopen.EventStore) -> list[str]:
    written: int = store.save_many([req], include_identity=False)
    try:
        store.save(req)
    except infopen.DuplicateRequestError:
        written += 0
    except infopen.ConflictError:
        written += 0
    except infopen.StoreSchemaError:
        store.create_schema()
    return store.due_within(dt.date(2026, 10, 26), 5, include_overdue=True)


# Delivery (送达) and remedies against silence (issue #10).
request: infopen.Request = infopen.Request.receive(dt.date(2026, 3, 2))
request.send_fee_notice(dt.date(2026, 3, 10), amount=100)
request.delivered(dt.date(2026, 3, 16), of="send_fee_notice", method=infopen.DeliveryMethod.POST)
deadlines: tuple[infopen.Deadline, ...] = request.deadlines(dt.date(2026, 3, 16))
assumed: bool = deadlines[0].delivery_assumed
start: dt.date | None = deadlines[0].start
silent = infopen.Request.receive(dt.date(2026, 3, 2), rules=infopen.PRC_2019)
silent.apply_for_reconsideration(dt.date(2026, 4, 15))

# Notices a head of office signs (issue #19).
signer = infopen.Agency("某局", number_prefix="某政", estimated_dates="earliest")
extended = infopen.Request.receive(dt.date(2026, 3, 2), subject="某文件")
extended.extend(dt.date(2026, 3, 20), workdays=10, approved_by="政务公开科科长")
missing: tuple[infopen.MissingElement, ...] = infopen.notice_missing(
    extended, agency=signer, event="extend", estimated_dates="flag"
)
where: list[tuple[str, str, str]] = [(m.source, m.key, m.label) for m in missing]
letter: str | bytes = infopen.render_notice(extended, agency=signer, event=-1, number="050")
table: str = infopen.notice_details_table()

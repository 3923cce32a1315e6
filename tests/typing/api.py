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

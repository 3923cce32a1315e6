"""Every day 2004-2026 agrees with ``chinese_calendar``, except one settled by the notice."""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from infopen import national_calendar

# 2005-12-31 (a Saturday): chinese_calendar says rest, holidays and infopen say work.
# The 2006 notice (国办发明电〔2005〕35号, item 一) reads "12月31日（星期六）上班", so the
# day was worked; the decision is also recorded in infopen/_holidays_data.py.
SETTLED = {dt.date(2005, 12, 31): True}


def test_every_day_2004_2026_matches_chinese_calendar() -> None:
    """The only disagreements with chinese_calendar are the settled ones, decided by the notice."""
    cal = national_calendar()
    day, disagreements = dt.date(2004, 1, 1), {}
    while day <= dt.date(2026, 12, 31):
        ours = cal.is_workday(day)
        if ours != chinese_calendar.is_workday(day):
            disagreements[day] = ours
        day += dt.timedelta(days=1)
    assert disagreements == SETTLED

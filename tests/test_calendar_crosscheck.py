"""
Every day 2004-2026 agrees with ``chinese_calendar``, except one settled by the notice.

``chinese_calendar`` (LKI/chinese-calendar) is an independent transcription of the same
State Council notices; infopen takes its data from ``holidays``. Where the two disagree,
the notice's text decides, and the decision is recorded here and in the docstring of
``infopen/_holidays_data.py``.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from infopen import national_calendar

FIRST, LAST = dt.date(2004, 1, 1), dt.date(2026, 12, 31)

# Day -> is it a working day, as settled by the notice text.
SETTLED = {
    # A Saturday. chinese_calendar says rest; holidays and infopen say work. The 2006
    # notice (国办发明电〔2005〕35号, item 一, 元旦) reads "12月31日（星期六）上班": worked.
    dt.date(2005, 12, 31): True,
}


def test_every_day_2004_2026_matches_chinese_calendar() -> None:
    """The only disagreements with chinese_calendar are the settled ones, decided by the notice."""
    cal = national_calendar()
    day, checked, disagreements = FIRST, 0, {}
    while day <= LAST:
        ours = cal.is_workday(day)
        if ours != chinese_calendar.is_workday(day):
            disagreements[day] = ours
        checked += 1
        day += dt.timedelta(days=1)
    assert checked == (LAST - FIRST).days + 1 == 8401
    assert disagreements == SETTLED


def test_settled_day_still_disputed() -> None:
    """chinese_calendar still calls 2005-12-31 a rest day (drop SETTLED's entry if it is fixed)."""
    assert chinese_calendar.is_workday(dt.date(2005, 12, 31)) is False
    assert national_calendar().is_workday(dt.date(2005, 12, 31)) is True

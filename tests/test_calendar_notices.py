"""
Literal checks of the State Council's yearly holiday notices, 2010-2026.

For every year: every weekday that is a rest day and every weekend day that is worked,
written out by hand from the notice (国务院办公厅关于XXXX年部分节假日安排的通知) and
cited by document number and its page in the 国务院公报 on gov.cn (the same pages the
``holidays`` package lists as its references). A notice's days that fall in the previous
December (the New Year holiday) are listed under the year they fall in, with a comment.
Later changes to a year's arrangement are cited beside it.

The literals are not derived from any package: a wrong day in the data fails here.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from infopen import national_calendar

CAL = national_calendar()


class Notice(NamedTuple):
    document: str
    url: str
    rest: str  # weekdays off, "MM-DD" separated by spaces
    work: str  # weekend days worked (调休上班), likewise


GONGBAO = "https://www.gov.cn/gongbao/"

NOTICES: dict[int, Notice] = {
    2010: Notice(
        "国办发明电〔2009〕27号",
        GONGBAO + "content/2009/content_1487011.htm",
        "01-01 02-15 02-16 02-17 02-18 02-19 04-05 05-03 06-14 06-15 06-16 09-22 09-23 09-24"
        " 10-01 10-04 10-05 10-06 10-07",
        "02-20 02-21 06-12 06-13 09-19 09-25 09-26 10-09",
    ),
    2011: Notice(
        "国办发明电〔2010〕40号",
        GONGBAO + "content/2010/content_1765282.htm",
        "01-03 02-02 02-03 02-04 02-07 02-08 04-04 04-05 05-02 06-06 09-12"
        " 10-03 10-04 10-05 10-06 10-07",
        # 12-31 (a Saturday) is worked under the 2012 notice, 国办发明电〔2011〕45号.
        "01-30 02-12 04-02 10-08 10-09 12-31",
    ),
    2012: Notice(
        "国办发明电〔2011〕45号",
        GONGBAO + "content/2011/content_2020918.htm",
        "01-02 01-03 01-23 01-24 01-25 01-26 01-27 04-02 04-03 04-04 04-30 05-01 06-22"
        " 10-01 10-02 10-03 10-04 10-05",
        "01-21 01-29 03-31 04-01 04-28 09-29",
    ),
    2013: Notice(
        "国办发明电〔2012〕33号",
        GONGBAO + "content/2012/content_2292057.htm",
        "01-01 01-02 01-03 02-11 02-12 02-13 02-14 02-15 04-04 04-05 04-29 04-30 05-01"
        " 06-10 06-11 06-12 09-19 09-20 10-01 10-02 10-03 10-04 10-07",
        "01-05 01-06 02-16 02-17 04-07 04-27 04-28 06-08 06-09 09-22 09-29 10-12",
    ),
    2014: Notice(
        "国办发明电〔2013〕28号",
        GONGBAO + "content/2014/content_2561299.htm",
        "01-01 01-31 02-03 02-04 02-05 02-06 04-07 05-01 05-02 06-02 09-08"
        " 10-01 10-02 10-03 10-06 10-07",
        "01-26 02-08 05-04 09-28 10-11",
    ),
    # Also 国发明电〔2015〕1号 (State Council, 13 May 2015): 3 September 2015, the 70th
    # anniversary of the victory, off; 4 September swapped off; Sunday 6 September worked.
    2015: Notice(
        "国办发明电〔2014〕28号",
        GONGBAO + "content/2015/content_2799019.htm",
        "01-01 01-02 02-18 02-19 02-20 02-23 02-24 04-06 05-01 06-22 09-03 09-04"
        " 10-01 10-02 10-05 10-06 10-07",
        "01-04 02-15 02-28 09-06 10-10",
    ),
    2016: Notice(
        "国办发明电〔2015〕18号",
        GONGBAO + "content/2016/content_2979719.htm",
        "01-01 02-08 02-09 02-10 02-11 02-12 04-04 05-02 06-09 06-10 09-15 09-16"
        " 10-03 10-04 10-05 10-06 10-07",
        "02-06 02-14 06-12 09-18 10-08 10-09",
    ),
    2017: Notice(
        "国办发明电〔2016〕17号",
        GONGBAO + "content/2016/content_5148793.htm",
        "01-02 01-27 01-30 01-31 02-01 02-02 04-03 04-04 05-01 05-29 05-30"
        " 10-02 10-03 10-04 10-05 10-06",
        "01-22 02-04 04-01 05-27 09-30",
    ),
    2018: Notice(
        "国办发明电〔2017〕12号",
        GONGBAO + "content/2017/content_5248221.htm",
        # 12-31 off and Saturday 12-29 worked are the 2019 notice's New Year, 国办发明电〔2018〕15号.
        "01-01 02-15 02-16 02-19 02-20 02-21 04-05 04-06 04-30 05-01 06-18 09-24"
        " 10-01 10-02 10-03 10-04 10-05 12-31",
        "02-11 02-24 04-08 04-28 09-29 09-30 12-29",
    ),
    # Changed by 国务院办公厅关于调整2019年劳动节假期安排的通知 (22 March 2019,
    # gongbao content/2019/content_5380356.htm): 1-4 May off, Sundays 28 April and 5 May worked.
    2019: Notice(
        "国办发明电〔2018〕15号",
        GONGBAO + "content/2018/content_5350046.htm",
        "01-01 02-04 02-05 02-06 02-07 02-08 04-05 05-01 05-02 05-03 06-07 09-13"
        " 10-01 10-02 10-03 10-04 10-07",
        "02-02 02-03 04-28 05-05 09-29 10-12",
    ),
    # Changed by 国办发明电〔2020〕1号 (gongbao content/2020/content_5477297.htm): the Spring
    # Festival extended to Sunday 2 February, so 31 January is off and the make-up
    # Saturday 1 February of the original notice is not worked.
    2020: Notice(
        "国办发明电〔2019〕16号",
        GONGBAO + "content/2019/content_5459138.htm",
        "01-01 01-24 01-27 01-28 01-29 01-30 01-31 04-06 05-01 05-04 05-05 06-25 06-26"
        " 10-01 10-02 10-05 10-06 10-07 10-08",
        "01-19 04-26 05-09 06-28 09-27 10-10",
    ),
    2021: Notice(
        "国办发明电〔2020〕27号",
        GONGBAO + "content/2020/content_5567750.htm",
        "01-01 02-11 02-12 02-15 02-16 02-17 04-05 05-03 05-04 05-05 06-14 09-20 09-21"
        " 10-01 10-04 10-05 10-06 10-07",
        "02-07 02-20 04-25 05-08 09-18 09-26 10-09",
    ),
    2022: Notice(
        "国办发明电〔2021〕11号",
        GONGBAO + "content/2021/content_5651728.htm",
        "01-03 01-31 02-01 02-02 02-03 02-04 04-04 04-05 05-02 05-03 05-04 06-03 09-12"
        " 10-03 10-04 10-05 10-06 10-07",
        "01-29 01-30 04-02 04-24 05-07 10-08 10-09",
    ),
    # The 2023 New Year holiday (31 December 2022 to 2 January 2023) starts on a Saturday.
    2023: Notice(
        "国办发明电〔2022〕16号",
        GONGBAO + "content/2023/content_5736714.htm",
        "01-02 01-23 01-24 01-25 01-26 01-27 04-05 05-01 05-02 05-03 06-22 06-23"
        " 09-29 10-02 10-03 10-04 10-05 10-06",
        "01-28 01-29 04-23 05-06 06-25 10-07 10-08",
    ),
    # 除夕 (Friday 9 February) is a working day: the notice only encourages taking leave.
    2024: Notice(
        "国办发明电〔2023〕7号",
        GONGBAO + "2023/issue_10806/202311/content_6913823.html",
        "01-01 02-12 02-13 02-14 02-15 02-16 04-04 04-05 05-01 05-02 05-03 06-10 09-16 09-17"
        " 10-01 10-02 10-03 10-04 10-07",
        "02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12",
    ),
    # The first year under 全国年节及纪念日放假办法 as revised by Order 795 (除夕 and 2 May added).
    2025: Notice(
        "国办发明电〔2024〕12号",
        GONGBAO + "2024/issue_11726/202411/content_6989767.html",
        "01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02"
        " 10-01 10-02 10-03 10-06 10-07 10-08",
        "01-26 02-08 04-27 09-28 10-11",
    ),
    2026: Notice(
        "国办发明电〔2025〕7号",
        GONGBAO + "2025/issue_12406/202511/content_7048922.html",
        "01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25"
        " 10-01 10-02 10-05 10-06 10-07",
        "01-04 02-14 02-28 05-09 09-20 10-10",
    ),
}


def _days(year: int, mmdd: str) -> list[dt.date]:
    return [dt.date.fromisoformat(f"{year}-{d}") for d in mmdd.split()]


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_notice_rest_and_work_days(year: int) -> None:
    """The year has exactly the notice's weekday rest days and weekend workdays, nothing else."""
    notice = NOTICES[year]
    rest, work = _days(year, notice.rest), _days(year, notice.work)
    assert all(d.weekday() < 5 for d in rest), "a rest day in the table is not a weekday"
    assert all(d.weekday() >= 5 for d in work), "a workday in the table is not a weekend day"
    cited = f"({notice.document}, {notice.url})"
    for day in rest:
        assert not CAL.is_workday(day), f"{day} is a rest day in the {year} notice {cited}"
    for day in work:
        assert CAL.is_workday(day), f"{day} is a make-up workday in the {year} notice {cited}"
    special = set(rest) | set(work)
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day not in special:
            assert CAL.is_workday(day) == (day.weekday() < 5), f"{day} {cited}"
        day += dt.timedelta(days=1)


def test_every_year_2010_2026_is_checked() -> None:
    """The literal table covers each year from 2010 to 2026."""
    assert sorted(NOTICES) == list(range(2010, 2027))


def test_2015_victory_anniversary() -> None:
    """国发明电〔2015〕1号: 3-5 September 2015 off (3 Sep the holiday, 4 Sep swapped), 6 Sep worked."""
    assert [CAL.is_workday(dt.date(2015, 9, d)) for d in range(2, 8)] == [
        True, False, False, False, True, True,
    ]  # fmt: skip
    note = CAL.note(dt.date(2015, 9, 3))
    assert note is not None
    assert "胜利70周年" in note.name_zh


def test_2020_spring_festival_extension() -> None:
    """国办发明电〔2020〕1号 extended the Spring Festival to Sunday 2 February 2020; 3 Feb worked."""
    # 24-30 Jan under the original notice, then 31 Jan to 2 Feb; Saturday 1 Feb is no
    # longer a make-up workday.
    assert [CAL.is_workday(dt.date(2020, 1, d)) for d in range(23, 32)] == [
        True, False, False, False, False, False, False, False, False,
    ]  # fmt: skip
    assert not CAL.is_workday(dt.date(2020, 2, 1))
    assert not CAL.is_workday(dt.date(2020, 2, 2))
    assert CAL.is_workday(dt.date(2020, 2, 3))
    note = CAL.note(dt.date(2020, 1, 31))
    assert note is not None
    assert note.name_zh == "春节延长假期"
    assert CAL.note(dt.date(2020, 2, 1)) is None  # an ordinary weekend day again


def test_2019_labour_day_change() -> None:
    """The March 2019 change: 1-4 May off, Sundays 28 April and 5 May worked."""
    assert CAL.is_workday(dt.date(2019, 4, 28))
    assert not any(CAL.is_workday(dt.date(2019, 5, d)) for d in (1, 2, 3, 4))
    assert CAL.is_workday(dt.date(2019, 5, 5))


def test_2024_new_years_eve_is_a_working_day() -> None:
    """In 2024 除夕 (9 February) was not a holiday; the notice only encouraged taking leave."""
    assert CAL.is_workday(dt.date(2024, 2, 9))
    assert CAL.note(dt.date(2024, 2, 9)) is None


@pytest.mark.parametrize(
    ("day", "worked"),
    [
        (dt.date(2005, 12, 31), True),  # 2006 notice, 国办发明电〔2005〕35号
        (dt.date(2011, 12, 31), True),  # 2012 notice, 国办发明电〔2011〕45号
        (dt.date(2018, 12, 29), True),  # 2019 notice, 国办发明电〔2018〕15号
        (dt.date(2018, 12, 31), False),
        (dt.date(2022, 12, 30), True),  # 2023 notice: the holiday starts on Saturday 31 Dec
        (dt.date(2025, 12, 31), True),  # 2026 notice: 1-3 January
    ],
)
def test_year_end_days_follow_the_next_years_notice(day: dt.date, worked: bool) -> None:
    """Late-December days are governed by the next year's notice (its New Year holiday)."""
    assert CAL.is_workday(day) is worked


@pytest.mark.parametrize(
    ("day", "name_zh", "name_en"),
    [
        # 2026 notice item 二: 14 and 28 February are worked for the Spring Festival.
        (dt.date(2026, 2, 14), "春节调休上班", "make-up workday for Chinese New Year (Spring Festival)"),
        (dt.date(2026, 2, 28), "春节调休上班", "make-up workday for Chinese New Year (Spring Festival)"),
        # Item 七: 20 September is worked for National Day, although the Mid-Autumn
        # Festival (25 September) is nearer.
        (dt.date(2026, 9, 20), "国庆节调休上班", "make-up workday for National Day"),
        (dt.date(2026, 10, 10), "国庆节调休上班", "make-up workday for National Day"),
        (dt.date(2026, 10, 6), "国庆节（调休）", "National Day (swapped day off)"),
        # 2025 notice item 六 merges the two: "国庆节、中秋节".
        (dt.date(2025, 10, 11), "国庆节、中秋节调休上班",
         "make-up workday for National Day and Mid-Autumn Festival"),
        (dt.date(2025, 1, 26), "春节调休上班", "make-up workday for Chinese New Year (Spring Festival)"),
        (dt.date(2026, 1, 4), "元旦调休上班", "make-up workday for New Year's Day"),
    ],
)  # fmt: skip
def test_make_up_and_swapped_days_are_named_after_their_holiday(
    day: dt.date, name_zh: str, name_en: str
) -> None:
    """A 调休 day is named after the holiday of its notice item, New Year's Eve counting as 春节."""
    note = CAL.note(day)
    assert note is not None
    assert (note.name_zh, note.name_en) == (name_zh, name_en)

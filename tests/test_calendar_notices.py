"""
Literal checks of the State Council's yearly holiday notices, 2010-2026.

For every year: every weekday that is a rest day and every weekend day that is worked,
written out as literals and cited to the notice (国务院办公厅关于XXXX年部分节假日安排的通知,
gov.cn 国务院公报). The same days agree with ``chinese_calendar`` (see
``test_calendar_crosscheck.py``), an independent transcription of the same notices.
"""

from __future__ import annotations

import datetime as dt

import pytest

from infopen import national_calendar

# year -> (weekday rest days, weekend make-up workdays), as MM-DD of that year.
NOTICES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # https://www.gov.cn/gongbao/content/2009/content_1487011.htm
    2010: (
        (
            "01-01",
            "02-15",
            "02-16",
            "02-17",
            "02-18",
            "02-19",
            "04-05",
            "05-03",
            "06-14",
            "06-15",
            "06-16",
            "09-22",
            "09-23",
            "09-24",
            "10-01",
            "10-04",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("02-20", "02-21", "06-12", "06-13", "09-19", "09-25", "09-26", "10-09"),
    ),
    # https://www.gov.cn/gongbao/content/2010/content_1765282.htm
    # The Saturday 2011-12-31 is worked under the 2012 notice (New Year 2012).
    2011: (
        (
            "01-03",
            "02-02",
            "02-03",
            "02-04",
            "02-07",
            "02-08",
            "04-04",
            "04-05",
            "05-02",
            "06-06",
            "09-12",
            "10-03",
            "10-04",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("01-30", "02-12", "04-02", "10-08", "10-09", "12-31"),
    ),
    # https://www.gov.cn/gongbao/content/2011/content_2020918.htm
    2012: (
        (
            "01-02",
            "01-03",
            "01-23",
            "01-24",
            "01-25",
            "01-26",
            "01-27",
            "04-02",
            "04-03",
            "04-04",
            "04-30",
            "05-01",
            "06-22",
            "10-01",
            "10-02",
            "10-03",
            "10-04",
            "10-05",
        ),
        ("01-21", "01-29", "03-31", "04-01", "04-28", "09-29"),
    ),
    # https://www.gov.cn/gongbao/content/2012/content_2292057.htm
    2013: (
        (
            "01-01",
            "01-02",
            "01-03",
            "02-11",
            "02-12",
            "02-13",
            "02-14",
            "02-15",
            "04-04",
            "04-05",
            "04-29",
            "04-30",
            "05-01",
            "06-10",
            "06-11",
            "06-12",
            "09-19",
            "09-20",
            "10-01",
            "10-02",
            "10-03",
            "10-04",
            "10-07",
        ),
        (
            "01-05",
            "01-06",
            "02-16",
            "02-17",
            "04-07",
            "04-27",
            "04-28",
            "06-08",
            "06-09",
            "09-22",
            "09-29",
            "10-12",
        ),
    ),
    # https://www.gov.cn/gongbao/content/2014/content_2561299.htm
    2014: (
        (
            "01-01",
            "01-31",
            "02-03",
            "02-04",
            "02-05",
            "02-06",
            "04-07",
            "05-01",
            "05-02",
            "06-02",
            "09-08",
            "10-01",
            "10-02",
            "10-03",
            "10-06",
            "10-07",
        ),
        ("01-26", "02-08", "05-04", "09-28", "10-11"),
    ),
    # https://www.gov.cn/gongbao/content/2015/content_2799019.htm
    # Also 国发〔2015〕40号: 3 September 2015 (70th anniversary of the victory) a holiday, 4 September off, 6 September worked.
    2015: (
        (
            "01-01",
            "01-02",
            "02-18",
            "02-19",
            "02-20",
            "02-23",
            "02-24",
            "04-06",
            "05-01",
            "06-22",
            "09-03",
            "09-04",
            "10-01",
            "10-02",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("01-04", "02-15", "02-28", "09-06", "10-10"),
    ),
    # https://www.gov.cn/gongbao/content/2016/content_2979719.htm
    2016: (
        (
            "01-01",
            "02-08",
            "02-09",
            "02-10",
            "02-11",
            "02-12",
            "04-04",
            "05-02",
            "06-09",
            "06-10",
            "09-15",
            "09-16",
            "10-03",
            "10-04",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("02-06", "02-14", "06-12", "09-18", "10-08", "10-09"),
    ),
    # https://www.gov.cn/gongbao/content/2016/content_5148793.htm
    2017: (
        (
            "01-02",
            "01-27",
            "01-30",
            "01-31",
            "02-01",
            "02-02",
            "04-03",
            "04-04",
            "05-01",
            "05-29",
            "05-30",
            "10-02",
            "10-03",
            "10-04",
            "10-05",
            "10-06",
        ),
        ("01-22", "02-04", "04-01", "05-27", "09-30"),
    ),
    # https://www.gov.cn/gongbao/content/2017/content_5248221.htm
    2018: (
        (
            "01-01",
            "02-15",
            "02-16",
            "02-19",
            "02-20",
            "02-21",
            "04-05",
            "04-06",
            "04-30",
            "05-01",
            "06-18",
            "09-24",
            "10-01",
            "10-02",
            "10-03",
            "10-04",
            "10-05",
            "12-31",
        ),
        ("02-11", "02-24", "04-08", "04-28", "09-29", "09-30", "12-29"),
    ),
    # https://www.gov.cn/gongbao/content/2018/content_5350046.htm
    # Also 国办发明电〔2019〕2号 (2019 changes): Labour Day 1-4 May, 28 April and 5 May worked.
    2019: (
        (
            "01-01",
            "02-04",
            "02-05",
            "02-06",
            "02-07",
            "02-08",
            "04-05",
            "05-01",
            "05-02",
            "05-03",
            "06-07",
            "09-13",
            "10-01",
            "10-02",
            "10-03",
            "10-04",
            "10-07",
        ),
        ("02-02", "02-03", "04-28", "05-05", "09-29", "10-12"),
    ),
    # https://www.gov.cn/gongbao/content/2019/content_5459138.htm
    # Also 国办发明电〔2020〕1号: Spring Festival extended to 2 February 2020 (31 January off).
    2020: (
        (
            "01-01",
            "01-24",
            "01-27",
            "01-28",
            "01-29",
            "01-30",
            "01-31",
            "04-06",
            "05-01",
            "05-04",
            "05-05",
            "06-25",
            "06-26",
            "10-01",
            "10-02",
            "10-05",
            "10-06",
            "10-07",
            "10-08",
        ),
        ("01-19", "04-26", "05-09", "06-28", "09-27", "10-10"),
    ),
    # https://www.gov.cn/gongbao/content/2020/content_5567750.htm
    2021: (
        (
            "01-01",
            "02-11",
            "02-12",
            "02-15",
            "02-16",
            "02-17",
            "04-05",
            "05-03",
            "05-04",
            "05-05",
            "06-14",
            "09-20",
            "09-21",
            "10-01",
            "10-04",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"),
    ),
    # https://www.gov.cn/gongbao/content/2021/content_5651728.htm
    2022: (
        (
            "01-03",
            "01-31",
            "02-01",
            "02-02",
            "02-03",
            "02-04",
            "04-04",
            "04-05",
            "05-02",
            "05-03",
            "05-04",
            "06-03",
            "09-12",
            "10-03",
            "10-04",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"),
    ),
    # https://www.gov.cn/gongbao/content/2023/content_5736714.htm
    2023: (
        (
            "01-02",
            "01-23",
            "01-24",
            "01-25",
            "01-26",
            "01-27",
            "04-05",
            "05-01",
            "05-02",
            "05-03",
            "06-22",
            "06-23",
            "09-29",
            "10-02",
            "10-03",
            "10-04",
            "10-05",
            "10-06",
        ),
        ("01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"),
    ),
    # https://www.gov.cn/gongbao/2023/issue_10806/202311/content_6913823.html
    # From 2025 the 全国年节及纪念日放假办法 (Order 795) adds 除夕 and 2 May.
    2024: (
        (
            "01-01",
            "02-12",
            "02-13",
            "02-14",
            "02-15",
            "02-16",
            "04-04",
            "04-05",
            "05-01",
            "05-02",
            "05-03",
            "06-10",
            "09-16",
            "09-17",
            "10-01",
            "10-02",
            "10-03",
            "10-04",
            "10-07",
        ),
        ("02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"),
    ),
    # https://www.gov.cn/gongbao/2024/issue_11726/202411/content_6989767.html
    2025: (
        (
            "01-01",
            "01-28",
            "01-29",
            "01-30",
            "01-31",
            "02-03",
            "02-04",
            "04-04",
            "05-01",
            "05-02",
            "05-05",
            "06-02",
            "10-01",
            "10-02",
            "10-03",
            "10-06",
            "10-07",
            "10-08",
        ),
        ("01-26", "02-08", "04-27", "09-28", "10-11"),
    ),
    # https://www.gov.cn/gongbao/2025/issue_12406/202511/content_7048922.html
    2026: (
        (
            "01-01",
            "01-02",
            "02-16",
            "02-17",
            "02-18",
            "02-19",
            "02-20",
            "02-23",
            "04-06",
            "05-01",
            "05-04",
            "05-05",
            "06-19",
            "09-25",
            "10-01",
            "10-02",
            "10-05",
            "10-06",
            "10-07",
        ),
        ("01-04", "02-14", "02-28", "05-09", "09-20", "10-10"),
    ),
}


def _days(year: int, mmdd: tuple[str, ...]) -> list[dt.date]:
    return [dt.date.fromisoformat(f"{year}-{d}") for d in mmdd]


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_notice_rest_and_work_days(year: int) -> None:
    """The national calendar has exactly the notice's weekday rest days and weekend workdays."""
    cal = national_calendar()
    rest, work = (_days(year, part) for part in NOTICES[year])
    for day in rest:
        assert not cal.is_workday(day), f"{day} is a rest day in the {year} notice"
    for day in work:
        assert cal.is_workday(day), f"{day} is a make-up workday in the {year} notice"
    # Nothing else differs from Monday-Friday.
    day = dt.date(year, 1, 1)
    special = set(rest) | set(work)
    while day.year == year:
        if day not in special:
            assert cal.is_workday(day) == (day.weekday() < 5), day
        day += dt.timedelta(days=1)


def test_2020_spring_festival_extension() -> None:
    """国办发明电〔2020〕1号 extended the 2020 Spring Festival holiday to 2 February."""
    cal = national_calendar()
    assert not cal.is_workday(dt.date(2020, 1, 31))
    assert cal.is_workday(dt.date(2020, 2, 3))
    note = cal.note(dt.date(2020, 1, 31))
    assert note is not None
    assert note.name_zh == "春节延长假期"


def test_2026_named_days() -> None:
    """2026 (国办发明电〔2025〕7号): Spring Festival 15-23 Feb with 14 and 28 Feb worked."""
    cal = national_calendar()
    assert [cal.is_workday(dt.date(2026, 2, d)) for d in range(13, 24)] == [
        True, True, False, False, False, False, False, False, False, False, False,
    ]  # fmt: skip
    assert cal.is_workday(dt.date(2026, 2, 28))
    assert cal.note(dt.date(2026, 2, 28)).name_zh == "春节调休上班"  # type: ignore[union-attr]

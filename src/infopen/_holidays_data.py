"""
The national working-day arrangement, read once from the ``holidays`` package.

References:
    * The State Council General Office's yearly notice on holiday arrangements
      (国务院办公厅关于XX年部分节假日安排的通知), 2001 onwards, as carried by
      ``holidays.countries.china.China`` (its docstring lists every notice).
    * 全国年节及纪念日放假办法 (State Council Order 270, revised 2007, 2013 and 2024 by
      Orders 513, 644 and 795): the statutory holidays used for estimates beyond the
      announced years (13 days a year from 2025).

Checked With:
    * ``chinese_calendar`` for every day of 2004-2026 (``tests/test_calendar_crosscheck.py``).
      The one disagreement is 2005-12-31 (a Saturday): ``chinese_calendar`` marks it a
      rest day, ``holidays`` a make-up workday. The 2006 notice (国办发明电〔2005〕35号,
      item 一) says "12月31日（星期六）上班", so ``holidays`` is right and infopen follows it.

Limitations:
    * Coverage ends with the last year whose notice the installed ``holidays`` carries.
    * Estimated years know only the statutory holidays: no observed days, no 调休.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version
from typing import Any

import attrs
from holidays.countries.china import China

__all__ = ["DayNote", "NationalData", "load_national"]

_ESTIMATE_YEARS = 30  # how far past coverage beyond="estimate" reaches
_HOLIDAYS_VERSION = version("holidays")
_SWAPPED_PREFIX = "休息日（由"  # holidays' zh_CN label for a substituted day off


@attrs.frozen
class DayNote:
    """
    Why a day is not an ordinary weekday or weekend day.

    ``kind`` is ``"rest"`` (a weekday off), ``"work"`` (a weekend day worked, 调休)
    or ``"estimated_rest"`` (a statutory holiday in a year without an announced arrangement).
    """

    kind: str
    name_zh: str
    name_en: str
    source: str


@attrs.frozen
class NationalData:
    first: dt.date
    covered_last: dt.date
    table_last: dt.date
    notes: dict[dt.date, DayNote]


# New Year's Eve days are named after the Spring Festival they belong to.
_EVE = {"农历除夕": "春节", "Chinese New Year's Eve": "Chinese New Year (Spring Festival)"}


def _festival_of(day: dt.date, base: dict[dt.date, str]) -> str:
    """Name the statutory festival nearest to a substituted day."""
    nearest = min(base, key=lambda h: abs((h - day).days))
    return _EVE.get(base[nearest], base[nearest])


def _china(**kwargs: Any) -> Any:
    return China(**kwargs)  # type: ignore[no-untyped-call]  # holidays leaves __init__ untyped


def _statutory(days: Any, swapped: set[dt.date]) -> dict[dt.date, str]:
    return {day: name for day, name in days.items() if day not in swapped}


def _covered_years() -> tuple[int, int]:
    from holidays.countries.china import ChinaStaticHolidays

    years = sorted(ChinaStaticHolidays.special_public_holidays)
    return years[0], years[-1]


def load_national(*, estimate: bool) -> NationalData:
    """Build the day notes for every covered year (and estimated years if asked)."""
    first_year, last_year = _covered_years()
    covered = range(first_year, last_year + 1)
    kw: dict[str, Any] = {"years": covered}
    zh = _china(language="zh_CN", **kw)
    en = _china(language="en_US", **kw)
    # A substituted day off (调休) carries a label naming the weekend day it was swapped
    # with, not its festival; the festival is the nearest statutory holiday.
    swapped = {day for day, name in zh.items() if name.startswith(_SWAPPED_PREFIX)}
    base_zh = _statutory(_china(observed=False, language="zh_CN", **kw), swapped)
    base_en = _statutory(_china(observed=False, language="en_US", **kw), swapped)
    source = "国务院办公厅部分节假日安排的通知 (as carried by holidays {version})"
    notes: dict[dt.date, DayNote] = {}
    for day, name in zh.items():
        if day.year not in covered or day.weekday() >= 5:
            continue
        name_en = en.get(day, name)
        if day in swapped:
            name = f"{_festival_of(day, base_zh)}（调休）"
            name_en = f"{_festival_of(day, base_en)} (swapped day off)"
        notes[day] = DayNote("rest", name, name_en, source.format(version=_HOLIDAYS_VERSION))
    for day in sorted(zh.weekend_workdays):
        if not first_year <= day.year <= last_year:
            continue
        notes[day] = DayNote(
            "work",
            f"{_festival_of(day, base_zh)}调休上班",
            f"make-up workday for {_festival_of(day, base_en)}",
            source.format(version=_HOLIDAYS_VERSION),
        )
    table_last = dt.date(last_year, 12, 31)
    if estimate:
        est = range(last_year + 1, last_year + 1 + _ESTIMATE_YEARS)
        est_zh = _china(years=est, observed=False, language="zh_CN")
        est_en = _china(years=est, observed=False, language="en_US")
        for day, name in est_zh.items():
            if day.weekday() < 5:
                notes[day] = DayNote(
                    "estimated_rest",
                    name,
                    est_en.get(day, name),
                    "全国年节及纪念日放假办法 (statutory holidays only; estimate)",
                )
        table_last = dt.date(est[-1], 12, 31)
    return NationalData(
        first=dt.date(first_year, 1, 1),
        covered_last=dt.date(last_year, 12, 31),
        table_last=table_last,
        notes=notes,
    )

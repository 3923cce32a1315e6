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
    * Every weekday off and weekend day worked of the notices for 2010-2026, written out
      by hand with each notice's document number (``tests/test_calendar_notices.py``).
    * ``chinese_calendar`` for every day of 2004-2026 (``tests/test_calendar_crosscheck.py``).
      The one disagreement is 2005-12-31 (a Saturday): ``chinese_calendar`` marks it a
      rest day, ``holidays`` a make-up workday. The 2006 notice (国办发明电〔2005〕35号,
      item 一) says "12月31日（星期六）上班", so ``holidays`` is right and infopen follows it.

Limitations:
    * Coverage ends with the last year whose notice the installed ``holidays`` carries.
    * Estimated years know only the statutory holidays: no observed days, no 调休.
    * ``holidays`` does not say which festival a 调休 pair belongs to; infopen names the
      pair after the statutory festivals of the run of days off it falls in (both, when
      a notice merges two, as 国庆节、中秋节 in 2025).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version
from typing import Any

import attrs
from holidays.countries.china import China

from ._estimate import ESTIMATE_SOURCE, estimate_year, learn_swaps

__all__ = ["DayNote", "NationalData", "data_first_year", "load_national"]

_ESTIMATE_YEARS = 30  # how far past coverage beyond="estimate" reaches
# The swaps of the notices from 2008 (Order 513: Qingming, Dragon Boat and Mid-Autumn
# become holidays) teach the estimates; earlier notices followed the "golden weeks".
_LEARN_FROM = 2008
_HOLIDAYS_VERSION = version("holidays")
_ONE_DAY = dt.timedelta(days=1)


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


# The festivals of 全国年节及纪念日放假办法 (names as ``holidays`` gives them in zh_CN).
# A one-off day (春节延长假期 in 2020, the 2015 victory anniversary) names a holiday block
# only when the block holds none of these.
_FESTIVALS = frozenset(
    {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
)
# For naming, New Year's Eve belongs to the Spring Festival: a make-up workday before it
# is a Spring Festival make-up workday (春节调休上班), never "农历除夕调休上班".
_EVE = {"农历除夕": "春节", "Chinese New Year's Eve": "Chinese New Year (Spring Festival)"}
# holidays' zh_CN label for a substituted day off names the weekend day it came from.
_SWAPPED = re.compile(r"^休息日（由 (\d{4}-\d{2}-\d{2}) 调休）$")


def _parts(label: str) -> list[str]:
    """The names in a holidays label ("中秋节; 国庆节" holds two)."""
    return [part for part in label.split("; ") if part]


def _swapped_from(label: str) -> dt.date | None:
    """The weekend day a substituted day off was swapped with, if ``label`` says so."""
    for part in _parts(label):
        if m := _SWAPPED.match(part):
            return dt.date.fromisoformat(m.group(1))
    return None


def _festival_of(day: dt.date, off: set[dt.date], base_zh: Any, base_en: Any) -> tuple[str, str]:
    """
    Name the festival a substituted day off belongs to, in Chinese and English.

    The day lies in a run of consecutive days off (the holiday block of the notice); the
    block is named after the statutory festivals in it, in date order ("国庆节、中秋节" when
    the two are merged, as in 2025), with New Year's Eve counted as the Spring Festival.
    Naming by block, not by the nearest holiday, keeps 2026-09-20 a National Day make-up
    workday although the Mid-Autumn Festival (25 September) is nearer.
    """
    lo = hi = day
    while lo - _ONE_DAY in off:
        lo -= _ONE_DAY
    while hi + _ONE_DAY in off:
        hi += _ONE_DAY
    names: list[tuple[str, str]] = []
    d = lo
    while d <= hi:
        # holidays gives a day's names in the same order in every language.
        pairs = zip(_parts(base_zh.get(d, "")), _parts(base_en.get(d, "")), strict=False)
        names += [(z, e) for z, e in pairs if not _SWAPPED.match(z)]
        d += _ONE_DAY
    chosen = [(z, e) for z, e in names if z in _FESTIVALS] or names
    zh: list[str] = []
    en: list[str] = []
    for z, e in chosen:
        z, e = _EVE.get(z, z), _EVE.get(e, e)
        if z not in zh:
            zh.append(z)
            en.append(e)
    return "、".join(zh), " and ".join(en)


def _china(**kwargs: Any) -> Any:
    return China(**kwargs)  # type: ignore[no-untyped-call]  # holidays leaves __init__ untyped


def _all_days(first_year: int, last_year: int) -> list[dt.date]:
    start, end = dt.date(first_year, 1, 1).toordinal(), dt.date(last_year, 12, 31).toordinal()
    return [dt.date.fromordinal(o) for o in range(start, end + 1)]


def _covered_years() -> tuple[int, int]:
    from holidays.countries.china import ChinaStaticHolidays

    years = sorted(ChinaStaticHolidays.special_public_holidays)
    return years[0], years[-1]


def data_first_year() -> int:
    """The first year whose arrangement the installed ``holidays`` carries."""
    return _covered_years()[0]


def load_national(*, estimate: bool, announced_through: int | None = None) -> NationalData:
    """
    Build the day notes for every covered year (and estimated years if asked).

    ``announced_through`` cuts the announced data after that year, as if the later notices
    were not yet published.
    """
    first_year, last_year = _covered_years()
    if announced_through is not None:
        last_year = min(last_year, announced_through)
    covered = range(first_year, last_year + 1)
    kw: dict[str, Any] = {"years": covered}
    zh = _china(language="zh_CN", **kw)
    en = _china(language="en_US", **kw)
    base_zh = _china(observed=False, language="zh_CN", **kw)
    base_en = _china(observed=False, language="en_US", **kw)
    source = f"国务院办公厅部分节假日安排的通知 (as carried by holidays {_HOLIDAYS_VERSION})"
    off = {d for d in zh if d.weekday() < 5} | {
        d
        for d in _all_days(first_year, last_year)
        if d.weekday() >= 5 and d not in zh.weekend_workdays
    }
    # A substituted day off (调休) carries a label naming the weekend day it was swapped
    # with, not its festival: name both days after the holiday block the day off lies in.
    made_up: dict[dt.date, tuple[str, str]] = {}
    notes: dict[dt.date, DayNote] = {}
    for day, name in zh.items():
        if day.year not in covered:
            continue
        # "中秋节; 国庆节" (two festivals on one day) reads as "中秋节、国庆节".
        name, name_en = name.replace("; ", "、"), en.get(day, name).replace("; ", " and ")
        if (weekend_day := _swapped_from(name)) is not None:
            fest_zh, fest_en = _festival_of(day, off, base_zh, base_en)
            made_up[weekend_day] = (fest_zh, fest_en)
            name, name_en = f"{fest_zh}（调休）", f"{fest_en} (swapped day off)"
        if day.weekday() < 5:
            notes[day] = DayNote("rest", name, name_en, source)
    for day in sorted(zh.weekend_workdays):
        if not first_year <= day.year <= last_year:
            continue
        if day not in made_up:  # not expected: every make-up day pairs with a day off
            nearest = min(base_zh, key=lambda h: abs((h - day).days))
            made_up[day] = _festival_of(nearest, off, base_zh, base_en)
        fest_zh, fest_en = made_up[day]
        notes[day] = DayNote("work", f"{fest_zh}调休上班", f"make-up workday for {fest_en}", source)
    table_last = dt.date(last_year, 12, 31)
    if announced_through is not None and announced_through < _covered_years()[1]:
        # December has no festival: a rest or worked day there comes from the next year's
        # notice (the 2019 notice gave 2018-12-31 off and had 2018-12-29 worked), which
        # was not known yet.
        for day in [d for d in notes if d >= dt.date(last_year, 12, 20)]:
            del notes[day]
    if estimate:
        est = range(last_year + 1, last_year + 1 + _ESTIMATE_YEARS)
        est_zh = _china(years=est, observed=False, language="zh_CN")

        def is_workday(d: dt.date) -> bool:
            note = notes.get(d)
            return note.kind == "work" if note is not None else d.weekday() < 5

        learnt = learn_swaps(range(_LEARN_FROM, last_year + 1), base_zh, is_workday)
        for year in est:
            guess = estimate_year(year, est_zh, learnt, known_through=last_year)
            for day, (zh_name, en_name) in guess.rest.items():
                notes[day] = DayNote("estimated_rest", zh_name, en_name, ESTIMATE_SOURCE)
            for day, (zh_name, en_name) in guess.work.items():
                notes[day] = DayNote("estimated_work", zh_name, en_name, ESTIMATE_SOURCE)
        table_last = dt.date(est[-1], 12, 31)
    return NationalData(
        first=dt.date(first_year, 1, 1),
        covered_last=dt.date(last_year, 12, 31),
        table_last=table_last,
        notes=notes,
    )

"""
Estimates of a year's holiday arrangement before the State Council announces it.

An estimate lays three layers, most certain first:

1. The statutory days of 全国年节及纪念日放假办法 in force that year (as carried by
   ``holidays``): certain.
2. The Measures' rule that a full-holiday day falling on a Saturday or Sunday is made up on
   a working day (补假): certain in substance. Every notice since 2008 gives the made-up
   day right after the festival, so 2027-02-09, 02-10, 05-03, 05-04, 10-04 and 10-05 are
   rest days in any arrangement of 2027.
3. The 调休 swaps: each festival's block of days off (its length and first day) follows the
   principles the State Council states in its notices, and the weekend days worked in
   exchange are copied from the latest announced year whose block had the same shape, or,
   when none had, placed by the rules below. This layer is a best guess.

References:
    * 全国年节及纪念日放假办法 (State Council Order 270 of 1999, revised by Orders 513 (2007),
      644 (2013) and 795 (2024)): the festivals, their days, and art. 6 (a full-holiday day
      on a Saturday or Sunday is made up on a working day).
    * 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), preamble: from 2025,
      the Spring Festival runs 8 days from New Year's Eve, National Day 7 days from
      1 October (8 when it meets the Mid-Autumn Festival), Labour Day 5 days, and New Year's
      Day, Qingming, Dragon Boat and Mid-Autumn 3 days each with the weekend, or only the
      day itself when it falls on a Wednesday; and, as a principle, no more than six
      consecutive working days around a holiday save in special cases (applied to
      estimates from 2025: a swap that would make a longer run is placed elsewhere).
    * 国务院办公厅关于2014年部分节假日安排的通知 (国办发明电〔2013〕28号): from 2014 a single
      festival day on a Wednesday is not joined to a weekend.
    * The yearly notices 2008-2026 (as carried by ``holidays``), from which the weekend days
      worked are learnt.

Checked With:
    * ``benchmarks/estimate.py``: every year 2012-2026 estimated from the years before it
      (``national_calendar(beyond="estimate", announced_through=year - 1)``), each
      20-working-day due date of the year compared with the announced truth.

Limitations:
    * One-off days (the 2015 victory anniversary, the 2020 extension of the Spring Festival)
      and notices that depart from the stated principles (the Spring Festival of 2024 began
      on New Year's Day, not its eve) cannot be foreseen.
    * A block is kept within its own year: a New Year's Day on a Tuesday whose Monday
      (31 December) is given off is estimated without that Monday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs

__all__ = ["ESTIMATE_SOURCE", "Arrangement", "estimate_year", "learn_swaps", "statutory_days"]

ESTIMATE_SOURCE = "全国年节及纪念日放假办法; 国办发明电〔2024〕12号 (estimate)"
_DAY = dt.timedelta(days=1)

# holidays' zh_CN names of the statutory festivals. New Year's Eve is kept apart here (the
# first day labelled 春节 is the first day of the lunar year) and joins the Spring
# Festival's block.
_FESTIVAL_OF = {
    "元旦": "元旦",
    "农历除夕": "除夕",
    "春节": "春节",
    "清明节": "清明节",
    "劳动节": "劳动节",
    "端午节": "端午节",
    "中秋节": "中秋节",
    "国庆节": "国庆节",
}
_EN = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
    "国庆节、中秋节": "National Day and Mid-Autumn Festival",
}

# Block length in calendar days, by festival and the first year it applies (the principle
# of the notices; 0 = a single festival day joined to its weekend, see _short_block).
_BLOCK_DAYS: Mapping[str, tuple[tuple[int, int], ...]] = {
    "春节": ((2008, 7), (2025, 8)),  # from the eve; 8 days from 2025 (国办发明电〔2024〕12号)
    "国庆节": ((2008, 7),),  # from 1 October; 8 when merged with Mid-Autumn
    "劳动节": ((2008, 0), (2020, 5)),  # 5 days since the 2020 notice (国办发明电〔2019〕16号)
}
# From this year a single festival day on a Wednesday stands alone (国办发明电〔2013〕28号).
_WEDNESDAY_ALONE_FROM = 2014
# Before 2014 New Year's Day was always given three days from 1 January; from the 2014
# notice it follows the rule of the other single-day festivals.
_NEW_YEAR_THREE_DAYS_FROM = 2014
# Mid-Autumn merges with National Day when it falls in this window (2012, 2017, 2020,
# 2023, 2025 were merged; 2015 (27 September) and 2026 (25 September) were not).
_MERGE_WINDOW = ((9, 29), (10, 8))
# From this year the notices follow the 2024 amendment's principle of at most six
# consecutive working days around a holiday (国办发明电〔2024〕12号, preamble).
_MAX_RUN_FROM = 2025
# How far from a block the weekend days worked in exchange are looked for.
_SWAP_REACH = 14


@attrs.frozen
class Arrangement:
    """A year's estimated days: rest days and make-up workdays, each with its festival."""

    rest: dict[dt.date, tuple[str, str]]
    work: dict[dt.date, tuple[str, str]]


@attrs.frozen
class _Block:
    festival: str
    first: dt.date
    last: dt.date
    statutory: tuple[dt.date, ...]

    def key(self, swaps: int) -> tuple[str, int, int, int]:
        return (self.festival, self.first.weekday(), (self.last - self.first).days, swaps)


def _any(_days: list[dt.date]) -> bool:
    return True


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [dt.date.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)]


def _weekend(d: dt.date) -> bool:
    return d.weekday() >= 5


def _in_force(since: int, year: int, known_through: int) -> bool:
    """
    Whether a principle first applied in ``since`` applies to ``year``.

    A principle is announced in the notice for its first year, so an estimate made with the
    notices up to ``known_through`` cannot know one that starts later.
    """
    return since <= year and since <= known_through


def _era(festival: str, year: int, known_through: int) -> int | None:
    rows = _BLOCK_DAYS.get(festival)
    if rows is None:
        return None
    # No principle known yet (notices up to a year before the first one): none applies.
    return next(
        (days for since, days in reversed(rows) if _in_force(since, year, known_through)), None
    )


def _short_block(festival: str, day: dt.date, known_through: int) -> tuple[dt.date, dt.date]:
    """A single festival day joined to its weekend into three days (or left alone)."""
    if festival == "元旦" and not _in_force(_NEW_YEAR_THREE_DAYS_FROM, day.year, known_through):
        return day, day + 2 * _DAY
    w = day.weekday()
    if w == 2:  # Wednesday
        if _in_force(_WEDNESDAY_ALONE_FROM, day.year, known_through):
            return day, day
        return day - 2 * _DAY, day
    if w in (0, 1):  # Monday, Tuesday: back to the Sunday or Saturday before
        return day - 2 * _DAY, day
    if w == 6:  # Sunday: Saturday to the Monday made up
        return day - _DAY, day + _DAY
    return day, day + 2 * _DAY  # Thursday, Friday, Saturday


def statutory_days(holidays_zh: Mapping[dt.date, str], year: int) -> dict[str, list[dt.date]]:
    """The year's statutory festival days by festival (holidays' one-off days left out)."""
    out: dict[str, list[dt.date]] = {}
    for day, label in sorted(holidays_zh.items()):
        if day.year != year:
            continue
        for part in label.split("; "):
            if (fest := _FESTIVAL_OF.get(part)) is not None and day not in out.get(fest, []):
                out.setdefault(fest, []).append(day)
    return out


def _blocks(stat: Mapping[str, list[dt.date]], year: int, known_through: int) -> list[_Block]:
    """The festival blocks the principles of the notices give for ``year``."""
    blocks: list[_Block] = []
    mid_autumn = stat.get("中秋节", [])
    lo, hi = (dt.date(year, *md) for md in _MERGE_WINDOW)
    merged = bool(mid_autumn) and lo <= mid_autumn[0] <= hi and "国庆节" in stat
    for fest, days in stat.items():
        if fest == "除夕" or (fest == "中秋节" and merged):
            continue
        length = _era(fest, year, known_through)
        if fest == "春节":
            eve = days[0] - _DAY
            days = sorted({*days, *stat.get("除夕", [])})
            first, last = eve, eve + ((length or 7) - 1) * _DAY
        elif fest == "国庆节":
            first = dt.date(year, 10, 1)
            span = (length or 7) - 1
            if merged:
                first, span = min(first, mid_autumn[0]), span + 1
                days = sorted({*days, *mid_autumn})
            last = first + span * _DAY
            fest = "国庆节、中秋节" if merged else fest
        elif length:  # Labour Day from 2020: five days, from the weekend before a Sun/Mon
            first = days[0]
            if first.weekday() in (6, 0):
                first -= ((first.weekday() + 1) % 7 + 1) * _DAY
            last = first + (length - 1) * _DAY
        else:
            first, last = _short_block(fest, days[0], known_through)
            last = max(last, days[-1])
        first = max(first, dt.date(year, 1, 1))
        last = min(last, dt.date(year, 12, 31))
        blocks.append(_Block(fest, first, last, tuple(days)))
    return sorted(blocks, key=lambda b: b.first)


def _made_up(stat: Mapping[str, list[dt.date]], off: set[dt.date]) -> dict[dt.date, str]:
    """Art. 6 of the Measures: each statutory weekend day made up on the next free weekday."""
    made: dict[dt.date, str] = {}
    for fest, days in sorted(stat.items(), key=lambda item: item[1][0]):
        for day in days:
            if not _weekend(day):
                continue
            d = day + _DAY
            while _weekend(d) or d in off:
                d += _DAY
            off.add(d)
            made[d] = "春节" if fest == "除夕" else fest  # the eve is in its block
    return made


def learn_swaps(
    years: Iterable[int],
    holidays_zh: Mapping[dt.date, str],
    is_workday: Callable[[dt.date], bool],
) -> dict[tuple[str, int, int, int], tuple[int, ...]]:
    """
    From announced years, the weekend days worked for each block shape (latest year wins).

    A block's shape is its festival, first weekday, length and the number of days swapped;
    the answer is the offsets of the weekend days worked from the block's first day.
    """
    learnt: dict[tuple[str, int, int, int], tuple[int, ...]] = {}
    for year in sorted(years):
        stat = statutory_days(holidays_zh, year)
        blocks = _blocks(stat, year, year)
        for block in blocks:
            lo, hi = block.first - _SWAP_REACH * _DAY, block.last + _SWAP_REACH * _DAY
            if any(is_workday(d) for d in _days(block.first, block.last)):
                continue  # the notice did not follow the principle: nothing to learn
            worked = [d for d in _days(lo, hi) if _weekend(d) and is_workday(d)]
            # A weekend day worked belongs to the nearest block.
            mine = [d for d in worked if _nearest(d, blocks) is block]
            learnt[block.key(len(mine))] = tuple((d - block.first).days for d in mine)
    return learnt


def _nearest(day: dt.date, blocks: list[_Block]) -> _Block:
    def distance(b: _Block) -> int:
        return (
            0
            if b.first <= day <= b.last
            else min(abs((day - b.first).days), abs((day - b.last).days))
        )

    return min(blocks, key=distance)


def _place_swaps(
    block: _Block,
    count: int,
    taken: set[dt.date],
    fits: Callable[[list[dt.date]], bool] = lambda _days: True,
) -> list[dt.date]:
    """
    The weekend days worked for ``count`` days swapped, when no announced year shows how.

    First the weekend days adjoining the block (a block Saturday to Friday works the next
    weekend), then alternately the nearest free weekend day before and after it; a day
    that would make a run of working days longer than the principle allows (``fits``) is
    passed over while another is free.
    """
    chosen: list[dt.date] = []
    for edge, step in ((block.last, 1), (block.first, -1)):
        d = edge + step * _DAY
        while len(chosen) < count and _weekend(d) and d not in taken and fits([*chosen, d]):
            chosen.append(d)
            d += step * _DAY
    reach = _SWAP_REACH * _DAY
    free = [
        d
        for d in _days(block.first - reach, block.last + reach)
        if _weekend(d) and d not in taken and d not in chosen
    ]
    before = sorted((d for d in free if d < block.first), reverse=True)
    after = [d for d in free if d > block.last]
    # Nearest side first, then alternately (one day worked before the block, one after).
    side = (
        after
        if not before or (after and (after[0] - block.last) < (block.first - before[0]))
        else before
    )
    passed: list[dt.date] = []
    while len(chosen) < count and (before or after):
        pool = side if side else (before or after)
        d = pool.pop(0)
        if fits([*chosen, d]):
            chosen.append(d)
        else:
            passed.append(d)
        side = before if pool is after else after
    chosen += passed[: count - len(chosen)]  # the special case: nothing else was free
    return chosen


#: At most six consecutive working days around a holiday, save in special cases (the
#: principle of the 2024 amendment, as the notices state it from 2025; LEGAL.md, the
#: calendar page).
MAX_RUN = 6


def _runs_fit(
    days: list[dt.date], rest: Mapping[dt.date, object], work: Mapping[dt.date, object]
) -> bool:
    """Whether working ``days`` (weekend days) keeps every run of working days to MAX_RUN."""
    worked = set(days)

    def working(d: dt.date) -> bool:
        return d in worked or d in work or (not _weekend(d) and d not in rest)

    for day in days:
        run = 1
        for step in (-_DAY, _DAY):
            d = day + step
            while working(d) and run <= MAX_RUN:
                run += 1
                d += step
        if run > MAX_RUN:
            return False
    return True


def estimate_year(
    year: int,
    holidays_zh: Mapping[dt.date, str],
    learnt: Mapping[tuple[str, int, int, int], tuple[int, ...]],
    *,
    known_through: int,
) -> Arrangement:
    """
    The estimated rest days and make-up workdays of ``year`` (names in Chinese and English).

    ``known_through`` is the last year whose notice is known: principles first announced
    later are not used.
    """
    stat = statutory_days(holidays_zh, year)
    blocks = _blocks(stat, year, known_through)
    off = {d for days in stat.values() for d in days}
    made = _made_up(stat, off)
    rest: dict[dt.date, tuple[str, str]] = {}
    work: dict[dt.date, tuple[str, str]] = {}
    taken = {d for b in blocks for d in _days(b.first, b.last)} | off
    for block in blocks:
        zh = block.festival
        en = _EN[zh]
        for d in block.statutory:
            if not _weekend(d):
                rest[d] = (zh, en)
        extra = []
        for d in _days(block.first, block.last):
            if _weekend(d) or d in block.statutory:
                continue
            if d in made:
                rest[d] = (f"{zh}（补假）", f"{en} (made up)")
            else:
                extra.append(d)
                rest[d] = (f"{zh}（调休）", f"{en} (swapped day off)")
        # A made-up day outside the block (a long weekend run) is still a rest day.
        for d, fest in made.items():
            if fest in zh and d not in rest:
                rest[d] = (f"{zh}（补假）", f"{en} (made up)")
        if not extra:
            continue
        offsets = learnt.get(block.key(len(extra)))
        days = [block.first + o * _DAY for o in offsets] if offsets is not None else []

        def fits(chosen: list[dt.date]) -> bool:
            return _runs_fit(chosen, rest, work)

        if (
            offsets is None
            or not all(_weekend(d) and d not in taken and d.year == year for d in days)
            or (year >= _MAX_RUN_FROM and not fits(days))
        ):
            days = _place_swaps(block, len(extra), taken, fits if year >= _MAX_RUN_FROM else _any)
        for d in days:
            taken.add(d)
            work[d] = (f"{zh}调休上班", f"make-up workday for {en}")
    return Arrangement(rest=rest, work=work)

"""
The working-day calendar: national arrangements, overlays, and fast counting.

A calendar is a precomputed table indexed by day ordinal. ``add_workdays`` and
``workdays_between`` are index arithmetic on that table; nothing walks days per query
and nothing calls ``holidays`` after construction.
"""

from __future__ import annotations

import bisect
import calendar as _calendar_mod
import contextlib
import datetime as dt
import functools
import itertools
import numbers
import operator
import re
import sys
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from ._errors import CalendarCoverageError, InvalidInputError, InvalidTypeError, MissingExtraError
from ._holidays_data import DayNote, data_first_year, load_national
from ._i18n import Lang, translate
from ._toml import read_toml

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DayInput",
    "EstimatedDate",
    "EstimatedDateWarning",
    "TraceDay",
    "WorkCalendar",
    "WorkdayTrace",
    "add_days",
    "add_months",
    "as_date",
    "calendar_or_default",
    "check_reach",
    "check_year",
    "default_calendar",
    "last_day",
    "national_calendar",
    "today_in_china",
]

DayInput: TypeAlias = "dt.date | str"
_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_WORK_KINDS = frozenset({"work", "estimated_work"})
_ESTIMATED_KINDS = frozenset({"estimated_rest", "estimated_work"})


class EstimatedDate(dt.date):
    """
    A date computed with at least one estimated day (a year with no announced arrangement).

    It is an ordinary :class:`datetime.date` in every other respect.

    .. versionadded:: 0.1.0
    """

    estimated = True

    def __repr__(self) -> str:
        return f"EstimatedDate({self.year}, {self.month}, {self.day})"


class EstimatedDateWarning(UserWarning):
    """
    A result rests on estimated days (a year whose arrangement is not announced yet).

    Raised once per calendar, on its first estimated answer, not once per call: the
    results themselves carry the flag (:class:`EstimatedDate`, ``Deadline.estimated``).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 raised by every calendar query, once per calendar.
    """


# China Standard Time: UTC+8 all year (no daylight saving since 1991).
_CST = dt.timezone(dt.timedelta(hours=8), "CST")


def today_in_china() -> dt.date:
    """Today's date in China, whatever the machine's time zone (a UTC server is 8 hours behind)."""
    return dt.datetime.now(_CST).date()


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def as_date(value: object, what: str = "date") -> dt.date:
    """
    Read a day: a :class:`datetime.date` or a ``YYYY-MM-DD`` string, nothing else.

    Raises:
        InvalidTypeError: for anything else, including a :class:`datetime.datetime` (whose
            day depends on its zone: convert it to China Standard Time and pass ``.date()``).
        InvalidInputError: for a string that is not exactly ``YYYY-MM-DD`` (``20260928`` and
            ``2026-W40-1``, which :meth:`datetime.date.fromisoformat` reads, are refused, as
            the documents' JSON Schema says).
    """
    if type(value) is dt.date or type(value) is EstimatedDate:
        return value
    if type(value) is str:  # stored events: read before the slower isinstance checks
        if len(value) == 10 and _ISO_DAY.fullmatch(value):
            # "2026-02-30" has the form but is no day: it falls through to the error below.
            with contextlib.suppress(ValueError):
                return dt.date.fromisoformat(value)
        shown = value if len(value) <= 40 else value[:40] + "..."
        msg = f"{what} {shown!r} is not a date in the form YYYY-MM-DD (such as 2026-09-28)"
        raise InvalidInputError(msg)
    if isinstance(value, dt.datetime):
        msg = (
            f"{what} must be a calendar day (datetime.date), got the datetime {value!r}; "
            f"convert it to China Standard Time and pass its .date()"
        )
        raise InvalidTypeError(msg)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):  # a str subclass
        return as_date(str(value), what)
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:60] + "..."
    msg = f"{what} must be a datetime.date or a 'YYYY-MM-DD' string, got {type(value).__name__} {shown}"
    raise InvalidTypeError(msg)


def _past_the_last_day(day: dt.date, period: str, what: str) -> InvalidInputError:
    edge = (
        "before 0001-01-01, the first" if period.startswith("-") else "after 9999-12-31, the last"
    )
    msg = (
        f"{what}: {period} from {day.isoformat()} ends {edge} day a date can hold; "
        f"check the dates and the period recorded"
    )
    return InvalidInputError(msg)


def add_days(day: dt.date, days: int, what: str = "the period") -> dt.date:
    """
    ``day`` plus ``days`` calendar days (negative counts back).

    Every calendar-day period (the correction period, the remedy windows) is counted here,
    so a date at the edge of the representable gives one clear error everywhere (#23).

    Raises:
        InvalidInputError: when the result would fall after 9999-12-31 or before
            0001-01-01 (where ``datetime.date`` ends), naming ``what``.
    """
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise _past_the_last_day(day, f"{days} calendar days", what) from None


def add_months(day: dt.date, months: int, what: str = "the period") -> dt.date:
    """
    ``day`` plus ``months`` months; with no matching day in the last month, the period ends
    on that month's last day.

    Raises:
        InvalidInputError: when the result would fall after 9999-12-31 or before 0001-01-01.
    """
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    if not 1 <= year <= 9999:
        raise _past_the_last_day(day, f"{months} months", what)
    return dt.date(year, month, min(day.day, _calendar_mod.monthrange(year, month)[1]))


def _as_count(n: object) -> int:
    """A count of working days: an int, or an integer type such as numpy's; never a bool."""
    if type(n) is int:
        return n
    msg = f"n must be a whole number of working days (int), got {type(n).__name__} {n!r}"
    # numbers.Integral takes numpy's integers but not its bools (which older numpy lets
    # pass as an index).
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise InvalidTypeError(msg)
    return operator.index(n)


@attrs.frozen
class TraceDay:
    """
    One notable day in an ``explain`` trace.

    ``counted`` tells whether it counted as a working day; ``kind`` is ``"weekend"``,
    ``"rest"``, ``"work"`` (调休 weekend workday), ``"estimated_rest"`` or ``"estimated"``
    (an ordinary day in an estimated year).
    """

    day: dt.date
    kind: str
    counted: bool
    name_zh: str = ""
    name_en: str = ""
    source: str = ""


@attrs.frozen
class WorkdayTrace:
    """
    The trace behind an ``add_workdays`` result: every day skipped and why.

    .. versionadded:: 0.1.0
    """

    start: dt.date
    workdays: int
    result: dt.date
    calendar: str
    days: tuple[TraceDay, ...]
    estimated: bool

    def render(self, lang: Lang = "zh") -> str:
        """Render the trace as readable lines in Chinese (``"zh"``) or English (``"en"``)."""
        _ = translate(lang)
        if self.workdays >= 0:
            # English: "Working day {n} after {start} (that day not counted): {result}"
            head = _("{start}（当日不计）后第 {n} 个工作日：{result}")
        else:
            # English: "Working day {n} before {start} (that day not counted): {result}"
            head = _("{start}（当日不计）前第 {n} 个工作日：{result}")
        lines = [
            head.format(
                start=self.start.isoformat(),
                n=abs(self.workdays),
                result=self.result.isoformat(),
            ),
            # English: "Calendar: {name}"
            _("日历：{name}").format(name=self.calendar),
        ]
        for t in self.days:
            wd = _weekday(t.day, lang)
            name = t.name_zh if lang == "zh" else t.name_en
            if t.kind == "weekend":
                # English: "skipped (weekend)"
                what = _("跳过（周末）")
            elif t.kind == "work":
                # English: "counted (make-up workday: {name})"
                what = _("计入（调休上班日：{name}）").format(name=name)
            elif t.kind == "estimated":
                # English: "counted (estimate: the year's arrangement is not yet announced)"
                what = _("计入（推定：该年放假安排尚未公布）")
            elif t.kind == "estimated_rest":
                # English: "skipped (estimated rest day: {name})"
                what = _("跳过（推定休息日：{name}）").format(name=name)
            elif t.kind == "estimated_work":
                # English: "counted (estimated make-up workday: {name})"
                what = _("计入（推定调休上班日：{name}）").format(name=name)
            else:
                # English: "skipped ({name})"
                what = _("跳过（{name}）").format(name=name)
            lines.append(f"  {t.day.isoformat()} {wd} {what}")
        if self.estimated:
            # English: "Note: this result used estimated days; the State Council's announced
            # arrangement prevails."
            lines.append(_("注意：结果使用了推定日期，须以国务院办公厅公布的放假安排为准。"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("zh")


def _weekday(day: dt.date, lang: Lang) -> str:
    # Fixed names: strftime("%a") would follow the process locale.
    if lang == "zh":
        return "星期" + _WEEKDAYS_ZH[day.weekday()]
    return _WEEKDAYS_EN[day.weekday()]


class WorkCalendar:
    """
    A working-day calendar: weekends and listed rest days off, listed weekend days worked.

    Build the national one with :func:`national_calendar`; lay regional or agency days
    over it with :meth:`with_days`. All counts are in **working days**.

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_base",
        "_cum",
        "_est_from",
        "_first",
        "_is_work",
        "_last",
        "_notes",
        "_np",
        "_nwd",
        "_size",
        "_warn_j",
        "_wd",
        "_wd_dates",
        "coverage",
        "name",
    )

    def __init__(
        self,
        *,
        name: str,
        first: dt.date,
        covered_last: dt.date,
        table_last: dt.date,
        notes: Mapping[dt.date, DayNote],
    ) -> None:
        self.name = name
        self.coverage: tuple[dt.date, dt.date] = (first, covered_last)
        self._first = first
        self._last = table_last
        self._notes = dict(notes)
        self._base = first.toordinal()
        self._est_from = covered_last.toordinal() + 1
        size = table_last.toordinal() - self._base + 1
        is_work = bytearray(size)
        for i in range(size):
            is_work[i] = (i + self._base - 1) % 7 < 5  # ordinal 1 is a Monday
        for day, note in self._notes.items():
            i = day.toordinal() - self._base
            if 0 <= i < size:
                is_work[i] = note.kind in _WORK_KINDS
        self._is_work = bytes(is_work)
        # _cum[i] = working days strictly before table index i (length size + 1).
        self._cum = [0, *itertools.accumulate(is_work)]
        self._wd = [self._base + i for i in range(size) if is_work[i]]
        self._wd_dates = [
            (EstimatedDate if o >= self._est_from else dt.date).fromordinal(o) for o in self._wd
        ]
        self._size = size
        self._nwd = len(self._wd)
        self._np: tuple[Any, Any] | None = None
        # Index of the first estimated working day: add_workdays warns once when it gets
        # there (then the index moves out of reach, so the check costs one comparison).
        self._warn_j = bisect.bisect_left(self._wd, self._est_from)

    def _warn_estimated(self) -> None:
        """Warn, once per calendar, that an answer rests on estimated days."""
        if self._warn_j == sys.maxsize:
            return
        self._warn_j = sys.maxsize
        year = dt.date.fromordinal(self._est_from).year
        warnings.warn(
            f"{self.name}: a result reaches into {year} or later, whose holiday arrangement "
            f"the State Council has not announced; it rests on estimated days and is marked "
            f"estimated. When the notice is published, upgrade holidays or lay it over with "
            f"with_days(..., through_year=...). (Warned once per calendar.)",
            EstimatedDateWarning,
            stacklevel=3,
        )

    def __repr__(self) -> str:
        first, last = self.coverage
        return f"<WorkCalendar {self.name!r} {first.isoformat()}..{last.isoformat()}>"

    # -- lookups --------------------------------------------------------------

    def _index(self, day: dt.date) -> int:
        i = day.toordinal() - self._base
        if 0 <= i < len(self._is_work):
            return i
        raise self._coverage_error(day.toordinal())

    def _coverage_error(self, ordinal: int) -> CalendarCoverageError | InvalidInputError:
        if ordinal > dt.date.max.toordinal():
            # A calendar laid over through 9999: no data can help, no date can hold it (#23).
            msg = (
                f"{self.name}: the count runs past 9999-12-31, the last day a date can hold; "
                f"check the date and the number of working days"
            )
            return InvalidInputError(msg)
        # The year of the day asked about (a date in 2033 names 2033, not the first missing year).
        year = dt.date.fromordinal(max(ordinal, 1)).year
        return CalendarCoverageError(year, self.coverage, self.name)

    def is_workday(self, d: DayInput) -> bool:
        """Whether ``d`` is a working day."""
        i = self._index(as_date(d))
        if i + self._base >= self._est_from:
            self._warn_estimated()
        return bool(self._is_work[i])

    def is_estimated(self, d: DayInput) -> bool:
        """Whether ``d`` lies past the announced arrangements (answered by estimate)."""
        return as_date(d).toordinal() >= self._est_from

    def note(self, d: DayInput) -> DayNote | None:
        """The holiday or 调休 note for ``d``, if any."""
        return self._notes.get(as_date(d))

    def add_workdays(self, d: DayInput, n: int) -> dt.date:
        """
        The ``n``-th working day after ``d`` (``d`` itself is never counted).

        ``n == 0`` returns ``d``; negative ``n`` counts backwards. A result that used an
        estimated day is an :class:`EstimatedDate`.

        Raises:
            CalendarCoverageError: when the count runs outside the calendar's data.
            InvalidInputError: when it runs past 9999-12-31 (a calendar laid over to 9999).
        """
        day = d if type(d) is dt.date else as_date(d)
        if type(n) is not int:
            n = _as_count(n)
        i = day.toordinal() - self._base
        if n > 0 and 0 <= i < self._size:
            j = self._cum[i + 1] + n - 1
            if j < self._nwd:
                if j >= self._warn_j:
                    self._warn_estimated()
                # Dates are prebuilt (estimated ones as EstimatedDate): no conversion per call.
                return self._wd_dates[j]
        if not 0 <= i < self._size:
            raise self._coverage_error(i + self._base)
        if n > 0:
            raise self._coverage_error(self._last.toordinal() + 1)
        if n == 0:
            return day
        j = self._cum[i] + n
        if j < 0:
            raise self._coverage_error(self._base - 1)
        result = self._wd_dates[j]
        if i + self._base - 1 >= self._est_from:
            self._warn_estimated()
            if type(result) is dt.date:
                return EstimatedDate(result.year, result.month, result.day)
        return result

    def workdays_between(self, a: DayInput, b: DayInput) -> int:
        """Working days ``d`` with ``a < d <= b`` (negative when ``b < a``)."""
        ia = self._index(as_date(a, "a"))
        ib = self._index(as_date(b, "b"))
        if max(ia, ib) + self._base >= self._est_from:
            self._warn_estimated()
        return self._cum[ib + 1] - self._cum[ia + 1]

    def days_in(self, start: DayInput, end: DayInput) -> list[tuple[dt.date, bool, DayNote | None]]:
        """Every day from ``start`` to ``end`` inclusive, with whether it is worked and its note."""
        a, b = as_date(start, "start"), as_date(end, "end")
        ia, ib = self._index(a), self._index(b)
        return [
            (d := dt.date.fromordinal(self._base + i), bool(self._is_work[i]), self._notes.get(d))
            for i in range(ia, ib + 1)
        ]

    def explain(self, d: DayInput, n: int) -> WorkdayTrace:
        """The trace behind ``add_workdays(d, n)``: each day skipped or specially counted."""
        start = as_date(d)
        result = self.add_workdays(start, n)
        lo, hi = (start, result) if n >= 0 else (result, start)
        days: list[TraceDay] = []
        estimated = False
        for day, work, note in self.days_in(lo, hi) if n else ():
            if day == start:
                continue
            est = day.toordinal() >= self._est_from
            estimated = estimated or est
            if note is not None:
                days.append(TraceDay(day, note.kind, work, note.name_zh, note.name_en, note.source))
            elif not work:
                days.append(TraceDay(day, "weekend", False))
            elif est:
                days.append(TraceDay(day, "estimated", True))
        return WorkdayTrace(start, n, result, self.name, tuple(days), estimated)

    # -- batches --------------------------------------------------------------

    def _arrays(self) -> tuple[Any, Any]:
        if self._np is None:
            try:
                import numpy as np
            except ModuleNotFoundError:
                raise MissingExtraError("add_workdays_many on arrays", "fast", "numpy") from None
            self._np = (np.asarray(self._cum, dtype=np.int64), np.asarray(self._wd, dtype=np.int64))
        return self._np

    def add_workdays_many(
        self, dates: Iterable[DayInput] | npt.NDArray[Any], n: int
    ) -> list[dt.date] | npt.NDArray[np.datetime64]:
        """
        ``add_workdays`` for many dates at once.

        A numpy ``datetime64`` array gives a ``datetime64[D]`` array (vectorised; needs the
        ``fast`` extra) and warns with :class:`EstimatedDateWarning` if any result used an
        estimated day; any other iterable gives a list of dates.
        """
        n = _as_count(n)
        if type(dates).__module__ == "numpy" and getattr(dates, "dtype", None) is not None:
            result: npt.NDArray[np.datetime64] = self._add_many_numpy(dates, n)
            return result
        if isinstance(dates, (str, bytes, Mapping)) or not isinstance(dates, Iterable):
            msg = f"dates must be an iterable of dates or a datetime64 array, got {type(dates).__name__}"
            raise InvalidTypeError(msg)
        return [self.add_workdays(d, n) for d in dates]

    def _add_many_numpy(self, dates: Any, n: int) -> Any:
        import numpy as np

        cum, wd = self._arrays()
        arr = np.asarray(dates)
        if arr.dtype.kind != "M":
            msg = f"a numpy array of dates must have a datetime64 dtype, got {arr.dtype}"
            raise InvalidTypeError(msg)
        idx = arr.astype("datetime64[D]").astype(np.int64) + (_EPOCH_ORDINAL - self._base)
        if idx.size and (idx.min() < 0 or idx.max() >= len(self._is_work)):
            bad = idx.min() if idx.min() < 0 else idx.max()
            raise self._coverage_error(int(bad) + self._base)
        if n == 0:
            return arr.astype("datetime64[D]")
        j = cum[idx + 1] + (n - 1) if n > 0 else cum[idx] + n
        if j.size and (j.min() < 0 or j.max() >= len(wd)):
            raise self._coverage_error(
                self._base - 1 if j.min() < 0 else self._last.toordinal() + 1
            )
        out = wd[j]
        last = out if n > 0 else idx + (self._base - 1)
        if last.size and last.max() >= self._est_from:
            self._warn_estimated()
        return (out - _EPOCH_ORDINAL).astype("datetime64[D]")

    # -- overlays -------------------------------------------------------------

    def with_days(
        self,
        *,
        rest: Iterable[DayInput] | Mapping[DayInput, str] = (),
        work: Iterable[DayInput] | Mapping[DayInput, str] = (),
        name: str,
        source: str = "",
        through_year: int | None = None,
    ) -> WorkCalendar:
        """
        A new calendar with extra rest days and make-up workdays laid over this one.

        ``rest`` and ``work`` are dates (or ISO strings), or mappings from date to the
        reason. Use it for regional holidays (广西三月三, 新疆古尔邦节…) or one-off closures.

        Args:
            through_year: Say that ``rest`` and ``work`` complete the announced arrangement
                of every year after the current coverage up to this one (for example the
                State Council's 2027 notice, laid over before ``holidays`` carries it).
                Coverage then runs to 31 December of that year, and those years are no
                longer estimated. Without it, every overlay day must lie within the
                calendar's days.

        .. versionadded:: 0.1.0
        """
        if not isinstance(name, str) or not name.strip():
            msg = "with_days needs a name= saying what the overlay is (e.g. '广西壮族自治区')"
            raise InvalidInputError(msg)
        if not isinstance(source, str):
            msg = f"source must be a string saying where the days come from, got {type(source).__name__}"
            raise InvalidTypeError(msg)
        first, covered_last = self.coverage
        table_last = self._last
        notes = dict(self._notes)
        given = {kind: _overlay_days(kind, days) for kind, days in (("rest", rest), ("work", work))}
        both = sorted(set(given["rest"]) & set(given["work"]))
        if both:
            msg = (
                f"{both[0].isoformat()} is given as both a rest day and a workday; "
                f"list each day once, under rest or under work"
            )
            raise InvalidInputError(msg)
        if through_year is not None:
            year = check_year(through_year, "through_year")
            if year <= covered_last.year:
                msg = (
                    f"through_year={year} is already covered (announced through "
                    f"{covered_last.isoformat()}); give a later year, or leave it out to "
                    f"lay days over covered years"
                )
                raise InvalidInputError(msg)
            if not given["rest"] and not given["work"]:
                msg = (
                    f"through_year={year} says the overlay completes {year}'s arrangement, but "
                    f"it lists no rest or work days; give the announced days"
                )
                raise InvalidInputError(msg)
            new_last = dt.date(year, 12, 31)
            if new_last > covered_last:
                # The overlay is now the whole arrangement of these years: drop estimates.
                notes = {
                    d: note
                    for d, note in notes.items()
                    if not (covered_last < d <= new_last and note.kind in _ESTIMATED_KINDS)
                }
                covered_last, table_last = new_last, max(table_last, new_last)
        for kind, days in given.items():
            for day, why in days.items():
                if not first <= day <= table_last:
                    msg = (
                        f"{kind} day {day.isoformat()} lies outside the calendar's days "
                        f"{first.isoformat()}..{table_last.isoformat()}"
                    )
                    if day > table_last:
                        msg += (
                            f"; if these days complete the {day.year} arrangement, "
                            f"pass through_year={day.year}"
                        )
                    raise InvalidInputError(msg)
                label = why or name
                notes[day] = DayNote(kind, label, label, source or name)
        return WorkCalendar(
            name=f"{self.name} + {name}",
            first=first,
            covered_last=covered_last,
            table_last=table_last,
            notes=notes,
        )

    def with_days_from(self, path: str | Path) -> WorkCalendar:
        """
        Lay over the days listed in a TOML file; every day must give its ``source``.

        The file has a top-level ``name`` (and optionally ``through_year``, as in
        :meth:`with_days`) and ``[[rest]]`` / ``[[work]]`` tables, each with ``date`` (or
        ``from`` and ``to``, inclusive), ``name`` and ``source``.

        .. versionadded:: 0.1.0
        """
        from ._files import as_path

        return self.with_days(**_read_overlay(as_path(path)))

    def with_region(self, region: str) -> WorkCalendar:
        """
        Lay a region's own rest days (and their 调休 workdays) over this calendar.

        The data ship with infopen, one TOML file per region (``infopen/regions/``), each day
        citing the regional government's notice and where it was read. ``region`` is the
        short or full name: ``"广西"`` / ``"广西壮族自治区"`` (壮族三月三), ``"新疆"`` (肉孜节,
        古尔邦节), ``"宁夏"`` (开斋节, 古尔邦节). Only years whose notice could be read are
        shipped; see the calendar docs for the years and regions left out, and lay any
        other year over with :meth:`with_days_from` and a file of your own.

        Raises:
            InvalidInputError: for a region infopen ships no data for (the message lists
                those it has).

        .. versionadded:: 0.2.0
        """
        files = _region_files()
        path = files.get(region) if isinstance(region, str) else None
        if path is None:
            known = "、".join(sorted({k for k in files if len(k) <= 2}))
            msg = (
                f"no regional rest days ship for {region!r}; infopen has cited data for: "
                f"{known}. Lay other regions' notices over with with_days_from(FILE.toml)."
            )
            raise InvalidInputError(msg)
        return self.with_days(**_read_overlay(path))

    def rest_and_work_days(self, year: int) -> list[tuple[dt.date, DayNote]]:
        """
        The year's weekday rest days and weekend workdays, in date order.

        Raises:
            CalendarCoverageError: when the calendar has no data for ``year``.
        """
        year = check_year(year)
        self._index(dt.date(year, 1, 1))
        self._index(dt.date(year, 12, 31))
        return sorted(
            ((d, note) for d, note in self._notes.items() if d.year == year),
            key=lambda item: item[0],
        )


def check_year(value: object, what: str = "year") -> int:
    """A year as an ``int`` from 1 to 9999 (what :class:`datetime.date` can hold)."""
    if type(value) is not int:
        msg = f"{what} must be a year (int), got {type(value).__name__} {value!r:.40}"
        raise InvalidTypeError(msg)
    if not 1 <= value <= 9999:
        msg = f"{what} must be a year from 1 to 9999, got {value}"
        raise InvalidInputError(msg)
    return value


def _overlay_days(kind: str, days: object) -> dict[dt.date, str]:
    """The days of ``with_days(rest=...)`` or ``work=``: date -> reason (may be empty)."""
    if isinstance(days, Mapping):
        items: Iterable[tuple[object, object]] = days.items()
    elif isinstance(days, Iterable) and not isinstance(days, (str, bytes)):
        items = ((d, "") for d in days)
    else:
        msg = f"{kind} must be dates (or a mapping of date -> reason), got {type(days).__name__}"
        raise InvalidTypeError(msg)
    out: dict[dt.date, str] = {}
    for raw, why in items:
        if not isinstance(why, str):
            msg = (
                f"the reason for {kind} day {raw!r:.40} must be a string, got {type(why).__name__}"
            )
            raise InvalidTypeError(msg)
        out[as_date(raw, f"{kind} day")] = why
    return out


@functools.cache
def _region_files() -> dict[str, Path]:
    """The shipped regional overlays by short and full name ("广西", "广西壮族自治区")."""
    folder = Path(__file__).parent / "regions"
    files: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        data = read_toml(path)
        files[data["region"]] = files[data["name"]] = path
    return files


def _read_overlay(path: Path) -> dict[str, Any]:
    data = read_toml(path)
    name = data.get("name")
    if not isinstance(name, str) or not name:
        msg = f"{path}: the overlay needs a top-level name = '...'"
        raise InvalidInputError(msg)
    unknown = set(data) - {"name", "region", "rest", "work", "description", "through_year"}
    if unknown:
        msg = f"{path}: unknown keys {sorted(unknown)}; expected name, rest, work, through_year"
        raise InvalidInputError(msg)
    out: dict[str, Any] = {"name": name, "source": f"{path.name}"}
    if "through_year" in data:
        if type(data["through_year"]) is not int:
            msg = f"{path}: through_year must be a year such as 2027, got {data['through_year']!r}"
            raise InvalidInputError(msg)
        out["through_year"] = data["through_year"]
    for kind in ("rest", "work"):
        days: dict[dt.date, str] = {}
        for k, entry in enumerate(data.get(kind, []), 1):
            where = f"{path}: [[{kind}]] entry {k}"
            if not isinstance(entry, dict):
                msg = f"{where} must be a table with date, name and source"
                raise InvalidInputError(msg)
            if not entry.get("source"):
                msg = f"{where} has no source; every overlay day must cite where it comes from"
                raise InvalidInputError(msg)
            extra = set(entry) - {"date", "from", "to", "name", "source", "url"}
            if extra:
                msg = f"{where}: unknown keys {sorted(extra)}; use date (or from/to), name, source, url"
                raise InvalidInputError(msg)
            if "date" in entry and ("from" in entry or "to" in entry):
                msg = f"{where} has both date and from/to; give one day (date) or one range (from, to)"
                raise InvalidInputError(msg)
            if "date" in entry:
                span = [_toml_day(entry["date"], where)]
            elif "from" in entry and "to" in entry:
                a, b = _toml_day(entry["from"], where), _toml_day(entry["to"], where)
                if b < a:
                    msg = f"{where}: to {b} is before from {a}"
                    raise InvalidInputError(msg)
                span = [dt.date.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)]
            else:
                msg = f"{where} needs date = YYYY-MM-DD, or from and to"
                raise InvalidInputError(msg)
            label = f"{entry.get('name') or name}（{entry['source']}）"
            for day in span:
                days[day] = label
        out[kind] = days
    return out


def _toml_day(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        msg = f"{where}: {value!r} is not a day; write it as 2026-03-31 (a TOML date)"
        raise InvalidInputError(msg)
    return as_date(value, where)


@functools.cache
def _national(beyond: str, announced_through: int | None) -> WorkCalendar:
    data = load_national(estimate=beyond == "estimate", announced_through=announced_through)
    # "全国，含推定" reads inside the CLI's "2027 年放假调休（…）" without nested brackets.
    parts = ["全国"]
    parts += [] if announced_through is None else [f"安排公布至{announced_through}年"]
    parts += ["含推定"] if beyond == "estimate" else []
    return WorkCalendar(
        name="，".join(parts),
        first=data.first,
        covered_last=data.covered_last,
        table_last=data.table_last,
        notes=data.notes,
    )


def national_calendar(
    *, beyond: Literal["raise", "estimate"] = "raise", announced_through: int | None = None
) -> WorkCalendar:
    """
    The national working-day calendar of the State Council's yearly arrangements.

    Built once per process (per argument pair) from the ``holidays`` package and cached.

    Args:
        beyond: ``"raise"`` (default) raises :class:`CalendarCoverageError` for days past
            the announced years; ``"estimate"`` answers them from an estimate of the
            arrangement (the statutory days, their weekend make-up days, and the 调休 the
            notices' principles and pattern give; see ``infopen._estimate``) and marks the
            results estimated. Requests, readers, the event store and the CLI use
            ``"estimate"`` when given no calendar (see :func:`default_calendar`); direct
            calendar arithmetic keeps ``"raise"`` unless asked.
        announced_through: Treat the notices after this year as not yet published (what an
            agency could have known then; the backtest of the estimates).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``announced_through``; estimates follow the law, not
       only the statutory weekdays.
    """
    if beyond not in ("raise", "estimate"):
        msg = f"beyond must be 'raise' or 'estimate', got {beyond!r}"
        raise InvalidInputError(msg)
    if announced_through is not None and (
        type(announced_through) is not int or announced_through < data_first_year()
    ):
        msg = (
            f"announced_through must be a year (int) from {data_first_year()} on, "
            f"got {announced_through!r}"
        )
        raise InvalidInputError(msg)
    return _national(beyond, announced_through)


def calendar_or_default(value: object) -> WorkCalendar:
    """A ``calendar=`` argument: a :class:`WorkCalendar`, or None for :func:`default_calendar`."""
    if value is None:
        return default_calendar()
    if not isinstance(value, WorkCalendar):
        msg = f"calendar must be a WorkCalendar or None, got {type(value).__name__}"
        raise InvalidTypeError(msg)
    return value


def last_day(cal: WorkCalendar) -> dt.date:
    """The last day ``cal`` can answer for (announced or estimated)."""
    return cal._last


def check_reach(cal: WorkCalendar, day: dt.date) -> None:
    """
    Raise :class:`CalendarCoverageError` unless ``cal`` answers for ``day``, without the
    estimate warning a query would give (a check before a long run, not a result).
    """
    cal._index(day)


def default_calendar() -> WorkCalendar:
    """
    The calendar requests, readers, the event store and the CLI use when given none.

    It is the national calendar *with estimates*: a request received today must be
    receivable, storable and showable even though its 20 working days reach into a year the
    State Council has not announced yet; every date that rests on an estimated day says so.
    :func:`national_calendar` itself keeps ``beyond="raise"`` for direct arithmetic.
    """
    return national_calendar(beyond="estimate")

"""
Exceptions raised by infopen.

Every message says what was wrong and what to do about it.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "CalendarCoverageError",
    "DuplicateRequestError",
    "FontNotFoundError",
    "IncompleteNoticeError",
    "InfopenError",
    "InvalidInputError",
    "InvalidTransition",
    "MissingExtraError",
    "StoreSchemaError",
]


class InfopenError(Exception):
    """
    The base of every error infopen raises on purpose.

    Each subclass is also the built-in exception a caller would catch without knowing
    infopen (``ValueError``, ``TypeError``, ``LookupError``, ``ModuleNotFoundError``), so
    ``except ValueError`` keeps working. The message names the argument, file or line
    that was wrong and what to do.

    .. versionadded:: 0.2.0
    """


class InvalidInputError(InfopenError, ValueError):
    """
    An argument, file or field was malformed or out of range; nothing was changed.

    .. versionadded:: 0.2.0
    """


class CalendarCoverageError(InfopenError, ValueError):
    """
    A date lies outside the years whose holiday arrangement is known.

    Attributes:
        year: The first year the calculation needed and the calendar lacks.
        coverage: First and last day of the announced data.

    .. versionadded:: 0.1.0
    """

    def __init__(self, year: int, coverage: tuple[dt.date, dt.date], *, calendar: str) -> None:
        self.year = year
        self.coverage = coverage
        first, last = coverage
        if year > last.year:
            ways = (
                f"The State Council's arrangement for {year} is not in the installed `holidays` "
                f"data. Upgrade it (pip install -U holidays), lay the year's days over with "
                f"calendar.with_days(rest=..., work=..., name=..., through_year={year}), "
                f"or ask for estimates with "
                f"national_calendar(beyond='estimate')."
            )
        else:
            ways = f"infopen has no holiday data before {first.isoformat()}."
        super().__init__(
            f"{calendar}: the calculation reaches into {year}, outside the covered days "
            f"{first.isoformat()}..{last.isoformat()}. {ways}"
        )


class IncompleteNoticeError(InfopenError, ValueError):
    """
    A notice rendered with ``strict=True`` lacks mandatory elements.

    Attributes:
        missing: The missing elements, in the order the notice needs them, each as the
            Chinese label its 【请填写：…】 placeholder would show.

    .. versionadded:: 0.2.0
    """

    def __init__(self, heading: str, missing: tuple[str, ...]) -> None:
        self.missing = missing
        listed = "; ".join(missing)
        super().__init__(
            f"the {heading} lacks {len(missing)} mandatory element(s): {listed}. "
            f"Give them in details=..., number=... or the Agency, or render with "
            f"strict=False to see them as 【请填写：…】 placeholders."
        )


class InvalidTransition(InfopenError, ValueError):  # noqa: N818 - the issue pins this public name.
    """
    An event that cannot happen in the request's current state.

    The request is left exactly as it was.

    .. versionadded:: 0.1.0
    """


class MissingExtraError(InfopenError, ModuleNotFoundError):
    """
    An optional feature was used without its extra installed.

    .. versionadded:: 0.1.0
    """

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package {module!r}. "
            f'Install it with: pip install "infopen[{extra}]"',
            name=module,
        )


class FontNotFoundError(InfopenError, RuntimeError):
    """
    A plot needs Chinese glyphs and no installed font has them.

    The message names the fonts looked for and how to install one, or to plot in English.

    .. versionadded:: 0.1.0
    """


class DuplicateRequestError(InfopenError, ValueError):
    """
    A new request was saved under an id the store already holds; nothing was written.

    Unlike :class:`ConflictError`, retrying cannot help: give the new request another id,
    or load the stored request to record events on it.

    .. versionadded:: 0.2.0
    """


class StoreSchemaError(InfopenError, RuntimeError):
    """
    The database has no infopen tables (call ``EventStore.create_schema()``), or tables of
    a schema version this infopen cannot use (upgrade infopen, or run ``create_schema()``
    to upgrade an older database).

    .. versionadded:: 0.2.0
    """

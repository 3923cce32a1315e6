"""
Elapsed time of a request: one definition shared by the simulation and the audit (#22).

Two measures, both from the receipt to the answer (or to an as-of day):

* **statutory working days used** — the working days the reply clock of art 33 counted: from
  its start (the receipt day, or the day a corrected application arrived, art 30, when the
  count restarts) to the answer, leaving out every working day on which the clock was
  paused (a consultation of a third party or another agency, art 33 ¶3; an unpaid fee
  notice). A pause beginning on day S and ending on day E leaves out the working days
  after S up to and including E, as the reply clock does. Compared with the 20 (+20)
  working days of art 33, it says how much of the statutory period an answer used.
* **calendar days** — the calendar days from the receipt day to the answer, pauses and
  corrections included: the time the applicant waited.

References:
    * 条例第三十条 (restart after correction), 第三十三条 (20 working days, extension,
      time not counted while consulting); LEGAL.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ._calendar import WorkCalendar
from ._clock import ClockStep

if TYPE_CHECKING:
    from ._request import Request

__all__ = ["calendar_days", "clock_pauses", "request_elapsed", "statutory_days_used"]


def clock_pauses(steps: Iterable[ClockStep]) -> list[tuple[dt.date, dt.date]]:
    """The ``(S, E)`` pauses of a reply clock's derivation (its ``pause`` steps)."""
    return [(s.on, s.until) for s in steps if s.kind == "pause" and s.until is not None]


def statutory_days_used(
    cal: WorkCalendar,
    start: dt.date,
    end: dt.date,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
) -> int:
    """
    Working days ``d`` with ``start < d <= end`` on which the reply clock ran: those in a
    pause's ``(S, E]`` are left out (overlapping pauses count once).

    Args:
        cal: The working-day calendar.
        start: Day 0 of the reply clock (receipt, or the corrected application's arrival).
        end: The answer day (or an as-of day for an open request).
        pauses: ``(S, E)`` pairs, in any order.

    Returns:
        Working days (0 when ``end <= start``).
    """
    if end <= start:
        return 0
    used = cal.workdays_between(start, end)
    cur = start  # working days up to ``cur`` are already accounted for
    for s, e in sorted(pauses):
        lo, hi = max(s, cur), min(e, end)
        if hi > lo:
            used -= cal.workdays_between(lo, hi)
            cur = hi
    return used


def calendar_days(received: dt.date, end: dt.date) -> int:
    """Calendar days from the receipt day to ``end`` (0 when answered the day received)."""
    return (end - received).days


def request_elapsed(request: Request, end: dt.date) -> tuple[int, int]:
    """
    ``(statutory working days used, calendar days)`` of ``request`` from its receipt to
    ``end`` (its answer day, or an as-of day), by the definitions of this module.
    """
    from ._clock import facts_of, reply_clock

    f = facts_of(request.events, end)
    received = f.received or request.events[0].on
    reply = reply_clock(f, request.rules, request.calendar, end)
    start = reply.start or received
    used = statutory_days_used(request.calendar, start, end, clock_pauses(reply.steps))
    return used, calendar_days(received, end)

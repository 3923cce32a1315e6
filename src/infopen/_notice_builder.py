"""
The builder of one notice's context: details checked, placeholders recorded, articles
cited, dates printed (flagged, or the earliest any holiday arrangement could give).

References:
    * 条例 (2019) arts 29-39; NOTICES.md §§1-6; ``_notice_elements`` for the tables.
    * ``_estimate`` (module docstring): what an estimated year's arrangement is made of;
      the statutory days and their 补假 are certain, the 调休 swaps are a guess.

Limitations:
    * The earliest-date calendar treats as possible working days, in estimated years, every
      estimated 调休 and 补假 day off and every weekend day within ``_SWAP_REACH`` calendar
      days of one (the State Council has only ever swapped weekend days next to a
      festival's block, and only where the block takes weekdays off beyond the statutory
      and 补假 days): a lower bound under the notices' stated principles, not under any
      conceivable arrangement (a one-off day like 2020's longer Spring Festival).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ._calendar import WorkCalendar
from ._errors import InvalidInputError
from ._model import Ground, Outcome
from ._notice_agency import clean_line
from ._notice_elements import (
    ARTICLES,
    ESTIMATED_NOTE,
    FIELD_OF,
    GROUND_2008,
    LAW,
    NOTICE_DETAILS,
    OUTCOME_2008,
    PLACEHOLDER,
    MissingElement,
    cn_date,
    unknown_details,
)
from ._notice_elements import DETAIL_KEYS as _KEYS
from ._request import Request

__all__ = ["Builder", "Details", "check_details", "earliest_calendar"]

#: The marker of a notice the law does not allow as recorded (a check, not a blank).
WARNING = "【请核实：{}】"
# Weekend days this close to a festival day may be worked in an arrangement (调休).
_SWAP_REACH = 14


class Details(dict[str, Any]):
    """Details by attribute (``details.items``), empty when not given."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name, "")


def check_details(details: Mapping[str, Any]) -> Details:
    """The details checked (known keys, text values) and cleaned to one line each."""
    if not isinstance(details, Mapping):
        msg = f"details must be a mapping of element names to text, got {type(details).__name__}"
        raise InvalidInputError(msg)
    unknown = unknown_details(details)
    if unknown:
        msg = f"unknown notice details {unknown!r:.200}; known: {sorted(_KEYS)}"
        raise InvalidInputError(msg)
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key == "reasons":
            if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                msg = "details['reasons'] must map ground names (e.g. 'THIRD_PARTY') to text"
                raise InvalidInputError(msg)
            out[key] = {k: clean_line(v) for k, v in value.items() if v.strip()}
        elif not isinstance(value, str):
            msg = f"details[{key!r}] must be text, got {value!r:.40}"
            raise InvalidInputError(msg)
        elif value.strip():  # an empty or blank value is not given
            out[key] = clean_line(value)
    return Details(out)


def earliest_calendar(cal: WorkCalendar) -> WorkCalendar:
    """
    ``cal`` with every day that could be a working day in some arrangement of an estimated
    year made one: dates counted on it are the earliest any arrangement could give.
    """
    first_estimated = cal.coverage[1] + dt.timedelta(days=1)
    notes = cal._notes  # the same package's calendar table
    last = cal._last
    if first_estimated > last:
        return cal
    est = {d: n for d, n in notes.items() if d >= first_estimated}
    # A swapped day off (调休) is a guess, and so is the weekday a statutory day falling on
    # a weekend is made up on (补假, always the next one so far, but not by law): in
    # another arrangement either may be worked.
    work = {
        d
        for d, n in est.items()
        if n.kind == "estimated_rest" and ("调休" in n.name_zh or "补假" in n.name_zh)
    }
    certain = {d for d, n in est.items() if n.kind == "estimated_rest"} - work
    # Weekend days near a swap (a swapped day off or a make-up workday) may be the ones
    # worked in another arrangement; far from any swap, a weekend stays a weekend.
    anchors = sorted(work | {d for d, n in est.items() if n.kind == "estimated_work"})
    reach = dt.timedelta(days=_SWAP_REACH)
    for anchor in anchors:
        d = max(anchor - reach, first_estimated)
        while d <= min(anchor + reach, last):
            if d.weekday() >= 5 and d not in certain:
                work.add(d)
            d += dt.timedelta(days=1)
    if not work:
        return cal
    return cal.with_days(work=sorted(work), name="最早可能安排")


class Builder:
    """The context of one notice, recording every placeholder it prints."""

    def __init__(
        self, request: Request, details: Details, kind: str, *, earliest: bool = False
    ) -> None:
        self.request = request
        self.details = details
        self.kind = kind
        self.earliest = earliest
        self.missing: list[MissingElement] = []
        self.law = "2008" if request.rules.in_force_from < dt.date(2019, 5, 15) else "2019"
        # The substance of an answer (its kind, its grounds) follows the text in force on the
        # answer's date (LEGAL.md §5.6; 立法法 art 104): an older request answered from
        # 2019-05-15 is answered under the 2019 text. Set per notice by render_notice.
        self.substance = self.law

    def blank(self, label: str, key: str = "", source: str = "details") -> str:
        """A placeholder for a mandatory element, recorded for :func:`notice_missing`."""
        if label not in self.missing:
            self.missing.append(MissingElement(label, key, source))
        return PLACEHOLDER.format(label)

    def check(self, label: str, key: str) -> str:
        """A visible warning where the recorded events make the notice unlawful."""
        if label not in self.missing:
            self.missing.append(MissingElement(label, key, "check"))
        return WARNING.format(label)

    def need(self, key: str, kind: str | None = None) -> str:
        """The detail ``key``, or the placeholder its label (for this notice kind) names."""
        value = self.details.get(key)
        if value:
            return str(value)
        label, _mandatory = NOTICE_DETAILS[kind or self.kind][key]
        return self.blank(label, key)

    def last(self, day: dt.date | None, what: str = "期限届满之日", *, own: bool = True) -> str:
        """
        A last day that counts, saying so, and saying when it rests on estimated days. In
        the earliest-date mode the agency's ``own`` deadlines are printed without comment
        (they were counted on the earliest calendar); another's deadline keeps the note.
        """
        if day is None:
            return self.blank(what, "", "check")
        text = f"{cn_date(day)}（含当日"
        if getattr(day, "estimated", False) and not (self.earliest and own):
            text += "；" + ESTIMATED_NOTE
        return text + "）"

    def local(self, key: str) -> str:
        """The article a local profile cites for ``key`` beyond its base Regulations."""
        field = FIELD_OF.get(key)
        if field is None:
            return ""
        own = self.request.rules.citations.get(field, "")
        return "" if own.startswith("条例") else own

    def cite(self, key: str, what: str) -> str:
        """The full citation behind step ``key`` (with a local rule's), or a placeholder."""
        from ._notice_elements import FEE_RULES

        article = ARTICLES[self.law][key]
        local = self.local(key)
        parts = [LAW[self.law] + article] if article else []
        if local:
            parts.append(quoted(local))
        if key == "fee" and self.law == "2019":
            parts.append(FEE_RULES)
        if not parts:
            return self.details.get("legal_basis") or self.blank(f"{what}的法律依据", "legal_basis")
        return "和".join(parts)

    def cite_outcome(self, outcome: Outcome) -> str:
        if not outcome.article.startswith("条例"):
            return ""  # an answer outside the Regulations' own articles (report categories)
        if self.substance == "2008":
            article = OUTCOME_2008.get(outcome)
            if article is None:
                return self.details.get("legal_basis") or self.blank(
                    f"{outcome.label}答复的法律依据（2008年条例无对应条款）", "legal_basis"
                )
            return LAW["2008"] + article
        return LAW["2019"] + outcome.article[2:]

    def cite_ground(self, ground: Ground) -> str:
        if self.substance == "2008":
            article = GROUND_2008.get(ground)
            return LAW["2008"] + article if article else ""
        if ground.article.startswith("条例"):
            return LAW["2019"] + ground.article[2:]
        return ground.article


def quoted(title: str) -> str:
    """A local rule's citation in 《》, unless it has them already."""
    return title if title.startswith("《") else f"《{title}》"

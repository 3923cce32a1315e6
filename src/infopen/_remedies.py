"""
The remedy laws as dated data: which window an act opens is set by the law in force on
the act's date (a decision) or on the day the duty period ended (silence).

References:
    * 行政复议法 (1999, in force 1999-10-01 to 2023-12-31) art 9 ¶1: 60 days from knowing.
    * 行政复议法 (2023, in force 2024-01-01) art 20 ¶1 (60 days), ¶3 (at most one year from
      knowing the act when the notice left out the right, the body or the period), art 21
      (five years from the act at the outside).
    * 行政复议法实施条例 (2007) art 16 ¶1 (一): against a failure to perform a duty with a
      set period, the 60 days run from the day that period ends.
    * 行政诉讼法 (1989, in force 1990-10-01 to 2015-04-30) art 39: three months; art 38 ¶2:
      15 days after receiving the reconsideration decision.
    * 行政诉讼法 (2014 revision, in force 2015-05-01; 2017 text) art 45 (15 days after the
      reconsideration decision), art 46 ¶1 (six months), ¶2 (five years at the outside).
    * 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 (法释〔2018〕1号, in force
      2018-02-08) art 64 (one year from knowing the act when it did not state the period)
      and art 66 (six months from the end of the duty period against a failure to act).
      These settle LEGAL.md §8 item 5.
    * 民事诉讼法 (2023) art 85 (the first day is not counted; a period ending on a rest day
      ends on the next working day), applied through 行政诉讼法 art 101 and 行政复议法 art 88.

    * The reconsideration body's own period: 行政复议法 (1999) art 31 ¶1 (60 days from
      acceptance, extendable by at most 30); 行政复议法 (2023) art 62 ¶1 (the same) and ¶2
      (30 days in the simplified procedure, which information cases may use, art 53 (四));
      LEGAL.md §0 rows 23-24. A suit may follow within 15 days after that period ends with
      no decision (行政诉讼法 art 45).

Checked With:
    * LEGAL.md §5.3 and §5.6.

Limitations:
    * Before 2018-02-08 the one-year rule for lawsuits and the silence window are not
      modelled (the 2000 interpretation had its own two-year rule): such windows show no
      date, and say so.
    * Real-property cases (20 years) are outside the scope of information requests.
    * The body's period counts from acceptance (受理); the library counts it from the
      application, which no later acceptance can precede, and says so. It shows the ordinary
      60 days: an approved extension (at most 30 days) or the simplified procedure (30 days)
      are not recorded events.
"""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = [
    "DECISION_PERIODS",
    "REMEDY_LAWS",
    "DecisionPeriod",
    "RemedyLaw",
    "decision_period",
    "remedy_law",
]


@attrs.frozen
class RemedyLaw:
    """One remedy law with the days it was in force and its windows."""

    kind: str  # "reconsideration" | "lawsuit"
    name: str
    start: dt.date
    end: dt.date | None
    days: int | None  # calendar days from knowing of the act
    months: int | None  # months from knowing of the act
    article: str
    after_reconsideration_days: int | None  # calendar days from receiving the decision
    after_reconsideration_article: str
    untold_years: int | None  # cap when the notice did not state the remedy
    untold_article: str
    untold_from: dt.date | None  # the day the cap began to apply
    outer_years: int | None  # from the act, at the outside
    outer_article: str
    silence_months: int | None  # from the end of the duty period
    silence_days: int | None
    silence_article: str
    silence_from: dt.date | None


# fmt: off
REMEDY_LAWS: tuple[RemedyLaw, ...] = (
    # 行政复议法 (1999) art 9 ¶1; silence under the 实施条例 (2007) art 16 ¶1 (一).
    RemedyLaw("reconsideration", "行政复议法（1999）", dt.date(1999, 10, 1), dt.date(2023, 12, 31),
              60, None, "行政复议法（1999）第九条第一款", None, "", None, "", None, None, "",
              None, 60, "行政复议法（1999）第九条第一款；行政复议法实施条例第十六条第一款第（一）项",
              dt.date(2007, 8, 1)),
    # 行政复议法 (2023) arts 20, 21; silence as above (the 实施条例 was not repealed).
    RemedyLaw("reconsideration", "行政复议法（2023）", dt.date(2024, 1, 1), None,
              60, None, "行政复议法第二十条第一款", None, "", 1, "行政复议法第二十条第三款",
              dt.date(2024, 1, 1), 5, "行政复议法第二十一条",
              None, 60, "行政复议法第二十条第一款；行政复议法实施条例第十六条第一款第（一）项",
              dt.date(2024, 1, 1)),
    # 行政诉讼法 (1989) arts 38 ¶2, 39.
    RemedyLaw("lawsuit", "行政诉讼法（1989）", dt.date(1990, 10, 1), dt.date(2015, 4, 30),
              None, 3, "行政诉讼法（1989）第三十九条", 15, "行政诉讼法（1989）第三十八条第二款",
              None, "", None, None, "", None, None, "", None),
    # 行政诉讼法 (2014/2017) arts 45, 46; 法释〔2018〕1号 arts 64, 66.
    RemedyLaw("lawsuit", "行政诉讼法（2014）", dt.date(2015, 5, 1), None,
              None, 6, "行政诉讼法第四十六条第一款", 15, "行政诉讼法第四十五条",
              1, "法释〔2018〕1号第六十四条", dt.date(2018, 2, 8), 5, "行政诉讼法第四十六条第二款",
              6, None, "法释〔2018〕1号第六十六条", dt.date(2018, 2, 8)),
)
# fmt: on


def remedy_law(kind: str, on: dt.date) -> RemedyLaw:
    """
    The ``kind`` remedy law in force on ``on``; the earliest one for days before it existed.

    Raises:
        KeyError: for an unknown ``kind``.
    """
    rows = [law for law in REMEDY_LAWS if law.kind == kind]
    if not rows:
        raise KeyError(kind)
    for law in rows:
        if law.start <= on and (law.end is None or on <= law.end):
            return law
    return rows[0]


@attrs.frozen
class DecisionPeriod:
    """The reconsideration body's period to decide under one law, with its article."""

    name: str
    start: dt.date
    end: dt.date | None
    days: int  # calendar days from acceptance
    extension_days: int  # at most, with approval
    simplified_days: int | None  # the simplified procedure, where the law has one
    article: str
    note: str


# fmt: off
DECISION_PERIODS: tuple[DecisionPeriod, ...] = (
    # 行政复议法 (1999) art 31 ¶1: 60 days from acceptance, at most 30 more.
    DecisionPeriod("行政复议法（1999）", dt.date(1999, 10, 1), dt.date(2023, 12, 31), 60, 30, None,
                   "行政复议法（1999）第三十一条第一款",
                   "自受理之日起六十日；情况复杂的经批准可延长不超过三十日"),
    # 行政复议法 (2023) art 62: 60 days (+ at most 30); 30 days in the simplified procedure.
    DecisionPeriod("行政复议法（2023）", dt.date(2024, 1, 1), None, 60, 30, 30,
                   "行政复议法第六十二条第一款",
                   "自受理之日起六十日；情况复杂的经批准可延长不超过三十日；"
                   "适用简易程序的为三十日（第六十二条第二款）"),
)
# fmt: on


def decision_period(applied_on: dt.date) -> DecisionPeriod:
    """The reconsideration body's period under the law in force on ``applied_on``."""
    for period in DECISION_PERIODS:
        if period.start <= applied_on and (period.end is None or applied_on <= period.end):
            return period
    return DECISION_PERIODS[0]

"""Literal due dates around holidays, both profiles, remedies and local profiles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from infopen import PRC_2008, PRC_2019, Ground, Outcome, Request, Rules

D = dt.date
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("rules", "received", "due"),
    [
        # Spring Festival 2026: 15-23 Feb off; Saturdays 14 and 28 Feb worked.
        (PRC_2019, D(2026, 2, 13), D(2026, 3, 19)),
        # Spring Festival 2025: 28 Jan-4 Feb off; Sunday 26 Jan and Saturday 8 Feb worked.
        (PRC_2019, D(2025, 1, 24), D(2025, 2, 27)),
        # National Day 2025: 1-8 Oct off; Sunday 28 Sep and Saturday 11 Oct worked.
        (PRC_2019, D(2025, 9, 26), D(2025, 10, 30)),
        # Year end: New Year 2026 (1-3 Jan off, Sunday 4 Jan worked).
        (PRC_2019, D(2025, 12, 15), D(2026, 1, 13)),
        # 2008 Regulations: 15 working days (art 24). National Day 2018: 1-7 Oct off,
        # Saturday 29 and Sunday 30 Sep worked; Mid-Autumn 22-24 Sep off.
        (PRC_2008, D(2018, 9, 20), D(2018, 10, 17)),
        (PRC_2008, D(2019, 5, 14), D(2019, 6, 4)),
    ],
)
def test_reply_due_dates(rules: Rules, received: dt.date, due: dt.date) -> None:
    """The reply due date is the n-th working day after receipt under each profile."""
    r = Request.receive(received, rules=rules)
    assert r.status(received).due_date == due
    r.extend(due, workdays=rules.extension_max_workdays)
    ext = r.status(due).due_date
    assert ext is not None
    assert r.calendar.workdays_between(due, ext) == rules.extension_max_workdays


def test_2019_rules_refuse_earlier_receipt() -> None:
    """Requests received before 2019-05-15 fall under the 2008 Regulations: say so."""
    with pytest.raises(ValueError, match="PRC_2008"):
        Request.receive(D(2019, 5, 14), rules=PRC_2019)
    assert Request.receive(D(2019, 5, 15)).rules is PRC_2019


def test_no_rules_picks_the_profile_in_force_on_receipt() -> None:
    """receive() and replay() with no rules use PRC_2008 up to 2019-05-14, PRC_2019 from 05-15."""
    assert Request.receive(D(2019, 5, 14)).rules is PRC_2008
    assert Request.receive(D(2019, 5, 15)).rules is PRC_2019
    old = Request.receive(D(2019, 5, 14)).to_dict()["events"]
    assert Request.replay(old).rules is PRC_2008
    bare = {"format": "infopen.request/1", "request_id": "r", "events": old}
    assert Request.from_dict(bare).rules is PRC_2008  # a document naming no profile


def test_2008_profile_has_no_correction_clock() -> None:
    """The 2008 profile knows no 7-working-day correction notice rule and cites art 24."""
    r = Request.receive(D(2018, 9, 20), rules=PRC_2008)
    assert "correction_notice" not in [d.name for d in r.deadlines(D(2018, 9, 20))]
    assert PRC_2008.article("reply_workdays") == "条例（2008）第二十四条第二款"
    assert PRC_2019.article("reply_workdays") == "条例第三十三条第二款"


@pytest.mark.parametrize(
    ("decided", "reconsideration", "lawsuit"),
    [
        # 60 calendar days; a last day on a rest day moves to the next working day.
        (D(2026, 3, 2), D(2026, 5, 6), D(2026, 9, 2)),  # 1 May falls in the Labour Day break
        (D(2026, 8, 31), D(2026, 10, 30), D(2027, 2, 28)),  # no 31 Feb: the month's last day
        (D(2025, 10, 20), D(2025, 12, 19), D(2026, 4, 20)),
    ],
)
def test_remedy_windows(decided: dt.date, reconsideration: dt.date, lawsuit: dt.date) -> None:
    """复议 within 60 calendar days, a lawsuit within 6 months, rolled past rest days."""
    r = Request.receive(decided - dt.timedelta(days=7))
    r.decide(decided, Outcome.DISCLOSED)
    windows = {d.name: d for d in r.deadlines(decided)}
    assert windows["reconsideration"].due == reconsideration
    assert windows["reconsideration"].unit == "calendar days"
    if lawsuit.year <= 2026:
        assert windows["lawsuit"].due == lawsuit
        assert not windows["lawsuit"].estimated
    else:  # past the announced years: a weekday estimate, marked as such
        assert windows["lawsuit"].estimated


def test_refusal_from_2024_needs_reconsideration_first() -> None:
    """行政复议法 (2023) art 23: a refusal dated from 2024-01-01 goes to reconsideration first."""
    r = Request.receive(D(2024, 3, 1))
    r.decide(D(2024, 3, 20), Outcome.REFUSED, grounds=[Ground.PROCESS_INFORMATION])
    lawsuit = {d.name: d for d in r.deadlines(D(2024, 3, 20))}["lawsuit"]
    assert lawsuit.due is None
    assert "先申请行政复议" in lawsuit.note
    r.file_lawsuit(D(2024, 4, 1))
    assert "LAWSUIT_BEFORE_RECONSIDERATION" in [v.code for v in r.violations(D(2024, 4, 1))]
    old = Request.receive(D(2023, 3, 1))
    old.decide(D(2023, 3, 20), Outcome.REFUSED, grounds=[Ground.PROCESS_INFORMATION])
    lawsuit = {d.name: d for d in old.deadlines(D(2023, 3, 20))}["lawsuit"]
    assert lawsuit.due == D(2023, 9, 20)


def test_local_profile_from_toml() -> None:
    """A local rule is data: a 5-working-day review stage and a 30-day extension cap."""
    rules = Rules.from_toml(DATA / "local_rules.toml")
    assert (rules.review_workdays, rules.extension_max_workdays) == (5, 30)
    assert rules.article("review_workdays") == "某市政府信息公开规定（示例）第十条"
    r = Request.receive(D(2026, 9, 28), rules=rules)
    review = {d.name: d for d in r.deadlines(D(2026, 9, 28))}["review"]
    assert review.due == D(2026, 10, 10)  # 29, 30 Sep, 8, 9 Oct and Saturday 10 Oct
    r.extend(D(2026, 10, 20), workdays=30)
    assert r.status(D(2026, 10, 20)).due_date == D(2026, 12, 11)
    codes = [v.code for v in r.violations(D(2026, 10, 20))]
    # The first step came after the review stage; and a local rule cannot stretch the
    # 条例's 20 working days (art 33 ¶2), whatever it says.
    assert codes == ["EXTENSION_BEYOND_REGULATION", "LATE_REVIEW"]
    assert Request.from_dict(r.to_dict()) == r  # a local profile survives the round trip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("review_days = 5", "unknown rule"),
        ("reply_workdays = -1", "whole number"),
        ('base = "PRC_1999"', "not a built-in profile"),
        ("pause_on_fee = 1", "true or false"),
        ('in_force_from = "2020-13-01"', "must be a date"),
    ],
)
def test_bad_profiles_are_refused(tmp_path: Path, text: str, message: str) -> None:
    """A profile with an unknown key, a negative number or an unknown base is refused."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        Rules.from_toml(path)

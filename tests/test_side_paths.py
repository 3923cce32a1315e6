"""
The side paths of issue #17, each reproduction as a literal-date test giving the lawful
answer with its article, under the 2019 and the 2008 Regulations where both apply.

Dates were counted by hand from the State Council notices (2018: 国办发明电〔2017〕12号;
2025: 国办发明电〔2024〕12号; 2026: 国办发明电〔2025〕7号); the receipt day is never counted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import infopen
from infopen import (
    PRC_2008,
    DeliveryMethod,
    Ground,
    InvalidTransition,
    Outcome,
    Request,
    Rules,
    State,
    annual_report,
    national_calendar,
)

D = dt.date
LOCAL = Path(infopen.__file__).parent / "examples" / "local_rules.toml"


def _codes(r: Request, on: dt.date) -> list[tuple[str, str]]:
    return [(v.code, v.article) for v in r.violations(on)]


def _deadline(r: Request, name: str, on: dt.date) -> infopen.Deadline:
    return [d for d in r.deadlines(on) if d.name == name][-1]


# -- a late correction notice does not revive an expired period (art 30) -----------------


def test_late_correction_notice_leaves_the_default_standing_2019() -> None:
    r = Request.receive(D(2026, 3, 2))  # 20 working days: Monday 30 March
    r.request_correction(D(2026, 4, 10), reply_days=10)
    s = r.status(D(2026, 4, 12))
    assert (s.due_date, s.overdue, s.paused) == (D(2026, 3, 30), True, False)
    assert _codes(r, D(2026, 4, 12)) == [
        ("OVERDUE", "条例第三十三条第二款"),
        # Day 7 after 2 March is 11 March: the notice came a month late.
        ("LATE_CORRECTION_NOTICE", "条例第三十条"),
    ]
    assert [s.kind for s in r.explain(D(2026, 4, 12)).steps][:2] == ["start", "correction_ignored"]
    r.apply_for_reconsideration(D(2026, 4, 12))  # the remedy against silence lies
    assert r.events[-1].params["against"] == "silence"
    r.decide(D(2026, 4, 20), Outcome.DISCLOSED)
    assert ("LATE_DECISION", "条例第三十三条第二款") in _codes(r, D(2026, 4, 20))


def test_late_correction_notice_leaves_the_default_standing_2008() -> None:
    r = Request.receive(D(2018, 3, 1))  # 15 working days (2008 art 24): Thursday 22 March
    r.request_correction(D(2018, 4, 2), reply_days=10)
    s = r.status(D(2018, 4, 4))
    assert (s.due_date, s.overdue, s.paused) == (D(2018, 3, 22), True, False)
    assert _codes(r, D(2018, 4, 4)) == [("OVERDUE", "条例（2008）第二十四条第二款")]
    step = r.explain(D(2018, 4, 4)).steps[1]
    assert (step.kind, step.article) == ("correction_ignored", "条例（2008）第二十一条第（四）项")
    r.apply_for_reconsideration(D(2018, 4, 4))
    r.decide(D(2018, 4, 20), Outcome.DISCLOSED)
    assert _codes(r, D(2018, 4, 20)) == [("LATE_DECISION", "条例（2008）第二十四条第二款")]


def test_correction_notice_in_time_still_restarts() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.request_correction(D(2026, 3, 10), reply_by=D(2026, 3, 20), delivered_on=D(2026, 3, 10))
    r.receive_correction(D(2026, 3, 16))
    assert r.status(D(2026, 3, 16)).due_date == D(2026, 4, 14)  # 4-6 April are 清明


# -- an art 35 delayed date set after the period ran out launders nothing ---------------


def test_late_delayed_deadline_is_flagged_and_changes_nothing() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.ask_for_reasons(D(2026, 4, 10))
    with pytest.raises(InvalidTransition, match=r"delay\.on_workday; 条例第三十五条") as info:
        r.set_delayed_deadline(D(2026, 4, 15), due=D(2026, 5, 30))  # a Saturday
    assert "2026-06-01" in str(info.value)  # the next working day is suggested
    r.set_delayed_deadline(D(2026, 4, 15), due=D(2026, 5, 29))
    assert r.status(D(2026, 4, 15)).due_date == D(2026, 3, 30)
    r.decide(D(2026, 5, 20), Outcome.DISCLOSED)
    assert _codes(r, D(2026, 5, 20)) == [
        ("LATE_DECISION", "条例第三十三条第二款"),
        ("LATE_DELAYED_DEADLINE", "条例第三十五条"),
    ]


def test_delayed_date_must_be_later_than_the_reply_due_date() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.ask_for_reasons(D(2026, 3, 10))
    with pytest.raises(InvalidTransition, match=r"delay\.later_than_reply_due; 条例第三十五条"):
        r.set_delayed_deadline(D(2026, 3, 12), due=D(2026, 3, 27))
    r.set_delayed_deadline(D(2026, 3, 12), due=D(2026, 4, 30))
    assert r.status(D(2026, 3, 12)).due_date == D(2026, 4, 30)


def test_2008_has_no_art_35() -> None:
    r = Request.receive(D(2018, 5, 10))
    with pytest.raises(InvalidTransition, match=r"reasons\.in_profile; 条例第三十五条"):
        r.ask_for_reasons(D(2018, 5, 11))
    with pytest.raises(InvalidTransition, match=r"decide\.excessive_in_profile"):
        r.decide(D(2018, 5, 11), Outcome.EXCESSIVE)


# -- an answer after a remedy against silence ----------------------------------------------


@pytest.mark.parametrize(
    ("received", "remedy", "answered", "article", "year"),
    [
        (D(2025, 11, 3), D(2025, 12, 10), D(2025, 12, 20), "条例第三十三条第二款", 2025),
        (D(2018, 11, 1), D(2018, 12, 10), D(2018, 12, 20), "条例（2008）第二十四条第二款", 2018),
    ],
)
def test_answer_after_a_remedy_against_silence(
    received: dt.date, remedy: dt.date, answered: dt.date, article: str, year: int
) -> None:
    r = Request.receive(received)
    r.apply_for_reconsideration(remedy)
    r.decide(answered, Outcome.DISCLOSED)
    assert (r.state, r.outcome) == (State.IN_RECONSIDERATION, Outcome.DISCLOSED)
    assert _codes(r, answered) == [("LATE_DECISION", article)]
    with pytest.raises(InvalidTransition, match=r"decide\.after_silence_remedy"):
        r.decide(answered + dt.timedelta(days=1), Outcome.NOT_HELD)  # answered once only
    report = annual_report([r], year)
    assert report.table3["(一)"][-1] == 1  # a decision of its own, in table 三 in its year
    assert report.table3["四"][-1] == 0  # not carried over
    assert report.table4["行政复议"]["尚未审结"] == 1


def test_answer_in_every_state_after_a_silence_remedy() -> None:
    for steps in (
        lambda r: r.reconsideration_decided(D(2026, 5, 20), infopen.Result.CORRECTED),
        lambda r: r.file_lawsuit(D(2026, 6, 20)),  # the body's 60 days ran out on 9 June
        lambda r: (
            r.file_lawsuit(D(2026, 6, 20)),
            r.lawsuit_decided(D(2026, 8, 3), infopen.Result.CORRECTED),
        ),
    ):
        r = Request.receive(D(2026, 3, 2))
        r.apply_for_reconsideration(D(2026, 4, 10))
        steps(r)
        state = r.state
        r.decide(D(2026, 8, 10), Outcome.DISCLOSED)
        assert (r.state, r.outcome) == (state, Outcome.DISCLOSED)
    answered = Request.receive(D(2026, 3, 2))
    answered.decide(D(2026, 3, 20), Outcome.DISCLOSED)
    answered.apply_for_reconsideration(D(2026, 4, 1))
    with pytest.raises(InvalidTransition, match=r"decide\.after_silence_remedy"):
        answered.decide(D(2026, 4, 10), Outcome.DISCLOSED)


# -- a suit after the reconsideration body's period ran out (行政诉讼法 art 45) ------------


def test_suit_after_the_reconsideration_period_2019() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.decide(D(2026, 3, 20), Outcome.REFUSED, grounds=[Ground.STATE_SECRET])
    r.apply_for_reconsideration(D(2026, 4, 1))
    body = _deadline(r, "reconsideration_decision", D(2026, 4, 1))
    # 60 days from 1 April: Sunday 31 May, so Monday 1 June (行政复议法 art 62 ¶1; art 88).
    assert (body.due, body.article, body.met) == (D(2026, 6, 1), "行政复议法第六十二条第一款", None)
    with pytest.raises(
        InvalidTransition, match=r"lawsuit\.reconsideration_period_over; 行政诉讼法第四十五条"
    ):
        r.file_lawsuit(D(2026, 5, 20))
    r.file_lawsuit(D(2026, 8, 1))
    assert r.state is State.IN_LITIGATION
    suit = _deadline(r, "lawsuit_after_reconsideration", D(2026, 8, 1))
    # 15 days after 1 June: 16 June; this suit is late, recorded and flagged.
    assert (suit.due, suit.article, suit.met) == (D(2026, 6, 16), "行政诉讼法第四十五条", False)
    assert not [c for c, _a in _codes(r, D(2026, 8, 1)) if c == "LAWSUIT_BEFORE_RECONSIDERATION"]


def test_suit_after_the_reconsideration_period_2008() -> None:
    r = Request.receive(D(2018, 3, 1))
    r.decide(D(2018, 3, 20), Outcome.REFUSED, grounds=[Ground.STATE_SECRET])
    r.apply_for_reconsideration(D(2018, 4, 2))
    body = _deadline(r, "reconsideration_decision", D(2018, 4, 2))
    # 60 days from 2 April 2018: Friday 1 June (行政复议法 (1999) art 31 ¶1).
    assert (body.due, body.article) == (D(2018, 6, 1), "行政复议法（1999）第三十一条第一款")
    r.file_lawsuit(D(2018, 6, 10))
    suit = _deadline(r, "lawsuit_after_reconsideration", D(2018, 6, 10))
    assert (suit.due, suit.met) == (D(2018, 6, 19), True)  # 16 June a Saturday, 18 June 端午


# -- the 2008 profile is the 2008 law --------------------------------------------------------


def test_2008_has_no_agency_pause_and_a_plain_cost_fee() -> None:
    r = Request.receive(D(2018, 5, 10))
    assert r.status(D(2018, 5, 10)).due_date == D(2018, 5, 31)  # 15 working days
    r.consult_agency(D(2018, 5, 14))
    assert r.status(D(2018, 5, 20)).paused is False
    assert r.status(D(2018, 5, 20)).due_date == D(2018, 5, 31)  # 2008 art 24 ¶3: third parties only
    r.agency_replied(D(2018, 5, 25))
    r.send_fee_notice(D(2018, 5, 28), amount=20)
    assert r.status(D(2018, 6, 5)).paused is False  # no pause for the 2008 cost fee
    assert "fee_payment" not in [d.name for d in r.deadlines(D(2018, 6, 5))]
    with pytest.raises(InvalidTransition, match=r"abandon\.fee_window_exists"):
        r.abandon(D(2018, 7, 5))
    cited = [s.article for s in r.explain(D(2018, 6, 5)).steps]
    cited += [d.article for d in r.deadlines(D(2018, 6, 5))]
    assert not [a for a in cited if "109" in a]
    assert r.explain(D(2018, 6, 5)).undelivered == ()  # no period runs from those letters


def test_cli_deadline_counts_15_working_days_for_a_2008_receipt() -> None:
    typer = pytest.importorskip("typer.testing")
    from infopen._cli import app

    result = typer.CliRunner().invoke(app, ["deadline", "2018-05-10"])
    assert result.exit_code == 0, result.output
    assert "第 15 个工作日：2018-05-31" in result.output
    result = typer.CliRunner().invoke(app, ["deadline", "2026-03-02"])
    assert "第 20 个工作日：2026-03-30" in result.output
    result = typer.CliRunner().invoke(app, ["deadline", "2018-05-10", "--extend", "20"])
    assert result.exit_code != 0


# -- local profiles cannot stretch the 条例 -----------------------------------------------


def test_local_extension_beyond_the_regulation_is_a_violation() -> None:
    local = Rules.from_toml(LOCAL)
    r = Request.receive(D(2026, 9, 28), rules=local)
    r.extend(D(2026, 10, 20), workdays=30)
    assert ("EXTENSION_BEYOND_REGULATION", "条例第三十三条第二款") in _codes(r, D(2026, 10, 20))
    steps = [(s.kind, s.workdays, s.article) for s in r.explain(D(2026, 10, 20)).steps]
    assert ("extension", 20, "条例第三十三条第二款") in steps
    assert ("extension_local", 10, "某市政府信息公开规定（示例）第十二条") in steps
    national = Request.receive(D(2026, 9, 28))
    national.extend(D(2026, 10, 20), workdays=20)
    assert not _codes(national, D(2026, 10, 20))


def test_local_profile_on_the_2008_text_is_held_to_15_working_days() -> None:
    local = Rules.from_dict(
        {"base": "PRC_2008", "name": "某市旧规定", "extension_max_workdays": 20,
         "citations": {**PRC_2008.citations, "extension_max_workdays": "某市旧规定第九条"}}
    )  # fmt: skip
    r = Request.receive(D(2018, 5, 10), rules=local)
    r.extend(D(2018, 5, 30), workdays=20)
    assert ("EXTENSION_BEYOND_REGULATION", "条例（2008）第二十四条第二款") in _codes(
        r, D(2018, 5, 30)
    )


# -- corrections ---------------------------------------------------------------------------


@pytest.mark.parametrize("received", [D(2026, 3, 2), D(2018, 3, 1)])
def test_reply_by_on_a_rest_day_moves_to_the_next_working_day(received: dt.date) -> None:
    r = Request.receive(received)
    saturday = D(received.year, 3, 10 if received.year == 2018 else 7)
    assert saturday.weekday() == 5
    r.request_correction(received + dt.timedelta(days=2), reply_by=saturday,
                         delivered_on=received + dt.timedelta(days=2))  # fmt: skip
    period = _deadline(r, "correction_reply", saturday)
    assert period.due == saturday + dt.timedelta(days=2)  # the Monday
    with pytest.raises(InvalidTransition, match=r"abandon\.correction_period_over"):
        r.abandon(saturday + dt.timedelta(days=2))
    r.abandon(saturday + dt.timedelta(days=3))
    assert r.outcome is Outcome.ABANDONED_NO_CORRECTION


def test_abandonment_needs_the_notice_delivered_in_time() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.request_correction(D(2026, 3, 4), reply_by=D(2026, 3, 13))
    with pytest.raises(InvalidTransition, match=r"abandon\.correction_delivered; 条例第三十条"):
        r.abandon(D(2026, 3, 20))  # a date, but the applicant may never have had the notice
    r.delivered(D(2026, 3, 16), of="request_correction", method=DeliveryMethod.POST)
    with pytest.raises(InvalidTransition, match=r"abandon\.correction_delivered_in_time"):
        r.abandon(D(2026, 3, 20))  # it arrived after its own deadline


@pytest.mark.parametrize("received", [D(2026, 3, 2), D(2018, 3, 1)])
def test_a_correction_posted_in_time_is_in_time(received: dt.date) -> None:
    r = Request.receive(received)
    asked = received + dt.timedelta(days=2)
    r.request_correction(asked, reply_days=10, delivered_on=asked)
    last = _deadline(r, "correction_reply", asked).due
    r.receive_correction(last + dt.timedelta(days=3), posted_on=last)
    period = _deadline(r, "correction_reply", last + dt.timedelta(days=3))
    assert (period.met, period.done_on) == (True, last)
    with pytest.raises(ValueError, match="posted_on"):
        Request.receive(received).receive_correction(received, posted_on=received + dt.timedelta(1))


# -- art 35 ---------------------------------------------------------------------------------


def test_excessive_needs_reasons_asked_and_answered() -> None:
    r = Request.receive(D(2026, 3, 2))
    with pytest.raises(
        InvalidTransition, match=r"decide\.excessive_after_explanation; 条例第三十五条"
    ):
        r.decide(D(2026, 3, 10), Outcome.EXCESSIVE)
    r.ask_for_reasons(D(2026, 3, 4))
    assert r.state is State.AWAITING_REASONS
    with pytest.raises(InvalidTransition, match="reasons_replied"):
        r.decide(D(2026, 3, 10), Outcome.EXCESSIVE)
    r.reasons_replied(D(2026, 3, 13), explained=False)  # the time to explain ran out
    assert r.state is State.PROCESSING
    with pytest.raises(InvalidTransition, match=r"delay\.after_reasons"):
        r.set_delayed_deadline(D(2026, 3, 16), due=D(2026, 4, 30))  # nothing was explained
    r.decide(D(2026, 3, 16), Outcome.EXCESSIVE)
    assert r.outcome is Outcome.EXCESSIVE


# -- art 15 ---------------------------------------------------------------------------------


def test_refusing_on_the_third_party_ground_after_it_consented() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.consult_third_party(D(2026, 3, 4))
    r.third_party_replied(D(2026, 3, 11), consents=True)
    r.decide(D(2026, 3, 20), Outcome.REFUSED, grounds=[Ground.THIRD_PARTY])
    assert _codes(r, D(2026, 3, 20)) == [("REFUSED_DESPITE_CONSENT", "条例第十五条")]
    # Under the 2008 text consent only allowed disclosure (2008 art 14 ¶4: "可以").
    old = Request.receive(D(2018, 3, 1))
    old.consult_third_party(D(2018, 3, 2))
    old.third_party_replied(D(2018, 3, 9), consents=True)
    old.decide(D(2018, 3, 20), Outcome.REFUSED, grounds=[Ground.THIRD_PARTY])
    assert _codes(old, D(2018, 3, 20)) == []


# -- a local rest-day receipt rule counts violations from the same day ------------------------


def test_rest_day_receipt_counts_violations_from_the_deemed_day() -> None:
    local = Rules.from_toml(LOCAL)
    r = Request.receive(D(2026, 3, 7), rules=local)  # Saturday; deemed received Monday 9 March
    r.request_correction(D(2026, 3, 18), reply_by=D(2026, 3, 27), delivered_on=D(2026, 3, 18))
    notice = _deadline(r, "correction_notice", D(2026, 3, 18))
    assert (notice.start, notice.due, notice.met) == (D(2026, 3, 9), D(2026, 3, 18), True)
    assert "LATE_CORRECTION_NOTICE" not in [c for c, _a in _codes(r, D(2026, 3, 18))]


# -- which act meets the reply deadline (国办公开办函〔2016〕235号) --------------------------


@pytest.mark.parametrize(("received", "due"), [(D(2026, 3, 2), D(2026, 3, 30)),
                                               (D(2018, 3, 1), D(2018, 3, 22))])  # fmt: skip
def test_reply_deadline_is_met_by_the_act_of_service(received: dt.date, due: dt.date) -> None:
    posted = Request.receive(received)
    posted.decide(due, Outcome.DISCLOSED, posted_on=due + dt.timedelta(days=3))
    reply = _deadline(posted, "reply", due + dt.timedelta(days=3))
    assert (reply.met, reply.done_on) == (False, due + dt.timedelta(days=3))
    assert [c for c, _a in _codes(posted, due)] == ["LATE_DECISION"]
    signed = Request.receive(received)
    signed.decide(due - dt.timedelta(days=1), Outcome.DISCLOSED, method=DeliveryMethod.DIRECT,
                  delivered_on=due + dt.timedelta(days=1))  # fmt: skip
    assert [c for c, _a in _codes(signed, due)] == ["LATE_DECISION"]
    unknown = Request.receive(received)
    unknown.decide(due, Outcome.DISCLOSED)
    reply = _deadline(unknown, "reply", due)
    assert reply.met is True
    assert "未记录交邮或签收日期" in reply.note


def test_audit_judges_timeliness_by_the_posting_day() -> None:
    from infopen._audit import audit

    rows = [{"编号": "A", "收到日期": "2026-03-02", "答复日期": "2026-03-30",
             "交邮日期": "2026-04-02", "答复结果": "予以公开"}]  # fmt: skip
    (row,) = audit(rows, as_of=D(2026, 4, 10)).rows
    assert (row.on_time, row.violations) == (False, (("LATE_DECISION", "条例第三十三条第二款"),))


def test_documents_posted_in_time_are_in_time() -> None:
    r = Request.receive(D(2026, 3, 2))
    r.send_fee_notice(D(2026, 3, 4), amount=100, delivered_on=D(2026, 3, 5))
    due = _deadline(r, "fee_payment", D(2026, 3, 5)).due
    r.fee_paid(due + dt.timedelta(days=4), posted_on=due)
    assert _deadline(r, "fee_payment", due + dt.timedelta(days=4)).met is True
    r.decide(D(2026, 4, 20), Outcome.DISCLOSED, delivered_on=D(2026, 4, 21))
    window = _deadline(r, "reconsideration", D(2026, 4, 21)).due  # 60 days from 21 April
    r.apply_for_reconsideration(window + dt.timedelta(days=3), posted_on=window)
    assert _deadline(r, "reconsideration", window + dt.timedelta(days=3)).met is True
    t = Request.receive(D(2026, 3, 2))
    t.consult_third_party(D(2026, 3, 3), delivered_on=D(2026, 3, 3))
    last = _deadline(t, "third_party", D(2026, 3, 3)).due
    t.third_party_replied(last + dt.timedelta(days=2), consents=False, posted_on=last)
    assert _deadline(t, "third_party", last + dt.timedelta(days=2)).met is True


# -- the 2027 estimate keeps to six working days in a row -----------------------------------


@pytest.mark.filterwarnings("ignore::infopen.EstimatedDateWarning")
def test_2027_estimate_has_no_run_of_seven_working_days() -> None:
    cal = national_calendar(beyond="estimate")
    day, run, longest = D(2027, 1, 1), 0, 0
    while day.year == 2027:
        run = run + 1 if cal.is_workday(day) else 0
        longest = max(longest, run)
        day += dt.timedelta(days=1)
    assert longest <= 6
    assert not cal.is_workday(D(2027, 2, 14))  # was worked: 13-19 February made seven


# -- citations ---------------------------------------------------------------------------------


def test_an_older_request_answered_from_2019_05_15_cites_the_2019_text() -> None:
    r = Request.receive(D(2019, 5, 6))  # PRC_2008: received before 2019-05-15
    r.decide(D(2019, 5, 20), Outcome.REFUSED)  # no grounds given
    assert _codes(r, D(2019, 5, 20)) == [("NO_GROUNDS", "条例第三十六条第（三）项")]
    before = Request.receive(D(2019, 5, 6))
    before.decide(D(2019, 5, 10), Outcome.REFUSED)
    assert _codes(before, D(2019, 5, 10)) == [("NO_GROUNDS", "条例（2008）第二十一条第（二）项")]


def test_withdrawal_and_confirm_or_reissue_cite_no_report_format() -> None:
    from infopen._machine import TRANSITIONS

    assert Outcome.WITHDRAWN.article == ""
    assert Outcome.CONFIRM_OR_REISSUE.article == ""
    assert not [t for t in TRANSITIONS if "30号" in t.article]


def test_administrative_query_under_2019_asks_for_no_2008_basis() -> None:
    from infopen import notice_missing
    from infopen._notices import Agency

    r = Request.receive(D(2026, 3, 2), subject="某事项")
    r.decide(D(2026, 3, 20), Outcome.REFUSED, grounds=[Ground.ADMINISTRATIVE_QUERY])
    missing = notice_missing(r, agency=Agency(name="某局", reconsideration_body="某市政府",
                                                court="某区人民法院"))  # fmt: skip
    assert not [m for m in missing if "2008" in m]


def test_show_calls_an_unused_window_expired_not_used(tmp_path: Path) -> None:
    typer = pytest.importorskip("typer.testing")
    import json

    from infopen._cli import app

    r = Request.receive(D(2025, 3, 3))
    r.decide(D(2025, 3, 20), Outcome.DISCLOSED, delivered_on=D(2025, 3, 21))
    path = tmp_path / "r.json"
    path.write_text(json.dumps(r.to_dict()), encoding="utf-8")
    zh = typer.CliRunner().invoke(app, ["show", str(path), "--as-of", "2026-01-10"])
    assert "已届满（未申请）" in zh.output
    assert "未遵守" not in zh.output
    en = typer.CliRunner().invoke(app, ["show", str(path), "--as-of", "2026-01-10", "--lang", "en"])
    assert "expired, not used" in en.output


def test_pre_2018_untold_remedy_says_not_modelled() -> None:
    r = Request.receive(D(2016, 3, 1))
    r.decide(D(2016, 3, 10), Outcome.DISCLOSED, remedies_stated=False)
    lawsuit = _deadline(r, "lawsuit", D(2016, 3, 10))
    assert "未建模" in lawsuit.note
    assert "无最长期限" not in lawsuit.note


def test_abandonment_of_a_request_put_on_hold_in_time_is_not_overdue() -> None:
    """
    A correction asked for in time (09-08, due 10-08) and never given: the deemed abandonment
    on 10-09 breaks nothing (art 30: the period restarts only on a corrected application);
    asked after the period ran out (04-10, due 03-30), the default stands beside the late
    notice.
    """
    held = Request.receive(dt.date(2026, 9, 3))
    held.request_correction(dt.date(2026, 9, 8), reply_by=dt.date(2026, 9, 23),
                            delivered_on=dt.date(2026, 9, 8))  # fmt: skip
    held.abandon(dt.date(2026, 10, 9))
    assert held.violations(dt.date(2026, 10, 10)) == ()
    late = Request.receive(dt.date(2026, 3, 2))
    late.request_correction(dt.date(2026, 4, 10), reply_days=10, delivered_on=dt.date(2026, 4, 10))
    late.abandon(dt.date(2026, 4, 30))
    codes = [v.code for v in late.violations(dt.date(2026, 5, 10))]
    assert codes == ["OVERDUE", "LATE_CORRECTION_NOTICE"]


def test_the_reconsideration_period_runs_from_acceptance() -> None:
    """
    行政复议法 art 62 ¶1: 60 days from acceptance (受理). Applied 2026-04-01, accepted 04-07:
    the period ends 06-06, a Saturday, so 06-08 (民事诉讼法 art 85); a suit on 06-08 is not
    yet possible (行政诉讼法 art 45). Without the acceptance day the period runs from the
    application (06-01) and the deadline says so.
    """

    def refused() -> Request:
        r = Request.receive(D(2026, 3, 2))
        r.decide(D(2026, 3, 20), Outcome.REFUSED, grounds=[Ground.STATE_SECRET],
                 delivered_on=D(2026, 3, 20))  # fmt: skip
        return r

    accepted = refused()
    accepted.apply_for_reconsideration(D(2026, 4, 1), accepted_on=D(2026, 4, 7))
    [due] = [d for d in accepted.deadlines(D(2026, 6, 1)) if d.name == "reconsideration_decision"]
    assert (due.due, due.start, due.article) == (
        D(2026, 6, 8),
        D(2026, 4, 7),
        "行政复议法第六十二条第一款",
    )
    with pytest.raises(infopen.TransitionNotYetError, match="until 2026-06-08"):
        accepted.file_lawsuit(D(2026, 6, 8))
    accepted.file_lawsuit(D(2026, 6, 9))
    unknown = refused()
    unknown.apply_for_reconsideration(D(2026, 4, 1))
    [due] = [d for d in unknown.deadlines(D(2026, 6, 1)) if d.name == "reconsideration_decision"]
    assert due.due == D(2026, 6, 1)
    assert "未记录受理日期" in due.note
    with pytest.raises(infopen.InvalidInputError, match="accepted_on"):
        refused().apply_for_reconsideration(D(2026, 4, 1), accepted_on=D(2026, 3, 31))

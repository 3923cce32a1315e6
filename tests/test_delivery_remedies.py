"""
Delivery (送达), remedies against silence, the law in force on the day, extensions in
total, facts a notice may assert, and rest-day receipt: literal 2026 dates counted by hand
from the 2026 notice (国办发明电〔2025〕7号: 4-6 April off for 清明).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import infopen
from infopen import (
    PRC_2008,
    PRC_2019,
    Agency,
    DeliveryMethod,
    Event,
    Ground,
    InvalidTransition,
    Outcome,
    Request,
    Result,
    Rules,
    State,
    render_notice,
)

D = dt.date


_RECORDING = ("event_id", "recorded_at")


def _fact(event: Event) -> dict[str, object]:
    """An event's JSON form without its id and recording time (which every event has)."""
    return {k: v for k, v in event.to_dict().items() if k not in _RECORDING}


AGENCY = Agency("某市某区住房和城乡建设局", reconsideration_body="某市某区人民政府")


def _deadline(r: Request, name: str, as_of: dt.date) -> infopen.Deadline:
    return next(d for d in r.deadlines(as_of) if d.name == name)


# -- the five reproductions of the issue ---------------------------------------------


def test_reconsideration_runs_from_receipt_of_the_answer() -> None:
    """Answered 03-20, received 03-27: the 60 days end 05-26, so 05-22 is in time."""
    r = Request.receive(D(2026, 3, 2))
    r.decide(D(2026, 3, 20), Outcome.NOT_HELD)
    r.delivered(D(2026, 3, 27), of="decide", method=DeliveryMethod.POST)
    r.apply_for_reconsideration(D(2026, 5, 22))
    d = _deadline(r, "reconsideration", D(2026, 5, 22))
    assert (d.start, d.due, d.met, d.delivery_assumed) == (
        D(2026, 3, 27),
        D(2026, 5, 26),
        True,
        False,
    )
    assert _fact(r.events[1]) == {"type": "decide", "on": "2026-03-20", "outcome": "NOT_HELD"}
    assert _fact(r.events[2]) == {
        "type": "delivered",
        "on": "2026-03-27",
        "of": "decide",
        "method": "POST",
    }


def test_lawsuit_runs_15_days_from_receipt_of_the_reconsideration_decision() -> None:
    """Decided 07-01, received 07-06: 行政诉讼法 art 45 gives until 07-21; 07-20 is in time."""
    r = Request.receive(D(2026, 3, 2))
    r.decide(D(2026, 3, 20), Outcome.NOT_HELD, delivered_on=D(2026, 3, 20))
    r.apply_for_reconsideration(D(2026, 4, 1))
    r.reconsideration_decided(D(2026, 7, 1), Result.UPHELD)
    r.delivered(D(2026, 7, 6), of="reconsideration_decided")
    r.file_lawsuit(D(2026, 7, 20))
    d = _deadline(r, "lawsuit_after_reconsideration", D(2026, 7, 20))
    assert (d.start, d.due, d.met, d.article) == (
        D(2026, 7, 6),
        D(2026, 7, 21),
        True,
        "行政诉讼法第四十五条",
    )


def test_fee_window_runs_from_receipt_and_abandon_waits_for_it() -> None:
    """Notice 03-10, received 03-16: 20 working days end 04-14; abandoning on 04-09 is refused."""
    r = Request.receive(D(2026, 3, 2))
    r.send_fee_notice(D(2026, 3, 10), amount=100)
    with pytest.raises(InvalidTransition, match="delivered"):
        r.abandon(D(2026, 4, 20))  # receipt not recorded: the window may still be open
    assert _deadline(r, "fee_payment", D(2026, 3, 10)).due == D(2026, 4, 8)
    assert _deadline(r, "fee_payment", D(2026, 3, 10)).delivery_assumed
    r.delivered(D(2026, 3, 16), of="send_fee_notice")
    d = _deadline(r, "fee_payment", D(2026, 4, 9))
    assert (d.start, d.due, d.met, d.delivery_assumed) == (
        D(2026, 3, 16),
        D(2026, 4, 14),
        None,
        False,
    )
    before = r.to_dict()
    with pytest.raises(InvalidTransition, match="2026-04-14"):
        r.abandon(D(2026, 4, 9))
    assert r.to_dict() == before
    text = str(render_notice(r, agency=AGENCY, event=1))
    assert "自收到本通知之日起20个工作日内" in text
    assert "于2026年4月8日前" not in text
    r.abandon(D(2026, 4, 15))
    assert r.outcome is Outcome.ABANDONED_UNPAID_FEE
    closing = str(render_notice(r, agency=AGENCY))
    assert "您于2026年3月16日收到" in closing
    assert "至2026年4月14日（含当日）届满" in closing


def test_third_party_period_and_pause_run_from_receipt_of_the_letter() -> None:
    """Letter 03-10, received 03-13: 15 working days end 04-03, and so does the pause."""
    r = Request.receive(D(2026, 3, 2))
    r.consult_third_party(D(2026, 3, 10), delivered_on=D(2026, 3, 13), method=DeliveryMethod.DIRECT)
    d = _deadline(r, "third_party", D(2026, 4, 10))
    assert (d.start, d.due, d.met) == (D(2026, 3, 13), D(2026, 4, 3), False)
    pause = next(s for s in r.explain(D(2026, 4, 10)).steps if s.kind == "pause")
    assert (pause.on, pause.until) == (D(2026, 3, 10), D(2026, 4, 3))
    letter = str(render_notice(r, agency=AGENCY, event=1))
    assert "自收到本函之日起15个工作日内书面提出" in letter  # no date that assumes a delivery day
    # The other agency's 15 working days (art 34) likewise.
    a = Request.receive(D(2026, 3, 2))
    a.consult_agency(D(2026, 3, 10))
    a.delivered(D(2026, 3, 13), of="consult_agency")
    assert _deadline(a, "agency", D(2026, 3, 13)).due == D(2026, 4, 3)


def test_reconsideration_against_silence() -> None:
    """Received 03-02, never answered (due 03-30): reconsideration on 04-15 is accepted."""
    r = Request.receive(D(2026, 3, 2))
    with pytest.raises(InvalidTransition, match="2026-03-30"):
        r.apply_for_reconsideration(D(2026, 3, 30))  # the last day to answer
    r.apply_for_reconsideration(D(2026, 4, 15))
    assert r.state is State.IN_RECONSIDERATION
    assert r.events[-1].params == {"against": "silence"}
    d = _deadline(r, "reconsideration", D(2026, 4, 15))
    # 60 days from the end of the duty period (行政复议法实施条例 art 16 ¶1 (一)).
    assert (d.start, d.due, d.met) == (D(2026, 3, 30), D(2026, 5, 29), True)
    assert "实施条例第十六条" in d.article
    assert [(v.code, v.on) for v in r.violations(D(2026, 4, 15))] == [("OVERDUE", D(2026, 4, 15))]


# -- remedies against silence: the lawsuit, lateness, the report -------------------------


def test_lawsuit_against_silence_has_six_months_from_the_end_of_the_duty_period() -> None:
    """法释〔2018〕1号 art 66: 03-30 + 6 months = 09-30; a suit on 10-08 is recorded as late."""
    r = Request.receive(D(2026, 3, 2))
    d = _deadline(r, "lawsuit", D(2026, 4, 1))
    assert (d.start, d.due, d.article) == (
        D(2026, 3, 30),
        D(2026, 9, 30),
        "法释〔2018〕1号第六十六条",
    )
    r.file_lawsuit(D(2026, 10, 8))
    late = _deadline(r, "lawsuit", D(2026, 10, 8))
    assert late.met is False
    assert "是否受理由复议机关或者人民法院决定" in late.note
    assert r.state is State.IN_LITIGATION


def test_no_remedy_windows_before_the_reply_is_overdue() -> None:
    """While the reply period runs, no window against silence is shown."""
    r = Request.receive(D(2026, 3, 2))
    assert {d.name for d in r.deadlines(D(2026, 3, 30))} == {"reply", "correction_notice"}


def test_annual_report_counts_remedies_against_silence() -> None:
    """Table 四 counts a reconsideration against silence like any other."""
    from infopen import annual_report

    r = Request.receive(D(2025, 3, 3), request_id="silent")
    r.apply_for_reconsideration(D(2025, 5, 6))
    report = annual_report([r], 2025)
    assert report.table4["行政复议"]["尚未审结"] == 1


# -- the one-year and five-year limits ---------------------------------------------------


def test_untold_remedy_runs_up_to_one_year() -> None:
    """No remedy stated: at most one year from knowing (行政复议法 art 20 ¶3; 法释〔2018〕1号 art 64)."""
    r = Request.receive(D(2026, 3, 2))
    r.decide(D(2026, 3, 20), Outcome.NOT_HELD, remedies_stated=False, delivered_on=D(2026, 3, 23))
    recon = _deadline(r, "reconsideration", D(2026, 3, 23))
    suit = _deadline(r, "lawsuit", D(2026, 3, 23))
    assert (recon.due, recon.article) == (D(2027, 3, 23), "行政复议法第二十条第三款")
    assert (suit.due, suit.article) == (D(2027, 3, 23), "法释〔2018〕1号第六十四条")
    assert "申请行政复议" not in str(render_notice(r, agency=AGENCY))  # rendered as it was sent


def test_five_year_outer_limit_from_the_act() -> None:
    """Delivered four and a half years late: the lawsuit window stops five years after the act."""
    r = Request.receive(D(2019, 6, 3))
    r.decide(D(2019, 6, 10), Outcome.NOT_HELD, remedies_stated=False)
    r.delivered(D(2023, 12, 1), of="decide")
    suit = _deadline(r, "lawsuit", D(2023, 12, 1))
    assert (suit.due, suit.article) == (
        D(2024, 6, 11),
        "行政诉讼法第四十六条第二款",
    )  # 06-10 is 端午
    # The 1999 reconsideration law (the act's date) has no one-year rule: 60 days.
    recon = _deadline(r, "reconsideration", D(2023, 12, 1))
    assert (recon.due, recon.article) == (D(2024, 1, 30), "行政复议法（1999）第九条第一款")


# -- the law in force on the day ----------------------------------------------------------


def test_a_2014_decision_has_three_months_to_sue() -> None:
    """行政诉讼法 (1989) art 39: three months for an act dated before 2015-05-01."""
    r = Request.receive(D(2014, 9, 1))
    assert r.rules is PRC_2008
    r.decide(D(2014, 9, 10), Outcome.DISCLOSED, delivered_on=D(2014, 9, 12))
    suit = _deadline(r, "lawsuit", D(2014, 9, 12))
    assert (suit.due, suit.article) == (D(2014, 12, 12), "行政诉讼法（1989）第三十九条")
    r.apply_for_reconsideration(D(2014, 10, 8))
    r.reconsideration_decided(D(2014, 12, 1), Result.UPHELD, delivered_on=D(2014, 12, 3))
    after = _deadline(r, "lawsuit_after_reconsideration", D(2014, 12, 3))
    assert (after.due, after.article) == (D(2014, 12, 18), "行政诉讼法（1989）第三十八条第二款")


def test_2014_notice_cites_three_months() -> None:
    """The remedy clause states the period of the law in force on the decision's date."""
    r = Request.receive(D(2014, 9, 1))
    r.decide(D(2014, 9, 10), Outcome.DISCLOSED)
    assert "3个月内" in str(render_notice(r, agency=AGENCY))


def test_2008_citations_name_2008_articles() -> None:
    """Traces, violations and the receipt notice of a 2008 request cite the 2008 条例."""
    r = Request.receive(D(2018, 9, 3))
    r.consult_third_party(D(2018, 9, 5))
    r.third_party_replied(D(2018, 9, 12), consents=True)
    r.decide(D(2018, 10, 30), Outcome.DISCLOSED)
    trace = r.explain(D(2018, 10, 30))
    assert {s.article for s in trace.steps} == {
        "条例（2008）第二十四条第二款",
        "条例（2008）第二十三条、第二十四条第三款",
    }
    assert {v.article for v in r.violations(D(2018, 10, 30))} == {"条例（2008）第二十四条第二款"}
    receipt = str(render_notice(r, agency=AGENCY, event=0))
    assert "（国务院令第492号）第二十四条第二款" in receipt
    assert "第三十三条" not in receipt
    letter = str(render_notice(r, agency=AGENCY, event=1))
    assert "（国务院令第492号）第二十三条" in letter
    assert "第三十二条" not in letter
    reply = str(render_notice(r, agency=AGENCY))
    assert "（国务院令第492号）第二十一条第（一）项" in reply
    assert "第三十六条" not in reply
    refused = Request.receive(D(2018, 9, 3))
    refused.decide(D(2018, 9, 10), Outcome.REFUSED)
    assert [(v.code, v.article) for v in refused.violations(D(2018, 9, 10))] == [
        ("NO_GROUNDS", "条例（2008）第二十一条第（二）项")
    ]
    refused_again = Request.receive(D(2018, 9, 3))
    with pytest.raises(InvalidTransition, match="excessive"):
        refused_again.decide(D(2018, 9, 10), Outcome.EXCESSIVE)


def test_2019_only_notices_are_not_offered_before_their_rule() -> None:
    """No 109号 fee notice before 2021; no art 35 steps under PRC_2008 (its cost fees stay)."""
    old = Request.receive(D(2018, 9, 3))
    for step in (
        lambda: old.ask_for_reasons(D(2018, 9, 5)),
        lambda: old.set_delayed_deadline(D(2018, 9, 5), due=D(2018, 12, 1)),
    ):
        with pytest.raises(InvalidTransition):
            step()
    old.send_fee_notice(D(2018, 9, 5), amount=20)  # 2008 art 27: search, copying, postage
    early = Request.receive(D(2020, 6, 1))
    with pytest.raises(InvalidTransition, match="2021-01-01"):
        early.send_fee_notice(D(2020, 6, 3), amount=100)


# -- extensions as the text says ---------------------------------------------------------


def test_two_extensions_within_the_cap_are_lawful() -> None:
    """Art 33 ¶2 caps the total at 20 working days; two of 10 are lawful and both count."""
    r = Request.receive(D(2026, 3, 2))  # due 03-30
    r.extend(D(2026, 3, 20), workdays=10)
    r.extend(D(2026, 4, 10), workdays=10)
    assert r.status(D(2026, 4, 10)).due_date == D(2026, 4, 28)
    assert r.violations(D(2026, 4, 10)) == ()


def test_extension_past_the_cap_or_the_due_date_is_a_violation() -> None:
    """A third extension over the cap, or one after the due date, stays a violation."""
    r = Request.receive(D(2026, 3, 2))
    r.extend(D(2026, 3, 20), workdays=15)
    r.extend(D(2026, 4, 1), workdays=10)  # 25 in all: only 5 more count
    assert r.status(D(2026, 4, 1)).due_date == D(2026, 4, 28)
    assert [v.code for v in r.violations(D(2026, 4, 1))] == ["EXTENSION_TOO_LONG"]
    late = Request.receive(D(2026, 3, 2))
    late.extend(D(2026, 3, 31), workdays=10)
    assert [v.code for v in late.violations(D(2026, 3, 31))] == ["OVERDUE", "LATE_EXTENSION"]


def test_one_extension_only_is_a_profile_switch() -> None:
    """A local rule saying "once" flags the second extension and does not count it."""
    once = Rules.from_dict(
        {"single_extension": True, "citations": {"single_extension": "某地规定第九条"}}
    )
    r = Request.receive(D(2026, 3, 2), rules=once)
    r.extend(D(2026, 3, 20), workdays=10)
    r.extend(D(2026, 4, 10), workdays=10)
    assert r.status(D(2026, 4, 10)).due_date == D(2026, 4, 14)
    assert [(v.code, v.article) for v in r.violations(D(2026, 4, 10))] == [
        ("REPEATED_EXTENSION", "某地规定第九条")
    ]


# -- no fact asserted that did not happen ----------------------------------------------


def test_still_unclear_needs_an_answered_correction() -> None:
    """STILL_UNCLEAR without a correction asked for and received is refused."""
    r = Request.receive(D(2026, 3, 2))
    with pytest.raises(InvalidTransition, match="correction"):
        r.decide(D(2026, 3, 20), Outcome.STILL_UNCLEAR)
    r.request_correction(D(2026, 3, 4), reply_by=D(2026, 3, 16))
    with pytest.raises(InvalidTransition):
        r.decide(D(2026, 3, 20), Outcome.STILL_UNCLEAR)  # asked, never answered
    r.receive_correction(D(2026, 3, 12))
    r.decide(D(2026, 3, 20), Outcome.STILL_UNCLEAR)
    assert r.outcome is Outcome.STILL_UNCLEAR


def test_excessive_notice_mentions_reasons_only_if_asked() -> None:
    """
    Art 35: EXCESSIVE needs the request for reasons and the applicant's explanation (or the
    end of the time to give one) first, so the notice's date of asking is always a fact.
    """
    plain = Request.receive(D(2026, 3, 2))
    with pytest.raises(InvalidTransition, match="条例第三十五条") as info:
        plain.decide(D(2026, 3, 20), Outcome.EXCESSIVE)
    assert info.value.precondition == "decide.excessive_after_explanation"  # type: ignore[attr-defined]
    asked = Request.receive(D(2026, 3, 2))
    asked.ask_for_reasons(D(2026, 3, 5))
    with pytest.raises(InvalidTransition, match="reasons_replied"):
        asked.decide(D(2026, 3, 20), Outcome.EXCESSIVE)
    asked.reasons_replied(D(2026, 3, 16), explained=False)
    asked.decide(D(2026, 3, 20), Outcome.EXCESSIVE)
    assert "本机关已于2026年3月5日要求您说明理由" in str(render_notice(asked, agency=AGENCY))


def test_disclosing_while_the_third_party_period_runs_is_a_violation() -> None:
    """Art 32: the third party has 15 working days; disclosing before they end is flagged."""
    r = Request.receive(D(2026, 3, 2))
    r.consult_third_party(D(2026, 3, 10), delivered_on=D(2026, 3, 13))
    r.decide(D(2026, 3, 25), Outcome.DISCLOSED)
    assert ("DISCLOSED_DURING_THIRD_PARTY_PERIOD", "条例第三十二条") in [
        (v.code, v.article) for v in r.violations(D(2026, 3, 25))
    ]


def test_disclosing_over_an_objection_records_and_renders_the_third_party_notice() -> None:
    """Art 32: disclosure over an objection needs the public-interest reason, told in writing."""
    r = Request.receive(D(2026, 3, 2))
    r.consult_third_party(D(2026, 3, 4))
    r.third_party_replied(D(2026, 3, 12), consents=False)
    with pytest.raises(InvalidTransition, match="public_interest"):
        r.decide(D(2026, 3, 20), Outcome.DISCLOSED)
    r.decide(
        D(2026, 3, 20),
        Outcome.DISCLOSED,
        public_interest="涉及公共安全，不公开可能对公共利益造成重大影响",
    )
    assert r.events[-1].params["third_party_notice"] is True
    text = str(render_notice(r, agency=AGENCY, to="third_party"))
    assert "于2026年3月12日表示不同意公开" in text
    assert "决定公开的理由：涉及公共安全" in text
    assert "第三十二条" in text
    # Withholding the third party's part honours the objection: no notice to it.
    p = Request.receive(D(2026, 3, 2))
    p.consult_third_party(D(2026, 3, 4))
    p.third_party_replied(D(2026, 3, 12), consents=False)
    p.decide(D(2026, 3, 20), Outcome.PARTIALLY_DISCLOSED, grounds=[Ground.THIRD_PARTY])
    with pytest.raises(ValueError, match="third party"):
        render_notice(p, agency=AGENCY, to="third_party")


# -- receipt on a rest day ----------------------------------------------------------------


def test_rest_day_receipt_is_a_profile_switch() -> None:
    """Received Saturday 03-07: nationally due 04-03; the example local rule gives 04-07."""
    local = Rules.from_toml(Path(infopen.__file__).parent / "examples" / "local_rules.toml")
    assert not PRC_2019.rest_day_receipt_next_workday
    assert local.rest_day_receipt_next_workday
    assert Request.receive(D(2026, 3, 7)).status(D(2026, 3, 7)).due_date == D(2026, 4, 3)
    r = Request.receive(D(2026, 3, 7), rules=local)
    assert r.status(D(2026, 3, 7)).due_date == D(2026, 4, 7)
    assert "视为于 2026-03-09 收到申请" in str(r.explain(D(2026, 3, 7)))
    # A working-day receipt is the same under both.
    assert Request.receive(D(2026, 3, 9), rules=local).status(D(2026, 3, 9)).due_date == D(
        2026, 4, 7
    )


# -- delivery: recording, refusal, serialisation, explanation ------------------------------


def test_delivery_is_checked_and_survives_a_round_trip() -> None:
    """A delivery needs a document sent and undelivered; it is stored and replayed exactly."""
    r = Request.receive(D(2026, 3, 2))
    with pytest.raises(InvalidTransition, match="no decide"):
        r.delivered(D(2026, 3, 3), of="decide")
    for bad in ("receive", ["decide"], None):
        with pytest.raises(infopen.InvalidInputError, match="of must name"):
            r.delivered(D(2026, 3, 3), of=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="before the document was sent"):
        r.consult_third_party(D(2026, 3, 10), delivered_on=D(2026, 3, 9))
    r.consult_third_party(D(2026, 3, 10))
    r.delivered(D(2026, 3, 12), of="consult_third_party", method=DeliveryMethod.ELECTRONIC)
    with pytest.raises(InvalidTransition, match="already delivered"):
        r.delivered(D(2026, 3, 13), of="consult_third_party")
    again = Request.from_dict(r.to_dict())
    assert again == r
    assert _deadline(again, "third_party", D(2026, 3, 12)).start == D(2026, 3, 12)


def test_undelivered_documents_are_flagged_everywhere() -> None:
    """No delivery recorded: the Deadline flag, the note, and a line in explain()."""
    r = Request.receive(D(2026, 3, 2))
    r.decide(D(2026, 3, 20), Outcome.NOT_HELD)
    d = _deadline(r, "reconsideration", D(2026, 3, 20))
    assert d.delivery_assumed
    assert "未记录送达日期" in d.note
    assert "2026-03-20 发出的答复书未记录送达日期" in str(r.explain(D(2026, 3, 20)))
    assert "delivery of the reply sent on 2026-03-20" in r.explain(D(2026, 3, 20)).render("en")


def test_correction_period_in_days_runs_from_receipt_of_the_notice() -> None:
    """A correction period given in days counts from the applicant's receipt (art 30)."""
    r = Request.receive(D(2026, 3, 2))
    r.request_correction(D(2026, 3, 4), reply_days=10)
    assert "自收到本告知书之日起10日内补正" in str(render_notice(r, agency=AGENCY))
    with pytest.raises(InvalidTransition, match="delivered"):
        r.abandon(D(2026, 4, 30))
    r.delivered(D(2026, 3, 9), of="request_correction")
    d = _deadline(r, "correction_reply", D(2026, 3, 9))
    assert (d.start, d.due) == (D(2026, 3, 9), D(2026, 3, 19))
    with pytest.raises(InvalidTransition, match="2026-03-19"):
        r.abandon(D(2026, 3, 19))
    r.abandon(D(2026, 3, 20))
    assert r.outcome is Outcome.ABANDONED_NO_CORRECTION


def test_cli_renders_the_third_party_notice(tmp_path: Path) -> None:
    """`infopen notice --to third_party` renders the art 32 notice of a disclosure over objection."""
    import json

    from typer.testing import CliRunner

    from infopen._cli import app

    r = Request.receive(D(2026, 3, 2))
    r.consult_third_party(D(2026, 3, 4))
    r.third_party_replied(D(2026, 3, 12), consents=False)
    r.decide(D(2026, 3, 20), Outcome.DISCLOSED, public_interest="涉及公共安全")
    request = tmp_path / "request.json"
    request.write_text(json.dumps(r.to_dict(), ensure_ascii=False), encoding="utf-8")
    agency = tmp_path / "agency.toml"
    agency.write_text('name = "某区政府"\nreconsideration_body = "某市政府"\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["notice", str(request), "--agency", str(agency), "--to", "third_party"]
    )
    assert result.exit_code == 0, result.output
    assert "决定公开的理由：涉及公共安全" in result.output


@pytest.mark.filterwarnings("ignore::infopen.EstimatedDateWarning")
def test_silence_windows_past_the_announced_years_are_estimates() -> None:
    """Received 2026-11-02, due 11-30, unanswered: both windows end in 2027 and say so."""
    r = Request.receive(D(2026, 11, 2))
    recon = _deadline(r, "reconsideration", D(2026, 12, 15))
    suit = _deadline(r, "lawsuit", D(2026, 12, 15))
    assert (recon.start, recon.due, recon.estimated) == (D(2026, 11, 30), D(2027, 1, 29), True)
    assert (suit.start, suit.due, suit.estimated) == (D(2026, 11, 30), D(2027, 5, 31), True)


def test_a_2019_log_is_audited_under_the_law_of_each_receipt_date() -> None:
    """A log spanning 2019-05-15 needs no splitting: 15 working days before, 20 from then."""
    from infopen._audit import audit

    rows = [
        {"编号": "A", "收到日期": "2019-05-06", "答复日期": "2019-05-28", "答复结果": "予以公开"},
        {"编号": "B", "收到日期": "2019-05-20", "答复日期": "2019-06-20", "答复结果": "予以公开"},
    ]
    a, b = audit(rows).rows
    assert (a.due, a.violations) == (
        D(2019, 5, 27),
        (("LATE_DECISION", "条例（2008）第二十四条第二款"),),
    )
    assert (b.due, b.violations) == (D(2019, 6, 18), (("LATE_DECISION", "条例第三十三条第二款"),))


def test_show_cites_the_2008_article_of_a_2008_answer(tmp_path: Path) -> None:
    """`infopen show` names the answer's article in the request's own profile."""
    import json

    from typer.testing import CliRunner

    from infopen._cli import app

    r = Request.receive(D(2018, 9, 3), request_id="old")
    r.decide(D(2018, 9, 10), Outcome.DISCLOSED)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(r.to_dict()), encoding="utf-8")
    result = CliRunner().invoke(app, ["show", str(path), "--as-of", "2018-09-10"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "申请 old（截至 2018-09-10）：已答复：予以公开［条例（2008）第二十一条第（一）项］"
    )

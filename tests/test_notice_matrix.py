"""
Every notice kind x outcome x rule profile (2019, 2008, the shipped local profile), in text,
HTML and .docx: complete content or listed placeholders, never "None", an empty reason, or
a citation of the wrong Regulations.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from collections.abc import Callable
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infopen import (
    PRC_2008,
    PRC_2019,
    Agency,
    Applicant,
    Channel,
    Ground,
    IncompleteNoticeError,
    Outcome,
    Request,
    Rules,
    notice_missing,
    render_notice,
)

from . import strategies

D = dt.date
AGENCY = Agency(
    name="某市某区住房和城乡建设局",
    reconsideration_body="某市某区人民政府",
    address="某市某区某路1号",
    contact="0000-00000000",
    number_format="某住建公{code}〔{year}〕{number}号",
)
LOCAL = Rules.from_toml(str(resources.files("infopen") / "examples" / "local_rules.toml"))
PROFILES: dict[str, tuple[Rules, int]] = {"2019": (PRC_2019, 2026), "2008": (PRC_2008, 2018),
                                          "local": (LOCAL, 2026)}  # fmt: skip
_GROUNDED = (Outcome.REFUSED, Outcome.PARTIALLY_DISCLOSED)
_NOT_DECIDED = (Outcome.WITHDRAWN, Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE)

Step = Callable[[Request, int], None]
STEPS: dict[str, list[Step]] = {
    "receive": [],
    "request_correction": [lambda r, y: r.request_correction(D(y, 10, 9), reply_by=D(y, 10, 23))],
    "extend": [lambda r, y: r.extend(D(y, 10, 19), workdays=10)],
    "consult_third_party": [lambda r, y: r.consult_third_party(D(y, 10, 9))],
    "consult_agency": [lambda r, y: r.consult_agency(D(y, 10, 9))],
    "send_fee_notice": [lambda r, y: r.send_fee_notice(D(y, 10, 12), amount=100)],
    "ask_for_reasons": [lambda r, y: r.ask_for_reasons(D(y, 10, 9))],
    "set_delayed_deadline": [lambda r, y: r.ask_for_reasons(D(y, 10, 9)),
                             lambda r, y: r.set_delayed_deadline(D(y, 10, 16), due=D(y, 12, 14))],
    "withdraw": [lambda r, y: r.withdraw(D(y, 10, 9))],
    # Abandoning needs the correction notice delivered (art 30), whatever form its period takes.
    "abandon_correction": [lambda r, y: r.request_correction(D(y, 10, 9), reply_by=D(y, 10, 23),
                                                             delivered_on=D(y, 10, 9)),
                           lambda r, y: r.abandon(D(y, 10, 26))],
    "abandon_fee": [lambda r, y: r.send_fee_notice(D(y, 10, 12), amount=100),
                    # The window runs from receipt (送达): abandoning needs it recorded.
                    lambda r, y: r.delivered(D(y, 10, 13), of="send_fee_notice"),
                    lambda r, y: r.abandon(D(y, 12, 3))],
}  # fmt: skip
# STILL_UNCLEAR needs a correction asked for and received (art 30).
_CORRECTED: list[Step] = [lambda r, y: r.request_correction(D(y, 10, 9), reply_by=D(y, 10, 16)),
                          lambda r, y: r.receive_correction(D(y, 10, 14))]  # fmt: skip
# EXCESSIVE needs reasons asked for and the explanation (or its absence) recorded (art 35).
_EXPLAINED: list[Step] = [lambda r, y: r.ask_for_reasons(D(y, 10, 9)),
                          lambda r, y: r.reasons_replied(D(y, 10, 19), explained=False)]  # fmt: skip
for _o in Outcome:
    if _o not in _NOT_DECIDED:
        STEPS[f"decide_{_o.name}"] = [
            *(_CORRECTED if _o is Outcome.STILL_UNCLEAR else []),
            *(_EXPLAINED if _o is Outcome.EXCESSIVE else []),
            lambda r, y, o=_o: r.decide(
                D(y, 10, 22), o, grounds=[Ground.THIRD_PARTY] if o in _GROUNDED else ()
            ),
        ]
# Under the 2008 Regulations, refuse on a ground that has no 2008 article too.
STEPS["decide_REFUSED_two_grounds"] = [
    lambda r, y: r.decide(D(y, 10, 22), Outcome.REFUSED,
                          grounds=[Ground.STATE_SECRET, Ground.PROCESS_INFORMATION])
]  # fmt: skip
STEPS["decide_REFUSED_no_grounds"] = [lambda r, y: r.decide(D(y, 10, 22), Outcome.REFUSED)]
STEPS["confirm_online"] = []


def _build(case: str, profile: str) -> Request:
    rules, year = PROFILES[profile]
    if case == "confirm_online":
        r = Request.submit(D(year, 9, 27), channel=Channel.ONLINE, rules=rules)
        r.confirm_receipt(D(year, 9, 28))
        return r
    r = Request.receive(D(year, 9, 28), rules=rules, channel=Channel.ONLINE)
    for step in STEPS[case]:
        step(r, year)
    return r


# Art 35 (excessive requests) is 2019 law: a 2008 request cannot record those steps; the
# 2008 cost fee (2008 art 27) has no payment window, so no deemed abandonment.
_NOT_IN_2008 = {"ask_for_reasons", "set_delayed_deadline", "decide_EXCESSIVE", "abandon_fee"}
CASES = [(c, p) for c in sorted(STEPS) for p in sorted(PROFILES)
         if not (p == "2008" and c in _NOT_IN_2008)]  # fmt: skip
_PLACEHOLDER = re.compile(r"【请填写：(.+?)】(?=[^】]|$)")


def _placeholders(text: str) -> list[str]:
    """The labels of the 【请填写：…】 placeholders, outermost brackets matched."""
    labels, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "【":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "】":
            depth -= 1
            if depth == 0:
                labels.append(text[start + len("【请填写：") : i])
    return labels


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.mark.parametrize(("case", "profile"), CASES)
def test_every_notice_is_complete_or_lists_its_placeholders(case: str, profile: str) -> None:
    """No None, no empty element, placeholders exactly as listed, in every format."""
    r = _build(case, profile)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        missing = notice_missing(r, agency=AGENCY)
        text = str(render_notice(r, agency=AGENCY))
        html = str(render_notice(r, agency=AGENCY, format="html"))
        docx = _docx_text(bytes(render_notice(r, agency=AGENCY, format="docx")))
    for rendered in (text, html, docx):
        assert "None" not in rendered
        assert "：。" not in rendered
        assert "：；" not in rendered
        assert "（）" not in rendered
    lines = text.splitlines()
    for i, line in enumerate(lines[5:], start=5):  # after the addressee line: a list follows
        if line.endswith("：") and not line.endswith("现答复如下："):
            assert re.match(r"\d+\. |【请填写", lines[i + 1]), (line, lines[i + 1])
    assert sorted(set(_placeholders(text))) == sorted(missing)
    assert sorted(set(_placeholders(docx))) == sorted(missing)
    assert "文号" in missing  # no number given: never a made-up one
    assert "2026-" not in text.splitlines()[2]
    assert not re.search(r"[0-9a-f]{32}", text)
    if profile == "2008":
        assert "第三十三条" not in text
        assert "第三十六条" not in text
        assert "第三十条" not in text
        assert "国务院令第492号" in text or "请填写" in text
    else:
        assert "国务院令第492号" not in text


@pytest.mark.parametrize(("case", "profile"), CASES)
def test_strict_lists_exactly_what_is_missing(case: str, profile: str) -> None:
    """strict=True raises IncompleteNoticeError naming every missing element."""
    r = _build(case, profile)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        missing = notice_missing(r, agency=AGENCY)
        with pytest.raises(IncompleteNoticeError) as info:
            render_notice(r, agency=AGENCY, strict=True)
    assert info.value.missing == missing
    assert isinstance(info.value, ValueError)


def test_2008_requests_cite_the_2008_regulations() -> None:
    """A 2008-era refusal cites art 21 and art 14 ¶4 of Order 492 and the 3-month lawsuit."""
    r = Request.receive(D(2012, 3, 1), rules=PRC_2008, applicant=Applicant(name="张三"),
                        subject="某文件")  # fmt: skip
    r.decide(D(2012, 3, 15), Outcome.REFUSED, grounds=[Ground.STATE_SECRET])
    text = str(render_notice(r, agency=AGENCY, number="3", details={"reason": "经定密属于秘密级"}))
    assert "《中华人民共和国政府信息公开条例》（国务院令第492号）第二十一条第（二）项" in text
    assert "第十四条第四款" in text
    assert "3个月内向人民法院提起行政诉讼" in text  # 行政诉讼法 (1989) art 39
    assert (
        notice_missing(r, agency=AGENCY, number="3", details={"reason": "经定密属于秘密级"}) == ()
    )


def test_2008_consultation_letter_states_no_statutory_period() -> None:
    """The 2008 Regulations set no period for a consulted agency: no "None个工作日"."""
    r = Request.receive(D(2018, 9, 28), rules=PRC_2008)
    r.consult_agency(D(2018, 10, 9))
    text = str(render_notice(r, agency=AGENCY))
    assert "None" not in text
    assert "个工作日内，即" not in text
    assert "提出意见的期限" in notice_missing(r, agency=AGENCY)


def test_local_profile_extension_beyond_the_national_cap_cites_the_local_rule() -> None:
    """30 working days under the local profile cite its own article, never the 条例."""
    r = Request.receive(D(2026, 9, 28), rules=LOCAL, subject="某文件")
    r.extend(D(2026, 10, 19), workdays=30)
    text = str(render_notice(r, agency=AGENCY))
    assert "根据《某市政府信息公开规定（示例）第十二条》的规定，答复期限延长30个工作日" in text
    bare = Rules.from_dict({"name": "某县", "extension_max_workdays": 30})
    r = Request.receive(D(2026, 9, 28), rules=bare, subject="某文件")
    r.extend(D(2026, 10, 19), workdays=30)
    with pytest.warns(UserWarning, match="exceeds the 20"):
        text = str(render_notice(r, agency=AGENCY))
    assert "【请填写：延长超过20个工作日所依据的地方规定条款】" in text


@given(
    received=strategies.receipt_dates,
    outcome=strategies.decided_outcomes,
    grounds=strategies.grounds,
    details=strategies.notice_details,
    number=st.one_of(st.none(), st.integers(min_value=1, max_value=9999)),
)
def test_any_decision_lists_exactly_its_placeholders(
    received: dt.date,
    outcome: Outcome,
    grounds: list[Ground],
    details: dict[str, str],
    number: int | None,
) -> None:
    """For any decision and any details given: no None, placeholders == notice_missing, HTML marks them."""
    r = Request.receive(received, subject=None)
    if outcome is Outcome.STILL_UNCLEAR:  # only after a correction asked for and received
        r.request_correction(
            received + dt.timedelta(days=1), reply_by=received + dt.timedelta(days=5)
        )
        r.receive_correction(received + dt.timedelta(days=3))
    if outcome is Outcome.EXCESSIVE:  # only after reasons asked for and answered (art 35)
        r.ask_for_reasons(received + dt.timedelta(days=1))
        r.reasons_replied(received + dt.timedelta(days=5))
    r.decide(received + dt.timedelta(days=10), outcome,
             grounds=grounds if outcome.needs_grounds else ())  # fmt: skip
    before = r.to_dict()
    text = str(render_notice(r, agency=AGENCY, details=details, number=number))
    missing = notice_missing(r, agency=AGENCY, details=details, number=number)
    assert "None" not in text
    assert sorted(set(_placeholders(text))) == sorted(missing)
    assert ("文号" in missing) == (number is None)
    html = str(render_notice(r, agency=AGENCY, details=details, number=number, format="html"))
    assert html.count('<mark class="missing">【请填写：') >= len(missing)
    assert "<>" not in html
    assert r.to_dict() == before


def test_2008_traces_and_violations_cite_the_2008_regulations() -> None:
    """A 2008-era request's restart, pause and refusal-without-grounds cite Order 492, not 2019."""
    r = Request.receive(D(2018, 9, 28), rules=PRC_2008)
    r.request_correction(D(2018, 10, 9), reply_by=D(2018, 10, 19))
    r.receive_correction(D(2018, 10, 15))
    r.consult_third_party(D(2018, 10, 22))
    r.third_party_replied(D(2018, 11, 2))
    r.decide(D(2018, 11, 20), Outcome.REFUSED)
    articles = [step.article for step in r.explain(D(2018, 12, 1)).steps]
    articles += [v.article for v in r.violations(D(2018, 12, 1))]
    articles += [d.article for d in r.deadlines(D(2018, 12, 1)) if d.name == "correction_reply"]
    assert all("（2008）" in a for a in articles if a.startswith("条例")), articles
    assert "条例（2008）第二十一条第（二）项" in articles  # NO_GROUNDS


def _kind_of(r: Request) -> str:
    from infopen._notice_elements import KINDS

    e = r.events[-1]
    return f"reply:{e.params['outcome']}" if e.kind == "decide" else KINDS[e.kind][0]


@pytest.mark.parametrize(("case", "profile"), CASES)
def test_the_details_table_lists_what_each_notice_asks(case: str, profile: str) -> None:
    """Every details placeholder is a mandatory key of its kind's row; filling them all leaves none."""
    from infopen._notice_elements import NOTICE_DETAILS

    r = _build(case, profile)
    table = NOTICE_DETAILS[_kind_of(r)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        missing = notice_missing(r, agency=AGENCY)
        for m in missing:
            if m.source != "details":
                continue
            assert m.key in table, (case, m.key)
            label, mandatory = table[m.key]
            assert mandatory, (case, m.key)
            if m.key not in ("reasons", "legal_basis"):  # per ground / per article
                assert str(m) == label, (case, m.key)
        filled: dict[str, object] = {k: "二" if k == "defect" else "某某" for k in table}
        filled["reasons"] = {g.name: "某理由" for g in r.grounds}
        if len(r.grounds) > 1:
            del filled["reason"]
        after = notice_missing(r, agency=AGENCY, details=filled)
    assert [m for m in after if m.source == "details"] == []


def test_the_details_table_in_the_docs_is_generated() -> None:
    """docs/host.md carries the table notice_details_table() prints (so it cannot drift)."""
    from pathlib import Path

    from infopen import notice_details_table

    page = (Path(__file__).parent.parent / "docs" / "host.md").read_text(encoding="utf-8")
    assert notice_details_table() in page

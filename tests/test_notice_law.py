"""
Notices a head of office can sign (#19): true dates, the days actually granted, every
party's remedy, the 补正 defect, the deemed receipt day, the 文号 rules, the earliest-date
mode, hostile text (#23), and the CLI's event choice. Each case in text, HTML and .docx.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infopen import (
    Agency,
    Applicant,
    ApplicantType,
    Ground,
    IncompleteNoticeError,
    InvalidInputError,
    Outcome,
    Request,
    Rules,
    national_calendar,
    notice_missing,
    render_notice,
)
from infopen._notices import notice_details_table

from .test_notices import AGENCY, SUBJECT

D = dt.date
NOTE = "按推定的放假安排计算"


def _new(**kwargs: object) -> Request:
    kwargs.setdefault("applicant", Applicant(name="张三"))
    return Request.receive(D(2026, 9, 28), subject=SUBJECT, **kwargs)  # type: ignore[arg-type]


def _all(r: Request, **kwargs: object) -> tuple[str, str, str]:
    """The notice as text, HTML and the .docx's paragraphs joined."""
    from docx import Document

    text = str(render_notice(r, agency=AGENCY, **kwargs))  # type: ignore[arg-type]
    html = str(render_notice(r, agency=AGENCY, format="html", **kwargs))  # type: ignore[arg-type]
    data = bytes(render_notice(r, agency=AGENCY, format="docx", **kwargs))  # type: ignore[arg-type]
    docx = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    return text, html, docx


def _highlighted(data: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return [run.text for p in doc.paragraphs for run in p.runs if run.font.highlight_color]


# -- extensions --------------------------------------------------------------------------


def test_extension_during_a_consultation_promises_no_date() -> None:
    """While the third party's time runs, the notice states the period without that time."""
    r = Request.receive(D(2026, 2, 24), subject=SUBJECT, applicant=Applicant(name="张三"))
    r.consult_third_party("2026-03-05", delivered_on="2026-03-06")
    r.extend("2026-03-12", workdays=10, approved_by="办公室主任")
    for rendered in _all(r, details={"reason": "需要征求第三方意见"}):
        assert "自收到申请之日起30个工作日内（不含征求第三方意见所需时间）作出答复" in rendered
        assert "自收到申请之日起20个工作日内（不含征求第三方意见所需时间）答复" in rendered
        assert "最迟于" not in rendered
    r = Request.receive(D(2026, 2, 24), subject=SUBJECT)
    r.consult_agency("2026-03-05")
    r.extend("2026-03-12", workdays=10)
    assert "（不含征求其他机关意见所需时间）" in str(render_notice(r, agency=AGENCY))


def test_extensions_state_the_days_granted_within_the_cap() -> None:
    """10 + 10 + 5: the third exceeds the 20-day total; 25 in one: 20 granted, date 20 later."""
    r = _new()
    r.extend(D(2026, 10, 12), workdays=10, approved_by="主任")
    r.extend(D(2026, 10, 19), workdays=10, approved_by="主任")
    r.extend(D(2026, 10, 26), workdays=5, approved_by="主任")
    first = str(render_notice(r, agency=AGENCY, event=1))
    assert "答复期限延长10个工作日，本机关将最迟于2026年11月13日（含当日）作出答复" in first
    second = str(render_notice(r, agency=AGENCY, event=2))
    assert (
        "答复期限延长10个工作日（连同此前的延期，累计延长20个工作日），"
        "本机关将最迟于2026年11月27日（含当日）作出答复" in second
    )
    text, html, docx = _all(r)
    for rendered in (text, docx):
        assert "【请核实：答复期限已累计延长20个工作日，达到最长20个工作日】" in rendered
        assert "延长5个工作日" not in rendered
        assert "第三十三条第二款的规定，答复期限延长" not in rendered
    assert '<mark class="missing">【请核实：' in html
    with pytest.raises(IncompleteNoticeError, match="累计延长20个工作日"):
        render_notice(r, agency=AGENCY, strict=True, number=1, details={"reason": "x"})
    one = _new()
    one.extend(D(2026, 10, 12), workdays=25, approved_by="主任")
    for rendered in _all(one):
        assert "答复期限延长20个工作日，本机关将最迟于2026年11月27日（含当日）作出答复" in rendered
        assert "25个工作日" not in rendered


def test_an_extension_after_the_due_date_is_refused_or_flagged() -> None:
    """The due date was 2026-10-30: an extension of 11-12 promises nothing, strict refuses."""
    r = _new()
    r.extend(D(2026, 11, 12), workdays=10, approved_by="主任")
    warning = "【请核实：本次延期于2026年11月12日作出，晚于答复期限届满之日2026年10月30日，依法不得延期，应当作出答复】"
    text, html, docx = _all(r, number=1, details={"reason": "x"})
    assert warning in text
    assert warning in docx
    assert f'<mark class="missing">{warning}</mark>' in html
    assert "最迟于2026年11月" not in text
    data = bytes(render_notice(r, agency=AGENCY, format="docx", number=1))
    assert warning in _highlighted(data)
    missing = notice_missing(r, agency=AGENCY, number=1, details={"reason": "x"})
    assert [(m.key, m.source) for m in missing] == [("extension", "check")]
    with pytest.raises(IncompleteNoticeError):
        render_notice(r, agency=AGENCY, number=1, details={"reason": "x"}, strict=True)


def test_the_approval_is_stated_only_when_recorded() -> None:
    """经…负责人同意 needs extend(..., approved_by=...); else a placeholder; kept in storage."""
    r = _new()
    r.extend(D(2026, 10, 12), workdays=10)
    missing = notice_missing(r, agency=AGENCY, number=1, details={"reason": "x"})
    assert [(m.key, m.source) for m in missing] == [("approved_by", "event")]
    assert "【请填写：经本机关政府信息公开工作机构负责人同意" in str(
        render_notice(r, agency=AGENCY)
    )
    ok = _new()
    ok.extend(D(2026, 10, 12), workdays=10, approved_by="政务公开科科长")
    again = Request.from_dict(ok.to_dict(include_identity=True))
    assert again.events[-1].params["approved_by"] == "政务公开科科长"
    text = str(render_notice(again, agency=AGENCY, number=1, details={"reason": "x"}))
    assert "。经本机关政府信息公开工作机构负责人同意，根据" in text
    assert notice_missing(again, agency=AGENCY, number=1, details={"reason": "x"}) == ()
    with pytest.raises(InvalidInputError, match="approved_by"):
        _new().extend(D(2026, 10, 12), workdays=10, approved_by="  ")


# -- the third party overridden ------------------------------------------------------------


def _overridden(**decide: object) -> Request:
    r = _new()
    r.consult_third_party(D(2026, 10, 9))
    r.third_party_replied(D(2026, 10, 16), consents=False)
    r.decide(D(2026, 11, 12), Outcome.DISCLOSED, public_interest="涉及公共安全", **decide)  # type: ignore[arg-type]
    return r


def test_the_third_party_is_told_its_remedies_and_given_time() -> None:
    """Art 32: remedies and bodies, the period before disclosure, the notice's own date."""
    r = _overridden(third_party_notice_on=D(2026, 10, 20),
                    third_party_notice_delivered_on=D(2026, 10, 21))  # fmt: skip
    details = {"addressee": "某建设公司", "provided": "某项目的中标通知书"}
    for rendered in _all(r, to="third_party", details=details, number=2):
        assert (
            "您（单位）如对本机关决定公开不服，可以自收到本告知书之日起60日内向某市某区人民政府"
            "申请行政复议，也可以自收到本告知书之日起6个月内向人民法院提起行政诉讼。" in rendered
        )
        assert "本机关将在您（单位）收到本告知书之日起15个工作日后向申请人公开" in rendered
        assert "2026年10月20日" in rendered.splitlines()[-1] or "2026年10月20日" in rendered
    assert notice_missing(r, agency=AGENCY, to="third_party", details=details, number=2) == ()
    # Its strict check asks only for what it prints: never the applicant's delivery method.
    missing = notice_missing(r, agency=AGENCY, to="third_party")
    assert {m.key for m in missing} == {"number", "addressee", "provided"}
    # Delivered 10-21: 15 working days end 11-11; disclosing on 11-12 is lawful.
    assert not [v for v in r.violations(D(2026, 11, 20)) if "THIRD_PARTY_COULD" in v.code]


def test_disclosing_before_the_third_party_could_act_is_flagged() -> None:
    """Received 10-28: its 15 working days end 11-18, after the 11-12 disclosure."""
    late = _overridden(third_party_notice_on=D(2026, 10, 27),
                       third_party_notice_delivered_on=D(2026, 10, 28))  # fmt: skip
    found = [v for v in late.violations(D(2026, 11, 20))
             if v.code == "DISCLOSED_BEFORE_THIRD_PARTY_COULD_ACT"]  # fmt: skip
    assert len(found) == 1
    assert "2026-11-18" in found[0].message
    assert found[0].article.startswith("条例第三十二条")
    same_day = _overridden()  # no notice dated: told on the day of disclosure
    assert any(
        v.code == "DISCLOSED_BEFORE_THIRD_PARTY_COULD_ACT"
        for v in same_day.violations(D(2026, 11, 20))
    )
    relaxed = Rules.from_dict({"name": "某地", "third_party_notice_workdays": None})
    assert relaxed.article("third_party_notice_workdays").startswith("条例第三十二条")
    with pytest.raises(InvalidInputError, match="after the decision"):
        _overridden(third_party_notice_on=D(2026, 11, 13))


# -- 补正, receipt, addressing, 文号 ---------------------------------------------------------


def test_correction_names_the_defect_and_where_to_send_it() -> None:
    """Art 29 ¶2 item(s) as an element; the agency's address and contact for the correction."""
    r = _new()
    r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23))
    details = {"defect": "二", "matters": "请写明立项批复的文号或者发文日期"}
    for rendered in _all(r, details=details):
        assert (
            "您的申请不符合《中华人民共和国政府信息公开条例》第二十九条第二款第（二）项的要求"
            "（申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述）" in rendered
        )
        assert "补正材料请送达：某市某区某路1号；联系方式：0000-00000000。" in rendered
    assert notice_missing(r, agency=AGENCY, details=details, number=1) == ()
    keys = {m.key for m in notice_missing(r, agency=Agency(name="某局"))}
    assert {"defect", "matters", "address"} <= keys
    two = str(render_notice(r, agency=AGENCY, details={**details, "defect": "一、三"}))
    assert "第二十九条第二款第（一）项、第（三）项" in two
    with pytest.raises(InvalidInputError, match="art 29"):
        render_notice(r, agency=AGENCY, details={"defect": "四"})


def test_receipt_on_a_rest_day_shows_the_deemed_day_and_the_local_rule() -> None:
    """The example profile: received Saturday 2026-10-03, counted from 2026-10-08."""
    local = Rules.from_toml(str(resources.files("infopen") / "examples" / "local_rules.toml"))
    r = Request.receive(
        D(2026, 10, 3), rules=local, subject=SUBJECT, applicant=Applicant(name="张三")
    )
    for rendered in _all(r):
        assert (
            "根据《某市政府信息公开规定（示例）第八条》的规定，休息日收到的申请自下一个工作日"
            "即2026年10月8日起计算答复期限。" in rendered
        )
    plain = Request.receive(D(2026, 10, 3), subject=SUBJECT)
    assert "休息日收到的申请" not in str(render_notice(plain, agency=AGENCY))


def test_organisations_are_addressed_as_such() -> None:
    """A legal person is 贵单位, never 您, in the body and the remedy clause."""
    r = Request.receive(D(2026, 9, 28), subject=SUBJECT, applicant=Applicant(name="某建设有限公司"),
                        applicant_type=ApplicantType.COMMERCIAL_ENTERPRISE)  # fmt: skip
    r.decide(D(2026, 10, 20), Outcome.NOT_HELD)
    for rendered in _all(r, details={"search": "本机关档案系统"}):
        assert "某建设有限公司：" in rendered
        assert "收到贵单位提出的政府信息公开申请" in rendered
        assert "贵单位如对本答复不服" in rendered
        assert "您" not in rendered


def test_document_numbers_follow_gb_t_9704() -> None:
    """No 〔2026〕1号 without a 机关代字; no leading zeros; 0 is no serial."""
    r = _new()
    bare = Agency(name="某局")
    line = str(render_notice(r, agency=bare, number=1)).splitlines()[2]
    assert line.startswith("【请填写：机关代字")
    assert line.endswith("〔2026〕1号")
    assert next(m.source for m in notice_missing(r, agency=bare, number=1)) == "agency"
    prefixed = Agency(name="某局", number_prefix="某政公")
    assert (
        str(render_notice(r, agency=prefixed, number="050")).splitlines()[2] == "某政公〔2026〕50号"
    )
    with pytest.raises(InvalidInputError, match="serial"):
        render_notice(r, agency=prefixed, number="000")


def test_answers_that_decide_no_application_are_headed_gaozhishu() -> None:
    """PETITION and CONFIRM_OR_REISSUE: 告知书, not 答复书; their clause speaks of 本告知书."""
    for outcome, heading in ((Outcome.PETITION, "非政府信息公开申请告知书"),
                             (Outcome.CONFIRM_OR_REISSUE, "政府信息公开申请告知书")):  # fmt: skip
        r = _new()
        r.decide(D(2026, 10, 20), outcome)
        text, html, docx = _all(r)
        assert text.splitlines()[1] == heading
        assert f"<h1>{heading}</h1>" in html
        assert docx.splitlines()[1] == heading
        assert "不作为政府信息公开申请处理" in text
        assert "答复书" not in text
        assert "自收到本告知书之日起60日内" in text


def test_law_forbids_names_the_law() -> None:
    """LAW_FORBIDS (art 14) carries the law or regulation that forbids disclosure."""
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.REFUSED, grounds=[Ground.LAW_FORBIDS])
    missing = notice_missing(r, agency=AGENCY, number=1, details={"reason": "x"})
    assert [m.key for m in missing] == ["forbidding_law"]
    details = {
        "reason": "属于统计调查中的单个调查对象资料",
        "forbidding_law": "《中华人民共和国统计法》第三十九条",
    }
    for rendered in _all(r, details=details, number=1):
        assert (
            "其他法律行政法规禁止公开（《中华人民共和国政府信息公开条例》第十四条、"
            "《中华人民共和国统计法》第三十九条）" in rendered
        )
    assert notice_missing(r, agency=AGENCY, number=1, details=details) == ()


def test_not_held_needs_the_search_described_once() -> None:
    """Strict refuses 信息不存在 without the search; 经检索 is never repeated."""
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.NOT_HELD)
    with pytest.raises(IncompleteNoticeError, match="检索的范围和方式"):
        render_notice(r, agency=AGENCY, number=1, strict=True)
    for search in (
        "经检索本机关2020年至2026年的收文登记和档案系统",
        "本机关2020年至2026年的收文登记和档案系统",
    ):
        for rendered in _all(r, details={"search": search}, number=1):
            assert "经检索（本机关2020年至2026年的收文登记和档案系统），本机关未制作" in rendered
            assert "经检索（经检索" not in rendered


# -- estimated dates ---------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::infopen.EstimatedDateWarning")
def test_earliest_dates_are_never_later_than_the_announced_ones() -> None:
    """2025's arrangement treated as unknown: the earliest date is <= the truth, every receipt day."""
    guess = national_calendar(beyond="estimate", announced_through=2024)
    truth = national_calendar()
    agency = Agency(name="某局", estimated_dates="earliest")
    day = D(2025, 1, 2)
    checked = 0
    while day <= D(2025, 11, 28):
        r = Request.receive(day, calendar=guess, subject="x")
        text = str(render_notice(r, agency=agency))
        assert NOTE not in text
        m = re.search(r"最迟于(\d{4})年(\d{1,2})月(\d{1,2})日（含当日）答复", text)
        assert m, text
        promised = D(*map(int, m.groups()))
        actual = Request.receive(day, calendar=truth).status(day).due_date
        assert promised <= actual, (day, promised, actual)
        assert r.status(day).estimated  # internal outputs keep the flag
        checked += 1
        day += dt.timedelta(days=5)
    assert checked > 60


@pytest.mark.filterwarnings("ignore::infopen.EstimatedDateWarning")
def test_estimated_dates_default_to_the_flag_and_can_be_earliest() -> None:
    """The default keeps the note; earliest (agency or call) prints a date without comment."""
    r = Request.receive(D(2026, 12, 10), subject=SUBJECT, applicant=Applicant(name="张三"))
    assert NOTE in str(render_notice(r, agency=AGENCY))
    for rendered in _all(r, estimated_dates="earliest"):
        assert NOTE not in rendered
    earliest = Agency(name="某局", estimated_dates="earliest")
    assert NOTE not in str(render_notice(r, agency=earliest))
    assert NOTE in str(render_notice(r, agency=earliest, estimated_dates="flag"))
    with pytest.raises(InvalidInputError, match="estimated_dates"):
        Agency(name="某局", estimated_dates="latest")  # type: ignore[arg-type]


# -- hostile text (#23) -----------------------------------------------------------------------


def test_control_characters_and_line_breaks_are_replaced_visibly() -> None:
    """NUL, ESC, a lone surrogate: U+FFFD; U+2028 or a newline: no extra 文号 line or heading."""
    from docx import Document

    # An applicant's identity with a control character is refused where it is made (#18).
    with pytest.raises(InvalidInputError, match="control character"):
        Applicant(name="张\x01三")
    r = Request.receive(
        D(2026, 9, 28), subject="某\x00文件\x1b\ud800", applicant=Applicant(name="张三")
    )
    agency = Agency(name="某市\u2028某局\n", seal="某局\x07", reconsideration_body="某区政府",
                    number_format="某{code}〔{year}〕{number}号")  # fmt: skip
    data = bytes(render_notice(r, agency=agency, format="docx", number="1\u20282"))
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]
    assert paragraphs[1] == "政府信息公开申请接收回执"  # the heading stays the second line
    assert paragraphs[2] == "某收〔2026〕1 2号"
    assert "某\ufffd文件\ufffd\ufffd" in "\n".join(paragraphs)
    html = str(render_notice(r, agency=agency, format="html", number="1\n2"))
    assert html.count('<p class="number">') == 1
    assert html.count("<h1>") == 1
    text = str(render_notice(r, agency=agency))
    assert text.splitlines()[1] == "政府信息公开申请接收回执"
    assert "\x00" not in text
    assert "\u2028" not in text
    text.encode("utf-8")  # no lone surrogate left


def test_a_malformed_number_format_is_refused_at_construction() -> None:
    with pytest.raises(InvalidInputError, match="not a valid pattern"):
        Agency(name="某局", number_format="第{number}号}")
    with pytest.raises(InvalidInputError, match="number_format"):
        Agency(name="某局", number_format="第{number:03d}号")


# -- for hosts and the CLI ----------------------------------------------------------------------


def test_notice_missing_names_the_details_keys() -> None:
    """Each missing element carries its details key (or where else it is filled)."""
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.DISCLOSED)
    missing = notice_missing(r, agency=Agency(name="某局"))
    by_key = {m.key: (m.source, str(m)) for m in missing}
    assert by_key["how"] == ("details", "提供的方式（如“以邮寄方式”“以电子邮件方式”）")
    assert by_key["reconsideration_body"][0] == "agency"
    assert by_key["number"][0] == "number"
    assert "| reply:NOT_HELD | `search` | 必填 |" in notice_details_table()


def test_cli_picks_the_event_by_kind_or_id(tmp_path: Path) -> None:
    """--event decide (the latest decision), --event ID, --estimated-dates, --overlay."""
    from typer.testing import CliRunner

    from infopen._cli import app

    r = _new()
    r.extend(D(2026, 10, 12), workdays=10, approved_by="主任", event_id="ext-1")
    r.decide(D(2026, 10, 20), Outcome.NOT_HELD)
    r.apply_for_reconsideration(D(2026, 10, 30))
    request = tmp_path / "request.json"
    request.write_text(json.dumps(r.to_dict(), ensure_ascii=False), encoding="utf-8")
    agency = tmp_path / "agency.toml"
    agency.write_text('name = "某区政府"\nreconsideration_body = "某市政府"\n', encoding="utf-8")
    overlay = tmp_path / "overlay.toml"
    overlay.write_text(
        'name = "某机关"\n[[rest]]\ndate = 2026-10-14\nname = "本机关停止办公"\nsource = "示例"\n',
        encoding="utf-8",
    )
    run = CliRunner()
    decided = run.invoke(
        app, ["notice", str(request), "--agency", str(agency), "--event", "decide"]
    )
    assert decided.exit_code == 0, decided.output
    assert "政府信息不存在" in decided.output
    ext = run.invoke(app, ["notice", str(request), "--agency", str(agency), "--event", "ext-1",
                           "--estimated-dates", "earliest", "--overlay", str(overlay)])  # fmt: skip
    assert ext.exit_code == 0, ext.output
    assert "最迟于2026年11月16日（含当日）作出答复" in ext.output  # 10-14 given off: one day later
    missing = run.invoke(
        app, ["notice", str(request), "--agency", str(agency), "--event", "withdraw"]
    )
    assert missing.exit_code != 0


def test_missing_elements_unpack_as_key_and_label() -> None:
    """dict(notice_missing(...)) maps each key to its label; each still equals its label."""
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.ALREADY_PUBLIC)
    missing = notice_missing(r, agency=AGENCY)
    assert dict(missing)["location"] == "获取该信息的方式、途径（如网址、栏目、文号和发布日期）"
    assert "获取该信息的方式、途径（如网址、栏目、文号和发布日期）" in missing
    assert [m.label for m in missing] == list(missing)


def test_events_are_picked_by_index_id_or_kind() -> None:
    """render_notice(event=...) takes a position, an event_id, or a kind ("the latest decide")."""
    r = _new()
    r.extend(D(2026, 10, 12), workdays=10, approved_by="主任", event_id="e-ext")
    r.decide(D(2026, 10, 20), Outcome.NOT_HELD)
    r.apply_for_reconsideration(D(2026, 10, 30))
    heading = "政府信息公开申请延期答复告知书"
    for ref in (1, -3, "e-ext", "extend", "latest extend", "the latest extend"):
        assert str(render_notice(r, agency=AGENCY, event=ref)).splitlines()[1] == heading
    assert "不存在" in str(render_notice(r, agency=AGENCY, event="decide"))
    with pytest.raises(IndexError, match="no event with id or kind"):
        render_notice(r, agency=AGENCY, event="withdraw")
    with pytest.raises(InvalidInputError, match="calls for no notice"):
        render_notice(r, agency=AGENCY)  # the latest event, a reconsideration, has none


def _overlay(tmp_path: Path) -> Path:
    path = tmp_path / "overlay.toml"
    path.write_text(
        'name = "某机关"\n[[rest]]\ndate = 2026-10-14\nname = "本机关停止办公"\nsource = "示例"\n',
        encoding="utf-8",
    )
    return path


def test_cli_overlay_reaches_audit_and_report(tmp_path: Path) -> None:
    """--overlay as on `deadline`: one more rest day moves A2's due date from 10-30 to 11-02."""
    from typer.testing import CliRunner

    from infopen._cli import app

    data = Path(__file__).parent / "data" / "audit_log.csv"
    out = tmp_path / "result.csv"
    run = CliRunner(env={"COLUMNS": "80"})
    result = run.invoke(
        app, ["audit", str(data), "--out", str(out), "--overlay", str(_overlay(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    a2 = next(
        line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("A2,")
    )
    assert a2.startswith("A2,3,2026-09-28,2026-11-02,2026-11-02,True,")
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.DISCLOSED)
    jsonl = tmp_path / "requests.jsonl"
    jsonl.write_text(json.dumps(r.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    report = run.invoke(
        app, ["report", str(jsonl), "--year", "2026", "--overlay", str(_overlay(tmp_path))]
    )
    assert report.exit_code == 0, report.output


def test_docx_metadata_fonts_and_highlights() -> None:
    """Author = the agency, created = the render date, no thumbnail; GB fonts with alternatives."""
    import zipfile

    from docx import Document

    data = bytes(render_notice(_new(), agency=AGENCY, format="docx"))
    doc = Document(io.BytesIO(data))
    props = doc.core_properties
    assert props.author == props.last_modified_by == AGENCY.name
    assert props.created is not None
    created = props.created.replace(tzinfo=None)  # stored as UTC
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert abs((created - now).total_seconds()) < 3600
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not [n for n in names if "thumbnail" in n]
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>' in fonts
    assert _highlighted(data) == ["【请填写：文号】"]


@pytest.mark.filterwarnings("ignore::infopen.EstimatedDateWarning")
def test_earliest_applies_to_the_agencys_promises_not_the_applicants_windows() -> None:
    """An abandonment states the fee window that ran out as it was, note and all."""
    r = Request.receive(D(2026, 12, 1), subject=SUBJECT, applicant=Applicant(name="张三"))
    r.send_fee_notice(D(2026, 12, 10), amount=100, delivered_on=D(2026, 12, 11))
    r.abandon(D(2027, 2, 26))
    flagged = str(render_notice(r, agency=AGENCY))
    earliest = str(render_notice(r, agency=AGENCY, estimated_dates="earliest"))
    window = re.search(r"至(\d{4}年\d{1,2}月\d{1,2}日（含当日[^）]*）)届满", flagged)
    assert window
    assert NOTE in window.group(1)
    assert window.group(0) in earliest


def test_the_third_party_notice_flags_a_disclosure_that_came_too_early() -> None:
    """Disclosed 11-12, the notice received 10-28 (period to 11-18): a warning, strict refuses."""
    late = _overridden(third_party_notice_on=D(2026, 10, 27),
                       third_party_notice_delivered_on=D(2026, 10, 28))  # fmt: skip
    details = {"addressee": "某建设公司", "provided": "中标通知书"}
    text = str(render_notice(late, agency=AGENCY, to="third_party", details=details, number=3))
    assert (
        "【请核实：本机关已于2026年11月12日公开，早于第三方收到本告知书之日起15个工作日】" in text
    )
    with pytest.raises(IncompleteNoticeError):
        render_notice(late, agency=AGENCY, to="third_party", details=details, number=3, strict=True)


@pytest.mark.filterwarnings("ignore::infopen.EstimatedDateWarning")
@settings(max_examples=25, deadline=None)
@given(received=st.dates(min_value=D(2026, 6, 1), max_value=D(2028, 6, 30)),
       extend=st.integers(min_value=0, max_value=20))  # fmt: skip
def test_earliest_is_never_later_than_the_flagged_date(received: dt.date, extend: int) -> None:
    """Whatever the receipt day and extension, the earliest date is on or before the estimate."""
    r = Request.receive(received, subject="x")
    if extend:
        r.extend(received + dt.timedelta(days=7), workdays=extend, approved_by="主任")
    pattern = re.compile(r"最迟于(\d{4})年(\d{1,2})月(\d{1,2})日（含当日[^）]*）(?:作出)?答复")
    dates = []
    for mode in ("flag", "earliest"):
        text = str(render_notice(r, agency=AGENCY, estimated_dates=mode, details={"reason": "x"}))
        found = pattern.findall(text)
        assert found, text
        dates.append(D(*map(int, found[-1])))
    assert dates[1] <= dates[0]


def test_cli_strict_refuses_a_late_extension(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from infopen._cli import app

    r = _new()
    r.extend(D(2026, 11, 12), workdays=10, approved_by="主任")
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps(r.to_dict(include_identity=True), ensure_ascii=False), encoding="utf-8"
    )
    agency = tmp_path / "agency.toml"
    agency.write_text('name = "某区政府"\nnumber_prefix = "某政"\n', encoding="utf-8")
    details = tmp_path / "details.toml"
    details.write_text('reason = "需要调取档案"\n', encoding="utf-8")
    args = [
        "notice",
        str(request),
        "--agency",
        str(agency),
        "--details",
        str(details),
        "--number",
        "3",
    ]
    run = CliRunner()
    plain = run.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    assert "【请核实：本次延期于2026年11月12日作出" in plain.output
    assert run.invoke(app, [*args, "--strict"]).exit_code != 0


def test_the_applicants_answer_warns_of_a_disclosure_that_comes_too_early() -> None:
    """The reply letter disclosing before the third party could act carries a warning."""
    early = _overridden(third_party_notice_on=D(2026, 10, 27),
                        third_party_notice_delivered_on=D(2026, 10, 28))  # fmt: skip
    details = {"how": "以邮寄方式"}
    text = str(render_notice(early, agency=AGENCY, details=details, number=4))
    assert "【请核实：第三方于 2026-10-28 收到书面告知" in text
    with pytest.raises(IncompleteNoticeError):
        render_notice(early, agency=AGENCY, details=details, number=4, strict=True)
    timely = _overridden(third_party_notice_on=D(2026, 10, 20),
                         third_party_notice_delivered_on=D(2026, 10, 21))  # fmt: skip
    assert notice_missing(timely, agency=AGENCY, details=details, number=4) == ()

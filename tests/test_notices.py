"""
Notices: every kind in text and HTML against golden files (compared exactly), .docx by its
text and through LibreOffice, and the rules every notice must keep.

Regenerate the golden files with ``INFOPEN_UPDATE_GOLDEN=1 pytest tests/test_notices.py``
and read every changed file before committing it: they are legal documents.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from infopen import (
    Agency,
    Applicant,
    Ground,
    IncompleteNoticeError,
    InvalidInputError,
    Outcome,
    Request,
    notice_missing,
    render_notice,
)

GOLDEN = Path(__file__).parent / "golden" / "notices"
UPDATE = os.environ.get("INFOPEN_UPDATE_GOLDEN") == "1"
D = dt.date
AGENCY = Agency(
    name="某市某区住房和城乡建设局",
    reconsideration_body="某市某区人民政府",
    address="某市某区某路1号",
    contact="0000-00000000",
    number_format="某住建公{code}〔{year}〕{number}号",
)
SUBJECT = "某小区2025年老旧小区改造项目的立项批复"


def _new() -> Request:
    return Request.receive(
        D(2026, 9, 28), request_id="2026-0001", applicant=Applicant(name="张三"), subject=SUBJECT
    )


def _decided(outcome: Outcome, **kwargs: object) -> Callable[[], Request]:
    def build() -> Request:
        r = _new()
        r.decide(D(2026, 10, 20), outcome, **kwargs)  # type: ignore[arg-type]
        return r

    return build


def _steps(*steps: Callable[[Request], None]) -> Callable[[], Request]:
    def build() -> Request:
        r = _new()
        for step in steps:
            step(r)
        return r

    return build


CASES: dict[str, Callable[[], Request]] = {
    "receipt": _new,
    "correction": _steps(lambda r: r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23))),
    "extension": _steps(lambda r: r.extend(D(2026, 10, 29), workdays=20)),
    "consult_third_party": _steps(lambda r: r.consult_third_party(D(2026, 10, 9))),
    "consult_agency": _steps(lambda r: r.consult_agency(D(2026, 10, 9))),
    "fee": _steps(lambda r: r.send_fee_notice(D(2026, 10, 12), amount=100)),
    "reasons": _steps(lambda r: r.ask_for_reasons(D(2026, 10, 9))),
    "delayed": _steps(lambda r: r.ask_for_reasons(D(2026, 10, 9)),
                      lambda r: r.set_delayed_deadline(D(2026, 10, 16), due=D(2026, 12, 15))),
    "withdrawn": _steps(lambda r: r.withdraw(D(2026, 10, 9))),
    "abandoned_correction": _steps(lambda r: r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23),
                                                                  delivered_on=D(2026, 10, 9)),
                                   lambda r: r.abandon(D(2026, 10, 26))),
    "abandoned_fee": _steps(lambda r: r.send_fee_notice(D(2026, 10, 12), amount=100),
                            lambda r: r.delivered(D(2026, 10, 14), of="send_fee_notice"),
                            lambda r: r.abandon(D(2026, 11, 12))),
    "still_unclear": _steps(lambda r: r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23)),
                            lambda r: r.receive_correction(D(2026, 10, 20)),
                            lambda r: r.decide(D(2026, 11, 2), Outcome.STILL_UNCLEAR)),
    "refused": _decided(Outcome.REFUSED, grounds=[Ground.THIRD_PARTY, Ground.PROCESS_INFORMATION]),
    "partially_disclosed": _decided(Outcome.PARTIALLY_DISCLOSED, grounds=[Ground.STATE_SECRET]),
    "excessive": _steps(lambda r: r.ask_for_reasons(D(2026, 10, 9)),
                        lambda r: r.reasons_replied(D(2026, 10, 16)),
                        lambda r: r.decide(D(2026, 10, 20), Outcome.EXCESSIVE)),
    "not_this_agency": _decided(Outcome.NOT_THIS_AGENCY,
                                referral={"agency": "某市自然资源局", "contact": "0000-11111111"}),
}  # fmt: skip
for _o in Outcome:
    if _o.name.lower() not in CASES and _o not in (
        Outcome.REFUSED, Outcome.PARTIALLY_DISCLOSED, Outcome.NOT_THIS_AGENCY, Outcome.STILL_UNCLEAR,
        Outcome.WITHDRAWN, Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE,
    ):  # fmt: skip
        CASES[_o.name.lower()] = _decided(_o)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), (
        f"missing golden file {path}; run with INFOPEN_UPDATE_GOLDEN=1 and review it"
    )
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_text_html_and_docx_match_golden(case: str) -> None:
    """Each notice kind renders exactly as its reviewed golden file: text, HTML, docx by its text."""
    r = CASES[case]()
    before = r.to_dict(include_identity=True)
    _golden(f"{case}.txt", str(render_notice(r, agency=AGENCY, number=12)))
    _golden(f"{case}.html", str(render_notice(r, agency=AGENCY, format="html", number=12)))
    docx = render_notice(r, agency=AGENCY, format="docx", number=12)
    _golden(f"{case}.docx.txt", "\n".join(_docx_text(bytes(docx))) + "\n")
    assert r.to_dict(include_identity=True) == before  # rendering never changes the request


def test_every_notice_cites_articles_and_the_receipt_date() -> None:
    """Every notice names the receipt date and cites the law it rests on."""
    for case, build in CASES.items():
        text = str(render_notice(build(), agency=AGENCY))
        assert "2026年9月28日" in text, case
        if case != "withdrawn":  # a withdrawal rests on the applicant's act, not an article
            assert "条例" in text or "办法" in text, case


@pytest.mark.parametrize(
    ("case", "clause"),
    [
        (
            "refused",
            "应当依照《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，先自收到本答复之日起60日内",
        ),
        ("partially_disclosed", "第二十三条第一款第（四）项"),
        ("not_held", "也可以自收到本答复之日起6个月内向人民法院提起行政诉讼"),
        (
            "abandoned_fee",
            "您如对本机关不再处理您申请的决定不服，可以自收到本告知书之日起60日内向某市某区人民政府",
        ),
    ],
)
def test_remedy_clause_fits_the_decision(case: str, clause: str) -> None:
    """Refusals from 2024 say reconsideration comes first; other decisions offer both remedies."""
    assert clause in str(render_notice(CASES[case](), agency=AGENCY))


def test_procedural_notices_carry_no_remedy_clause() -> None:
    """Receipt, correction, extension, consultation and fee notices carry no remedy clause."""
    for case in ("receipt", "correction", "extension", "consult_third_party", "fee"):
        assert "行政复议" not in str(render_notice(CASES[case](), agency=AGENCY)), case


def test_refusal_before_2024_offers_both_remedies() -> None:
    """A refusal dated before 2024-01-01 offers reconsideration or a lawsuit."""
    r = Request.receive(D(2023, 9, 1))
    r.decide(D(2023, 9, 20), Outcome.REFUSED, grounds=[Ground.STATE_SECRET])
    text = str(render_notice(r, agency=AGENCY))
    assert "也可以自收到本答复之日起6个月内" in text
    assert "第二十三条" not in text


def test_html_escapes_what_came_from_the_request() -> None:
    """Referral names and details are escaped in HTML."""
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.NOT_THIS_AGENCY, referral="<script>alert(1)</script>")
    html = str(render_notice(r, agency=AGENCY, format="html", details={"subject": "<b>x</b>"}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>x</b>" not in html


def test_events_without_notice_and_future_events() -> None:
    """An event that calls for no notice, or one that has not happened, is refused clearly."""
    r = _new()
    r.consult_third_party(D(2026, 10, 9))
    r.third_party_replied(D(2026, 10, 20))
    with pytest.raises(ValueError, match="calls for no notice"):
        render_notice(r, agency=AGENCY)
    with pytest.raises(IndexError, match="has not happened"):
        render_notice(r, agency=AGENCY, event=3)
    assert "意见征询函" in str(render_notice(r, agency=AGENCY, event=1))


def test_decisions_need_the_reconsideration_body() -> None:
    """A decision without the reconsideration body shows and lists it (行政复议法 art 20 ¶3)."""
    text = str(render_notice(CASES["refused"](), agency=Agency(name="某局")))
    assert "向【请填写：行政复议机关（行政复议法第二十四条）】申请行政复议" in text
    assert "行政复议机关（行政复议法第二十四条）" in notice_missing(
        CASES["refused"](), agency=Agency(name="某局")
    )
    with pytest.raises(IncompleteNoticeError, match="行政复议机关"):
        render_notice(CASES["refused"](), agency=Agency(name="某局"), strict=True)
    assert "回执" in str(render_notice(_new(), agency=Agency(name="某局")))


def test_custom_text_template(tmp_path: Path) -> None:
    """An agency's own Jinja2 template gets the same context."""
    (tmp_path / "mine.txt.j2").write_text(
        "{{ agency.name }}|{{ heading }}|{{ received }}", encoding="utf-8"
    )
    text = render_notice(_new(), agency=AGENCY, template=tmp_path / "mine.txt.j2")
    assert text == "某市某区住房和城乡建设局|政府信息公开申请接收回执|2026年9月28日\n"
    # A custom template is checked too: strict still refuses an incomplete notice.
    with pytest.raises(IncompleteNoticeError, match="文号"):
        render_notice(_new(), agency=AGENCY, template=tmp_path / "mine.txt.j2", strict=True)


def _docx_text(data: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_docx_text_and_letterhead(tmp_path: Path) -> None:
    """The .docx carries the notice's paragraphs; an agency letterhead is kept on top."""
    from docx import Document

    data = render_notice(CASES["refused"](), agency=AGENCY, format="docx")
    assert isinstance(data, bytes)
    paragraphs = _docx_text(data)
    text = str(render_notice(CASES["refused"](), agency=AGENCY))
    assert paragraphs[:2] == ["某市某区住房和城乡建设局", "政府信息公开申请答复书"]
    assert [p for p in paragraphs[3:] if p] == text.split("\n\n", 1)[1].replace(
        "\n\n", "\n"
    ).splitlines()
    head = Document()
    head.add_paragraph("某市某区住房和城乡建设局（信笺）")
    head.add_paragraph("{{ body }}")
    head.add_paragraph("地址：某市某区某路1号")
    path = tmp_path / "letterhead.docx"
    head.save(str(path))
    with_head = _docx_text(
        bytes(render_notice(_new(), agency=AGENCY, format="docx", template=path))
    )
    assert with_head[0] == "某市某区住房和城乡建设局（信笺）"
    # The letterhead carries the agency's name: the notice does not repeat it.
    assert with_head[1] == "政府信息公开申请接收回执"
    assert with_head.count("某市某区住房和城乡建设局") == 1  # the signature only
    assert with_head[-1] == "地址：某市某区某路1号"  # the notice went into {{ body }}
    assert "{{ body }}" not in "\n".join(with_head)
    bare = Document()
    bare.add_paragraph("信笺")
    bare.save(str(tmp_path / "bare.docx"))
    with pytest.raises(InvalidInputError, match="body"):
        render_notice(_new(), agency=AGENCY, format="docx", template=tmp_path / "bare.docx")


def test_docx_converts_to_pdf_with_libreoffice(tmp_path: Path) -> None:
    """LibreOffice opens the .docx and its PDF carries the notice's key lines."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (scripts/system-deps.sh installs it)"
    docx = tmp_path / "reply.docx"
    docx.write_bytes(bytes(render_notice(CASES["refused"](), agency=AGENCY, format="docx")))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    out = subprocess.run(
        ["pdftotext", str(tmp_path / "reply.pdf"), "-"], check=True, capture_output=True
    )
    text = out.stdout.decode("utf-8").replace(" ", "").replace("\n", "")
    for line in (
        "政府信息公开申请答复书",
        "2026年9月28日",
        "某市某区人民政府",
        "第二十三条第一款第（四）项",
    ):
        assert line in text


def test_docx_follows_gb_t_9704() -> None:
    """A4 with the standard margins, 仿宋 三号 body, 小标宋 二号 title style, 文号, page numbers, author."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    data = render_notice(CASES["refused"](), agency=AGENCY, format="docx", number=12)
    doc = Document(io.BytesIO(bytes(data)))
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)  # fmt: skip
    assert [round(s.mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]  # stored in twips
    by_text = {p.text: p for p in doc.paragraphs if p.text}
    title = by_text["政府信息公开申请答复书"]
    assert title.style.name == "公文标题"
    assert title.style.font.size == Pt(22)
    east = title.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert east in ("方正小标宋简体", "方正小标宋_GBK", "STZhongsong")
    assert by_text["某住建公复〔2026〕12号"].style.name == "公文文号"
    body = next(p for p in doc.paragraphs if p.text.startswith("本机关于"))
    assert body.style.name == "公文正文"
    assert body.style.font.size == Pt(16)
    assert body.style.paragraph_format.first_line_indent == Pt(32)
    east = body.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert east in ("仿宋_GB2312", "FangSong")
    assert by_text["张三："].style.name == "公文主送"
    assert by_text["2026年10月20日"].style.name == "公文落款"
    assert not any(p.style.name == "Normal" for p in doc.paragraphs if p.text)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml
    assert "— " in footer_xml
    assert "PAGE" in section.even_page_footer._element.xml
    assert doc.core_properties.author == "某市某区住房和城乡建设局"
    assert doc.core_properties.title == "政府信息公开申请答复书"
    assert [p.text for p in doc.paragraphs if p.text] == [
        line
        for line in str(render_notice(CASES["refused"](), agency=AGENCY, number=12)).splitlines()
        if line
    ]


def test_number_comes_from_the_register_or_is_a_placeholder() -> None:
    """Without a number: a placeholder; with one: the agency's own format; never a request id."""
    r = Request.receive(D(2026, 9, 28), subject=SUBJECT)
    text = str(render_notice(r, agency=AGENCY))
    assert text.splitlines()[2] == "【请填写：文号】"
    assert r.request_id not in text
    own = Agency(name="某局", number_format="某住建公复〔{year}〕{number}号")
    assert (
        str(render_notice(r, agency=own, number="0011")).splitlines()[2]
        == "某住建公复〔2026〕11号"  # GB/T 9704 §7.2.4: 不编虚位
    )
    plain = Agency(name="某局", number_prefix="某政公")
    assert str(render_notice(r, agency=plain, number=7)).splitlines()[2] == "某政公〔2026〕7号"
    with pytest.raises(InvalidInputError, match="number_format"):
        Agency(name="某局", number_format="某〔{year}〕号")
    with pytest.raises(InvalidInputError, match="court"):
        Agency(name="某局", court=None)  # type: ignore[arg-type]


def test_reasons_per_ground_and_the_subject_quoted() -> None:
    """Each ground gets its own reason; a single reason for several grounds is refused."""
    r = CASES["refused"]()
    reasons = {"THIRD_PARTY": "涉及某公司的商业秘密，该公司不同意公开",
               "PROCESS_INFORMATION": "属于审批过程中的内部讨论记录"}  # fmt: skip
    text = str(render_notice(r, agency=AGENCY, number=1, details={"reasons": reasons}))
    assert (
        "1. 保护第三方合法权益（《中华人民共和国政府信息公开条例》第十五条）：涉及某公司的商业秘密"
        in text
    )
    assert (
        "2. 属于四类过程性信息（《中华人民共和国政府信息公开条例》第十六条第二款）：属于审批过程中"
        in text
    )
    assert f"申请公开“{SUBJECT}”" in text
    assert notice_missing(r, agency=AGENCY, number=1, details={"reasons": reasons}) == ()
    with pytest.raises(InvalidInputError, match="reasons"):
        render_notice(r, agency=AGENCY, details={"reason": "一个理由"})
    with pytest.raises(InvalidInputError, match="STATE_SECRET"):
        render_notice(r, agency=AGENCY, details={"reasons": {"STATE_SECRET": "x"}})
    with pytest.raises(InvalidInputError, match="unknown notice details"):
        render_notice(r, agency=AGENCY, details={"reasonz": "x"})


def test_refusal_without_grounds_shows_the_gap() -> None:
    """A refusal recorded without grounds prints a placeholder where the reasons belong."""
    r = _new()
    r.decide(D(2026, 10, 20), Outcome.REFUSED)
    text = str(render_notice(r, agency=AGENCY, number=1))
    assert (
        "依据和理由如下：\n【请填写：不予公开的依据（条例第十四条至第十六条）及具体理由】" in text
    )


def test_estimated_due_dates_say_so_in_every_format() -> None:
    """A receipt and an extension whose due date lies in unannounced 2027 carry the note (#9)."""
    from infopen import national_calendar

    cal = national_calendar(beyond="estimate")
    r = Request.receive(
        D(2026, 12, 10), calendar=cal, subject=SUBJECT, applicant=Applicant(name="张三")
    )
    note = "按推定的放假安排计算，以国务院办公厅公布的安排为准"
    for index in (0, 1):
        if index == 1:
            r.extend(D(2026, 12, 30), workdays=20)
        text = str(render_notice(r, agency=AGENCY, event=index, number=1))
        assert note in text
        assert note in str(render_notice(r, agency=AGENCY, event=index, format="html"))
        assert note in "\n".join(
            _docx_text(bytes(render_notice(r, agency=AGENCY, event=index, format="docx")))
        )
    ok = Request.receive(D(2026, 9, 28), subject=SUBJECT)
    assert note not in str(render_notice(ok, agency=AGENCY))


def test_estimated_note_is_in_the_english_catalogue() -> None:
    """The estimated-date sentence has an English translation."""
    from infopen._i18n import translate
    from infopen._notices import ESTIMATED_NOTE

    assert translate("en")(ESTIMATED_NOTE) != ESTIMATED_NOTE

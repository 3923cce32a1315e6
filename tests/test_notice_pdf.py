"""
Every notice kind through LibreOffice to PDF (one soffice run for all of them): no page
holds only a signature or a date, the last page holds body text with the signature; the
fonts and the 落款 positions of GB/T 9704-2012 §7.3.5.1 read back from the .docx XML.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest

from infopen import Agency, Applicant, Outcome, Request, render_notice

from .test_notices import AGENCY, CASES, SUBJECT

D = dt.date


def _third_party() -> Request:
    r = Request.receive(D(2026, 9, 28), applicant=Applicant(name="张三"), subject=SUBJECT)
    r.consult_third_party(D(2026, 10, 9))
    r.third_party_replied(D(2026, 10, 16), consents=False)
    r.decide(D(2026, 11, 12), Outcome.DISCLOSED, public_interest="涉及公共安全，不公开可能对公共利益造成重大影响",
             third_party_notice_on=D(2026, 10, 20), third_party_notice_delivered_on=D(2026, 10, 21))  # fmt: skip
    return r


#: Every notice kind: the golden cases and the notice to an overridden third party.
KINDS = [*sorted(CASES), "third_party_disclosure"]


def _docx(case: str) -> bytes:
    if case == "third_party_disclosure":
        return bytes(render_notice(_third_party(), agency=AGENCY, format="docx", number=12,
                                   to="third_party", details={"addressee": "某建设公司"}))  # fmt: skip
    return bytes(render_notice(CASES[case](), agency=AGENCY, format="docx", number=12))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each notice kind's PDF, as the text of each page (pdftotext, one page at a time)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (scripts/system-deps.sh installs it)"
    assert shutil.which("pdftotext"), "pdftotext is required (poppler-utils)"
    folder = tmp_path_factory.mktemp("notices")
    files = []
    for case in KINDS:
        path = folder / f"{case}.docx"
        path.write_bytes(_docx(case))
        files.append(str(path))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf",
         "--outdir", str(folder), *files],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    out: dict[str, list[str]] = {}
    for case in KINDS:
        pdf = folder / f"{case}.pdf"
        assert pdf.exists(), f"LibreOffice made no PDF of {case}"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")
        out[case] = [_squash(page) for page in text.split("\f") if page.strip()]
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def _without_page_number(page: str) -> str:
    return page.replace("—1—", "").replace("—2—", "").replace("—3—", "")


@pytest.mark.parametrize("case", KINDS)
def test_no_page_holds_only_the_signature(pdfs: dict[str, list[str]], case: str) -> None:
    """The signature block is kept with the last lines of the body (keep-with-next)."""
    pages = [_without_page_number(p) for p in pdfs[case]]
    block = re.compile(
        rf"(（印章）)?({re.escape(AGENCY.name)})?(\d{{4}}年\d{{1,2}}月\d{{1,2}}日)?$"
    )
    for page in pages:
        assert not block.fullmatch(page), f"{case}: a page holds only the signature or the date"
    last = pages[-1]
    signed = re.search(rf"（印章）{re.escape(AGENCY.name)}2026年\d{{1,2}}月\d{{1,2}}日$", last)
    assert signed, f"{case}: the last page does not end with the signature block"
    assert len(last[: signed.start()]) >= 2, f"{case}: no body text before the signature"


def test_every_notice_kind_is_converted(pdfs: dict[str, list[str]]) -> None:
    """Every kind comes out with its heading and date, in one or two pages."""
    for case, pages in pdfs.items():
        text = "".join(pages)
        assert "（印章）" in text, case
        assert 1 <= len(pages) <= 3, (case, len(pages))


@pytest.mark.parametrize("case", KINDS)
def test_fonts_and_signature_positions_in_the_xml(case: str) -> None:
    """仿宋_GB2312 body, 方正小标宋简体 title (w:eastAsia); date 右空四字, name centred over it."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document(io.BytesIO(_docx(case)))
    paragraphs = [p for p in doc.paragraphs if p.text]
    for p in paragraphs:
        fonts = p.style.element.rPr.find(qn("w:rFonts"))
        expected = "方正小标宋简体" if p.style.name == "公文标题" else "仿宋_GB2312"
        assert fonts.get(qn("w:eastAsia")) == expected, (case, p.text)
    seal, name, date = paragraphs[-3:]
    assert (seal.text, name.text) == ("（印章）", AGENCY.name)
    assert date.paragraph_format.right_indent == Pt(64)  # 右空四字 (三号: 16 pt a character)

    def centre(p: object) -> float:
        width = sum(8 if ord(c) < 0x2E80 else 16 for c in p.text)  # type: ignore[attr-defined]
        return p.paragraph_format.right_indent.pt + width / 2  # type: ignore[attr-defined]

    assert centre(name) == pytest.approx(centre(date))
    assert centre(seal) == pytest.approx(centre(date))
    # The last body paragraph and the signature stay whole with what follows; the one
    # before keeps its last lines with them.
    body = [p for p in paragraphs if p.style.name == "公文正文"]
    for p in [body[-1], seal, name]:
        assert p.paragraph_format.keep_with_next, (case, p.text)
        assert p.paragraph_format.keep_together, (case, p.text)
    assert body[-2].paragraph_format.keep_with_next, case
    assert body[-2].paragraph_format.widow_control is not False, case
    assert not date.paragraph_format.keep_with_next


def test_agency_with_a_long_name_keeps_the_date_four_characters_in() -> None:
    """A name wider than the date: the date stays 右空四字, the name's centre over the date's."""
    from docx import Document
    from docx.shared import Pt

    long = Agency(
        name="某省某市某区住房和城乡建设局政府信息公开办公室", reconsideration_body="某区政府"
    )
    data = bytes(render_notice(CASES["receipt"](), agency=long, format="docx"))
    paragraphs = [p for p in Document(io.BytesIO(data)).paragraphs if p.text]
    assert paragraphs[-1].paragraph_format.right_indent == Pt(64)
    assert paragraphs[-2].paragraph_format.right_indent.pt >= 0

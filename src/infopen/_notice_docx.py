"""
The .docx writer of notices, laid out after GB/T 9704-2012 《党政机关公文格式》.

References:
    * GB/T 9704-2012 §5.2 (A4, 天头 37 mm, 订口 28 mm, 版心 156 x 225 mm, 22 lines of 28
      characters), §7.2 (title in 二号小标宋, body in 三号仿宋), §7.3.5.1 (加盖印章的公文:
      成文日期右空四字, 发文机关署名以成文日期为准居中编排, 印章下压署名和日期, 署名在正文
      下空一行), §7.5 (page numbers in 四号 with dashes, odd pages right, even left).

Checked With:
    * tests/test_notice_pdf.py: every notice kind through LibreOffice to PDF; no page holds
      only a signature or date; fonts and the 落款 positions read back from the XML.

Limitations:
    * The fonts are named, not embedded: Word and WPS use 仿宋_GB2312 and 方正小标宋简体
      where installed, else the alternatives named in the font table (仿宋, 华文中宋).
    * The 落款 positions assume full-width Chinese characters and half-width digits.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._errors import InvalidFileError, InvalidInputError, MissingExtraError

__all__ = ["BODY_FONT", "MARKED", "TITLE_FONT", "write_docx"]

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
# Alternatives named in the font table (w:altName) for machines without the GB fonts.
_ALT = {BODY_FONT: "仿宋", TITLE_FONT: "华文中宋"}
_PAGE_NUMBER_FONT = "宋体"
_BODY_PT = 16  # 三号
_TITLE_PT = 22  # 二号
_PAGE_NUMBER_PT = 14  # 四号
_LINE_PT = 28.95  # 22 lines in the 225 mm type area
_BODY_PLACEHOLDER = re.compile(r"\{\{\s*body\s*\}\}")
#: A placeholder or warning, outermost brackets matched (one level of nesting).
MARKED = re.compile(r"【请(?:填写|核实)：[^【】]*(?:【[^【】]*】[^【】]*)*】")

# The roles of a notice's lines, in order: agency, title, number, salutation, body...,
# seal, signature, date.
Line = tuple[str, str]


def _width(text: str) -> float:
    """Printed width in points: full-width characters 1 em, ASCII half."""
    return sum(_BODY_PT / 2 if ord(ch) < 0x2E80 else _BODY_PT for ch in text)


def write_docx(
    lines: Sequence[Line], *, heading: str, author: str, letterhead: Path | None
) -> bytes:
    """The .docx of a notice given as (role, text) lines (see ``_notices._lines``)."""
    try:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.shared import Mm, Pt
    except ModuleNotFoundError:
        raise MissingExtraError("Rendering .docx notices", "notices", "python-docx") from None
    if letterhead is None:
        doc = Document()
    else:
        try:
            doc = Document(str(letterhead))
        except Exception as exc:  # python-docx raises zipfile, KeyError and its own errors
            msg = f"{letterhead}: not a .docx letterhead ({type(exc).__name__}); save the letterhead from Word as .docx"
            raise InvalidFileError(msg) from None
    styles = _styles(doc)
    if letterhead is not None:  # the letterhead carries the agency's name already
        lines = [line for line in lines if line[0] != "agency"]
    date = next(text for role, text in lines if role == "date")
    date_indent = 4 * _BODY_PT  # 右空四字
    paragraphs: list[Any] = []
    for role, text in lines:
        p = doc.add_paragraph(style=styles[role])
        _add_text(p, text)
        if role in ("seal", "signature"):
            # Centred over the date: same centre line, clamped to the margin.
            indent = date_indent + (_width(date) - _width(text)) / 2
            p.paragraph_format.right_indent = Pt(max(indent, 0))
        elif role == "date":
            p.paragraph_format.right_indent = Pt(date_indent)
        paragraphs.append((role, p))
    _keep_signature_with_body(paragraphs)
    if letterhead is None:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        _page_numbers(doc, section)
    else:
        slot = next((p for p in doc.paragraphs if _BODY_PLACEHOLDER.search(p.text)), None)
        if slot is None:
            msg = (
                f"the letterhead {letterhead} has no {{{{ body }}}} paragraph: put a paragraph "
                f"reading {{{{ body }}}} where the notice belongs"
            )
            raise InvalidInputError(msg)
        for _role, p in paragraphs:
            slot._p.addprevious(p._p)
        slot._p.getparent().remove(slot._p)
    _font_table(doc)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.author = props.last_modified_by = author
    props.title = heading
    props.comments = props.keywords = props.subject = props.category = ""
    props.created = props.modified = now
    props.revision = 1
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's template carries a stray one
            pkg.rels.pop(rid)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _styles(doc: Any) -> dict[str, Any]:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    def style(name: str, font: str, size: float, align: Any, indent: float = 0.0) -> Any:
        existing = [s for s in doc.styles if s.name == name]
        s = existing[0] if existing else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = doc.styles["Normal"]
        _font(s.font, s.element, font, size)
        fmt = s.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(indent)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(_LINE_PT if size <= _BODY_PT else _TITLE_PT * 1.5)
        fmt.widow_control = True
        return s

    title = style("公文标题", TITLE_FONT, _TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    signature = style("公文落款", BODY_FONT, _BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    return {
        "agency": title,
        "title": title,
        "number": style("公文文号", BODY_FONT, _BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT),
        "salutation": style("公文主送", BODY_FONT, _BODY_PT, WD_ALIGN_PARAGRAPH.LEFT),
        "gap": style("公文正文", BODY_FONT, _BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2 * _BODY_PT),
        "body": style("公文正文", BODY_FONT, _BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2 * _BODY_PT),
        "seal": signature,
        "signature": signature,
        "date": signature,
    }


def _keep_signature_with_body(paragraphs: list[tuple[str, Any]]) -> None:
    """
    No page holds only a signature or a date: the last body paragraph, the seal position
    and the signature stay whole and keep with the next line; the paragraph before them
    keeps its last lines with them (it may break, widow control keeping two lines
    together), so a page is not left half empty.
    """
    body = [i for i, (role, _p) in enumerate(paragraphs) if role == "body"]
    last = body[-1] if body else len(paragraphs) - 1
    for i, (role, p) in enumerate(paragraphs):
        fmt = p.paragraph_format
        if i >= last:
            fmt.keep_together = True
            fmt.keep_with_next = role != "date"
        elif len(body) >= 2 and i == body[-2]:
            fmt.keep_with_next = True


def _add_text(paragraph: Any, text: str) -> None:
    """The text in runs, each placeholder highlighted as in the HTML (w:highlight)."""
    from docx.enum.text import WD_COLOR_INDEX

    at = 0
    for m in MARKED.finditer(text):
        if m.start() > at:
            paragraph.add_run(text[at : m.start()])
        paragraph.add_run(m.group(0)).font.highlight_color = WD_COLOR_INDEX.YELLOW
        at = m.end()
    if at < len(text) or not text:
        paragraph.add_run(text[at:])


def _font(font: Any, element: Any, name: str, size: float) -> None:
    """Set a style's font for Chinese (w:eastAsia) and Latin text alike."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.name = name
    font.size = Pt(size)
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _font_table(doc: Any) -> None:
    """Name the GB fonts in the font table with their alternatives (w:altName)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    try:
        part = doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return  # a letterhead without a font table: the styles still name the fonts
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in _ALT.items():
        if name in known:
            continue
        font = root.makeelement(qn("w:font"), {qn("w:name"): name})
        alt_el = font.makeelement(qn("w:altName"), {qn("w:val"): alt})
        charset = font.makeelement(qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        family = font.makeelement(qn("w:family"), {qn("w:val"): "modern"})
        font.extend([alt_el, charset, family])
        root.append(font)
    from docx.opc.oxml import serialize_part_xml

    part._blob = serialize_part_xml(root)


def _page_numbers(doc: Any, section: Any) -> None:
    """Page numbers "— 1 —" in 四号宋体: odd pages right, even pages left (GB/T 9704 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(_PAGE_NUMBER_PT)
        else:
            p.paragraph_format.left_indent = Pt(_PAGE_NUMBER_PT)
        _run(p, "— ")
        _field(p, "PAGE")
        _run(p, " —")


def _run(paragraph: Any, text: str) -> Any:
    run = paragraph.add_run(text)
    _font(run.font, run._r, _PAGE_NUMBER_FONT, _PAGE_NUMBER_PT)
    return run


def _field(paragraph: Any, code: str) -> None:
    from docx.oxml.ns import qn

    run = _run(paragraph, "")
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind is not None:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        elif text is not None and text.strip() == code:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        else:
            el = run._r.makeelement(qn("w:t"), {})
            el.text = text or ""
        run._r.append(el)

"""Checks of published annual reports: infopen's own tables pass, altered ones are caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from infopen import BrokenIdentity, InvalidInputError, Request, annual_report, check_report
from infopen._cli import app
from infopen._report_check import read_report

from .test_report import _build as _all


def _build() -> list[Request]:
    """The hand-built requests without p2, a refusal without grounds (placed nowhere, #11)."""
    return [r for r in _all() if r.request_id != "p2"]


def _write(tmp_path: Path, year: int = 2025) -> tuple[Path, Path]:
    rep = annual_report(_build(), year)
    csv_path = tmp_path / f"r{year}.csv"
    csv_path.write_text(rep.to_csv(), encoding="utf-8")
    xlsx_path = tmp_path / f"r{year}.xlsx"
    rep.to_xlsx(xlsx_path)
    return csv_path, xlsx_path


def test_tables_infopen_writes_pass_and_read_back(tmp_path: Path) -> None:
    """Both layouts infopen writes read back to the same numbers and break no identity."""
    rep = annual_report(_build(), 2025)
    csv_path, xlsx_path = _write(tmp_path)
    for path in (csv_path, xlsx_path):
        back = read_report(path, 2025)
        assert back.table3 == rep.table3
        assert back.table4 == rep.table4
        assert check_report(path) == ()
    assert check_report(rep) == ()
    prev_csv, _ = _write(tmp_path, 2024)
    assert check_report(csv_path, previous=prev_csv) == ()


def test_an_altered_table_names_each_broken_identity(tmp_path: Path) -> None:
    """Raising 予以公开 for 自然人 by 5 breaks three identities, each named with its cells."""
    csv_path, _ = _write(tmp_path)
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("（一）予以公开,"))
    cells = lines[i].split(",")
    assert cells[1] == "2"  # c1 and the DISCLOSED request, both natural persons
    cells[1] = "7"
    lines[i] = ",".join(cells)
    altered = tmp_path / "altered.csv"
    altered.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = check_report(altered)
    assert [b.identity for b in broken] == [
        "三(一)..(六) = 三(七) [自然人]",
        "six applicant columns = 总计 [（一）予以公开]",
    ]
    first = broken[0]
    assert (first.left, first.right) == (first.right + 5, first.right)
    assert ("（一）予以公开", "自然人", 7) in first.cells
    assert "（七）总计 [自然人]" in str(first)


def test_table_four_and_last_years_carry_over(tmp_path: Path) -> None:
    """A wrong table-四 total and a carry-over that differs from last year's are both named."""
    rep = annual_report(_build(), 2025)
    rep.table4["行政复议"]["总计"] = 3
    rep.table3["二"][0] += 1
    rep.table3["一"][0] -= 1  # keeps 一 + 二 = 三(七) + 四
    prev = annual_report(_build(), 2024)
    broken = check_report(rep, previous=prev)
    names = [b.identity for b in broken]
    assert "维持 + 纠正 + 其他 + 尚未审结 = 总计 [行政复议]" in names
    assert "二 = last year's 四 [自然人]" in names
    assert all(isinstance(b, BrokenIdentity) for b in broken)


def test_cli_report_check(tmp_path: Path) -> None:
    """`infopen report check` exits 0 on a good table and 1, naming the cells, on a bad one."""
    csv_path, xlsx_path = _write(tmp_path)
    runner = CliRunner(env={"COLUMNS": "200", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None})
    ok = runner.invoke(app, ["report", "check", str(xlsx_path)])
    assert ok.exit_code == 0, ok.output
    assert "各项勾稽关系均成立" in ok.output
    english = runner.invoke(app, ["--lang", "en", "report", "check", str(xlsx_path)])
    assert "every identity holds" in english.output
    text = csv_path.read_text(encoding="utf-8").replace("行政复议,1,0,0,0,1", "行政复议,1,0,0,0,2")
    bad_path = tmp_path / "bad.csv"
    bad_path.write_text(text, encoding="utf-8")
    bad = runner.invoke(app, ["report", "check", str(bad_path), "--previous", str(csv_path)])
    assert bad.exit_code == 1, bad.output
    # Lines of Chinese, not a Python repr (#20).
    assert "维持 + 纠正 + 其他 + 尚未审结 = 总计 [行政复议]：1 ≠ 2" in bad.output


def test_a_file_that_is_not_the_form_is_refused(tmp_path: Path) -> None:
    """Missing rows or a short row are named; nothing is guessed."""
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="rows not found"):
        check_report(path)
    path.write_text("（一）予以公开,1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="has 2 numbers, the form has 7"):
        check_report(path)


def test_a_broken_spreadsheet_is_refused(tmp_path: Path) -> None:
    """A file named .xlsx that is not one is an InvalidInputError naming the file."""
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InvalidInputError, match=r"fake\.xlsx: not a spreadsheet"):
        check_report(path)


# -- reports as governments publish them (#22, #23) ---------------------------------------

_GROUP_OF = {"(三)": "（三）不予公开", "(四)": "（四）无法提供", "(五)": "（五）不予处理",
             "(六)": "（六）其他处理"}  # fmt: skip


def _form_rows(rep: object) -> list[tuple[str, str, str, list[int]]]:
    """Table 三 as the official form lays it out: (column A, B, C, numbers) per row."""
    from infopen._report import ROWS

    out = []
    for key, label, numbers in ROWS:
        if not numbers:
            continue
        values = rep.table3[key]  # type: ignore[attr-defined]
        if key in ("一", "二", "四"):
            out.append((label, "", "", values))
        elif key[:3] in _GROUP_OF and len(key) > 3:
            out.append(("三、本年度办理结果", _GROUP_OF[key[:3]], label, values))
        else:
            out.append(("三、本年度办理结果", label, "", values))
    return out


def _html_page(rep: object) -> str:
    """A saved government web page: text, another table, then 三 and 四 with merged cells."""
    head = (
        "<tr><td rowspan='3' colspan='3'>本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和</td>"
        "<td colspan='7'>申请人情况</td></tr>"
        "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr>"
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
    )
    rows = []
    spans_done: set[str] = set()
    form = _form_rows(rep)
    results = sum(1 for a, _b, _c, _v in form if a.startswith("三"))
    for a, b, c, values in form:
        nums = "".join(f"<td>{v}</td>" for v in values)
        if not b:
            rows.append(f"<tr><td colspan='3'>{a}</td>{nums}</tr>")
            continue
        cells = ""
        if a not in spans_done:
            cells += f"<td rowspan='{results}'>{a}</td>"
            spans_done.add(a)
        if c:
            if b not in spans_done:
                size = sum(1 for _a, bb, cc, _v in form if bb == b and cc)
                cells += f"<td rowspan='{size}'>{b}</td>"
                spans_done.add(b)
            cells += f"<td>{c}</td>"
        else:
            cells += f"<td colspan='2'>{b}</td>"
        rows.append(f"<tr>{cells}{nums}</tr>")
    t4 = rep.table4  # type: ignore[attr-defined]
    four = (
        "<table><tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
        "<tr>" + "".join(f"<td rowspan='2'>{c}</td>" for c in
                         ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
        + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>"
        "<tr>" + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2
        + "</tr><tr>"
        + "".join(f"<td>{t4[g][c]}</td>" for g in t4 for c in t4[g]) + "</tr></table>"
    )  # fmt: skip
    return (
        "<html><head><meta charset='utf-8'><title>2025年政府信息公开工作年度报告</title></head><body>"
        "<p>根据《中华人民共和国政府信息公开条例》第五十条……</p>"
        "<table><tr><td>二、主动公开政府信息情况</td></tr><tr><td>规章</td><td>3</td></tr></table>"
        f"<p>三、收到和处理政府信息公开申请情况</p><table>{head}{''.join(rows)}</table>"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{four}<p>五、存在的主要问题……</p>"
        "</body></html>"
    )


def test_a_saved_web_page_with_merged_cells_is_read(tmp_path: Path) -> None:
    """Tables 三 and 四 of a saved .html page, with rowspan/colspan among other tables and
    text, read back to the numbers; a wrong cell in it is caught."""
    rep = annual_report(_build(), 2025)
    page = tmp_path / "report.html"
    page.write_text(_html_page(rep), encoding="utf-8")
    back = read_report(page, 2025)
    assert back.table3 == rep.table3
    assert back.table4 == rep.table4
    assert check_report(page) == ()
    rep.table3["(一)"][0] += 9
    page.write_text(_html_page(rep), encoding="utf-8")
    assert check_report(page)


def _merged_workbook(path: Path, sheets: dict[str, object], *, ascii_marks: bool = False) -> None:
    """Table 三 alone in the form's merged-cell layout, one sheet per entry."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rep in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(["本列数据的统计期限", "", "", "申请人情况"])
        ws.merge_cells("A1:C1")
        ws.append(
            [
                "",
                "",
                "",
                "自然人",
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他",
                "总计",
            ]
        )
        first = None
        for a, b, c, values in _form_rows(rep):
            if ascii_marks:
                b, c = (
                    x.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"')
                    for x in (b, c)
                )
            ws.append([a, b, c, *values])
            row = ws.max_row
            if not b:
                ws.merge_cells(f"A{row}:C{row}")
            elif first is None:
                first = row
            if b and not c:
                ws.merge_cells(f"B{row}:C{row}")
        results_end = ws.max_row - 1  # 四 is the last row
        ws.merge_cells(f"A{first}:A{results_end}")  # the cells below the first are blank
    wb.save(path)


def test_table_three_alone_in_the_forms_merged_layout(tmp_path: Path) -> None:
    """Table 三 pasted into a workbook in the form's merged-cell layout, with ASCII brackets
    and straight quotes, is read; table 四 is then not needed."""
    rep = annual_report(_build(), 2025)
    path = tmp_path / "form.xlsx"
    _merged_workbook(path, {"2025": rep}, ascii_marks=True)
    assert read_report(path, 2025).table3 == rep.table3
    assert check_report(path) == ()


def test_every_sheet_is_checked_and_the_broken_one_named(tmp_path: Path) -> None:
    """A broken 2026 sheet beside a correct 2025 one fails, naming the sheet, and names the
    one cell that explains its broken identities."""
    good = annual_report(_build(), 2025)
    bad = annual_report(_build(), 2025)
    bad.table3["(一)"][0] += 9  # 自然人 予以公开: 2 becomes 11
    path = tmp_path / "two.xlsx"
    _merged_workbook(path, {"2025": good, "2026": bad})
    broken = check_report(path)
    assert broken
    assert {b.sheet for b in broken} == {"2026"}
    assert "sheet 2026" in str(broken[0])
    assert broken[0].suspect == "（一）予以公开/自然人: 11, the identities want 2"
    output = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["report", "check", str(path)]).output
    assert "工作表 2026：最可能出错的是 （一）予以公开/自然人: 11, the identities want 2" in output


def test_file_problems_are_clear_errors(tmp_path: Path) -> None:
    """A missing workbook is a FileAccessError, a UTF-8 mark before GBK bytes a clear error,
    and negative counts are refused even when they add up (#23)."""
    from infopen import FileAccessError

    with pytest.raises(FileAccessError):
        check_report(tmp_path / "missing.xlsx")
    csv_path, _ = _write(tmp_path)
    text = csv_path.read_text(encoding="utf-8")
    lied = tmp_path / "bom.csv"
    lied.write_bytes(b"\xef\xbb\xbf" + text.encode("gbk"))
    with pytest.raises(InvalidInputError, match="byte-order mark"):
        check_report(lied)
    rep = annual_report(_build(), 2025)
    rows = text.replace(
        "（一）予以公开,", "（一）予以公开,-1,1,"
    )  # one cell -1, 2 + ... still adds
    negative = tmp_path / "negative.csv"
    negative.write_text(rows, encoding="utf-8")
    assert rep.table3["(一)"][0] >= 0
    with pytest.raises(InvalidInputError, match="negative"):
        read_report(negative)


@settings(max_examples=40)
@given(
    grid=st.lists(
        st.lists(st.text("0123456789一二三（）<>&\"' ", max_size=6), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    ),
)
def test_html_tables_read_back_any_grid(grid: list[list[str]]) -> None:
    """Any grid of cells written as an HTML table (escaped) reads back as the same grid."""
    import html

    from infopen._html_tables import html_tables

    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in grid
    )
    (table,) = html_tables(f"<p>x</p><table>{body}</table>")
    assert table == [[" ".join(c.split()) for c in row] for row in grid]


def test_html_spans_fill_every_cell_they_cover() -> None:
    """A cell spanning two rows and two columns appears in each of the four positions."""
    from infopen._html_tables import html_tables

    page = ("<table><tr><td rowspan='2' colspan='2'>A</td><td>1</td></tr>"
            "<tr><td>2</td></tr><tr><td>x</td><td>y</td><td>3</td></tr></table>")  # fmt: skip
    assert html_tables(page) == [[["A", "A", "1"], ["A", "A", "2"], ["x", "y", "3"]]]

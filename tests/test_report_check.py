"""Checks of published annual reports: infopen's own tables pass, altered ones are caught."""

from __future__ import annotations

from pathlib import Path

import pytest
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

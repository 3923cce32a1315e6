"""
The command line's errors (#13): one or two lines on stderr naming the file or argument and
the fix, exit status 2 for bad input, never a traceback unless --debug, and user text never
read as rich markup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infopen import Outcome, Request, to_jsonl
from infopen._cli import app

runner = CliRunner(env={"COLUMNS": "80", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None})


def _said(output: str) -> str:
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def _refused(args: list[str], *needles: str) -> str:
    """Run ``args``: exit 2, no traceback, a short message containing each needle."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    text = _said(result.output)
    for needle in needles:
        assert needle in text, text
    return text


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    r = Request.receive(dt.date(2026, 3, 2), request_id="r1")
    r.decide(dt.date(2026, 3, 10), Outcome.DISCLOSED)
    (tmp_path / "r.json").write_text(json.dumps(r.to_dict()), encoding="utf-8")
    (tmp_path / "rs.jsonl").write_text(to_jsonl([r]), encoding="utf-8")
    (tmp_path / "a.toml").write_text(
        'name = "某局"\nreconsideration_body = "某市人民政府"\n', encoding="utf-8"
    )
    (tmp_path / "log.csv").write_text("编号,收到日期\nA1,2026-09-28\n", encoding="utf-8")
    (tmp_path / "sim.toml").write_text(
        'name = "小"\nyear = 2025\n[arrivals]\ndaily_rate = 0.2\n', encoding="utf-8"
    )
    (tmp_path / "folder").mkdir()
    return {p.stem: p for p in tmp_path.iterdir()} | {"dir": tmp_path}


def test_output_in_a_missing_folder_or_a_folder(files: dict[str, Path]) -> None:
    """Every --out (--xlsx) that cannot be written names the path and the fix."""
    nowhere = files["dir"] / "no" / "such" / "out.txt"
    folder = files["folder"]
    for out, fix in ((nowhere, "请先建立文件夹"), (folder, "是文件夹：请给出文件名")):
        _refused(["notice", str(files["r"]), "--agency", str(files["a"]), "--out", str(out)],
                 str(out), fix)  # fmt: skip
        _refused(["audit", str(files["log"]), "--out", str(out)], str(out), fix)
        _refused(["report", str(files["rs"]), "--year", "2026", "--xlsx", str(out)], str(out), fix)
    blocked = files["a"] / "sub"  # a folder inside a file
    _refused(["simulate", str(files["sim"]), "--out", str(blocked)], str(blocked), "无法写入")


def test_years_seeds_and_ranges_out_of_range(files: dict[str, Path]) -> None:
    """calendar --year 0, report --year -1, simulate --seed -1 and sweep --staff 5..2."""
    _refused(["calendar", "--year", "0"], "year must be a year from 1 to 9999")
    _refused(["report", str(files["rs"]), "--year", "-1"], "year must be a year from 1 to 9999")
    _refused(["simulate", str(files["sim"]), "--seed", "-1"], "--seed")
    _refused(["sweep", str(files["sim"]), "--staff", "5..2"], "--staff", "下限不大于上限")
    _refused(["sweep", str(files["sim"]), "--staff", "a,b"], "--staff", "不是整数列表")


def test_extension_over_twenty_is_refused() -> None:
    """`deadline --extend 21` is refused, as its help says (art. 33: at most 20)."""
    _refused(["deadline", "2026-09-28", "--extend", "21"], "--extend")


def test_huge_csv_cell(files: dict[str, Path]) -> None:
    """A 200 KB cell is reported with the file and line."""
    files["log"].write_text("编号,收到日期\n" + "x" * 200_000 + ",2026-09-28\n", encoding="utf-8")
    _refused(["audit", str(files["log"])], "log.csv, line 2: not CSV")


@pytest.mark.parametrize("markup", ["[/]", "[/red]", "[bold]x[/bold]", "[link=x]"])
def test_markup_in_ids_and_dates_is_printed_as_text(files: dict[str, Path], markup: str) -> None:
    """A request id or a date with rich markup is shown literally or refused, never parsed."""
    r = Request.receive(dt.date(2026, 9, 28), request_id=f"id{markup}")
    files["r"].write_text(json.dumps(r.to_dict()), encoding="utf-8")
    shown = runner.invoke(app, ["show", str(files["r"]), "--as-of", "2026-10-12"])
    assert shown.exit_code == 0, shown.output
    assert f"申请 id{markup}" in shown.output
    _refused(["deadline", f"2026-09-28{markup}"], f"2026-09-28{markup}")
    _refused(["show", str(files["r"]), "--as-of", markup], markup)
    files["log"].write_text(f"编号,收到日期\n{markup},{markup}\n", encoding="utf-8")
    audited = runner.invoke(app, ["audit", str(files["log"])])
    assert audited.exit_code == 0, audited.output
    assert markup in audited.output


def test_unreadable_inputs_name_the_file(files: dict[str, Path]) -> None:
    """A missing file, a GBK file and broken JSON each name the file."""
    _refused(["show", str(files["dir"] / "none.json")], "none.json", "找不到文件", "请检查路径")
    files["r"].write_bytes('{"format": "申请"}'.encode("gbk"))
    _refused(["show", str(files["r"])], "r.json, line 1: not UTF-8")
    files["r"].write_text('{"format": \n', encoding="utf-8")
    _refused(["show", str(files["r"])], "r.json 第 2 行：不是有效的 JSON")
    # A pretty-printed request is read (#20).
    files["r"].write_text(
        json.dumps(Request.receive("2026-03-02").to_dict(), indent=2), encoding="utf-8"
    )
    assert runner.invoke(app, ["show", str(files["r"]), "--as-of", "2026-03-03"]).exit_code == 0


def test_debug_shows_the_traceback(files: dict[str, Path]) -> None:
    """With --debug the error propagates (the traceback is shown)."""
    result = runner.invoke(app, ["--debug", "calendar", "--year", "0"])
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "InvalidInputError"


def test_a_failed_report_writes_no_markup(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report failing its checks says so in words and exits 1; no "[red]" reaches a file (#20)."""
    from infopen._report import AnnualReport

    monkeypatch.setattr(AnnualReport, "check", lambda self: ["一 + 二 ≠ 三"])
    result = runner.invoke(app, ["report", str(files["rs"]), "--year", "2026"])
    assert result.exit_code == 1
    assert "年度报告未通过核对（1 处）" in result.output
    assert "[red]" not in result.output
    assert "\x1b[" not in result.output  # no colour codes in output that is not a terminal

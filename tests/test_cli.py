"""The ``infopen`` command line: deadline and calendar commands."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from infopen import national_calendar
from infopen._cli import app

runner = CliRunner()


def test_deadline_prints_due_date_and_extension() -> None:
    """`infopen deadline` prints the 20th working day and the extended date, with the trace."""
    result = runner.invoke(app, ["deadline", "2026-09-28", "--extend", "20"])
    assert result.exit_code == 0, result.output
    assert "2026-09-28（当日不计）后第 20 个工作日：2026-10-30" in result.output
    assert "延期 20 个工作日后：2026-11-27" in result.output
    assert "2026-10-10 星期六 计入（调休上班日：国庆节调休上班）" in result.output


def test_deadline_in_english() -> None:
    """--lang en renders the explanation in English."""
    result = runner.invoke(app, ["deadline", "2026-09-28", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Working day 20 after 2026-09-28 (that day not counted): 2026-10-30" in result.output
    assert "skipped (National Day)" in result.output


def test_deadline_past_coverage_exits_2_and_estimate_answers() -> None:
    """Past coverage the command fails with the reason; --estimate answers and warns."""
    if national_calendar().coverage[1].year > 2026:
        pytest.skip("the installed holidays data already announces 2027")
    result = runner.invoke(app, ["deadline", "2026-12-20"])
    assert result.exit_code == 2
    assert "2027" in result.output
    est = runner.invoke(app, ["deadline", "2026-12-20", "--estimate"])
    assert est.exit_code == 0, est.output
    assert "推定" in est.output


def test_calendar_year_lists_rest_and_work_days() -> None:
    """`infopen calendar --year 2026` lists the swapped days of the notice."""
    result = runner.invoke(app, ["calendar", "--year", "2026"])
    assert result.exit_code == 0, result.output
    for line in ("2026-02-14", "2026-10-10", "2026-10-07", "国庆节调休上班"):
        assert line in result.output


def test_calendar_dates_say_why() -> None:
    """`infopen calendar DATE...` says whether each date is worked, and why."""
    result = runner.invoke(app, ["calendar", "2026-10-10", "2026-10-11", "2026-10-01"])
    assert result.exit_code == 0, result.output
    assert "2026-10-10 工作日：国庆节调休上班" in result.output
    assert "2026-10-11 休息日：周末" in result.output
    assert "2026-10-01 休息日：国庆节" in result.output


@pytest.mark.parametrize(
    "args", [["deadline", "2026/9/28"], ["deadline", "2026-09-28", "--lang", "fr"], ["calendar"]]
)
def test_bad_input_is_refused(args: list[str]) -> None:
    """A bad date, an unknown language or a missing argument exits with a usage error."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2


def test_report_command(tmp_path: object) -> None:
    """`infopen report --year 2026 requests.jsonl` prints table 三 and can write .xlsx."""
    import datetime as dt
    from pathlib import Path

    from infopen import Outcome, Request, to_jsonl

    r = Request.receive(dt.date(2026, 3, 2), request_id="r1")
    r.decide(dt.date(2026, 3, 10), Outcome.DISCLOSED)
    path = Path(str(tmp_path)) / "requests.jsonl"
    path.write_text(to_jsonl([r]), encoding="utf-8")
    result = runner.invoke(
        app, ["report", str(path), "--year", "2026", "--xlsx", str(path.with_suffix(".xlsx"))]
    )
    assert result.exit_code == 0, result.output
    assert "| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in result.output
    assert path.with_suffix(".xlsx").exists()
    csv_out = runner.invoke(app, ["report", str(path), "--year", "2026", "--format", "csv"])
    assert csv_out.output.splitlines()[0].endswith(
        "自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"
    )
    path.write_text("{broken\n", encoding="utf-8")
    bad = runner.invoke(app, ["report", str(path), "--year", "2026"])
    assert bad.exit_code == 2
    assert "line 1" in bad.output


def test_notice_command(tmp_path: object) -> None:
    """`infopen notice REQUEST.json --agency agency.toml` prints the latest event's notice."""
    import datetime as dt
    import json
    from pathlib import Path

    from infopen import Request

    base = Path(str(tmp_path))
    r = Request.receive(dt.date(2026, 9, 28), request_id="n1")
    r.request_correction(dt.date(2026, 10, 9), reply_by=dt.date(2026, 10, 23))
    (base / "r.json").write_text(json.dumps(r.to_dict()), encoding="utf-8")
    (base / "a.toml").write_text(
        'name = "某局"\nreconsideration_body = "某市人民政府"\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["notice", str(base / "r.json"), "--agency", str(base / "a.toml")])
    assert result.exit_code == 0, result.output
    assert "政府信息公开申请补正告知书" in result.output
    assert "请您于2026年10月23日前补正" in result.output
    docx = runner.invoke(app, ["notice", str(base / "r.json"), "--agency", str(base / "a.toml"),
                               "--event", "0", "--format", "docx", "--out", str(base / "n.docx")])  # fmt: skip
    assert docx.exit_code == 0, docx.output
    assert (base / "n.docx").read_bytes()[:2] == b"PK"
    missing = runner.invoke(
        app, ["notice", str(base / "r.json"), "--agency", str(base / "a.toml"), "--event", "5"]
    )
    assert missing.exit_code == 2
    assert "has not happened" in missing.output

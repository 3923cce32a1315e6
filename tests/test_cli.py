"""The ``infopen`` command line: deadline and calendar commands."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infopen import Outcome, Request, national_calendar
from infopen._cli import app

# A fixed width, so that rich wraps the same way on every terminal and in CI.
runner = CliRunner(env={"COLUMNS": "80", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None})


def said(output: str) -> str:
    """The text of an output with rich's box drawing removed and wrapped lines joined."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


DATA = Path(__file__).parent / "data"
needs_2027_unannounced = pytest.mark.skipif(
    national_calendar().coverage[1].year > 2026,
    reason="the installed holidays data already announces 2027",
)


def test_deadline_prints_due_date_and_extension() -> None:
    """`infopen deadline 2026-09-28 --extend 20`: due 30 Oct, extended 27 Nov, with both traces."""
    result = runner.invoke(app, ["deadline", "2026-09-28", "--extend", "20"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2026-09-28（当日不计）后第 20 个工作日：2026-10-30"
    assert lines[1] == "日历：全国，含推定"
    for line in (
        "  2026-10-01 星期四 跳过（国庆节）",
        "  2026-10-07 星期三 跳过（国庆节（调休））",
        "  2026-10-10 星期六 计入（调休上班日：国庆节调休上班）",
        "延期 20 个工作日后：2026-11-27",
        "2026-10-30（当日不计）后第 20 个工作日：2026-11-27",
        "  2026-11-22 星期日 跳过（周末）",
    ):
        assert line in lines


def test_deadline_in_english() -> None:
    """--lang en renders the due date, the extension and both traces in English."""
    result = runner.invoke(app, ["deadline", "2026-09-28", "--extend", "20", "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Working day 20 after 2026-09-28 (that day not counted): 2026-10-30"
    for line in (
        "  2026-10-01 Thu skipped (National Day)",
        "  2026-10-10 Sat counted (make-up workday: make-up workday for National Day)",
        "After an extension of 20 working days: 2026-11-27",
        "Working day 20 after 2026-10-30 (that day not counted): 2026-11-27",
    ):
        assert line in lines
    assert not re.search(r"[\u4e00-\u9fff\uff00-\uffef]", result.output.replace("全国，含推定", ""))


def test_deadline_spring_festival_lines_are_not_wrapped() -> None:
    """Long trace lines stay whole, whatever the terminal width."""
    result = runner.invoke(app, ["deadline", "2026-02-13", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (
        "  2026-02-14 Sat counted (make-up workday: make-up workday for Chinese New Year"
        " (Spring Festival))"
    ) in result.output.splitlines()


@needs_2027_unannounced
def test_deadline_past_coverage_estimates_by_default_and_no_estimate_refuses() -> None:
    """Past coverage the answer is an estimate, flagged; --no-estimate exits 2 with the reason."""
    result = runner.invoke(app, ["deadline", "2026-12-20", "--no-estimate"])
    assert result.exit_code == 2
    assert "错误 CALENDAR_COVERAGE：计算涉及 2027 年" in said(result.output)
    # CLI advice, not Python calls (#20).
    assert "--overlay 文件.toml" in said(result.output)
    assert "with_days" not in said(result.output)
    est = runner.invoke(app, ["deadline", "2026-12-20"])
    assert est.exit_code == 0, est.output
    lines = est.output.splitlines()
    assert lines[0] == "2026-12-20（当日不计）后第 20 个工作日：2027-01-18"
    assert lines[1] == "日历：全国，含推定"
    assert "  2027-01-01 星期五 跳过（推定休息日：元旦）" in lines
    assert lines[-1] == "注意：结果使用了推定日期，须以国务院办公厅公布的放假安排为准。"
    en = runner.invoke(app, ["deadline", "2026-12-20", "--lang", "en"])
    assert en.exit_code == 0, en.output
    assert "  2027-01-01 Fri skipped (estimated rest day: New Year's Day)" in en.output
    assert "EstimatedDateWarning" not in en.output  # the output flags it; no Python warning


def test_calendar_year_lists_rest_and_work_days() -> None:
    """`infopen calendar --year 2026` lists the notice's days with their holidays."""
    result = runner.invoke(app, ["calendar", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "2026 年放假调休（全国，含推定）" in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ 2026-")]
    assert len(rows) == 25  # 19 weekday rest days and 6 make-up workdays
    row = {r.split("│")[1].strip(): [c.strip() for c in r.split("│")[2:4]] for r in rows}
    assert row["2026-02-14"] == ["上班", "春节调休上班"]
    assert row["2026-02-16"] == ["休息", "农历除夕"]
    assert row["2026-09-20"] == ["上班", "国庆节调休上班"]
    assert row["2026-09-25"] == ["休息", "中秋节"]
    assert row["2026-10-07"] == ["休息", "国庆节（调休）"]
    assert row["2026-10-10"] == ["上班", "国庆节调休上班"]


def test_calendar_year_in_english() -> None:
    """--lang en translates the table's title, headers, kinds and names."""
    result = runner.invoke(app, ["calendar", "--year", "2026", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Rest days and make-up workdays in 2026" in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ 2026-")]
    row = {r.split("│")[1].strip(): [c.strip() for c in r.split("│")[2:4]] for r in rows}
    assert row["2026-09-20"] == ["work", "make-up workday for National Day"]
    assert row["2026-10-01"] == ["rest", "National Day"]


@needs_2027_unannounced
def test_calendar_year_past_coverage() -> None:
    """An unannounced year is listed as estimated and says what replaces it; --no-estimate: 2."""
    result = runner.invoke(app, ["calendar", "--year", "2027", "--no-estimate"])
    assert result.exit_code == 2
    assert "2027" in result.output
    est = runner.invoke(app, ["calendar", "--year", "2027"])
    assert est.exit_code == 0, est.output
    rows = [line for line in est.output.splitlines() if line.startswith("│ 2027-")]
    row = {r.split("│")[1].strip(): [c.strip() for c in r.split("│")[2:4]] for r in rows}
    assert all(kind in ("休息（推定）", "上班（推定）") for kind, _ in row.values())
    for day in ("2027-02-09", "2027-02-10", "2027-05-03", "2027-05-04", "2027-10-04", "2027-10-05"):
        assert row[day] == ["休息（推定）", row[day][1]]
        assert "补假" in row[day][1]
    text = said(est.output)
    assert "尚未公布 2027 年的放假安排" in text
    assert "pip install -U holidays" in text
    assert "through_year = 2027" in text


def test_calendar_dates_say_why() -> None:
    """`infopen calendar 2026-10-10 2026-10-11` says whether each date is worked, and why."""
    result = runner.invoke(
        app, ["calendar", "2026-10-10", "2026-10-11", "2026-10-01", "2026-10-12"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2026-10-10 工作日：国庆节调休上班",
        "2026-10-11 休息日：周末",
        "2026-10-01 休息日：国庆节",
        "2026-10-12 工作日：周一至周五",
    ]
    en = runner.invoke(app, ["calendar", "2026-10-10", "2026-10-11", "--lang", "en"])
    assert en.exit_code == 0, en.output
    assert en.output.splitlines() == [
        "2026-10-10 working day: make-up workday for National Day",
        "2026-10-11 rest day: weekend",
    ]


def test_overlay_option() -> None:
    """--overlay lays a TOML file's days over the national calendar; a bad file exits 2."""
    result = runner.invoke(
        app,
        ["deadline", "2026-10-08", "--workdays", "1", "--overlay", str(DATA / "overlay_ok.toml")],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "2026-10-08（当日不计）后第 1 个工作日：2026-10-10",
        "日历：全国，含推定 + 示例机关",
    ]
    days = runner.invoke(
        app, ["calendar", "2026-11-07", "--overlay", str(DATA / "overlay_ok.toml")]
    )
    assert days.output.splitlines() == ["2026-11-07 工作日：补班（示例：机关内部通知（测试数据））"]
    bad = runner.invoke(
        app, ["calendar", "2026-11-07", "--overlay", str(DATA / "overlay_no_source.toml")]
    )
    assert bad.exit_code == 2
    assert "no source" in said(bad.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadline", "2026/9/28"], "“2026/9/28”不是日期，请写成 YYYY-MM-DD"),
        (["deadline", "2026-02-30"], "“2026-02-30”不是日期，请写成 YYYY-MM-DD"),
        (["deadline", "2026-09-28", "--lang", "fr"], "--lang 只能是 zh 或 en"),
        (["deadline", "2026-09-28", "--workdays", "-1"], "--workdays"),
        (["deadline", "2026-09-28", "--extend", "twenty"], "--extend"),
        (["calendar"], "请给出 --year 年份，或一个或多个日期"),
        (["calendar", "10/10"], "不是日期"),
    ],
)
def test_bad_input_is_refused(args: list[str], message: str) -> None:
    """A bad date, language or count, or a missing argument, exits 2 with the reason."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in said(result.output)


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
    refused = Request.receive(dt.date(2026, 3, 2), request_id="r2")
    refused.decide(dt.date(2026, 3, 10), Outcome.REFUSED)  # no grounds: cannot be placed
    path.write_text(to_jsonl([r, refused]), encoding="utf-8")
    failing = runner.invoke(app, ["report", str(path), "--year", "2026"])
    assert failing.exit_code == 1
    assert "- r2: 不予公开但未记录理由" in failing.output
    path.write_text(to_jsonl([r, r]), encoding="utf-8")
    assert runner.invoke(app, ["report", str(path), "--year", "2026"]).exit_code == 2
    path.write_text("{broken\n", encoding="utf-8")
    bad = runner.invoke(app, ["report", str(path), "--year", "2026"])
    assert bad.exit_code == 2
    assert "line 1" in said(bad.output)


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
    assert "请您在2026年10月23日（含当日）前补正" in result.output
    assert "待填写的占位：文号" in result.output
    docx = runner.invoke(app, ["notice", str(base / "r.json"), "--agency", str(base / "a.toml"),
                               "--event", "0", "--format", "docx", "--out", str(base / "n.docx")])  # fmt: skip
    assert docx.exit_code == 0, docx.output
    assert (base / "n.docx").read_bytes()[:2] == b"PK"
    missing = runner.invoke(
        app, ["notice", str(base / "r.json"), "--agency", str(base / "a.toml"), "--event", "5"]
    )
    assert missing.exit_code == 2
    assert "has not happened" in said(missing.output)


def test_notice_details_number_template_and_strict(tmp_path: object) -> None:
    """--details FILE.toml fills elements, --number sets the 文号, --strict exits 1 when incomplete."""
    import datetime as dt
    import json
    from pathlib import Path

    from infopen import Applicant, Ground, Outcome, Request

    base = Path(str(tmp_path))
    r = Request.receive(dt.date(2026, 9, 28), request_id="n1", subject="某批复",
                        applicant=Applicant(name="张三"))  # fmt: skip
    r.decide(dt.date(2026, 10, 20), Outcome.REFUSED, grounds=[Ground.THIRD_PARTY])
    (base / "r.json").write_text(json.dumps(r.to_dict(include_identity=True)), encoding="utf-8")
    (base / "a.toml").write_text(
        'name = "某局"\nreconsideration_body = "某市人民政府"\nnumber_format = "某公复〔{year}〕{number}号"\n',
        encoding="utf-8",
    )
    (base / "d.toml").write_text(
        '[reasons]\nTHIRD_PARTY = "涉及某公司的商业秘密"\n', encoding="utf-8"
    )
    args = ["notice", str(base / "r.json"), "--agency", str(base / "a.toml")]
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "文号" in said(strict.output)
    # Advice in command-line terms, not Python calls (#20).
    assert "错误 INCOMPLETE_NOTICE：" in said(strict.output)
    assert "--details 文件.toml" in said(strict.output)
    assert "details=" not in said(strict.output)
    full = runner.invoke(
        app, [*args, "--strict", "--number", "8", "--details", str(base / "d.toml")]
    )
    assert full.exit_code == 0, full.output
    assert "某公复〔2026〕8号" in full.output
    assert (
        "保护第三方合法权益（《中华人民共和国政府信息公开条例》第十五条）：涉及某公司的商业秘密"
        in full.output
    )
    (base / "mine.txt.j2").write_text("{{ number }}|{{ subject }}", encoding="utf-8")
    own = runner.invoke(app, [*args, "--number", "8", "--template", str(base / "mine.txt.j2")])
    assert "某公复〔2026〕8号|“某批复”\n" in own.output


def test_show_builtin_example() -> None:
    """`infopen show` without a file shows the shipped example: late by two days, partly disclosed."""
    result = runner.invoke(app, ["show", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "申请 2026-0001（截至 2026-11-25）：已答复：部分公开［条例第三十七条］"
    rows = [" ".join(line.replace("│", " ").split()) for line in lines if line.startswith("│")]
    assert "答复期限 2026-11-11 条例第三十三条第二款 未遵守" in rows
    # No delivery of the letter is recorded: counted from sending, and the table says so.
    assert "第三方意见期限 2026-10-29（自发出日起 条例第三十二条 遵守" in rows
    assert (
        "  2026-11-13 逾期答复：答复于 2026-11-13，晚于答复期限 2026-11-11［条例第三十三条第二款］"
        in lines
    )
    assert "违法情形：1" in lines
    assert (
        "  第三方意见期限：逾期未提出意见的，由行政机关依照条例规定决定；"
        "未记录送达日期，暂自发出之日起计算；实际期限自收到之日起计算"
    ) in lines
    assert "  2026-10-09 至 2026-10-20 不计入答复期限［条例第三十二条、第三十三条第三款］" in lines
    en = runner.invoke(app, ["show", "--as-of", "2026-11-25", "--lang", "en"])
    assert en.output.splitlines()[0] == (
        "Request 2026-0001 (as of 2026-11-25): ANSWERED: PARTIALLY_DISCLOSED [条例第三十七条]"
    )
    assert "Violations: 1" in en.output


def test_shipped_example_request_is_the_documented_one() -> None:
    """The example file is a valid request document: the README's request, decided on 13 Nov."""
    import datetime as dt
    import json

    from infopen import Ground, Outcome, Request
    from infopen._cli import EXAMPLE_REQUEST

    r = Request.receive(dt.date(2026, 9, 28), request_id="2026-0001")
    r.consult_third_party(dt.date(2026, 10, 9))
    r.third_party_replied(dt.date(2026, 10, 20), consents=False)
    r.decide(dt.date(2026, 11, 13), Outcome.PARTIALLY_DISCLOSED, grounds=[Ground.THIRD_PARTY])
    assert Request.from_dict(json.loads(EXAMPLE_REQUEST.read_text(encoding="utf-8"))) == r


def test_show_open_request_and_bad_file(tmp_path: Path) -> None:
    """An open request shows its running clocks; an unreadable document exits 2 with the reason."""
    import datetime as dt
    import json

    from infopen import Request

    r = Request.receive(dt.date(2026, 9, 28), request_id="open-1")
    path = tmp_path / "open.json"
    path.write_text(json.dumps(r.to_dict()), encoding="utf-8")
    result = runner.invoke(app, ["show", str(path), "--as-of", "2026-10-12"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "申请 open-1（截至 2026-10-12）：办理中"
    rows = [" ".join(line.replace("│", " ").split()) for line in result.output.splitlines()]
    assert "答复期限 2026-10-30 条例第三十三条第二款 进行中" in rows
    assert "违法情形：0" in rows
    path.write_text(
        '{"format": "infopen.request/1", "request_id": "x", '
        '"events": [{"type": "fly", "on": "2026-09-28"}]}'
    )
    bad = runner.invoke(app, ["show", str(path), "--as-of", "2026-10-12"])
    assert bad.exit_code == 2
    assert "unknown event type 'fly'" in said(bad.output)
    missing = runner.invoke(app, ["show", str(tmp_path / "none.json")])
    assert missing.exit_code == 2
    assert "none.json" in said(missing.output)


@needs_2027_unannounced
def test_show_past_coverage_is_estimated(tmp_path: Path) -> None:
    """A due date in an unannounced year is shown estimated; --no-estimate exits 2 with the ways."""
    import datetime as dt
    import json

    from infopen import Request

    r = Request.receive(dt.date(2026, 12, 20), request_id="late-year")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(r.to_dict()), encoding="utf-8")
    refused = runner.invoke(app, ["show", str(path), "--as-of", "2026-12-21", "--no-estimate"])
    assert refused.exit_code == 2
    assert "计算涉及 2027 年" in said(refused.output)
    shown = runner.invoke(app, ["show", str(path), "--as-of", "2026-12-21"])
    assert shown.exit_code == 0, shown.output
    assert "以国务院办公厅公布的安排为准" in said(shown.output)
    rows = [" ".join(line.replace("│", " ").split()) for line in shown.output.splitlines()]
    assert any(row.startswith("答复期限 2027-01-") and "（估计）" in row for row in rows)


# -- an office's week on the command line (#20) -------------------------------------------

DOCS = Path(__file__).parent.parent / "docs"


def _cli_session() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_session", DOCS / "_ext" / "cli_session.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_office_week_page_runs_as_written() -> None:
    """docs/zh/office-week.md: every command prints exactly what the page shows."""
    session = _cli_session()
    text = (DOCS / "zh" / "office-week.md").read_text(encoding="utf-8")
    assert len(session.sessions(text)) > 30  # type: ignore[attr-defined]
    assert session.differences(text) == []  # type: ignore[attr-defined]
    wrong = text.replace("答复期限 2026-10-30。", "答复期限 2026-10-31。", 1)
    assert len(session.differences(wrong)) == 1  # type: ignore[attr-defined]


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), prog_name="infopen")
    assert result.exit_code == 0, result.output
    return result.output


def test_new_and_record_keep_the_applicant(tmp_path: Path) -> None:
    """The applicant given to `new` stays in the file through `record`, so notices name them."""
    path = tmp_path / "r" / "A1.json"
    _run("new", str(path), "2026-09-28", "--name", "张三", "--phone", "13800000000",
         "--channel", "网上申请", "--type", "法人或其他组织", "--subject", "某文件")  # fmt: skip
    _run("record", str(path), "延期", "2026-10-20", "--workdays", "10")
    _run("record", str(path), "answer", "2026-10-30", "--outcome", "DISCLOSED")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["request_id"] == "A1"
    assert data["applicant"]["name"] == "张三"
    assert data["events"][0]["channel"] == "ONLINE"
    assert data["events"][0]["applicant_type"] == "OTHER_ORGANIZATION"
    assert [e["type"] for e in data["events"]] == ["receive", "extend", "decide"]
    refused = runner.invoke(app, ["new", str(path), "2026-09-28"])
    assert refused.exit_code == 2
    assert "已存在" in refused.output


def test_record_accepts_english_names_and_refuses_stray_options(tmp_path: Path) -> None:
    """English event names work; an option of another event is refused, naming its events."""
    path = tmp_path / "A2.json"
    _run("new", str(path), "2026-09-28")
    _run("record", str(path), "consult_third_party", "2026-10-09")
    out = _run("record", str(path), "third_party_replied", "2026-10-13", "--consents")
    assert "办理中" in out
    stray = runner.invoke(app, ["record", str(path), "withdraw", "2026-10-14", "--workdays", "5"])
    assert stray.exit_code == 2
    assert "--workdays 不适用于“撤回”，只用于：延期" in said(stray.output)
    english = runner.invoke(
        app, ["record", str(path), "withdraw", "2026-10-14", "--workdays", "5", "--lang", "en"]
    )
    assert '--workdays does not apply to "withdraw"; it is for: extend' in said(english.output)


def test_list_sorts_marks_and_writes_xlsx(tmp_path: Path) -> None:
    """The daily list: open requests only (all with --all), sorted, overdue marked, as .xlsx."""
    from openpyxl import load_workbook

    _run("new", str(tmp_path / "B.json"), "2026-09-01")
    _run("new", str(tmp_path / "A.json"), "2026-09-15")
    _run("new", str(tmp_path / "C.json"), "2026-09-10")
    _run("record", str(tmp_path / "C.json"), "予以公开", "2026-09-20")
    out = _run("list", str(tmp_path), "--as-of", "2026-10-12", "--sort", "id", "--xlsx",
               str(tmp_path / "l.xlsx"))  # fmt: skip
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert [r.split()[1] for r in rows] == ["A", "B"]
    assert "逾期" in rows[1]  # B: received 1 Sep, due 29 Sep
    sheet = load_workbook(tmp_path / "l.xlsx").active
    assert [c.value for c in sheet[1]][:4] == ["编号", "收到日期", "状态", "答复期限"]
    assert sheet["A2"].value == "A"  # the .xlsx keeps the order asked for
    everything = _run("list", str(tmp_path), "--as-of", "2026-10-12", "--all", "--sort", "received")
    assert [r.split()[1] for r in everything.splitlines() if r.startswith("│")] == ["B", "C", "A"]


def test_store_flow_keeps_identity(tmp_path: Path) -> None:
    """With --db the request is an id in the store; identity is saved and loaded with it."""
    from infopen import EventStore

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    _run("new", "S1", "2026-09-28", "--db", url, "--name", "李四")
    _run("record", "S1", "补正", "2026-10-09", "--reply-by", "2026-10-23", "--db", url)
    out = _run("list", "--db", url, "--as-of", "2026-10-12")
    assert "待补正" in out
    stored = EventStore(url).load("S1", include_identity=True)
    assert stored.applicant is not None
    assert stored.applicant.name == "李四"
    assert [e.kind for e in stored.events] == ["receive", "request_correction"]
    _run("record", "S1", "撤回", "2026-10-12", "--db", url)
    assert "S1" not in _run("list", "--db", url, "--as-of", "2026-10-12")
    assert "已终止" in _run("list", "--db", url, "--as-of", "2026-10-12", "--all")
    both = runner.invoke(app, ["list", str(tmp_path), "--db", url])
    assert both.exit_code == 2
    assert "请只给出文件夹或 --db 之一" in said(both.output)


def test_record_takes_the_main_value_as_a_fourth_argument(tmp_path: Path) -> None:
    """`答复 DATE 公开`, `延期 DATE 10`, `送达 DATE 答复`: the value a clerk would say next."""
    path = tmp_path / "V.json"
    _run("new", str(path), "2026-09-28", "--applicant", "王五", "--request-id", "V-1")
    _run("record", str(path), "延期", "2026-10-20", "10")
    _run("record", str(path), "答复", "2026-10-30", "公开")
    _run("record", str(path), "送达", "2026-11-02", "答复", "--method", "邮寄")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["request_id"] == "V-1"
    assert [
        (e["type"], e.get("workdays"), e.get("outcome"), e.get("of")) for e in data["events"]
    ] == [
        ("receive", None, None, None),
        ("extend", 10, None, None),
        ("decide", None, "DISCLOSED", None),
        ("delivered", None, None, "decide"),
    ]
    refused = runner.invoke(app, ["record", str(path), "撤回", "2026-11-03", "x"])
    assert refused.exit_code == 2
    assert "“撤回”不接受取值“x”" in said(refused.output)


def test_notice_names_the_applicant_given_to_new(tmp_path: Path) -> None:
    """The name given to `new` reaches the notice: no 【请填写：申请人的姓名或者名称】."""
    path = tmp_path / "N.json"
    (tmp_path / "a.toml").write_text(
        'name = "某县人民政府办公室"\nreconsideration_body = "某县人民政府"\n', encoding="utf-8"
    )
    _run("new", str(path), "2026-09-28", "--name", "张三", "--subject", "某文件")
    _run("record", str(path), "补正", "2026-10-09", "--reply-by", "2026-10-23")
    out = _run("notice", str(path), "--agency", str(tmp_path / "a.toml"))
    assert "张三：" in out
    assert "申请人的姓名或者名称】" not in out


def test_report_reads_a_pretty_printed_request(tmp_path: Path) -> None:
    """`infopen report` reads one pretty-printed request or a JSON list, not only JSON Lines."""
    r = Request.receive(dt.date(2026, 3, 2), request_id="p1")
    r.decide(dt.date(2026, 3, 10), Outcome.DISCLOSED)
    (tmp_path / "one.json").write_text(json.dumps(r.to_dict(), indent=2), encoding="utf-8")
    (tmp_path / "all.json").write_text(json.dumps([r.to_dict()], indent=2), encoding="utf-8")
    for name in ("one.json", "all.json"):
        result = runner.invoke(app, ["report", str(tmp_path / name), "--year", "2026"])
        assert result.exit_code == 0, result.output
        assert "予以公开" in result.output


def test_record_keeps_who_and_why_and_judges_back_dated_events(tmp_path: Path) -> None:
    """--actor and --note stay with the event; a back-dated event is judged on its own day."""
    path = tmp_path / "H.json"
    _run("new", str(path), "2026-10-09", "--actor", "李科员")
    _run(
        "record",
        str(path),
        "延期",
        "2026-10-20",
        "10",
        "--actor",
        "李科员",
        "--note",
        "涉及多个部门",
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [(e["type"], e.get("actor"), e.get("note")) for e in data["events"]] == [
        ("receive", "李科员", None),
        ("extend", "李科员", "涉及多个部门"),
    ]
    # A correction notice dated before the extension would make the extension impossible.
    back = runner.invoke(
        app, ["record", str(path), "补正", "2026-10-12", "--reply-by", "2026-10-26"]
    )
    assert back.exit_code == 2
    assert "早于已记录的事件" in said(back.output)
    early = runner.invoke(app, ["record", str(path), "延期", "2026-10-01", "5"])
    assert early.exit_code == 2
    assert "早于收到申请之日 2026-10-09" in said(early.output)
    # A return receipt that comes back after the answer is dated the day the letter arrived.
    _run("record", str(path), "答复", "2026-11-10", "予以公开")
    late = _run("record", str(path), "送达", "2026-10-21", "延期", "--method", "邮寄")
    assert "已记录 2026-10-21 送达" in late
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(e["type"] for e in data["events"]) == ["decide", "delivered", "extend", "receive"]

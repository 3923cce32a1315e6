"""
The ``infopen`` command line (needs the ``cli`` extra: typer and rich).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from ._calendar import (
    EstimatedDateWarning,
    WorkCalendar,
    today_in_china,
)
from ._cli_lang import T, violation_label
from ._errors import (
    InfopenError,
    InvalidFileError,
    MissingExtraError,
    in_file,
)
from ._files import as_path, read_text, write_bytes, write_text
from ._i18n import N_, Lang, translate
from ._rules import substance_rules

__all__ = ["app", "main"]

from ._cli_base import (
    EXIT_FAILED_CHECK,
    EXIT_INTERNAL,
    EstimateOption,
    LangOption,
    OverlayOption,
    _calendar,
    _day,
    _guarded,
    _lang,
    _read_json,
    app,
    console,
    errors,
    errors_console,
)

try:
    import typer
    from rich.table import Table
except ModuleNotFoundError as exc:  # pragma: no cover - exercised by the no-extras test
    raise MissingExtraError("The infopen command line", "cli", exc.name or "typer") from None


def _options(
    lang: str, estimate: bool, overlay: list[Path] | None
) -> tuple[Lang, Callable[[str], str], WorkCalendar]:
    """The language, its translation function and the calendar the common options ask for."""
    language = _lang(lang)
    return language, translate(language), _calendar(estimate, overlay)


@app.command(help=N_("计算某日收到的申请的答复期限，并逐日说明。"))
@_guarded
def deadline(
    received: Annotated[
        str, typer.Argument(help=N_("收到申请的日期，YYYY-MM-DD（条例第三十一条）。"))
    ],
    workdays: Annotated[
        int | None,
        typer.Option(
            min=0,
            # English: "Reply period in working days (default: the Regulations in force on
            # the receipt date: 20 under the 2019 text, art. 33; 15 before 2019-05-15, 2008 art. 24)."
            help=N_(
                "答复期限，工作日（默认按收到日期时施行的条例：2019年条例第三十三条为 20 个；"
                "2019年5月15日前为 15 个，2008年条例第二十四条）。"
            ),
        ),
    ] = None,
    extend: Annotated[
        int,
        typer.Option(
            min=0,
            # English: "Extension in working days (at most 20, art. 33; 15 before 2019-05-15)."
            help=N_("延长的工作日数（条例第三十三条，最多 20 个；2019年5月15日前最多 15 个）。"),
        ),
    ] = 0,
    lang: LangOption = "zh",
    estimate: EstimateOption = True,
    overlay: OverlayOption = None,
) -> None:
    """Print the reply due date for a request received on RECEIVED, with its explanation."""
    from ._rules import profile_for

    language, _, cal = _options(lang, estimate, overlay)
    day = _day(received, "RECEIVED")
    rules = profile_for(day)  # the 2008 Regulations before 2019-05-15: 15 + 15 working days
    if extend > rules.extension_max_workdays:
        msg = (
            f"--extend {extend} exceeds the {rules.extension_max_workdays} working days of "
            f"{rules.article('extension_max_workdays')}"
        )
        raise typer.BadParameter(msg, param_hint="--extend")
    trace = cal.explain(day, rules.reply_workdays if workdays is None else workdays)
    console.print(trace.render(language), soft_wrap=True)
    if extend:
        ext = cal.explain(trace.result, extend)
        console.print(
            _("延期 {n} 个工作日后：{due}").format(n=extend, due=ext.result.isoformat()),
            soft_wrap=True,
        )
        console.print(ext.render(language), soft_wrap=True)


EXAMPLE_REQUEST = Path(__file__).parent / "examples" / "request.json"
# The applicant's remedy windows: unused when they ran out, not "missed" (未遵守).
_APPLICANT_WINDOWS = frozenset({"reconsideration", "lawsuit", "lawsuit_after_reconsideration"})


@app.command(help=N_("显示申请截至某日的状态、各项期限、违法情形和答复期限的计算过程。"))
@_guarded
def show(
    request_file: Annotated[
        Path | None,
        typer.Argument(help=N_("申请的 JSON 文件（默认：内置示例）。")),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help=N_("截至日期，YYYY-MM-DD（默认：北京时间今天）。")),
    ] = None,
    lang: LangOption = "zh",
    estimate: EstimateOption = True,
    overlay: OverlayOption = None,
) -> None:
    """Show a request as of a date: its state, every clock, each violation, the explained due date."""
    from ._request import Request

    language, _, cal = _options(lang, estimate, overlay)
    day = _day(as_of, "--as-of") if as_of else today_in_china()
    path = request_file or EXAMPLE_REQUEST
    data = _read_json(path)
    try:
        request = Request.from_dict(data, calendar=cal)
    except InfopenError as exc:
        raise in_file(exc, path) from None
    status = request.status(day)
    deadlines = request.deadlines(day)
    violations = request.violations(day)
    trace = request.explain(day)
    state = status.state.label if language == "zh" else status.state.name
    if status.outcome is not None:
        outcome = status.outcome.label if language == "zh" else status.outcome.name
        # The text in force on the answer's date governs its substance (a 2008 answer cites
        # the 2008 条例, an older request answered from 2019-05-15 the 2019 one).
        answered = request.events[-1].on
        for e in reversed(request.events):
            if e.kind in ("decide", "withdraw", "abandon"):
                answered = e.on
                break
        article = substance_rules(request.rules, answered).cite(
            f"outcome.{status.outcome.name}", status.outcome.article
        )
        state = (
            _("{state}：{outcome}［{article}］").format(
                state=state, outcome=outcome, article=article
            )
            if article  # a withdrawal has no legal basis to cite
            else f"{state}：{outcome}"
        )
    console.print(
        _("申请 {id}（截至 {as_of}）：{state}").format(
            id=request.request_id, as_of=day, state=state
        ),
        highlight=False,
        soft_wrap=True,
    )
    table = Table(title=_("各项期限"))
    for column in (_("期限"), _("最后一日"), _("依据"), _("结果")):
        table.add_column(column, overflow="fold")
    settled = {True: _("遵守"), False: _("未遵守"), None: _("进行中")}
    # An applicant's window that ran out unused was not "missed" by anyone.
    unused = _("已届满（未申请）")
    names = [d.label if language == "zh" else d.name for d in deadlines]
    for d, name in zip(deadlines, names, strict=True):
        if d.due is None:  # a clock that cannot run yet (a lawsuit before reconsideration)
            table.add_row(name, "—", d.article, "—")
            continue
        due = d.due.isoformat() + (_("（估计）") if d.estimated else "")
        if d.delivery_assumed:  # counted from sending: no delivery (送达) recorded
            due += _("（自发出日起算）")
        result = settled[d.met]
        if d.met is False and d.name in _APPLICANT_WINDOWS and d.done_on is None:
            result = unused
        table.add_row(name, due, d.article, result)
    console.print(table)
    if status.estimated or any(d.estimated for d in deadlines):
        console.print(_estimate_note(_), highlight=False, soft_wrap=True)
    for d, name in zip(deadlines, names, strict=True):
        if d.note:
            console.print(
                "  " + _("{clock}：{note}").format(clock=name, note=d.note),
                highlight=False,
                soft_wrap=True,
            )
    console.print(_("违法情形：{n}").format(n=len(violations)), highlight=False)
    # Plain text, written once: rich costs about 0.3 ms a line (12 s for 40,000 violations).
    for v in violations:
        if language == "zh":
            typer.echo(f"  {v.on} {violation_label(v.code)}：{v.message}［{v.article}］")
        else:
            typer.echo(f"  {v.on} {v.code} {violation_label(v.code)} [{v.article}]")
    typer.echo(trace.render(language))


@app.command("calendar", help=N_("列出某年的放假和调休上班日，或判断给出的日期是否工作日。"))
@_guarded
def calendar_cmd(
    dates: Annotated[list[str] | None, typer.Argument(help=N_("要判断的日期。"))] = None,
    year: Annotated[int | None, typer.Option(help=N_("列出该年的放假和调休上班日。"))] = None,
    lang: LangOption = "zh",
    estimate: EstimateOption = True,
    overlay: OverlayOption = None,
) -> None:
    """List a year's rest days and make-up workdays, or say whether DATES are working days."""
    language, _, cal = _options(lang, estimate, overlay)
    if year is None and not dates:
        raise typer.BadParameter(T("请给出 --year 年份，或一个或多个日期"))
    days = [_day(text, "DATES") for text in dates or []]  # all checked before any is shown
    if year is not None:
        listed = cal.rest_and_work_days(year)
        table = Table(title=_("{year} 年放假调休（{name}）").format(year=year, name=cal.name))
        for col in (_("日期"), _("类别"), _("名称")):
            table.add_column(col)
        kind = {
            "rest": _("休息"),
            "work": _("上班"),
            "estimated_rest": _("休息（推定）"),
            "estimated_work": _("上班（推定）"),
        }
        for day, note in listed:
            table.add_row(
                day.isoformat(),
                kind[note.kind],
                note.name_zh if language == "zh" else note.name_en,
            )
        console.print(table)
        if cal.is_estimated(dt.date(year, 1, 1)):
            # English: "The State Council has not announced the arrangement for {year}: the
            # days marked estimated follow the Measures on national holidays and the
            # pattern of earlier notices. Once the notice is published, upgrade holidays
            # (pip install -U holidays) or lay the notice over with --overlay FILE.toml
            # (through_year = {year}, each day with its document number); both replace the
            # estimate everywhere."
            console.print(
                _(
                    "国务院办公厅尚未公布 {year} 年的放假安排：标“推定”的日期按"
                    "《全国年节及纪念日放假办法》和历年通知的规律推定。通知公布后，"
                    "升级 holidays（pip install -U holidays），或用 --overlay FILE.toml"
                    "（through_year = {year}，每一日注明通知文号）叠加通知，"
                    "即可在所有结果中替换推定。"
                ).format(year=year),
                soft_wrap=True,
            )
    for day in days:
        console.print(_describe(cal, day, language), soft_wrap=True)


def _estimate_note(_: Callable[[str], str]) -> str:
    # English: "Note: dates marked (estimated) rest on the estimated holiday arrangement of a
    # year not yet announced; the State Council General Office's notice prevails."
    return _("注：标“（估计）”的日期按推定的放假安排计算，以国务院办公厅公布的安排为准。")


def _describe(cal: WorkCalendar, day: dt.date, lang: Lang) -> str:
    _ = translate(lang)
    work = cal.is_workday(day)
    note = cal.note(day)
    why: Any
    if note is not None:
        why = note.name_zh if lang == "zh" else note.name_en
    elif day.weekday() >= 5:
        why = _("周末")
    else:
        why = _("周一至周五")
    verdict = _("工作日") if work else _("休息日")
    est = _("（推定）") if cal.is_estimated(day) else ""
    # English: "{day} {verdict}{estimated}: {why}"
    return _("{day} {verdict}{estimated}：{why}").format(
        day=day.isoformat(), verdict=verdict, estimated=est, why=why
    )


@app.command(
    help=N_(
        "输出年度报告表三、表四（国办公开办函〔2021〕30号）；"
        "或用 infopen report check 表格文件 [--previous 上年表格] 检查已公布表格的勾稽关系。"
    )
)
@_guarded
def report(
    requests_file: Annotated[
        Path,
        typer.Argument(help=N_("申请的 JSON Lines 文件；或写 check，后跟表格文件。")),
    ],
    table_file: Annotated[
        Path | None,
        typer.Argument(
            # English: "With check: the published report (.csv, a workbook or a saved .html page)."
            help=N_("用 check 时：已公布的报告（.csv、工作簿或另存的 .html 网页）。")
        ),
    ] = None,
    year: Annotated[int | None, typer.Option(help=N_("报告年度。"))] = None,
    fmt: Annotated[str, typer.Option("--format", help=N_("markdown 或 csv。"))] = "markdown",
    xlsx: Annotated[Path | None, typer.Option(help=N_("同时把表格写入此 .xlsx 文件。"))] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help=N_("用 check 时：上年表格，用于核对上年结转与结转下年度。")),
    ] = None,
    overlay: OverlayOption = None,
) -> None:
    """
    Print the annual report's tables 三 and 四 (国办公开办函〔2021〕30号) for YEAR, or, as
    `infopen report check TABLE [--previous LAST_YEAR]`, test a published table's identities.
    """
    from ._exports import read_jsonl
    from ._report import annual_report
    from ._sim_result import request_documents

    if str(requests_file) == "check":
        _report_check(table_file, previous)
        return
    if table_file is not None:
        # English: "one requests file, got a second: {file}"
        raise typer.BadParameter(T("只能给一个申请文件，多了一个：{file}").format(file=table_file))
    if year is None:
        raise typer.BadParameter(T("请用 --year 给出报告年度"))
    if fmt not in ("markdown", "csv"):
        # English: "--format must be markdown or csv, got {fmt}"
        raise typer.BadParameter(
            T("--format 只能是 markdown 或 csv，收到“{fmt}”").format(fmt=fmt[:40])
        )
    # A simulation's requests.jsonl: its records extend the request documents.
    requests = _read_requests(
        requests_file,
        lambda text, calendar: read_jsonl(request_documents(text), calendar=calendar),
        calendar=_calendar(True, overlay),
    )
    rep = annual_report(requests, year)
    text = rep.to_markdown() if fmt == "markdown" else rep.to_csv()
    typer.echo(text, nl=False)
    if xlsx is not None:
        rep.to_xlsx(xlsx)
    errors = rep.check()
    if errors:  # the tables are printed with their problems; the exit code says they fail
        # English: "the report does not pass its checks ({n}): fix the listed requests"
        errors_console.print(
            T("年度报告未通过核对（{n} 处）：请更正所列申请").format(n=len(errors)),
            style="red",
            highlight=False,
        )
        raise typer.Exit(1)


def _read_requests(path: Path, read_jsonl: Callable[..., Any], *, calendar: Any = None) -> Any:
    """
    Requests from JSON Lines, or from one JSON document (a pretty-printed request, or a
    list of requests), as a clerk saves them.
    """
    from ._request import Request

    text = read_text(path).removeprefix("\ufeff")
    try:
        return read_jsonl(text, calendar=calendar)
    except InvalidFileError as exc:
        try:
            whole = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise in_file(exc, path) from None
    documents = whole if isinstance(whole, list) else [whole]
    try:
        return [Request.from_dict(d, calendar=calendar) for d in documents]
    except InfopenError as exc:
        raise in_file(exc, path) from None


def _report_check(table_file: Path | None, previous: Path | None) -> None:
    """`infopen report check`: every broken identity, exit status 1 when there is one."""
    from ._report_check import check_report

    if table_file is None:
        raise typer.BadParameter(T("infopen report check 需要表格文件：check 表格.csv"))
    broken = check_report(table_file, previous=previous)
    if not broken:
        # English: "{file}: every identity holds"
        console.print(T("{file}：各项勾稽关系均成立").format(file=table_file), soft_wrap=True)
        return
    # English: "{file}: {n} identities do not hold"
    console.print(
        T("{file}：{n} 项勾稽关系不成立").format(file=table_file, n=len(broken)), soft_wrap=True
    )
    for b in broken:
        cells = "；".join(f"{row}［{col}］= {value}" for row, col, value in b.cells)
        # English: "{identity}: {left} ≠ {right} ({cells})"
        console.print(
            T("{identity}：{left} ≠ {right}（{cells}）").format(
                identity=b.identity, left=b.left, right=b.right, cells=cells
            ),
            style="yellow",
            soft_wrap=True,
        )
    for sheet, suspect in dict.fromkeys((b.sheet, b.suspect) for b in broken if b.suspect):
        # English: "sheet {sheet}: " / "most likely {suspect}"
        where = T("工作表 {sheet}：").format(sheet=sheet) if sheet else ""
        console.print(where + T("最可能出错的是 {suspect}").format(suspect=suspect),
                      style="yellow", soft_wrap=True)  # fmt: skip
    raise typer.Exit(EXIT_FAILED_CHECK)


@app.command(help=N_("生成申请某一事件所需的告知书。"))
@_guarded
def notice(
    request_file: Annotated[Path, typer.Argument(help=N_("申请的 JSON 文件。"))],
    agency_file: Annotated[
        Path, typer.Option("--agency", help=N_("本机关信息的 TOML 文件（机关名称、复议机关等）。"))
    ],
    event: Annotated[
        str,
        typer.Option(
            # English: "The event: its index (negative counts from the end), its event id, or
            # an event kind for the latest of that kind (e.g. decide). Default: the latest event."
            help=N_(
                "事件：序号（负数从最后往前数）、事件编号，或事件类型（取该类型最近一个，如 decide）。"
                "默认：最近一个事件。"
            )
        ),
    ] = "-1",
    fmt: Annotated[str, typer.Option("--format", help=N_("text、html 或 docx。"))] = "text",
    out: Annotated[Path | None, typer.Option(help=N_("写入此文件（docx 格式必须指定）。"))] = None,
    details_file: Annotated[
        Path | None,
        typer.Option("--details", help=N_("告知书细节的 TOML 文件（理由、获取方式等）。")),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(help=N_("本机关自己的 Jinja2 模板，或含 {{ body }} 的 .docx 信笺。")),
    ] = None,
    number: Annotated[
        str | None, typer.Option(help=N_("文号中的序号（取自本机关登记簿）。"))
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help=N_("缺少必备内容时拒绝输出（退出状态 1）。"))
    ] = False,
    to: Annotated[
        str,
        typer.Option(
            "--to", help=N_("applicant（申请人），或 third_party（第三方，条例第三十二条）。")
        ),
    ] = "applicant",
    overlay: OverlayOption = None,
    estimated_dates: Annotated[
        str | None,
        typer.Option(
            "--estimated-dates",
            # English: "flag (a date on an estimated holiday arrangement says so) or earliest
            # (the earliest date any arrangement could give, without comment); default: the
            # agency's."
            help=N_(
                "flag（按推定放假安排计算的日期注明推定）或 earliest（写明任何放假安排下"
                "最早可能的日期，不加说明）；默认按机关设置。"
            ),
        ),
    ] = None,
) -> None:
    """Render the notice (告知书) that a request's event calls for."""
    from ._notices import Agency, notice_missing, render_notice
    from ._request import Request
    from ._toml import read_toml

    if fmt not in ("text", "html", "docx"):
        # English: "--format must be text, html or docx, got {fmt}"
        raise typer.BadParameter(
            T("--format 只能是 text、html 或 docx，收到“{fmt}”").format(fmt=fmt[:40])
        )
    if fmt == "docx" and out is None:
        raise typer.BadParameter(T("--format docx 需要 --out 文件.docx"))
    if to not in ("applicant", "third_party"):
        # English: "--to must be applicant or third_party, got {to}"
        raise typer.BadParameter(
            T("--to 只能是 applicant 或 third_party，收到“{to}”").format(to=to[:40])
        )
    if estimated_dates not in (None, "flag", "earliest"):
        # English: "--estimated-dates must be flag or earliest, got {value}"
        raise typer.BadParameter(
            T("--estimated-dates 只能是 flag 或 earliest，收到“{value}”").format(
                value=str(estimated_dates)[:40]
            )
        )
    data = _read_json(request_file)
    try:
        request = Request.from_dict(data, calendar=_calendar(True, overlay) if overlay else None)
    except InfopenError as exc:
        raise in_file(exc, request_file) from None
    agency = Agency.from_toml(agency_file)
    details = read_toml(details_file) if details_file is not None else None
    which: int | str = int(event) if event.lstrip("-").isdecimal() else event
    kwargs = {"agency": agency, "event": which, "details": details, "number": number, "to": to,
              "estimated_dates": estimated_dates}  # fmt: skip
    rendered = render_notice(request, format=fmt, template=template, strict=strict, **kwargs)  # type: ignore[arg-type]
    missing = notice_missing(request, **kwargs)  # type: ignore[arg-type]
    if missing:  # on stderr, so the notice itself stays clean on stdout
        where = [f"{m}（{m.source}：{m.key}）" if m.key else str(m) for m in missing]
        typer.echo(T("待填写的占位：") + "；".join(where), err=True)
    if out is not None:
        write_bytes(out, rendered if isinstance(rendered, bytes) else rendered.encode("utf-8"))
    else:
        typer.echo(rendered, nl=False)


@app.command(help=N_("用真实的办理流程和日历模拟一个机关一年的申请。"))
@_guarded
def simulate(
    config: Annotated[
        str | None,
        typer.Argument(help=N_("模拟配置的 TOML 文件或内置配置名（默认：county）。")),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, help=N_("随机种子：同一种子得到相同的输出文件。"))
    ] = 1,
    out: Annotated[
        Path,
        typer.Option(help=N_("输出文件夹（run.json、requests.jsonl、summary.json、report.md）。")),
    ] = Path("out/simulation"),
    plot: Annotated[bool, typer.Option("--plot", help=N_("同时绘图（PNG 和 SVG）。"))] = False,
    lang: LangOption = "zh",
    list_: Annotated[bool, typer.Option("--list", help=N_("列出内置配置及其模拟的对象。"))] = False,
    calibrate_from: Annotated[
        Path | None,
        typer.Option(
            "--calibrate-from",
            # English: "Fit the configuration on this register (as infopen audit reads it)
            # and report the fit."
            help=N_("按此台账（infopen audit 读取的格式）拟合配置，并报告拟合情况。"),
        ),
    ] = None,
) -> None:
    """Simulate an agency-year of requests through the real lifecycle and calendar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ._simulate import SimulationConfig
    from ._simulate import simulate as run_simulation

    language = _lang(lang)
    if list_:
        for name, what in SimulationConfig.examples().items():
            console.print(f"{name}  {what}", soft_wrap=True)
        return
    if calibrate_from is not None:
        fit = _calibration(calibrate_from, None)
        console.print(fit.render(), soft_wrap=True)
        cfg = fit.config
    else:
        cfg = _sim_config(config)
    with Progress(
        TextColumn("{task.description}", style="bold", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
    ) as bar:
        task = bar.add_task(f"{cfg.name} {cfg.year}", total=None)
        result = run_simulation(cfg, seed=seed, progress=lambda n: bar.advance(task, n))
        bar.update(task, total=len(result.requests))
    folder = result.write(out, plot=plot, lang=language)
    summary = result.summary()
    table = Table(
        title=T("{name} {year}（随机种子 {seed}）").format(name=cfg.name, year=cfg.year, seed=seed)
    )
    table.add_column(T("指标"))
    table.add_column(T("数值"), justify="right")
    for key in ("requests", "answered", "open_at_year_end", "on_time_share_of_answered",
                "due_in_year", "on_time_share_of_due", "share_extended", "max_backlog"):  # fmt: skip
        table.add_row(T(_METRICS.get(key, key)), str(summary[key]))
    for key, value in summary["workdays_to_answer"].items():  # the series are in summary.json
        table.add_row(T("答复所用工作日 {key}").format(key=key), str(value))
    for key in ("mean", "p90", "max"):
        value = summary["queue_workdays"][key]
        table.add_row(T("排队等候工作日 {key}").format(key=key), str(value))
    table.add_row(T("人员利用率"), " ".join(str(u) for u in summary["utilisation"]))
    table.add_row(T("撤回 / 视为放弃"), f"{summary['withdrawn']} / {summary['abandoned']}")
    for code, n in summary["violations"].items():
        table.add_row(T("违法情形：{label}").format(label=violation_label(code)), str(n))
    if summary["estimated_rest_days"]:
        table.add_row(T("用到的推定休息日"), str(len(summary["estimated_rest_days"])))
    console.print(table)
    console.print(T("已写入 {folder}").format(folder=folder), soft_wrap=True)


# The simulation summary's measures, in Chinese. English: requests, answered, open at year
# end, on-time share of answered, due in the year, on-time share of due, share extended,
# largest backlog.
_METRICS = {
    "requests": N_("申请数"),
    "answered": N_("已答复"),
    "open_at_year_end": N_("年末未办结"),
    "on_time_share_of_answered": N_("已答复中按期比例"),
    "due_in_year": N_("年内到期"),
    "on_time_share_of_due": N_("到期中按期比例"),
    "share_extended": N_("延期比例"),
    "max_backlog": N_("最大积压"),
}


def _calibration(register: Path, as_of: str | None) -> Any:
    """The register audited (as of ``as_of``, default today in China) and calibrated on."""
    from ._audit import audit
    from ._calibrate import calibrate
    from ._sim_config import SimulationConfig

    day = None if as_of is None else _day(as_of, "--as-of")
    return calibrate(audit(register, as_of=day), SimulationConfig)


# English: "Fit a simulation configuration on an audited register and report the fit."
@app.command("calibrate", help=N_("按审计过的台账拟合模拟配置，并报告拟合情况。"))
@_guarded
def calibrate_cmd(
    register: Annotated[
        Path,
        # English: "The register (.csv, .xlsx, ...), as infopen audit reads it."
        typer.Argument(help=N_("台账（.csv、.xlsx 等），按 infopen audit 的方式读取。")),
    ],
    as_of: Annotated[
        str | None,
        # English: "Audit open requests as of this day (YYYY-MM-DD)."
        typer.Option("--as-of", help=N_("按此日期审计未办结的申请（YYYY-MM-DD）。")),
    ] = None,
    out: Annotated[
        Path | None,
        # English: "Write the configuration and the fit report to this JSON file."
        typer.Option(help=N_("把配置和拟合报告写入此 JSON 文件。")),
    ] = None,
) -> None:
    """Fit a simulation configuration on an audited register and report the fit."""
    fit = _calibration(register, as_of)
    console.print(fit.render(), soft_wrap=True)
    if out is not None:
        data = {"config": fit.config.to_dict(), "report": fit.report}
        write_text(out, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _sim_config(config: str | None) -> Any:
    """A configuration from a TOML file or a bundled name (default: county)."""
    from ._simulate import SimulationConfig

    if config is None:
        return SimulationConfig.example("county")
    path = as_path(config, "CONFIG")
    if path.suffix == ".json":  # run.json, or what infopen calibrate wrote
        data = _read_json(path)
        return SimulationConfig.from_dict(
            data.get("config", data) if isinstance(data, dict) else data
        )
    if path.suffix == ".toml" or path.exists():
        return SimulationConfig.from_toml(path)
    return SimulationConfig.example(config)


@app.command(help=N_("在人员数和每日申请量的网格上并行运行模拟，可重复多次。"))
@_guarded
def sweep(
    config: Annotated[str, typer.Argument(help=N_("模拟配置的 TOML 文件或内置配置名。"))],
    staff: Annotated[str | None, typer.Option(help=N_("工作人员数，如 2..6 或 2,4。"))] = None,
    rate: Annotated[str, typer.Option(help=N_("每日申请量，如 4,6。"))] = "",
    grid_: Annotated[
        list[str] | None,
        typer.Option(
            "--grid",
            # English: "KEY=V1,V2 for any configuration key (repeatable): officers=2,3,
            # monthly_factors.3=1.0,1.3 (March), order=fifo,edd."
            help=N_(
                "任一配置项 KEY=V1,V2（可重复）：officers=2,3、monthly_factors.3=1.0,1.3"
                "（三月）、order=fifo,edd。"
            ),
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help=N_("各格随机流的种子。"))] = 1,
    replicates: Annotated[
        int, typer.Option(min=1, help=N_("每格重复次数；第 k 次重复在各格共用随机流。"))
    ] = 20,
    out: Annotated[
        Path | None, typer.Option(help=N_("把各格结果（均值和 95% 区间）写入此 CSV。"))
    ] = None,
    rows: Annotated[Path | None, typer.Option(help=N_("把每次重复的原始结果写入此 CSV。"))] = None,
    parquet: Annotated[
        Path | None,
        typer.Option(
            # English: "Write the rows as parquet, with NAME.manifest.json beside
            # (infopen[research])."
            help=N_("把各次结果写成 parquet，旁附 NAME.manifest.json（需 infopen[research]）。")
        ),
    ] = None,
    plot: Annotated[
        str | None,
        # English: "Plot this metric with 95% bands (PNG, PDF, SVG) against the first parameter."
        typer.Option(help=N_("按第一个参数绘制此指标及 95% 置信带（PNG、PDF、SVG）。")),
    ] = None,
    plot_dir: Annotated[Path, typer.Option(help=N_("图的输出文件夹。"))] = Path("out/sweep"),
    plot_lang: Annotated[
        str, typer.Option("--plot-lang", help=N_("图的标签语言：zh、en 或 both。"))
    ] = "both",
    lang: LangOption = "zh",
    scheduler: Annotated[str | None, typer.Option(help=N_("dask.distributed 调度器地址。"))] = None,
    workers: Annotated[
        # English: "Local processes (1: in this process)."
        int | None, typer.Option(min=1, help=N_("本机进程数（1：在本进程内运行）。"))
    ] = None,
) -> None:
    """Run the simulation over a grid of any configuration keys, with replicates and 95% intervals."""
    from ._sweep import sweep as run_sweep

    if lang not in ("zh", "en", "both"):
        raise typer.BadParameter(f"--lang must be zh, en or both, got {lang!r:.40}")
    grid: dict[str, list[object]] = {}
    if staff is not None or not (grid_ or rate):
        grid["officers"] = list(_ints(staff or "2..4", "--staff"))
    if rate:
        grid["daily_rate"] = list(_numbers(rate, "--rate"))
    for item in grid_ or []:
        key, values = _grid_option(item)
        grid[key] = values
    cfg = _sim_config(config)
    result = run_sweep(
        cfg, grid, seed=seed, replicates=replicates, scheduler=scheduler, workers=workers
    )
    if plot is not None:
        result.plot(plot, result.parameters[0], plot_dir, lang=plot_lang)
    table = Table(title=T("{name}：参数扫描，每格 {n} 次").format(name=cfg.name, n=replicates))
    shown = [*result.parameters, "n"] + [
        f"{m}_{part}" for m in ("on_time_share_of_due", "open_at_year_end", "p90_workdays")
        for part in ("mean", "low", "high")
    ]  # fmt: skip
    for col in shown:
        table.add_column(col)
    for cell in result.cells():
        table.add_row(*(_fmt(cell[c]) for c in shown))
    console.print(table)
    if out is not None:
        write_text(out, result.to_csv())
    if rows is not None:
        write_text(rows, result.to_csv(cells=False))
    if parquet is not None:
        result.to_parquet(parquet)


def _grid_option(item: str) -> tuple[str, list[object]]:
    """``KEY=V1,V2``: the key and its values (numbers where they read as numbers)."""
    key, sep, text = item.partition("=")
    if not sep or not key.strip() or not text.strip():
        msg = f"{item!r:.60} is not KEY=V1,V2 (e.g. officers=2,3 or monthly_factors.3=1.0,1.3)"
        raise typer.BadParameter(msg, param_hint="--grid")
    values: list[object] = []
    for word in (w.strip() for w in text.split(",")):
        try:
            values.append(int(word))
        except ValueError:
            try:
                values.append(float(word))
            except ValueError:
                values.append(word)
    return key.strip(), values


def _fmt(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else "" if value is None else str(value)


def _ints(text: str, option: str) -> list[int]:
    """``2..6`` or ``2,4``: a non-empty list of whole numbers."""
    try:
        if ".." in text:
            lo, hi = text.split("..", 1)
            values = list(range(int(lo), int(hi) + 1))
        else:
            values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        # English: "{text} is not a list of whole numbers; write LOW..HIGH (2..6) or a list (2,4)"
        msg = T("“{text}”不是整数列表，请写成 下限..上限（2..6）或逗号分隔（2,4）").format(
            text=text[:40]
        )
        raise typer.BadParameter(msg, param_hint=option) from None
    if not values:
        # English: "{text} gives no values; write LOW..HIGH with LOW <= HIGH (2..6) or a list (2,4)"
        msg = T(
            "“{text}”没有给出任何值，请写成 下限..上限（下限不大于上限，如 2..6）或逗号分隔（2,4）"
        ).format(text=text[:40])
        raise typer.BadParameter(msg, param_hint=option)
    return values


def _numbers(text: str, option: str) -> list[float]:
    """``4,6.5``: a non-empty list of numbers."""
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        # English: "{text} is not a list of numbers; write them separated by commas (4,6.5)"
        msg = T("“{text}”不是数的列表，请用逗号分隔（4,6.5）").format(text=text[:40])
        raise typer.BadParameter(msg, param_hint=option) from None
    if not values:
        # English: "{text} gives no values; write numbers separated by commas (4,6.5)"
        msg = T("“{text}”没有给出任何值，请用逗号分隔（4,6.5）").format(text=text[:40])
        raise typer.BadParameter(msg, param_hint=option)
    return values


@app.command("audit", help=N_("按法定期限审计申请登记台账：答复期限、是否逾期、违法情形。"))
@_guarded
def audit_cmd(
    log: Annotated[
        Path,
        typer.Argument(
            help=N_("台账文件：.csv（UTF-8 或 GBK，自动识别）、.xlsx、.xls、.xlsb 或 .ods。")
        ),
    ],
    columns: Annotated[
        Path | None,
        typer.Option(
            help=N_(
                '对照表 TOML 文件：字段 = "台账表头"，以及 [values.申请方式等字段] 中本机关的用语。'
            )
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help=N_("审计截至日期，YYYY-MM-DD（默认：北京时间今天）；该日以后的事项视为尚未发生。"),
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help=N_("CSV 文件的编码（默认自动识别 UTF-8 或 GBK/GB18030）。")),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help=N_("表格的工作表名称或序号（默认：第一个）。"))
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help=N_("把每件申请的审计结果写入此 CSV（带 BOM，Excel 可直接打开）。")),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(help=N_("把审计结果和问题行写入此 .xlsx 文件。")),
    ] = None,
    limit: Annotated[int, typer.Option(min=0, help=N_("表格最多显示的行数（0：全部）。"))] = 50,
    lang: LangOption = "zh",
    overlay: OverlayOption = None,
) -> None:
    """Audit a register of requests against the law: due dates, lateness, violations."""
    from ._audit import audit
    from ._cli_register import print_audit
    from ._register_rows import load_column_map, load_value_map

    _lang(lang)
    day = _day(as_of, "--as-of") if as_of else None
    mapping = load_column_map(columns) if columns else None
    values = load_value_map(columns) if columns else None
    chosen: str | int | None = int(sheet) if sheet is not None and sheet.isdecimal() else sheet
    cal = _calendar(True, overlay) if overlay else None
    result = audit(log, columns=mapping, as_of=day, encoding=encoding, sheet=chosen, values=values,
                   calendar=cal)  # fmt: skip
    print_audit(result, console, limit=limit, out=out, xlsx=xlsx)


# The agency desk (#21): `infopen desk` and `infopen desk create-user`, implemented in its
# own package; the web stack is imported only when the command runs.
from ._desk_cli import desk_app  # noqa: E402

app.add_typer(desk_app, name="desk")


def main() -> None:
    """Entry point of the ``infopen`` script: no traceback unless ``--debug``."""
    # Every output flags estimated dates itself; the Python warning would only repeat it.
    warnings.simplefilter("ignore", EstimatedDateWarning)
    try:
        app()
    except Exception as exc:  # only what escaped the commands' own handling (_guarded)
        if "--debug" in sys.argv:
            raise
        errors.print(f"infopen: internal error ({type(exc).__name__}: {exc!s:.200})", style="red")
        sys.exit(EXIT_INTERNAL)


# The office's week (new, record, list, register template) lives in its own module.
from . import _cli_commands  # noqa: E402, F401

"""
The ``infopen`` command line (needs the ``cli`` extra: typer and rich).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from ._calendar import (
    EstimatedDateWarning,
    WorkCalendar,
    as_date,
    national_calendar,
    today_in_china,
)
from ._errors import (
    IncompleteNoticeError,
    InfopenError,
    InvalidFileError,
    MissingExtraError,
    in_file,
)
from ._files import as_path, read_text, write_bytes, write_text
from ._i18n import Lang, translate
from ._rules import substance_rules

__all__ = ["app", "main"]

try:
    import typer
    from rich.console import Console
    from rich.table import Table
except ModuleNotFoundError as exc:  # pragma: no cover - exercised by the no-extras test
    raise MissingExtraError("The infopen command line", "cli", exc.name or "typer") from None

app = typer.Typer(
    help="infopen: PRC open-government-information requests on the working-day calendar.",
    no_args_is_help=True,
    add_completion=False,
)
# User text (ids, dates, agency names, file contents) is never read as rich markup: a "[/]"
# in a request id is printed as it is, not parsed (it raised rich's MarkupError).
console = Console(markup=False, highlight=False)
errors = Console(stderr=True, markup=False, highlight=False)

#: Exit statuses: 2 for bad input (a file, an argument), 1 for a failed check, 70 for a bug
#: in infopen itself (EX_SOFTWARE of sysexits.h), which --debug shows with its traceback.
EXIT_BAD_INPUT = 2
EXIT_FAILED_CHECK = 1
EXIT_INTERNAL = 70

_debug = False
# click's own exits (usage errors exit 2 with click's message). Typer 0.12 re-exports click's
# classes and later typers vendor click, so the base is found from typer's BadParameter.
_CLICK_EXITS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"),
)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, status: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print ``message`` on stderr (one or two lines) and return the exit to raise."""
    errors.print(f"infopen: {message}", style="red", soft_wrap=True)
    return typer.Exit(status)


def _guarded(command: F) -> F:
    """
    Run a command so that every error is a message on stderr and an exit status, never a
    traceback (unless ``--debug``): infopen errors and unreadable files exit 2, anything
    else is a bug in infopen and exits 70.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _CLICK_EXITS:
            raise
        except IncompleteNoticeError as exc:  # --strict: a check that failed, not bad input
            if _debug:
                raise
            raise _fail(str(exc), EXIT_FAILED_CHECK) from None
        except (InfopenError, OSError) as exc:
            if _debug:
                raise
            raise _fail(str(exc)) from None
        except Exception as exc:
            if _debug:
                raise
            text = str(exc).splitlines()[0][:200] if str(exc) else ""
            raise _fail(
                f"internal error ({type(exc).__name__}: {text}); this is a bug in infopen: "
                f"rerun with --debug for the traceback and report it",
                EXIT_INTERNAL,
            ) from None

    return run  # type: ignore[return-value]  # functools.wraps keeps the signature typer reads


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks instead of short messages.")
    ] = False,
) -> None:
    """infopen: PRC open-government-information requests on the working-day calendar."""
    global _debug
    _debug = debug


def _calendar(estimate: bool, overlays: list[Path] | None = None) -> WorkCalendar:
    cal = national_calendar(beyond="estimate" if estimate else "raise")
    for path in overlays or []:
        try:
            cal = cal.with_days_from(path)
        except (InfopenError, OSError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--overlay") from None
    return cal


def _day(text: str, option: str = "") -> dt.date:
    try:
        return as_date(text, option or "date")
    except InfopenError as exc:
        raise typer.BadParameter(str(exc), param_hint=option or None) from None


def _read_json(path: Path) -> Any:
    """A JSON file's contents; errors name the file and line."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFileError(f"not JSON ({exc.msg})", path=path, line=exc.lineno) from None
    except RecursionError:
        raise InvalidFileError("JSON nested too deeply to be a request", path=path) from None


LangOption = Annotated[str, typer.Option("--lang", help="zh or en")]
EstimateOption = Annotated[
    bool,
    typer.Option(
        "--estimate/--no-estimate",
        help=(
            "Past the announced years, answer from the estimated arrangement, flagged as such "
            "(default); --no-estimate refuses with exit status 2 instead."
        ),
    ),
]
OverlayOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--overlay",
        help="TOML file of regional or agency rest and work days to lay over (repeatable).",
    ),
]


def _lang(text: str) -> Lang:
    if text not in ("zh", "en"):
        msg = f"--lang must be zh or en, got {text!r}"
        raise typer.BadParameter(msg)
    return "zh" if text == "zh" else "en"


def _options(
    lang: str, estimate: bool, overlay: list[Path] | None
) -> tuple[Lang, Callable[[str], str], WorkCalendar]:
    """The language, its translation function and the calendar the common options ask for."""
    language = _lang(lang)
    return language, translate(language), _calendar(estimate, overlay)


@app.command()
@_guarded
def deadline(
    received: Annotated[str, typer.Argument(help="Receipt date, YYYY-MM-DD (art. 31).")],
    workdays: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Reply period in working days (default: the Regulations in force on RECEIVED: "
            "20 under the 2019 text, art. 33; 15 before 2019-05-15, 2008 art. 24).",
        ),
    ] = None,
    extend: Annotated[
        int,
        typer.Option(
            min=0,
            help="Extension in working days (at most 20, art. 33; 15 before 2019-05-15).",
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


@app.command()
@_guarded
def show(
    request_file: Annotated[
        Path | None,
        typer.Argument(help="A Request.to_dict() JSON document (default: the built-in example)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Date to show it as of, YYYY-MM-DD (default: today in China)."
        ),
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
        typer.echo(f"  {v.on} {v.code} {v.message} [{v.article}]")
    typer.echo(trace.render(language))


@app.command("calendar")
@_guarded
def calendar_cmd(
    dates: Annotated[list[str] | None, typer.Argument(help="Dates to check.")] = None,
    year: Annotated[int | None, typer.Option(help="List the year's rest and make-up days.")] = None,
    lang: LangOption = "zh",
    estimate: EstimateOption = True,
    overlay: OverlayOption = None,
) -> None:
    """List a year's rest days and make-up workdays, or say whether DATES are working days."""
    language, _, cal = _options(lang, estimate, overlay)
    if year is None and not dates:
        raise typer.BadParameter("give --year YYYY or one or more dates")
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


@app.command()
@_guarded
def report(
    requests_file: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines of Request.to_dict() documents; or the word check, then a table."
        ),
    ],
    table_file: Annotated[
        Path | None,
        typer.Argument(help="With check: the published table (.csv or .xlsx, 2021 layout)."),
    ] = None,
    year: Annotated[int | None, typer.Option(help="The report year.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown or csv")] = "markdown",
    xlsx: Annotated[
        Path | None, typer.Option(help="Also write the tables to this .xlsx file.")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help="With check: last year's table, to compare 上年结转 with 结转下年度."),
    ] = None,
) -> None:
    """
    Print the annual report's tables 三 and 四 (国办公开办函〔2021〕30号) for YEAR, or, as
    `infopen report check TABLE [--previous LAST_YEAR]`, test a published table's identities.
    """
    from ._exports import read_jsonl
    from ._report import annual_report

    if str(requests_file) == "check":
        _report_check(table_file, previous)
        return
    if table_file is not None:
        raise typer.BadParameter(f"one requests file, got a second: {table_file}")
    if year is None:
        raise typer.BadParameter("give the report year with --year YYYY")
    if fmt not in ("markdown", "csv"):
        raise typer.BadParameter(f"--format must be markdown or csv, got {fmt!r}")
    try:
        requests = read_jsonl(read_text(requests_file))
    except InvalidFileError as exc:
        raise in_file(exc, requests_file) from None
    rep = annual_report(requests, year)
    text = rep.to_markdown() if fmt == "markdown" else rep.to_csv()
    typer.echo(text, nl=False)
    if xlsx is not None:
        rep.to_xlsx(xlsx)
    errors = rep.check()
    if errors:  # the tables are printed with their problems; the exit code says they fail
        console.print(
            f"[red]the report does not pass its checks ({len(errors)}): fix the listed requests[/red]",
            highlight=False,
        )
        raise typer.Exit(1)


def _report_check(table_file: Path | None, previous: Path | None) -> None:
    """`infopen report check`: every broken identity, exit status 1 when there is one."""
    from ._report_check import check_report

    if table_file is None:
        raise typer.BadParameter("infopen report check needs the table file: check TABLE.csv")
    broken = check_report(table_file, previous=previous)
    if not broken:
        console.print(f"{table_file}: every identity holds", soft_wrap=True)
        return
    console.print(f"{table_file}: {len(broken)} broken identities", soft_wrap=True)
    for b in broken:
        console.print(str(b), style="yellow", soft_wrap=True)
    raise typer.Exit(EXIT_FAILED_CHECK)


@app.command()
@_guarded
def notice(
    request_file: Annotated[Path, typer.Argument(help="A Request.to_dict() JSON document.")],
    agency_file: Annotated[
        Path, typer.Option("--agency", help="The agency's TOML file (Agency fields).")
    ],
    event: Annotated[int, typer.Option(help="Index of the event (default: the latest).")] = -1,
    fmt: Annotated[str, typer.Option("--format", help="text, html or docx")] = "text",
    out: Annotated[
        Path | None, typer.Option(help="Write to this file (required for docx).")
    ] = None,
    details_file: Annotated[
        Path | None,
        typer.Option(
            "--details", help="A TOML file of notice details (reason, how, [reasons]...)."
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            help="The agency's own Jinja2 template, or a .docx letterhead with {{ body }}."
        ),
    ] = None,
    number: Annotated[
        str | None, typer.Option(help="The serial from the agency's register for the 文号.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse (exit 1) when a mandatory element is missing.")
    ] = False,
    to: Annotated[
        str,
        typer.Option(
            "--to", help="applicant, or third_party for a disclosure over its objection (art 32)."
        ),
    ] = "applicant",
) -> None:
    """Render the notice (告知书) that a request's event calls for."""
    from ._notices import Agency, notice_missing, render_notice
    from ._request import Request
    from ._toml import read_toml

    if fmt not in ("text", "html", "docx"):
        raise typer.BadParameter(f"--format must be text, html or docx, got {fmt!r}")
    if fmt == "docx" and out is None:
        raise typer.BadParameter("--format docx needs --out FILE.docx")
    if to not in ("applicant", "third_party"):
        raise typer.BadParameter(f"--to must be applicant or third_party, got {to!r}")
    data = _read_json(request_file)
    try:
        request = Request.from_dict(data)
    except InfopenError as exc:
        raise in_file(exc, request_file) from None
    agency = Agency.from_toml(agency_file)
    details = read_toml(details_file) if details_file is not None else None
    kwargs = {"agency": agency, "event": event, "details": details, "number": number, "to": to}
    rendered = render_notice(request, format=fmt, template=template, strict=strict, **kwargs)  # type: ignore[arg-type]
    missing = notice_missing(request, **kwargs)  # type: ignore[arg-type]
    if missing:  # on stderr, so the notice itself stays clean on stdout
        typer.echo("placeholders to fill: " + "; ".join(missing), err=True)
    if out is not None:
        write_bytes(out, rendered if isinstance(rendered, bytes) else rendered.encode("utf-8"))
    else:
        typer.echo(rendered, nl=False)


@app.command()
@_guarded
def simulate(
    config: Annotated[
        str | None,
        typer.Argument(
            help="A simulation TOML file or a bundled configuration's name (default: county)."
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed: the same seed gives identical output files.")
    ] = 1,
    out: Annotated[
        Path, typer.Option(help="Folder for run.json, requests.jsonl, summary.json, report.md.")
    ] = Path("out/simulation"),
    plot: Annotated[
        bool, typer.Option("--plot", help="Also draw the plots (PNG and SVG).")
    ] = False,
    lang: LangOption = "zh",
    list_: Annotated[
        bool, typer.Option("--list", help="List the bundled configurations and what each models.")
    ] = False,
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
    table = Table(title=f"{cfg.name} {cfg.year}（seed {seed}）")
    table.add_column("指标" if language == "zh" else "measure")
    table.add_column("数值" if language == "zh" else "value", justify="right")
    for key in ("requests", "answered", "open_at_year_end", "on_time_share_of_answered",
                "due_in_year", "on_time_share_of_due", "share_extended", "max_backlog"):  # fmt: skip
        table.add_row(key, str(summary[key]))
    for key, value in summary["workdays_to_answer"].items():  # the series are in summary.json
        table.add_row(f"workdays_to_answer {key}", str(value))
    for code, n in summary["violations"].items():
        table.add_row(f"violation {code}", str(n))
    if summary["estimated_rest_days"]:
        table.add_row("estimated rest days used", str(len(summary["estimated_rest_days"])))
    console.print(table)
    console.print(f"written to {folder}")


def _sim_config(config: str | None) -> Any:
    """A configuration from a TOML file or a bundled name (default: county)."""
    from ._simulate import SimulationConfig

    if config is None:
        return SimulationConfig.example("county")
    path = as_path(config, "CONFIG")
    if path.suffix == ".toml" or path.exists():
        return SimulationConfig.from_toml(path)
    return SimulationConfig.example(config)


@app.command()
@_guarded
def sweep(
    config: Annotated[
        str, typer.Argument(help="A simulation TOML file or a bundled configuration's name.")
    ],
    staff: Annotated[str, typer.Option(help="Officers, e.g. 2..6 or 2,4")] = "2..4",
    rate: Annotated[str, typer.Option(help="Daily arrival rates, e.g. 4,6")] = "",
    seed: Annotated[int, typer.Option(min=0, help="The seed of every cell's streams.")] = 1,
    replicates: Annotated[
        int, typer.Option(min=1, help="Runs per cell; replicate k shares its streams across cells.")
    ] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Write the cells (mean and 95% interval) to this CSV.")
    ] = None,
    rows: Annotated[
        Path | None, typer.Option(help="Write the raw replicate rows to this CSV.")
    ] = None,
    plot: Annotated[
        str | None,
        typer.Option(help="Plot this metric against the staff with confidence bands (PNG, SVG)."),
    ] = None,
    plot_dir: Annotated[Path, typer.Option(help="Folder for the plot.")] = Path("out/sweep"),
    lang: LangOption = "zh",
    scheduler: Annotated[
        str | None, typer.Option(help="A dask.distributed scheduler address.")
    ] = None,
) -> None:
    """Run the simulation over a grid of staff and arrival rates, in parallel, with replicates."""
    from ._simulate import sweep as run_sweep

    language = _lang(lang)
    grid: dict[str, list[object]] = {"officers": list(_ints(staff, "--staff"))}
    if rate:
        grid["daily_rate"] = list(_numbers(rate, "--rate"))
    cfg = _sim_config(config)
    result = run_sweep(cfg, grid, seed=seed, replicates=replicates, scheduler=scheduler)
    if plot is not None:
        from ._plots import plot_sweep

        plot_sweep(result, plot, "officers", plot_dir, lang=language)
    table = Table(title=f"{cfg.name}: sweep, {replicates} replicate(s)")
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
        msg = f"{text!r:.40} is not a list of whole numbers; write LOW..HIGH (2..6) or a list (2,4)"
        raise typer.BadParameter(msg, param_hint=option) from None
    if not values:
        msg = (
            f"{text!r:.40} gives no values; write LOW..HIGH with LOW <= HIGH (2..6) or a list (2,4)"
        )
        raise typer.BadParameter(msg, param_hint=option)
    return values


def _numbers(text: str, option: str) -> list[float]:
    """``4,6.5``: a non-empty list of numbers."""
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        msg = f"{text!r:.40} is not a list of numbers; write them separated by commas (4,6.5)"
        raise typer.BadParameter(msg, param_hint=option) from None
    if not values:
        msg = f"{text!r:.40} gives no values; write numbers separated by commas (4,6.5)"
        raise typer.BadParameter(msg, param_hint=option)
    return values


@app.command("audit")
@_guarded
def audit_cmd(
    log: Annotated[
        Path,
        typer.Argument(
            help="The register: .csv (UTF-8 or GBK, detected), .xlsx, .xls, .xlsb or .ods."
        ),
    ],
    columns: Annotated[
        Path | None, typer.Option(help='TOML mapping: infopen field = "log header".')
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge open requests as of this day, YYYY-MM-DD (default: today in China); "
            "a later date in the log is reported.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="The CSV file's encoding (default: detected: UTF-8 or GBK/GB18030)."),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="The spreadsheet's sheet (default: the first).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write every judgement, one CSV line per request, here.")
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(help="Write the judgements and, on a sheet of their own, the problems here."),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=0, help="Rows to print in the table (0: all of them).")
    ] = 50,
    lang: LangOption = "zh",
) -> None:
    """Audit a register of requests against the law: due dates, lateness, violations."""
    from ._audit import audit, load_column_map

    day = _day(as_of, "--as-of") if as_of else None
    mapping = load_column_map(columns) if columns else None
    chosen: str | int | None = int(sheet) if sheet is not None and sheet.isdecimal() else sheet
    result = audit(log, columns=mapping, as_of=day, encoding=encoding, sheet=chosen)
    _ = translate(_lang(lang))
    table = Table(title=_("审计结果（截至 {as_of}）").format(as_of=result.as_of))
    for col in (
        _("行"),
        _("编号"),
        _("收到"),
        _("到期日"),
        _("答复"),
        _("按期"),
        _("所用工作日"),
        _("违规"),
    ):
        table.add_column(col)
    shown = result.rows if limit == 0 else result.rows[:limit]
    verdict = {True: _("是"), False: _("否"), None: ""}
    for r in shown:
        due = "" if r.due is None else str(r.due) + (_("（估计）") if r.estimated else "")
        table.add_row(str(r.line), r.request_id, str(r.received), due, str(r.decided or ""),
                      verdict[r.on_time], "" if r.workdays_taken is None else str(r.workdays_taken),
                      " ".join(c for c, _a in r.violations))  # fmt: skip
    console.print(table)
    left_out = len(result.rows) - len(shown)
    if left_out:
        where = " and ".join(str(p) for p in (out, xlsx) if p is not None)
        rest = (
            f"all rows are in {where}"
            if where
            else "use --limit 0 to print them, or --out FILE.csv / --xlsx FILE.xlsx"
        )
        console.print(
            f"showing {len(shown)} of {len(result.rows)} rows; {left_out} left out: {rest}",
            style="bold",
            soft_wrap=True,
        )
    console.print(result.summary(), soft_wrap=True)
    for line, reason in result.problems:
        console.print(f"line {line}: {reason}", style="yellow", soft_wrap=True)
    if out is not None:
        write_text(out, result.to_csv())
    if xlsx is not None:
        result.to_xlsx(xlsx)


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

"""
The ``infopen`` command line (needs the ``cli`` extra: typer and rich).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from ._calendar import WorkCalendar, as_date, national_calendar
from ._errors import CalendarCoverageError, MissingExtraError
from ._i18n import Lang, translate

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
console = Console()


def _calendar(estimate: bool) -> WorkCalendar:
    return national_calendar(beyond="estimate" if estimate else "raise")


def _day(text: str) -> dt.date:
    try:
        return as_date(text)
    except (TypeError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None


LangOption = Annotated[str, typer.Option("--lang", help="zh or en")]
EstimateOption = Annotated[
    bool,
    typer.Option("--estimate", help="Answer past the announced years from statutory holidays."),
]


def _lang(text: str) -> Lang:
    if text not in ("zh", "en"):
        msg = f"--lang must be zh or en, got {text!r}"
        raise typer.BadParameter(msg)
    return "zh" if text == "zh" else "en"


@app.command()
def deadline(
    received: Annotated[str, typer.Argument(help="Receipt date, YYYY-MM-DD (art. 31).")],
    workdays: Annotated[int, typer.Option(help="Reply period in working days (art. 33).")] = 20,
    extend: Annotated[
        int, typer.Option(help="Extension in working days (art. 33, at most 20).")
    ] = 0,
    lang: LangOption = "zh",
    estimate: EstimateOption = False,
) -> None:
    """Print the reply due date for a request received on RECEIVED, with its explanation."""
    language = _lang(lang)
    _ = translate(language)
    cal = _calendar(estimate)
    day = _day(received)
    try:
        trace = cal.explain(day, workdays)
        console.print(trace.render(language), highlight=False)
        if extend:
            ext = cal.explain(trace.result, extend)
            console.print(
                _("延期 {n} 个工作日后：{due}").format(n=extend, due=ext.result.isoformat()),
                highlight=False,
            )
            console.print(ext.render(language), highlight=False)
    except CalendarCoverageError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from None


@app.command("calendar")
def calendar_cmd(
    dates: Annotated[list[str] | None, typer.Argument(help="Dates to check.")] = None,
    year: Annotated[int | None, typer.Option(help="List the year's rest and make-up days.")] = None,
    lang: LangOption = "zh",
    estimate: EstimateOption = False,
) -> None:
    """List a year's rest days and make-up workdays, or say whether DATES are working days."""
    language = _lang(lang)
    _ = translate(language)
    cal = _calendar(estimate)
    if year is None and not dates:
        raise typer.BadParameter("give --year YYYY or one or more dates")
    try:
        if year is not None:
            table = Table(title=_("{year} 年放假调休（{name}）").format(year=year, name=cal.name))
            for col in (_("日期"), _("类别"), _("名称")):
                table.add_column(col)
            for day, note in cal.rest_and_work_days(year):
                kind = {"rest": _("休息"), "work": _("上班"), "estimated_rest": _("休息（推定）")}
                table.add_row(
                    day.isoformat(),
                    kind[note.kind],
                    note.name_zh if language == "zh" else note.name_en,
                )
            console.print(table)
        for text in dates or []:
            day = _day(text)
            console.print(_describe(cal, day, language), highlight=False)
    except CalendarCoverageError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from None


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
    return f"{day.isoformat()} {verdict}{est}：{why}"


@app.command()
def report(
    requests_file: Annotated[
        Path, typer.Argument(help="JSON Lines of Request.to_dict() documents.")
    ],
    year: Annotated[int, typer.Option(help="The report year.")],
    fmt: Annotated[str, typer.Option("--format", help="markdown or csv")] = "markdown",
    xlsx: Annotated[
        Path | None, typer.Option(help="Also write the tables to this .xlsx file.")
    ] = None,
) -> None:
    """Print the annual report's tables 三 and 四 (国办公开办函〔2021〕30号) for YEAR."""
    from ._exports import read_jsonl
    from ._report import annual_report

    if fmt not in ("markdown", "csv"):
        raise typer.BadParameter(f"--format must be markdown or csv, got {fmt!r}")
    try:
        requests = read_jsonl(requests_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from None
    rep = annual_report(requests, year)
    text = rep.to_markdown() if fmt == "markdown" else rep.to_csv()
    typer.echo(text, nl=False)
    if xlsx is not None:
        rep.to_xlsx(xlsx)


@app.command()
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
) -> None:
    """Render the notice (告知书) that a request's event calls for."""
    import json

    from ._notices import Agency, render_notice
    from ._request import Request

    if fmt not in ("text", "html", "docx"):
        raise typer.BadParameter(f"--format must be text, html or docx, got {fmt!r}")
    if fmt == "docx" and out is None:
        raise typer.BadParameter("--format docx needs --out FILE.docx")
    try:
        request = Request.from_dict(json.loads(request_file.read_text(encoding="utf-8")))
        agency = Agency.from_toml(agency_file)
        rendered = render_notice(request, agency=agency, event=event, format=fmt)  # type: ignore[arg-type]
    except (OSError, ValueError, IndexError, TypeError) as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from None
    if out is not None:
        data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
        out.write_bytes(data)
    else:
        typer.echo(rendered, nl=False)


def main() -> None:
    """Entry point of the ``infopen`` script."""
    app()

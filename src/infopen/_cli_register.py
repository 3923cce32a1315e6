"""
The register (台账) on the command line: ``infopen audit``'s output and ``infopen register
template``, an .xlsx register the audit reads back unchanged.

References:
    * 国办公开办函〔2021〕30号: the annual report's categories, whose labels the template's
      drop-down lists offer.
    * 中华人民共和国政府信息公开条例 (2019) arts 27, 30-37: the columns an office records.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ._cli_lang import T, current, violation_label
from ._errors import MissingExtraError
from ._files import write_bytes, write_text
from ._i18n import N_

__all__ = ["TEMPLATE_COLUMNS", "print_audit", "write_template"]

#: The template's columns: header, field, kind ("text", "date", "int" or a coded field) and
#: the instruction for it (Chinese; English in the catalogue).
TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("编号", "id", N_("申请编号，每件申请一个，不得重复。")),
    ("收到日期", "received", N_("收到申请之日（条例第三十一条），必填。")),
    ("申请方式", "channel", N_("从下拉列表选择。")),
    ("申请人类型", "applicant_type", N_("从下拉列表选择。")),
    ("补正告知日期", "correction_asked", N_("发出补正告知书之日（条例第三十条）。")),
    ("补正期限", "correction_reply_by", N_("告知申请人补正的最后一日。")),
    ("补正收到日期", "correction_received", N_("收到补正材料之日，答复期限自该日重新计算。")),
    (
        "征求意见日期",
        "consulted",
        N_("书面征求第三方或其他机关意见之日（条例第三十二条、第三十四条）。"),
    ),
    ("征求对象", "consult_kind", N_("从下拉列表选择：第三方或其他机关。")),
    ("意见答复日期", "consult_replied", N_("收到意见之日；征求意见期间不计入答复期限。")),
    ("延期日期", "extended", N_("告知延期之日，须在答复期限届满前（条例第三十三条）。")),
    ("延期天数", "extension_days", N_("延长的工作日数，1 至 20。")),
    ("答复日期", "decided", N_("作出答复之日。")),
    ("答复结果", "outcome", N_("从下拉列表选择。")),
    ("不予公开理由", "grounds", N_("不予公开或部分公开时从下拉列表选择。")),
)
_DATE_FIELDS = {"received", "correction_asked", "correction_reply_by", "correction_received",
                "consulted", "consult_replied", "extended", "decided"}  # fmt: skip
_CODED = ("channel", "applicant_type", "consult_kind", "outcome", "grounds")
_ROWS = 500  # rows the drop-down lists and date formats cover


def write_template(path: Path) -> None:
    """
    Write an empty register: official-style Chinese headers, drop-down lists of accepted
    values, date-formatted date columns, and a 说明 sheet explaining each column.
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation
    except ModuleNotFoundError:
        raise MissingExtraError("The register template", "report", "openpyxl") from None
    from ._register_rows import accepted_values

    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append([header for header, _f, _h in TEMPLATE_COLUMNS])
    lists = book.create_sheet("可选值")
    for i, (header, field, _help) in enumerate(TEMPLATE_COLUMNS, 1):
        letter = get_column_letter(i)
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[letter].width = 14 if field in _DATE_FIELDS else 18
        span = f"{letter}2:{letter}{_ROWS + 1}"
        if field in _DATE_FIELDS:
            for row in range(2, _ROWS + 2):
                sheet.cell(row=row, column=i).number_format = "yyyy-mm-dd"
            check = DataValidation(type="date", operator="greaterThan", formula1="36526")
            check.error = T("请填写日期，如 2026-09-28。")
            check.add(span)
            sheet.add_data_validation(check)
        elif field == "extension_days":
            check = DataValidation(type="whole", operator="between", formula1="1", formula2="20")
            check.error = T("请填写 1 至 20 的整数。")
            check.add(span)
            sheet.add_data_validation(check)
        elif field in _CODED:
            words = accepted_values(field)
            col = _CODED.index(field) + 1
            lists.cell(row=1, column=col, value=header)
            for r, word in enumerate(words, 2):
                lists.cell(row=r, column=col, value=word)
            ref = get_column_letter(col)
            check = DataValidation(
                type="list",
                formula1=f"'可选值'!${ref}$2:${ref}${len(words) + 1}",
                allow_blank=True,
            )
            check.error = T("请从下拉列表选择。")
            check.add(span)
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    notes.append([T("列"), T("填写说明")])
    for header, _field, help_text in TEMPLATE_COLUMNS:
        notes.append([header, T(help_text)])
    for line in (
        N_("日期写成 2026-09-28；Excel 日期、日期时间均可，只取日期部分。"),
        N_("用 infopen audit 本文件.xlsx 审计：逐件计算答复期限、是否逾期和违法情形。"),
        N_("表格下方的“填表人”“注：”等行不作为申请读取。"),
    ):
        notes.append(["", T(line)])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    buf = io.BytesIO()
    book.save(buf)
    write_bytes(path, buf.getvalue())


def print_audit(
    result: Any,
    console: Console,
    *,
    limit: int,
    out: Path | None,
    xlsx: Path | None,
) -> None:
    """Print an audit: the table, the counts, then each problem, warning and footer."""
    table = Table(title=T("审计结果（截至 {as_of}）").format(as_of=result.as_of))
    for col in (
        T("行"),
        T("编号"),
        T("收到"),
        T("到期日"),
        T("答复"),
        T("按期"),
        T("所用工作日"),
        T("违规"),
    ):
        table.add_column(col)
    shown = result.rows if limit == 0 else result.rows[:limit]
    verdict = {True: T("是"), False: T("否"), None: ""}
    for r in shown:
        due = "" if r.due is None else str(r.due) + (T("（估计）") if r.estimated else "")
        table.add_row(str(r.line), r.request_id, str(r.received), due, str(r.decided or ""),
                      verdict[r.on_time], "" if r.workdays_taken is None else str(r.workdays_taken),
                      "、".join(violation_label(c) for c, _a in r.violations))  # fmt: skip
    console.print(table)
    left_out = len(result.rows) - len(shown)
    if left_out:
        where = "、".join(str(p) for p in (out, xlsx) if p is not None)
        rest = (
            T("全部行见 {where}").format(where=where)
            if where
            else T("用 --limit 0 全部显示，或用 --out 文件.csv / --xlsx 文件.xlsx 输出")
        )
        # English: "showing {shown} of {total} rows; {left} left out: {rest}"
        console.print(
            T("显示 {shown} 行，共 {total} 行，未显示 {left} 行：{rest}").format(
                shown=len(shown), total=len(result.rows), left=left_out, rest=rest
            ),
            style="bold",
            soft_wrap=True,
        )
    summary = result.summary()
    share = summary["on_time_share_of_answered"]
    # English: "Audited {requests} requests: {answered} answered, {late} late ..."
    console.print(
        T(
            "共审计 {requests} 件：已答复 {answered} 件（逾期 {late} 件，按期比例 {share}），"
            "未答复 {open} 件（已超期 {overdue} 件），日期含推定 {estimated} 件；"
            "无法读取 {unreadable} 行，提示 {warnings} 条，表尾 {footers} 行。"
        ).format(**summary | {"share": "—" if share is None else f"{share:.1%}"}),
        soft_wrap=True,
    )
    for code, n in summary["violations"].items():
        console.print(
            T("  {label}：{n} 件").format(label=violation_label(code), n=n), soft_wrap=True
        )
    for line, reason in result.problems:
        console.print(
            T("第 {line} 行未审计：{reason}").format(line=line, reason=_said(reason)),
            style="yellow",
            soft_wrap=True,
        )
    for line, note in result.warnings:
        console.print(T("第 {line} 行提示：{note}").format(line=line, note=note), soft_wrap=True)
    for line, text in result.footers:
        console.print(T("第 {line} 行为表尾：{text}").format(line=line, text=text), soft_wrap=True)
    if out is not None:
        write_text(out, "\ufeff" + result.to_csv())  # the BOM lets Excel read it as UTF-8
    if xlsx is not None:
        result.to_xlsx(xlsx)


def _said(note: str) -> str:
    """A row's note in the current language (a plain string as it is)."""
    render = getattr(note, "render", None)
    return str(render(current())) if render is not None else str(note)


register_app = typer.Typer(
    help=N_("登记台账：生成可供审计读取的 Excel 台账模板。"),
    no_args_is_help=True,
    add_completion=False,
)

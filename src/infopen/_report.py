"""
The annual report's tables 三 and 四 (中华人民共和国政府信息公开工作年度报告格式).

References:
    * 国办公开办函〔2021〕30号: table 三 收到和处理政府信息公开申请情况 (rows 一, 二, 三(一)-(七),
      四; applicant columns) and table 四 政府信息公开行政复议、行政诉讼情况. LEGAL.md §3.
    * 条例 art 49 (report dates), art 50 (contents).

Checked With:
    * LEGAL.md §3.1-3.2 for every label; published agency reports for placement practice.

Limitations:
    * The format does not say where "already public" and "not this agency" answers go;
      they follow published practice: (一) and (四)1 [UNCONFIRMED].
    * A withdrawn request goes to (六)3 其他, as agencies publish it.
    * Table 四 counts a case in the year it is decided, and as 尚未审结 in every year at
      whose end it is still pending.
    * A refusal with several grounds is counted once, under its first ground.
    * A request received in the year always counts in 一 (carried over: 二); one that
      cannot be placed in a result row (a refusal recorded without grounds) is listed in
      ``problems``, shown in every output, and makes :meth:`AnnualReport.check` fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ._calendar import check_year
from ._clock import Facts, facts_of
from ._errors import CalendarCoverageError, InvalidInputError, MissingExtraError
from ._files import write_bytes
from ._model import ApplicantType, Outcome
from ._notices import ESTIMATED_NOTE
from ._request import Request, request_list

__all__ = ["COLUMNS", "ROWS", "AnnualReport", "annual_report"]

#: The applicant columns of table 三, in the official order (the last is the total).
COLUMNS: tuple[str, ...] = (
    "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
)  # fmt: skip
_COLUMN_OF = {t: i for i, t in enumerate(ApplicantType)}

# Table 三: (key, official label, carries numbers). Group headers carry none.
ROWS: tuple[tuple[str, str, bool], ...] = (
    ("一", "一、本年新收政府信息公开申请数量", True),
    ("二", "二、上年结转政府信息公开申请数量", True),
    ("三", "三、本年度办理结果", False),
    ("(一)", "（一）予以公开", True),
    ("(二)", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", True),
    ("(三)", "（三）不予公开", False),
    ("(三)1", "1.属于国家秘密", True),
    ("(三)2", "2.其他法律行政法规禁止公开", True),
    ("(三)3", "3.危及“三安全一稳定”", True),
    ("(三)4", "4.保护第三方合法权益", True),
    ("(三)5", "5.属于三类内部事务信息", True),
    ("(三)6", "6.属于四类过程性信息", True),
    ("(三)7", "7.属于行政执法案卷", True),
    ("(三)8", "8.属于行政查询事项", True),
    ("(四)", "（四）无法提供", False),
    ("(四)1", "1.本机关不掌握相关政府信息", True),
    ("(四)2", "2.没有现成信息需要另行制作", True),
    ("(四)3", "3.补正后申请内容仍不明确", True),
    ("(五)", "（五）不予处理", False),
    ("(五)1", "1.信访举报投诉类申请", True),
    ("(五)2", "2.重复申请", True),
    ("(五)3", "3.要求提供公开出版物", True),
    ("(五)4", "4.无正当理由大量反复申请", True),
    ("(五)5", "5.要求行政机关确认或重新出具已获取信息", True),
    ("(六)", "（六）其他处理", False),
    ("(六)1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", True),
    ("(六)2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", True),
    ("(六)3", "3.其他", True),
    ("(七)", "（七）总计", True),
    ("四", "四、结转下年度继续办理", True),
)
_RESULT_ROWS = tuple(k for k, _label, numbers in ROWS if numbers and k.startswith("("))[:-1]

#: Table 四: three groups of five cells.
GROUPS: tuple[str, ...] = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
CELLS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _counts(values: object, size: int) -> bool:
    """Whether ``values`` is a list of ``size`` whole numbers (no bools)."""
    return isinstance(values, list) and len(values) == size and all(type(v) is int for v in values)


@attrs.frozen
class AnnualReport:
    """
    Tables 三 and 四 of a year's report, with the requests that could not be placed.

    ``table3[row]`` is a list of seven numbers (the applicant columns, then the total);
    ``table4[group]`` maps each of the five cells to a number. ``problems`` lists
    ``(request_id, reason)`` for every request received that could not be placed in a
    result row (it still counts in 一 or 二, so the table does not add up until it is
    fixed); ``skipped`` the requests that belong wholly to other years or are not yet
    received; ``carried`` the requests under 四 with their reply due date as of
    31 December (``None`` when it cannot be computed) and a note.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``carried``; ``problems`` make :meth:`check` fail.
    """

    year: int
    table3: dict[str, list[int]]
    table4: dict[str, dict[str, int]]
    problems: tuple[tuple[str, str], ...]
    skipped: tuple[tuple[str, str], ...]
    carried: tuple[tuple[str, dt.date | None, str], ...] = ()

    def __attrs_post_init__(self) -> None:
        # A report built by hand (or read back) has the form's rows and cells, as numbers,
        # so that check() and the writers can trust it (#13).
        if type(self.year) is not int or not 0 <= self.year <= 9999:
            msg = f"year must be a year (int, 0 when unknown), got {self.year!r:.40}"
            raise InvalidInputError(msg)
        t3, t4 = self.table3, self.table4
        if (
            not isinstance(t3, dict)
            or set(t3) != {k for k, _l, _n in ROWS}
            or not all(_counts(v, len(COLUMNS)) for v in t3.values())
        ):
            msg = f"table3 must map each row of the form ({', '.join(k for k, _l, _n in ROWS)}) to {len(COLUMNS)} whole numbers"
            raise InvalidInputError(msg)
        if (
            not isinstance(t4, dict)
            or set(t4) != set(GROUPS)
            or not all(
                isinstance(v, dict)
                and set(v) == set(CELLS)
                and _counts(list(v.values()), len(CELLS))
                for v in t4.values()
            )
        ):
            msg = f"table4 must map each of {', '.join(GROUPS)} to the cells {', '.join(CELLS)}, each a whole number"
            raise InvalidInputError(msg)
        for name in ("problems", "skipped"):
            rows = getattr(self, name)
            if not isinstance(rows, tuple) or not all(
                isinstance(r, tuple) and len(r) == 2 and all(isinstance(x, str) for x in r)
                for r in rows
            ):
                msg = f"{name} must be a tuple of (request_id, reason) pairs of text"
                raise InvalidInputError(msg)
        if not isinstance(self.carried, tuple) or not all(
            isinstance(c, tuple) and len(c) == 3 and isinstance(c[0], str)
            and (c[1] is None or isinstance(c[1], dt.date)) and isinstance(c[2], str)
            for c in self.carried
        ):  # fmt: skip
            msg = "carried must be a tuple of (request_id, due date or None, note)"
            raise InvalidInputError(msg)

    def check(self) -> list[str]:
        """
        What is wrong with the report: each request that could not be placed, then the
        arithmetic checks that fail (empty when every request is placed, 一 + 二 = 三(七) + 四
        and the totals add up).
        """
        errors = [f"{rid}: {why}" for rid, why in self.problems]
        errors += self._arithmetic()
        return errors

    def _arithmetic(self) -> list[str]:
        errors = []
        t = self.table3
        for c, name in enumerate(COLUMNS):
            if t["一"][c] + t["二"][c] != t["(七)"][c] + t["四"][c]:
                errors.append(f"{name}: 一 + 二 != 三(七) + 四")
            if sum(t[k][c] for k in _RESULT_ROWS) != t["(七)"][c]:
                errors.append(f"{name}: 三(七) is not the sum of the results")
        for key, values in t.items():
            if sum(values[:-1]) != values[-1]:
                errors.append(f"{key}: 总计 is not the sum of the applicant columns")
        for group, cells in self.table4.items():
            if sum(cells[c] for c in CELLS[:-1]) != cells["总计"]:
                errors.append(f"{group}: 总计 is not the sum of its cells")
        return errors

    def to_markdown(self) -> str:
        """Both tables as Markdown, with any unplaced requests listed after them."""
        lines = [f"## {self.year} 年度 三、收到和处理政府信息公开申请情况", "",
                 f"统计期限：{self.year}年1月1日至{self.year}年12月31日", ""]  # fmt: skip
        lines.append("| 本列数据的统计期限 | " + " | ".join(COLUMNS) + " |")
        lines.append("|---" * (len(COLUMNS) + 1) + "|")
        for key, label, numbers in ROWS:
            cells = [str(v) for v in self.table3[key]] if numbers else [""] * len(COLUMNS)
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines += ["", f"## {self.year} 年度 四、政府信息公开行政复议、行政诉讼情况", ""]
        lines.append("| | " + " | ".join(CELLS) + " |")
        lines.append("|---" * (len(CELLS) + 1) + "|")
        for group in GROUPS:
            lines.append(
                f"| {group} | " + " | ".join(str(self.table4[group][c]) for c in CELLS) + " |"
            )
        if self.problems:
            lines += ["", "### 问题：无法归入办理结果的申请（已计入收到数量，表格不平衡）", ""]
            lines += [f"- {rid}: {why}" for rid, why in self.problems]
        errors = self._arithmetic()
        if errors:
            lines += ["", "### 校验未通过", ""] + [f"- {e}" for e in errors]
        if self.carried:
            lines += ["", "### 结转下年度继续办理的申请", ""]
            lines += [f"- {rid}: {_due_text(due, note)}" for rid, due, note in self.carried]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """
        Table 三 then table 四 as CSV text: a header row with the seven applicant columns in
        the official order, then one line per official row, label first.
        """
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["三、收到和处理政府信息公开申请情况", *COLUMNS])
        for key, label, numbers in ROWS:
            w.writerow([label, *(self.table3[key] if numbers else [""] * len(COLUMNS))])
        w.writerow([])
        w.writerow(["四、政府信息公开行政复议、行政诉讼情况", *CELLS])
        for group in GROUPS:
            w.writerow([group, *(self.table4[group][c] for c in CELLS)])
        if self.problems:
            w.writerow([])
            w.writerow(["问题：无法归入办理结果的申请", "申请编号", "原因"])
            for rid, why in self.problems:
                w.writerow(["", rid, why])
        return out.getvalue()

    def to_xlsx(self, path: str | Path) -> None:
        """
        Write both tables to an .xlsx laid out like the official form (needs ``infopen[report]``):
        title and statistical period, merged headers, thin borders, 宋体 labels and 仿宋
        numbers, A4 landscape printing on one page wide; problems on a sheet of their own.
        """
        try:
            from openpyxl import Workbook
            from openpyxl.styles import Alignment, Border, Font, Side
        except ModuleNotFoundError:
            raise MissingExtraError("The .xlsx annual report", "report", "openpyxl") from None
        wb = Workbook()
        ws = wb.active
        ws.title = "三、申请情况"
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        label_font, number_font = Font(name="宋体", size=11), Font(name="仿宋", size=11)
        title_font = Font(name="宋体", size=16, bold=True)
        period = f"统计期限：{self.year}年1月1日至{self.year}年12月31日"
        _headers(ws, [
            ("A1:I1", f"{self.year}年度 三、收到和处理政府信息公开申请情况"), ("A2:I2", period),
            ("A3:B5", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
            ("C3:I3", "申请人情况"), ("C4:C5", "自然人"), ("D4:H4", "法人或其他组织"), ("I4:I5", "总计"),
            *((f"{col}5", name) for col, name in zip("DEFGH", COLUMNS[1:6], strict=True)),
        ])  # fmt: skip
        row = 6
        for key, label, numbers in ROWS:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            ws.cell(row=row, column=1, value=label)
            if numbers:
                for c, v in enumerate(self.table3[key]):
                    ws.cell(row=row, column=3 + c, value=v)
            row += 1
        for cells in ws.iter_rows(min_row=1, max_row=row - 1, max_col=9):
            for cell in cells:
                cell.alignment = center
                cell.font = number_font if isinstance(cell.value, int) else label_font
                if cell.row >= 3:
                    cell.border = box
        for r in range(6, row):
            ws.cell(row=r, column=1).alignment = left
        ws["A1"].font = title_font
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 30
        _print_setup(ws, "A1:I" + str(row - 1), 3)
        t4 = wb.create_sheet("四、复议诉讼")
        _headers(t4, [
            ("A1:O1", f"{self.year}年度 四、政府信息公开行政复议、行政诉讼情况"), ("A2:O2", period),
            ("A3:E4", "行政复议"), ("F3:O3", "行政诉讼"), ("F4:J4", "未经复议直接起诉"), ("K4:O4", "复议后起诉"),
        ])  # fmt: skip
        n = 1
        for group in GROUPS:
            for cell in CELLS:
                t4.cell(row=5, column=n, value=cell)
                t4.cell(row=6, column=n, value=self.table4[group][cell])
                n += 1
        for cells in t4.iter_rows(min_row=1, max_row=6, max_col=15):
            for c in cells:
                c.alignment = center
                c.font = number_font if isinstance(c.value, int) else label_font
                if c.row >= 3:
                    c.border = box
        t4["A1"].font = title_font
        _print_setup(t4, "A1:O6", 3)
        if self.problems or self._arithmetic():
            p = wb.create_sheet("问题")
            p.append(["无法归入办理结果的申请（已计入收到数量，表格不平衡）"])
            p.append(["申请编号", "原因"])
            for rid, why in self.problems:
                p.append([rid, why])
            for error in self._arithmetic():
                p.append(["（校验）", error])
            p.column_dimensions["A"].width = 24
            p.column_dimensions["B"].width = 80
            for cells in p.iter_rows():
                for c in cells:
                    c.font = label_font
            _print_setup(p, f"A1:B{p.max_row}", 0)
        buf = io.BytesIO()
        wb.save(buf)
        write_bytes(path, buf.getvalue())


def _print_setup(ws: Any, area: str, repeat: int) -> None:
    """A4 landscape, one page wide, the header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = area
    ws.print_options.horizontalCentered = True
    if repeat:
        ws.print_title_rows = f"1:{repeat}"


def _due_text(due: dt.date | None, note: str) -> str:
    if due is None:
        return note
    text = f"答复期限 {due.year}年{due.month}月{due.day}日"
    if getattr(due, "estimated", False):
        text += f"（{ESTIMATED_NOTE}）"
    return text + (f"；{note}" if note else "")


def _headers(ws: Any, cells: Iterable[tuple[str, str]]) -> None:
    """Write header labels; a range such as "C2:I2" is merged first."""
    for where, text in cells:
        if ":" in where:
            ws.merge_cells(where)
        ws[where.split(":")[0]] = text


def _placement(r: Request, f: Facts, year: int) -> tuple[str | None, str | None]:
    """The result row of a request answered in the year, or a reason it has none."""
    outcome = f.outcome
    if outcome is None:
        return None, None
    if outcome is Outcome.REFUSED:
        if not f.grounds:
            return None, "不予公开但未记录理由，无法归入（三）的细项"
        return f.grounds[0].report_row, None
    return outcome.report_row, None


def annual_report(requests: Iterable[Request], year: int) -> AnnualReport:
    """
    Tables 三 and 四 for ``year`` from a collection of requests, as of 31 December.

    一 counts every request received in the year, 二 those received earlier and still open
    at the end of the previous year, 三 the results given in the year, 四 those still open
    on 31 December (they appear again under 二 next year). A received request that cannot
    be placed in a result row is listed in ``problems`` with the reason and makes
    :meth:`AnnualReport.check` fail; it is never dropped silently.

    Raises:
        InvalidInputError: when two requests share a request id (each request counts once).

    .. versionadded:: 0.1.0
    """
    year = check_year(year)
    requests = request_list(requests)
    seen: set[str] = set()
    for r in requests:
        if r.request_id in seen:
            msg = (
                f"request {r.request_id!r:.60} is given twice; each request counts once in the "
                f"report: pass every request once"
            )
            raise InvalidInputError(msg)
        seen.add(r.request_id)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    t3 = {key: [0] * len(COLUMNS) for key, _label, _n in ROWS}
    t4 = {g: dict.fromkeys(CELLS, 0) for g in GROUPS}
    problems: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    carried: list[tuple[str, dt.date | None, str]] = []
    for r in requests:
        f = facts_of(r.events, end)
        if f.received is None:
            if r.received_on is None:
                reason = "收到申请日期尚未确认（条例第三十一条），确认后计入确认之日所在年度"
            else:
                reason = f"{r.received_on} 收到，不属于 {year} 年度"
            skipped.append((r.request_id, reason))
            continue
        _count_remedies(t4, f, start, end)
        finished = f.decided or f.closed
        if finished is not None and finished < start:
            skipped.append((r.request_id, f"已于 {finished} 办结，不属于 {year} 年度"))
            continue
        col = _COLUMN_OF[r.applicant_type]
        entry = "一" if f.received >= start else "二"
        t3[entry][col] += 1
        t3[entry][-1] += 1
        row, why = _placement(r, f, year)
        if why is not None:  # counted as received, placed nowhere: check() fails and says why
            problems.append((r.request_id, why))
            continue
        result = row if row is not None else "四"
        t3[result][col] += 1
        t3[result][-1] += 1
        if row is not None:
            t3["(七)"][col] += 1
            t3["(七)"][-1] += 1
        else:
            carried.append((r.request_id, *_due_at(r, end)))
    for cells in t4.values():
        cells["总计"] = sum(cells[c] for c in CELLS[:-1])
    report = AnnualReport(year, t3, t4, tuple(problems), tuple(skipped), tuple(carried))
    errors = report._arithmetic()
    if errors and not problems:  # a bug in placement, never the input's fault
        msg = f"annual report {year} does not add up: {errors}"
        raise AssertionError(msg)
    return report


def _due_at(r: Request, end: dt.date) -> tuple[dt.date | None, str]:
    """The reply due date of a carried-forward request on 31 December, or why there is none."""
    try:
        status = r.status(end)
    except CalendarCoverageError as exc:  # shown in the report, not hidden
        return None, f"答复期限超出已公布的放假安排，无法计算（{exc.year}年）"
    if status.due_date is None:
        return None, "答复期限暂停或尚未起算"
    return status.due_date, ""


def _count_remedies(t4: dict[str, dict[str, int]], f: Facts, start: dt.date, end: dt.date) -> None:
    if f.reconsideration is not None:
        _count_case(t4[GROUPS[0]], f.reconsideration_result, start)
    if f.lawsuit is not None:
        group = GROUPS[2] if f.reconsideration is not None else GROUPS[1]
        _count_case(t4[group], f.lawsuit_result, start)


def _count_case(
    cells: dict[str, int], result: tuple[dt.date, object] | None, start: dt.date
) -> None:
    if result is None:
        cells["尚未审结"] += 1  # applied by year end (facts stop there) and still pending
    elif result[0] >= start:
        label = getattr(result[1], "label", "")
        cells[label] += 1

"""
Checks of published annual reports: the identities tables 三 and 四 must satisfy.

A published table (CSV or a spreadsheet in the official 2021 layout, as ``infopen report``
writes it) is read back into numbers and every identity the format implies is tested;
each broken one is named with the cells involved and their values.

References:
    * 国办公开办函〔2021〕30号 (中华人民共和国政府信息公开工作年度报告格式), table 三: the
      form's own note "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和";
      三(七)总计 is the total of the results (一)-(六); 总计 is the total of the applicant
      columns. Table 四: each group's 总计 is the sum of its four results. LEGAL.md §3.
    * 条例 art 50 (the report's contents); a request open on 31 December is carried over
      (结转下年度) and appears as next year's 上年结转.

Limitations:
    * Labels must be the official ones; whitespace, ASCII or full-width brackets, ASCII or
      full-width full stops and straight or curly quotes are all read as the same label.
    * Read: CSV, spreadsheets (every sheet; .xlsx, .xls, .xlsb, .ods) and saved web pages
      (.html, .htm; every ``<table>``, ``rowspan``/``colspan`` expanded). A table 三 in the
      form's merged-cell layout (the result label in the second or third column) is read;
      table 四 may be absent (its identities are then not tested).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from ._errors import InvalidInputError, MissingExtraError
from ._files import as_path, read_bytes
from ._registers import SPREADSHEET_SUFFIXES, csv_rows, decode
from ._report import CELLS, COLUMNS, GROUPS, ROWS, AnnualReport

__all__ = ["BrokenIdentity", "check_report", "read_report", "read_reports"]

_LABEL = {label: key for key, label, numbers in ROWS if numbers}
_LABEL_OF = {key: label for key, label, _n in ROWS}
_RESULTS = tuple(k for k, _l, numbers in ROWS if numbers and k.startswith("("))[:-1]
_HTML_SUFFIXES = (".html", ".htm")
# Full-width brackets, full stop, comma and colon as ASCII; quotes of every kind dropped.
_SAME = str.maketrans({"\uff08": "(", "\uff09": ")", "\uff0e": ".", "\uff0c": ",", "\uff1a": ":",
                       "\u201c": None, "\u201d": None, '"': None, "\u2018": None, "\u2019": None,
                       "'": None})  # fmt: skip


def _norm(text: str) -> str:
    """A label as compared: no whitespace, ASCII brackets and full stops, no quotes."""
    return "".join(text.split()).translate(_SAME)


_BY_NORM = {_norm(label): key for label, key in _LABEL.items()}
_GROUP_BY_NORM = {_norm(g): g for g in GROUPS}


@attrs.frozen
class BrokenIdentity:
    """
    One identity a published table breaks.

    Attributes:
        identity: The identity, e.g. ``"一 + 二 = 三(七) + 四"``.
        cells: ``(row label, column, value)`` of every cell involved.
        left: The left-hand side's value.
        right: The right-hand side's value.

    .. versionadded:: 0.1.0
    """

    identity: str
    cells: tuple[tuple[str, str, int], ...]
    left: int
    right: int
    #: The workbook sheet the table is on ("" for a CSV file, a web page or a report).
    sheet: str = ""
    #: The single cell that best explains the table's broken identities, e.g.
    #: "（一）予以公开/自然人: 65, the identities want 56" ("" when no one cell does).
    suspect: str = ""

    def __str__(self) -> str:
        cells = "; ".join(f"{row} [{col}] = {value}" for row, col, value in self.cells)
        where = f"sheet {self.sheet}: " if self.sheet else ""
        return f"{where}{self.identity}: {self.left} != {self.right} ({cells})"


def _text(path: Path) -> str:
    """A CSV file's or web page's text; a byte-order mark that lies is a clear error."""
    data = read_bytes(path)
    try:
        text, _encoding = decode(data)
    except UnicodeDecodeError as exc:  # a UTF-8 BOM followed by GBK bytes (#23)
        msg = (
            f"{path}: starts with a UTF-8 byte-order mark but byte {exc.start} is not UTF-8 "
            f"({exc.reason}); re-save the file as UTF-8 (or as GBK without the mark)"
        )
        raise InvalidInputError(msg) from None
    except InvalidInputError as exc:
        msg = f"{path}: {exc}"
        raise InvalidInputError(msg) from None
    return text


def _sources(path: Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """``(sheet name, rows)`` of every sheet of a workbook; one unnamed source otherwise."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        import io

        try:
            from python_calamine import CalamineError, CalamineWorkbook
        except ModuleNotFoundError:
            raise MissingExtraError("Reading spreadsheets", "audit", "python-calamine") from None
        data = read_bytes(path)  # a missing or unreadable file: FileAccessError (#23)
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                      for name in book.sheet_names]  # fmt: skip
        except (CalamineError, ValueError) as exc:
            msg = f"{path}: not a spreadsheet calamine can read ({type(exc).__name__}: {exc})"
            raise InvalidInputError(msg) from None
        from ._registers import _cell_text

        return [
            (name, [(n, [_cell_text(v) for v in row]) for n, row in enumerate(values, 1)])
            for name, values in sheets
        ]
    if suffix in _HTML_SUFFIXES:
        from ._html_tables import html_tables

        rows: list[tuple[int, list[str]]] = []
        for table in html_tables(_text(path)):
            rows += [(len(rows) + 1, cells) for cells in [*table, []]]  # a gap between tables
        return [("", rows)]
    return [("", csv_rows(_text(path)))]


def _numeric(text: str) -> bool:
    return text.replace(",", "").strip().lstrip("-").isdigit()


def _int(text: str, where: str) -> int:
    try:
        value = int(text.replace(",", "").strip() or "0")
    except ValueError:
        msg = f"{where}: {text!r:.40} is not a whole number"
        raise InvalidInputError(msg) from None
    if value < 0:  # numbers that add up must still be counts (#23)
        msg = f"{where}: {value} is negative; a count of requests is 0 or more"
        raise InvalidInputError(msg)
    return value


def _label_at(cells: list[str]) -> tuple[int, str | None]:
    """The last cell that is a row label of table 三 (merged layouts repeat the groups)."""
    found: tuple[int, str | None] = (-1, None)
    for i, c in enumerate(cells):
        key = _BY_NORM.get(_norm(c)) if c else None
        if key is not None:
            found = (i, key)
    return found


def _read_rows(
    rows: list[tuple[int, list[str]]], where: str
) -> tuple[dict[str, list[int]] | None, dict[str, dict[str, int]] | None]:
    """Tables 三 and 四 from rows of cells; None for a table the rows do not hold."""
    t3: dict[str, list[int]] = {k: [0] * len(COLUMNS) for k, _l, numbers in ROWS if not numbers}
    t4: dict[str, dict[str, int]] = {}
    header4 = False
    for line, raw in rows:
        cells = [c.strip() for c in raw]
        at = f"{where} line {line}"
        i, key = _label_at(cells)
        if key is not None:
            values = [c for c in cells[i + 1 :] if c != "" and _norm(c) != _norm(cells[i])]
            if len(values) != len(COLUMNS):
                msg = f"{at}: {cells[i]} has {len(values)} numbers, the form has {len(COLUMNS)}"
                raise InvalidInputError(msg)
            t3[key] = [_int(v, at) for v in values]
            continue
        texts = [c for c in cells if c]
        group = next((_GROUP_BY_NORM[_norm(c)] for c in texts if _norm(c) in _GROUP_BY_NORM), None)
        numbers = [c for c in texts if _numeric(c)]
        if "结果维持" in texts:
            header4 = True
        if group is not None and numbers and len(numbers) == len(texts) - texts.count(group):
            if len(numbers) != len(CELLS):
                msg = f"{at}: {group} has {len(numbers)} numbers, the form has {len(CELLS)}"
                raise InvalidInputError(msg)
            t4[group] = dict(zip(CELLS, [_int(v, at) for v in numbers], strict=True))
        elif header4 and texts and len(numbers) == len(texts):
            if len(numbers) != len(CELLS) * len(GROUPS):
                msg = f"{at}: table 四 has {len(numbers)} numbers, the form has 15"
                raise InvalidInputError(msg)
            counts = [_int(v, at) for v in numbers]
            for g, name in enumerate(GROUPS):
                t4[name] = dict(zip(CELLS, counts[g * 5 : g * 5 + 5], strict=True))
            header4 = False
    found = [k for k in _LABEL.values() if k in t3]
    missing = [_LABEL_OF[k] for k in _LABEL.values() if k not in t3]
    if found and missing:
        msg = f"{where}: rows not found: {missing}; is it a table in the official 2021 layout?"
        raise InvalidInputError(msg)
    return ({k: t3[k] for k, _l, _n in ROWS} if found else None), (t4 or None)


def read_reports(path: str | os.PathLike[str], year: int = 0) -> list[tuple[str, AnnualReport]]:
    """
    Every table 三 (with its table 四) in a file: ``(sheet name, tables)`` for each sheet of
    a workbook that holds one, or one ``("", tables)`` for a CSV file or a web page.

    Raises:
        FileAccessError: the file cannot be read (missing, a folder, no permission).
        InvalidInputError: no table 三 anywhere in the file, a row with the wrong number
            of cells, a cell that is not a count, or a table with rows missing (each named).

    .. versionadded:: 0.2.0
    """
    p = as_path(path)
    found: list[tuple[str, dict[str, list[int]], dict[str, dict[str, int]]]] = []
    for sheet, rows in _sources(p):
        where = f"{p} sheet {sheet}" if sheet else str(p)
        t3, t4 = _read_rows(rows, where)
        if t3 is not None:
            found.append((sheet, t3, t4 or {}))
        elif t4 is not None and found and not found[-1][2]:
            found[-1][2].update(t4)  # table 四 on the sheet after its table 三
    out = []
    for sheet, t3, t4 in found:
        for name in GROUPS:  # table 三 alone: table 四 is not checked
            t4.setdefault(name, dict.fromkeys(CELLS, 0))
        out.append((sheet, AnnualReport(year, t3, t4, (), ())))
    if not out:
        msg = f"{p}: rows not found: no table 三 (rows labelled as the official 2021 form, e.g. 一、本年新收政府信息公开申请数量)"
        raise InvalidInputError(msg)
    return out


def read_report(path: str | os.PathLike[str], year: int = 0) -> AnnualReport:
    """
    Read tables 三 and 四 back from a CSV file, a spreadsheet or a saved web page in the
    official 2021 layout (the first sheet that holds them; see :func:`read_reports`).

    Raises:
        FileAccessError: the file cannot be read.
        InvalidInputError: a row with the wrong number of cells, a cell that is not a
            whole number, or a table with rows missing (each named).
    """
    return read_reports(path, year)[0][1]


def _as_report(value: AnnualReport | str | os.PathLike[str], what: str) -> AnnualReport:
    if isinstance(value, AnnualReport):
        return value
    if isinstance(value, (str, os.PathLike)):
        return read_report(value)
    msg = f"{what} must be an AnnualReport or a file path, got {type(value).__name__}"
    raise InvalidInputError(msg)


def _sum(
    t: dict[str, list[int]], keys: Sequence[str], c: int
) -> tuple[int, list[tuple[str, str, int]]]:
    cells = [(_LABEL_OF[k], COLUMNS[c], t[k][c]) for k in keys]
    return sum(v for _r, _c, v in cells), cells


def check_report(
    report: AnnualReport | str | os.PathLike[str],
    *,
    previous: AnnualReport | str | os.PathLike[str] | None = None,
) -> tuple[BrokenIdentity, ...]:
    """
    The identities a published annual report breaks (empty: none).

    Tested: for each applicant column 新收 + 上年结转 = 办理结果总计 + 结转下年度; the results
    (一)-(六) sum to (七)总计; the six applicant columns sum to 总计 in every row; in table
    四, 维持 + 纠正 + 其他 + 尚未审结 = 总计 for each of the three groups; and, given last
    year's report, this year's 上年结转 equals last year's 结转下年度, column by column.
    Every sheet of a workbook is checked (each broken identity names its sheet), and each
    names the single cell that best explains its table's broken identities, if one does.

    Args:
        report: The year's tables, or a file: CSV, a workbook, or a saved web page (.html)
            in the official 2021 layout.
        previous: Last year's tables or file.

    Raises:
        FileAccessError: a file that cannot be read.
        InvalidInputError: a file that cannot be read as the official tables.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 web pages, merged-cell layouts, every sheet, the suspect cell.
    """
    if isinstance(report, AnnualReport):
        reports = [("", report)]
    elif isinstance(report, (str, os.PathLike)):
        reports = read_reports(report)
    else:
        msg = f"report must be an AnnualReport or a file path, got {type(report).__name__}"
        raise InvalidInputError(msg)
    last = None if previous is None else _as_report(previous, "previous").table3
    broken: list[BrokenIdentity] = []
    for sheet, rep in reports:
        found = _broken(rep, last)
        suspect = _suspect(rep.table3) if found else ""
        broken += [attrs.evolve(b, sheet=sheet, suspect=suspect) for b in found]
    return tuple(broken)


def _broken(rep: AnnualReport, last: dict[str, list[int]] | None) -> list[BrokenIdentity]:
    t = rep.table3
    broken = _broken3(t)
    for group in GROUPS:
        g = rep.table4[group]
        parts = sum(g[cell] for cell in CELLS[:-1])
        if parts != g["总计"]:
            cells = tuple((group, cell, g[cell]) for cell in CELLS)
            broken.append(
                BrokenIdentity(
                    f"维持 + 纠正 + 其他 + 尚未审结 = 总计 [{group}]", cells, parts, g["总计"]
                )
            )
    if last is not None:
        for c in range(len(COLUMNS)):
            if t["二"][c] != last["四"][c]:
                cells = ((_LABEL_OF["二"], COLUMNS[c], t["二"][c]),
                         ("last year's " + _LABEL_OF["四"], COLUMNS[c], last["四"][c]))  # fmt: skip
                broken.append(
                    BrokenIdentity(
                        f"二 = last year's 四 [{COLUMNS[c]}]", cells, t["二"][c], last["四"][c]
                    )
                )
    return broken


def _broken3(t: dict[str, list[int]]) -> list[BrokenIdentity]:
    """The broken identities of table 三."""
    broken: list[BrokenIdentity] = []
    for c in range(len(COLUMNS)):
        left, lc = _sum(t, ("一", "二"), c)
        right, rc = _sum(t, ("(七)", "四"), c)
        if left != right:
            broken.append(
                BrokenIdentity(f"一 + 二 = 三(七) + 四 [{COLUMNS[c]}]", tuple(lc + rc), left, right)
            )
        parts, pc = _sum(t, _RESULTS, c)
        total, tc = _sum(t, ("(七)",), c)
        if parts != total:
            broken.append(
                BrokenIdentity(
                    f"三(一)..(六) = 三(七) [{COLUMNS[c]}]", tuple(pc + tc), parts, total
                )
            )
    for key, label in ((k, lab) for k, lab, numbers in ROWS if numbers):
        values = t[key]
        if sum(values[:-1]) != values[-1]:
            cells = tuple((label, COLUMNS[c], values[c]) for c in range(len(COLUMNS)))
            broken.append(
                BrokenIdentity(
                    f"six applicant columns = 总计 [{label}]", cells, sum(values[:-1]), values[-1]
                )
            )
    return broken


def _suspect(t: dict[str, list[int]]) -> str:
    """
    The one cell of table 三 whose change to another value repairs the most broken
    identities (all of them, if one cell can), as "row/column: value, the identities want
    N"; "" when no single cell repairs more than one.
    """
    before = len(_broken3(t))
    best: tuple[int, str] = (before - 1, "")
    for key in _LABEL.values():
        for c in range(len(COLUMNS)):
            here = t[key][c]
            for want in _wanted(t, key, c):
                if want == here or want < 0:
                    continue
                t[key][c] = want
                left = len(_broken3(t))
                t[key][c] = here
                if left < best[0]:
                    text = f"{_LABEL_OF[key]}/{COLUMNS[c]}: {here}, the identities want {want}"
                    best = (left, text)
    return best[1]


def _wanted(t: dict[str, list[int]], key: str, c: int) -> set[int]:
    """The values cell ``(key, c)`` would need to satisfy each identity it is in."""
    here = t[key][c]
    wants = {here - (sum(t[key][:-1]) - t[key][-1]) if c < len(COLUMNS) - 1
             else sum(t[key][:-1])}  # fmt: skip
    gap = t["一"][c] + t["二"][c] - t["(七)"][c] - t["四"][c]
    if key in ("一", "二"):
        wants.add(here - gap)
    elif key in ("(七)", "四"):
        wants.add(here + gap)
    parts = sum(t[k][c] for k in _RESULTS) - t["(七)"][c]
    if key in _RESULTS:
        wants.add(here - parts)
    elif key == "(七)":
        wants.add(here + parts)
    return wants

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
    * The layout read is the one infopen writes (label in the first cell, then the seven
      applicant columns; table 四 as three labelled rows or the form's 15-cell row).
      Labels must be the official ones (whitespace ignored).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

from ._errors import InvalidInputError
from ._files import as_path, read_bytes
from ._registers import SPREADSHEET_SUFFIXES, csv_rows, decode
from ._report import CELLS, COLUMNS, GROUPS, ROWS, AnnualReport

__all__ = ["BrokenIdentity", "check_report", "read_report"]

_LABEL = {label: key for key, label, numbers in ROWS if numbers}
_LABEL_OF = {key: label for key, label, _n in ROWS}
_RESULTS = tuple(k for k, _l, numbers in ROWS if numbers and k.startswith("("))[:-1]


def _norm(text: str) -> str:
    return "".join(text.split())


_BY_NORM = {_norm(label): key for label, key in _LABEL.items()}


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

    def __str__(self) -> str:
        cells = "; ".join(f"{row} [{col}] = {value}" for row, col, value in self.cells)
        return f"{self.identity}: {self.left} != {self.right} ({cells})"


def _grid(path: Path) -> list[tuple[int, list[str]]]:
    """Every non-empty row of every sheet (a spreadsheet) or of the CSV file."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        from ._registers import _sheet_rows

        try:
            from python_calamine import CalamineError, CalamineWorkbook
        except ModuleNotFoundError:
            from ._errors import MissingExtraError

            raise MissingExtraError("Reading spreadsheets", "audit", "python-calamine") from None
        try:
            names = CalamineWorkbook.from_path(str(path)).sheet_names
        except CalamineError as exc:
            msg = f"{path}: not a spreadsheet calamine can read ({type(exc).__name__}: {exc})"
            raise InvalidInputError(msg) from None
        rows: list[tuple[int, list[str]]] = []
        for index in range(len(names)):
            rows += _sheet_rows(path, index)
        return rows
    try:
        text, _encoding = decode(read_bytes(path))
    except InvalidInputError as exc:
        msg = f"{path}: {exc}"
        raise InvalidInputError(msg) from None
    return csv_rows(text)


def _numeric(text: str) -> bool:
    return text.replace(",", "").strip().lstrip("-").isdigit()


def _int(text: str, where: str) -> int:
    try:
        value = int(text.replace(",", "").strip() or "0")
    except ValueError:
        msg = f"{where}: {text!r} is not a whole number"
        raise InvalidInputError(msg) from None
    return value


def read_report(path: str | os.PathLike[str], year: int = 0) -> AnnualReport:
    """
    Read tables 三 and 四 back from a CSV or spreadsheet in the official 2021 layout.

    Raises:
        InvalidInputError: a row with the wrong number of cells, a cell that is not a
            whole number, or a table with rows missing (each named).
    """
    p = as_path(path)
    # Group headers carry no numbers on the form; AnnualReport keeps them as zeros.
    t3: dict[str, list[int]] = {k: [0] * len(COLUMNS) for k, _l, numbers in ROWS if not numbers}
    t4: dict[str, dict[str, int]] = {}
    rows = _grid(p)
    for i, (line, cells) in enumerate(rows):
        cells = [c.strip() for c in cells]
        label = next((c for c in cells if c), "")
        rest = cells[cells.index(label) + 1 :]
        key = _BY_NORM.get(_norm(label))
        if key is not None:
            values = [c for c in rest if c != ""]
            if len(values) != len(COLUMNS):
                msg = f"{p} line {line}: {label} has {len(values)} numbers, the form has {len(COLUMNS)}"
                raise InvalidInputError(msg)
            t3[key] = [_int(v, f"{p} line {line}") for v in values]
        elif label in GROUPS and any(_numeric(c) for c in rest):
            values = [c for c in rest if c != ""]
            if len(values) != len(CELLS):
                msg = (
                    f"{p} line {line}: {label} has {len(values)} numbers, the form has {len(CELLS)}"
                )
                raise InvalidInputError(msg)
            t4[label] = dict(zip(CELLS, [_int(v, f"{p} line {line}") for v in values], strict=True))
        elif [c for c in cells if c] == list(CELLS) * len(GROUPS) and i + 1 < len(rows):
            nline, ncells = rows[i + 1]
            values = [c.strip() for c in ncells if c.strip() != ""]
            if len(values) != len(CELLS) * len(GROUPS):
                msg = f"{p} line {nline}: table 四 has {len(values)} numbers, the form has 15"
                raise InvalidInputError(msg)
            numbers = [_int(v, f"{p} line {nline}") for v in values]
            for g, group in enumerate(GROUPS):
                t4[group] = dict(zip(CELLS, numbers[g * 5 : g * 5 + 5], strict=True))
    missing = [_LABEL_OF[k] for k in _LABEL.values() if k not in t3]
    missing += [g for g in GROUPS if g not in t4]
    if missing:
        msg = f"{p}: rows not found: {missing}; is it a table in the official 2021 layout?"
        raise InvalidInputError(msg)
    return AnnualReport(year, {k: t3[k] for k, _l, _n in ROWS}, t4, (), ())


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

    Args:
        report: The year's tables, or a CSV/.xlsx file in the official 2021 layout (as
            ``infopen report`` writes it).
        previous: Last year's tables or file.

    Raises:
        InvalidInputError: a file that cannot be read as the official tables.

    .. versionadded:: 0.1.0
    """
    rep = _as_report(report, "report")
    t = rep.table3
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
    if previous is not None:
        last = _as_report(previous, "previous").table3
        for c in range(len(COLUMNS)):
            if t["二"][c] != last["四"][c]:
                cells = ((_LABEL_OF["二"], COLUMNS[c], t["二"][c]),
                         ("last year's " + _LABEL_OF["四"], COLUMNS[c], last["四"][c]))  # fmt: skip
                broken.append(
                    BrokenIdentity(
                        f"二 = last year's 四 [{COLUMNS[c]}]", cells, t["二"][c], last["四"][c]
                    )
                )
    return tuple(broken)

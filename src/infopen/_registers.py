"""
Reading the request registers agencies keep: CSV in UTF-8 or GBK/GB18030, .xlsx, .xls,
.xlsb and .ods, with the header row wherever it is.

Agencies keep their registers (政府信息公开申请登记台账) in Excel or WPS and export CSV
from them; Chinese Excel and WPS write CSV in the ANSI code page of Simplified Chinese
Windows (GBK, code page 936) unless "CSV UTF-8" is chosen, and a register usually carries a
title above the table. This module turns any of these into numbered rows of text cells;
:mod:`infopen._audit` reads the rows.

References:
    * GB 18030-2022 (信息技术 中文编码字符集): GB18030 is a superset of GBK and GB2312, so
      one decoder reads all three.
    * python-calamine (https://pypi.org/project/python-calamine/): bindings to the Rust
      calamine reader of .xlsx, .xlsm, .xls, .xlsb and .ods files.

Limitations:
    * Encoding detection tries a byte-order mark, then strict UTF-8, then strict GB18030:
      a statistical detector (charset-normalizer) guesses between many code pages and can
      take a short Chinese file for Big5 or a Western code page, while GBK exports fail
      strict UTF-8 decoding almost always. A file in another encoding (Big5) needs
      ``encoding=``.
    * In a spreadsheet a short row cannot be told from a row with empty trailing cells:
      only extra cells (past the header) are reported there.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from ._errors import InvalidFileError, InvalidInputError, MissingExtraError

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "Register",
    "check_encoding",
    "csv_rows",
    "decode",
    "find_header",
    "read_register",
]

#: File name endings read as spreadsheets (python-calamine); everything else is CSV.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")

#: How many rows above the header (titles, notes) are searched before giving up.
_HEADER_SEARCH_ROWS = 30

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


@attrs.frozen
class Register:
    """
    A register read into text cells.

    Attributes:
        header: The header row's cells, stripped.
        header_line: The header's line (CSV) or row number (spreadsheet), counting from 1.
        rows: ``(line, cells)`` for every non-empty row below the header, in file order.
        encoding: The encoding a CSV file was read in (``None`` for a spreadsheet).
        source: The file name, or ``"<rows>"``.
    """

    header: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str | None
    source: str


def check_encoding(encoding: str) -> str:
    """
    ``encoding`` when it names a text codec; a codec such as base64 or zlib (bytes to
    bytes) or an unknown name is refused.

    Raises:
        InvalidInputError: naming the encodings to use.
    """
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        msg = f"unknown text encoding {encoding!r:.40}; use e.g. utf-8, gbk, gb18030 or big5"
        raise InvalidInputError(msg)
    return info.name


def _mixed_lines(data: bytes) -> list[int]:
    """Lines of a GB18030-decoded file that are UTF-8 with Chinese text (a mixed file)."""
    out = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        # Chinese text in UTF-8: GBK bytes that happen to be valid UTF-8 rarely spell ideographs.
        if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= 2:
            out.append(number)
    return out


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """
    The text of a CSV file and the encoding it was read in.

    Without ``encoding``: a byte-order mark decides, else strict UTF-8, else strict GB18030
    (which covers GBK and GB2312, the encodings Chinese Excel and WPS export in).

    Raises:
        InvalidInputError: when ``encoding`` is unknown or does not decode the file, or when
            neither UTF-8 nor GB18030 does (the message asks for ``--encoding``).
    """
    if encoding is not None:
        name = check_encoding(encoding)
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a BOM: not a cell
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            msg = f"the file is not in {encoding} (byte {exc.start}: {exc.reason}); try another --encoding"
            raise InvalidInputError(msg) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                label = "UTF-8" if name == "utf-8-sig" else "UTF-16"
                msg = (
                    f"the file starts with a {label} byte-order mark but is not {label} "
                    f"(byte {exc.start + len(bom)}: {exc.reason}); it may be GBK saved with a "
                    f"wrong mark: save it again as CSV UTF-8, or name its encoding with --encoding"
                )
                raise InvalidInputError(msg) from None
    text = _decoded(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    text = _decoded(data, "gb18030")
    mixed = _mixed_lines(data)
    if mixed:
        shown = ", ".join(str(n) for n in mixed[:10])
        what = "is GBK but" if text is not None else "mixes encodings:"
        msg = (
            f"the file {what} line(s) {shown} are UTF-8: read as one encoding it would be "
            f"garbled; save the whole file again in one encoding (CSV UTF-8)"
        )
        raise InvalidInputError(msg)
    if text is not None:
        return text, "gb18030"
    msg = "the file is neither UTF-8 nor GBK/GB18030; name its encoding with --encoding (e.g. big5)"
    raise InvalidInputError(msg)


def _decoded(data: bytes, encoding: str) -> str | None:
    """``data`` in ``encoding``, or None when it is not in it (the caller tries the next)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees (dates as ISO dates, 20.0 as 20)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(
    rows: Iterable[tuple[int, list[str]]], names: Iterable[str]
) -> tuple[int, tuple[str, ...], list[tuple[int, list[str]]]]:
    """
    The header row (the first whose cells include one of ``names``) and the rows below it.

    Raises:
        InvalidInputError: when none of the first 30 non-empty rows has such a cell.
    """
    wanted = {n.strip() for n in names}
    it = iter(rows)
    for seen, (line, cells) in enumerate(it, 1):
        stripped = [c.strip() for c in cells]
        if wanted & set(stripped):
            return line, tuple(stripped), list(it)
        if seen >= _HEADER_SEARCH_ROWS:
            break
    msg = (
        f"no header row with a receipt-date column in the first {_HEADER_SEARCH_ROWS} rows; "
        f"expected a cell reading one of {sorted(wanted)}, or a column mapping for 'received'"
    )
    raise InvalidInputError(msg)


def csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty CSV records with the line each starts on (quoted newlines kept)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                out.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:  # a cell over the csv module's 128 KiB, a NUL (#13)
        raise InvalidFileError(f"not CSV ({exc})", line=start) from None
    return out


def _sheet_rows(path: Path, sheet: str | int | None) -> list[tuple[int, list[str]]]:
    """A sheet's non-empty rows with their row numbers, cells as text."""
    try:
        from python_calamine import CalamineError, CalamineWorkbook
    except ModuleNotFoundError:
        raise MissingExtraError("Reading spreadsheets", "audit", "python-calamine") from None
    try:
        book = CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        msg = f"{path}: not a spreadsheet calamine can read ({type(exc).__name__}: {exc})"
        raise InvalidInputError(msg) from None
    names = list(book.sheet_names)
    if isinstance(sheet, int) and not 0 <= sheet < len(names):
        msg = f"{path}: no sheet {sheet} (numbered from 0); its sheets are {names}"
        raise InvalidInputError(msg)
    try:
        if sheet is None or isinstance(sheet, int):
            found = book.get_sheet_by_index(sheet or 0)
        else:
            found = book.get_sheet_by_name(sheet)
        data = found.to_python(skip_empty_area=False)
    except (CalamineError, IndexError, ValueError, OverflowError) as exc:
        msg = f"{path}: no sheet {sheet!r} ({exc}); its sheets are {names}"
        raise InvalidInputError(msg) from None
    out = []
    for number, values in enumerate(data, 1):
        cells = [_cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append((number, cells))
    return out


def read_register(
    path: str | os.PathLike[str],
    header_names: Iterable[str],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Register:
    """
    Read a register file: the header row (found by one of ``header_names``) and every
    non-empty row below it, numbered as the file numbers them.

    Args:
        path: A .csv (or any text) file, or a spreadsheet ending in one of
            :data:`SPREADSHEET_SUFFIXES`.
        header_names: Cells that mark the header row (the receipt-date headers).
        encoding: A CSV file's encoding; detected when ``None`` (see :func:`decode`).
        sheet: A spreadsheet's sheet, by name or index (default: the first).

    Raises:
        InvalidInputError: an unreadable file, an undecodable CSV or no header row.
        MissingExtraError: a spreadsheet without ``infopen[audit]``.
        OSError: when the file cannot be opened.
    """
    p = Path(path)
    if p.suffix.lower() in SPREADSHEET_SUFFIXES:
        raw = _sheet_rows(p, sheet)
        used = None
    else:
        try:
            text, used = decode(p.read_bytes(), encoding)
        except InvalidInputError as exc:
            msg = f"{p}: {exc}"
            raise InvalidInputError(msg) from None
        try:
            raw = csv_rows(text)
        except InvalidFileError as exc:
            raise InvalidFileError(exc.message, path=p, line=exc.line) from None
    try:
        line, header, below = find_header(raw, header_names)
    except InvalidInputError as exc:
        msg = f"{p}: {exc}"
        raise InvalidInputError(msg) from None
    return Register(header, line, tuple((n, tuple(c)) for n, c in below), used, str(p))

"""
The tables of a saved web page, as grids of text, with ``rowspan``/``colspan`` expanded.

Governments publish their annual reports as web pages; tables 三 and 四 of the official form
use merged cells. Each ``<table>`` becomes a list of rows; a cell spanning rows or columns
is repeated in every position it covers, so each row has the cells the eye sees in it.
Stdlib :mod:`html.parser` only: no extra is needed.
"""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["html_tables"]

_MAX_SPAN = 1000  # a damaged page's rowspan="99999" must not allocate a million cells


def _span(value: str | None) -> int:
    try:
        return max(1, min(_MAX_SPAN, int((value or "1").strip() or "1")))
    except ValueError:
        return 1


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.stack: list[dict[str, object]] = []  # open tables (nested tables are their own)
        self.cell: list[str] | None = None
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.stack.append({"rows": [], "row": None, "pending": {}})
        elif not self.stack:
            return
        elif tag == "tr":
            self._end_row()
            self.stack[-1]["row"] = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self.stack[-1]["row"] is None:
                self.stack[-1]["row"] = []
            self.cell, self.attrs = [], dict(attrs)
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            self._end_row()
            table = self.stack.pop()
            self.tables.append(table["rows"])  # type: ignore[arg-type]  # built here

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def _end_cell(self) -> None:
        if self.cell is None or not self.stack:
            return
        table = self.stack[-1]
        row: list[tuple[str, int, int]] = table["row"]  # type: ignore[assignment]  # built here
        text = " ".join("".join(self.cell).split())
        row.append((text, _span(self.attrs.get("rowspan")), _span(self.attrs.get("colspan"))))
        self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        table = self.stack[-1] if self.stack else None
        if table is None or table["row"] is None:
            return
        cells: list[tuple[str, int, int]] = table["row"]  # type: ignore[assignment]  # built here
        pending: dict[int, tuple[str, int]] = table["pending"]  # type: ignore[assignment]
        rows: list[list[str]] = table["rows"]  # type: ignore[assignment]  # built here
        out: list[str] = []
        col = 0
        queue = list(cells)
        while queue or any(c >= col for c in pending):
            if col in pending:  # a cell from a row above spans into this one
                text, left = pending[col]
                out.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                else:
                    del pending[col]
                col += 1
                continue
            if not queue:
                out.append("")
                col += 1
                continue
            text, rowspan, colspan = queue.pop(0)
            for _ in range(colspan):
                if rowspan > 1:
                    pending[col] = (text, rowspan - 1)
                out.append(text)
                col += 1
        rows.append(out)
        table["row"] = None


def html_tables(text: str) -> list[list[list[str]]]:
    """Every table of the page, in document order, as rows of cell texts (spans expanded)."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    while parser.stack:  # an unclosed table at the end of a damaged page
        parser._end_row()
        parser.tables.append(parser.stack.pop()["rows"])  # type: ignore[arg-type]
    return parser.tables

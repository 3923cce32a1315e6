"""
Writes the register fixtures the audit tests read (run it to rebuild them):

* ``register_title.xlsx``: a title and a note above the header, dates as Excel date cells
  and as text, one row with a cell past the header.
* ``register_gbk.csv``: the same kind of register exported from Chinese Excel/WPS in GBK.
* ``register_broken.csv``: UTF-8 with a BOM; a truncated row, a row with an extra cell and
  a mistyped future date.
* ``register_wps.xls``: the old binary format WPS and Excel 97-2003 save, with a title
  row and a date cell (written with xlwt, which only this script needs:
  ``pip install xlwt``; the tests read it with python-calamine).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).parent
HEADER = ["编号", "收到日期", "申请方式", "答复日期", "答复结果"]


def main() -> None:
    """Write the three fixtures beside this file."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["某县人民政府办公室2026年政府信息公开申请登记台账"])  # row 1: the title
    ws.merge_cells("A1:E1")
    ws.append(["填报单位：县政府办公室", None, None, "填报日期：2026年12月1日"])  # row 2
    ws.append([])  # row 3: empty
    ws.append(HEADER)  # row 4: the header
    ws.append(["X1", dt.datetime(2026, 9, 28), "当面", dt.datetime(2026, 10, 30), "予以公开"])
    ws.append(["X2", "2026年9月28日", "网上", dt.datetime(2026, 11, 2), "予以公开"])  # row 6
    ws.append(["X3", dt.datetime(2026, 9, 28), "当面", None, None, "备注：催办"])  # row 7
    ws.append(["X4", dt.datetime(2026, 11, 16), "邮寄", None, None])  # row 8: open, not due
    wb.save(HERE / "register_title.xlsx")

    gbk = [
        "政府信息公开申请登记表（2026年）,,,,",
        ",".join(HEADER),
        "G1,2026/9/28,当面,2026/10/30,予以公开",
        "G2,2026/9/28,信函,2026/11/2,信息不存在",
        "G3,2026/10/9,网上,,",
    ]
    (HERE / "register_gbk.csv").write_bytes(("\r\n".join(gbk) + "\r\n").encode("gbk"))

    broken = [
        ",".join(HEADER),
        "B1,2026-09-28,当面,2026-10-30,予以公开",  # line 2: fine
        "B2,2026-09-28,当面",  # line 3: truncated, 3 of 5 cells
        "B3,2026-09-28,当面,2026-10-30,予以公开,多余",  # line 4: an extra cell
        "B4,2026-09-28,当面,2062-10-30,予以公开",  # line 5: a mistyped future date
        "B5,2026-10-09,当面,,",  # line 6: open and overdue on 2026-12-01
    ]
    (HERE / "register_broken.csv").write_bytes(
        b"\xef\xbb\xbf" + ("\r\n".join(broken) + "\r\n").encode("utf-8")
    )


def write_xls() -> None:
    """Write ``register_wps.xls`` (needs xlwt)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("登记台账")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(0, 0, "2026年政府信息公开申请登记台账")
    for c, name in enumerate(HEADER):
        sheet.write(2, c, name)  # row 3: the header, below a title and an empty row
    sheet.write(3, 0, "W1")
    sheet.write(3, 1, dt.date(2026, 9, 28), dates)
    sheet.write(3, 2, "网上")
    sheet.write(3, 3, dt.date(2026, 11, 2), dates)
    sheet.write(3, 4, "予以公开")
    for c, value in enumerate(["W2", "2026/9/28", "当面", "2026/10/30", "信息不存在"]):
        sheet.write(4, c, value)
    book.save(str(HERE / "register_wps.xls"))


if __name__ == "__main__":
    main()
    write_xls()

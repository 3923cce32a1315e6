"""
Writes the register fixtures the audit tests read (run it to rebuild them):

* ``register_title.xlsx``: a title and a note above the header, dates as Excel date cells
  and as text, one row with a cell past the header.
* ``register_gbk.csv``: the same kind of register exported from Chinese Excel/WPS in GBK.
* ``register_broken.csv``: UTF-8 with a BOM; a truncated row, a row with an extra cell and
  a mistyped future date.
* ``register_office.xlsx``: an office's workbook as it is kept (#20): the wording of the
  office (网上申请, 电子邮件, 法人或其他组织, 涉及个人隐私, 已答复, 办结, the official
  abandonment label), answer dates as date-time cells and as Excel serial numbers, a
  repeated 编号, a signature and a note below the table, and two real errors (a month 13,
  an answer before the receipt).
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


#: register_office.xlsx: (编号, 收到, 申请人类型, 申请方式, 补正告知, 补正收到, 答复, 答复结果,
#: 不予公开理由). Dates are date cells unless text; "S:" marks an Excel serial number typed as
#: a plain number; "T:" a date-time cell.
OFFICE_HEADER = ["序号", "编号", "收到申请日期", "申请人类型", "申请方式", "补正告知日期",
                 "补正收到日期", "答复日期", "答复结果", "不予公开理由"]  # fmt: skip
OFFICE_ROWS: list[tuple[object, ...]] = [
    ("Q01", dt.date(2026, 9, 1), "自然人", "网上申请", None, None, dt.date(2026, 9, 20), "予以公开", None),
    ("Q02", dt.date(2026, 9, 1), "法人或其他组织", "电子邮件", None, None, "T:2026-09-25 15:30:00", "已答复", None),
    ("Q03", dt.date(2026, 9, 2), "自然人", "信函", None, None, "S:46293", "办结", None),
    ("Q04", dt.date(2026, 9, 3), "商业企业", "当面", None, None, dt.date(2026, 9, 28), "部分公开", "涉及个人隐私"),
    ("Q05", dt.date(2026, 9, 3), "自然人", "网上申请", dt.date(2026, 9, 8), None, dt.date(2026, 10, 9),
     "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", None),
    ("Q06", dt.date(2026, 9, 4), "自然人", "网上申请", dt.date(2026, 9, 9), dt.date(2026, 9, 15),
     dt.date(2026, 10, 13), "已答复", None),
    ("Q07", dt.date(2026, 9, 7), "法律服务机构", "邮寄", None, None, dt.date(2026, 9, 30), "信息不存在", None),
    ("Q08", dt.date(2026, 9, 7), "自然人", "传真", None, None, dt.date(2026, 10, 12), "非本机关", None),
    ("Q09", dt.date(2026, 9, 8), "自然人", "网上申请", None, None, dt.date(2026, 9, 10), "申请人撤回", None),
    ("Q10", dt.date(2026, 9, 8), "科研机构", "网上申请", None, None, dt.date(2026, 10, 16), "不予公开", "国家秘密"),
    ("Q11", "2026-13-05", "自然人", "当面", None, None, dt.date(2026, 10, 20), "予以公开", None),  # real error
    ("Q12", dt.date(2026, 9, 10), "自然人", "网上申请", None, None, dt.date(2026, 9, 9), "予以公开", None),  # real error
    ("Q13", dt.date(2026, 9, 10), "法人或其他组织", "电子邮件", None, None, "T:2026-10-09 09:00:00", "已公开", None),
    ("Q14", dt.date(2026, 9, 11), "自然人", "网上申请", None, None, "S:46304", "予以公开", None),
    ("Q15", dt.date(2026, 9, 14), "自然人", "当面", None, None, dt.date(2026, 10, 10), "办结", None),
    ("Q16", dt.date(2026, 9, 15), "自然人", "微信公众号", None, None, dt.date(2026, 10, 14), "予以公开", None),
    ("Q17", dt.date(2026, 9, 15), "自然人", "网上申请", None, None, None, None, None),
    ("Q18", dt.date(2026, 9, 16), "自然人", "网上申请", None, None, dt.date(2026, 10, 30), "予以公开", None),
    ("Q19", dt.date(2026, 9, 17), "公益组织", "网上申请", None, None, dt.date(2026, 10, 15), "已答复", None),
    ("Q20", dt.date(2026, 9, 18), "自然人", "当面", None, None, dt.date(2026, 10, 16), "部分公开", "过程性信息"),
    ("Q21", dt.date(2026, 9, 21), "自然人", "网上申请", None, None, dt.date(2026, 10, 19), "予以公开", None),
    ("Q22", dt.date(2026, 9, 22), "自然人", "网上申请", None, None, dt.date(2026, 10, 20), "予以公开", None),
    ("Q23", dt.date(2026, 9, 23), "企业", "电子邮件", None, None, dt.date(2026, 10, 21), "已答复", None),
    ("Q24", dt.date(2026, 9, 24), "自然人", "网上申请", None, None, dt.date(2026, 10, 22), "予以公开", None),
    ("Q25", dt.date(2026, 9, 25), "自然人", "网上申请", None, None, dt.date(2026, 10, 23), "予以公开", None),
    ("Q26", dt.date(2026, 9, 28), "自然人", "网上申请", None, None, dt.date(2026, 10, 26), "予以公开", None),
    ("Q27", dt.date(2026, 9, 28), "自然人", "当面", None, None, dt.date(2026, 10, 27), "予以公开", None),
    ("Q28", dt.date(2026, 9, 29), "自然人", "网上申请", None, None, dt.date(2026, 10, 28), "予以公开", None),
    ("Q29", dt.date(2026, 9, 30), "自然人", "网上申请", None, None, dt.date(2026, 10, 29), "予以公开", None),
    ("Q30", dt.date(2026, 9, 30), "自然人", "网上申请", None, None, dt.date(2026, 10, 30), "予以公开", None),
    ("Q21", dt.date(2026, 9, 21), "自然人", "网上申请", None, None, dt.date(2026, 10, 19), "予以公开", None),  # repeated
]  # fmt: skip


def write_office() -> None:
    """Write ``register_office.xlsx``: an office's own workbook, read by the audit as it is."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "2026年台账"
    ws.append(["某县人民政府办公室政府信息公开申请登记台账（2026年）"])
    ws.append(OFFICE_HEADER)  # row 2
    for n, row in enumerate(OFFICE_ROWS, 1):
        cells: list[object] = [n]
        for value in row:
            if isinstance(value, str) and value.startswith("S:"):
                cells.append(int(value[2:]))  # a serial number in a general-format cell
            elif isinstance(value, str) and value.startswith("T:"):
                cells.append(dt.datetime.fromisoformat(value[2:]))
            else:
                cells.append(value)
        ws.append(cells)
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, dt.datetime) and cell.value.time() != dt.time():
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(["填表人：张三", None, None, "审核人：李四"])
    ws.append(["注：本表据收文登记簿填写，答复日期以送达回证为准。"])
    wb.save(HERE / "register_office.xlsx")


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
    write_office()
    write_xls()

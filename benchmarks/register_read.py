"""
Reading a register spreadsheet: python-calamine (what the audit uses) against openpyxl in
read-only mode (the obvious alternative, already the ``report`` extra), on the same .xlsx
of ROWS rows. Prints both times and their ratio.

Run: ``python benchmarks/register_read.py [ROWS]`` (default 50,000).
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from openpyxl import Workbook, load_workbook  # noqa: E402

from infopen._registers import read_register  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("台账")
        ws.append(["某局政府信息公开申请登记台账"])
        ws.append(["编号", "收到日期", "申请方式", "答复日期", "答复结果"])
        day = dt.datetime(2025, 1, 2)
        for i in range(ROWS):
            received = day + dt.timedelta(days=i % 300)
            ws.append([f"R{i}", received, "网上", received + dt.timedelta(days=25), "予以公开"])
        wb.save(path)

        t0 = time.perf_counter()
        reg = read_register(path, ["收到日期"])
        calamine = time.perf_counter() - t0

        t0 = time.perf_counter()
        book = load_workbook(path, read_only=True)
        rows = [[("" if v is None else str(v)) for v in row]
                for row in book.worksheets[0].iter_rows(values_only=True)]  # fmt: skip
        openpyxl = time.perf_counter() - t0
        assert len(rows) == len(reg.rows) + 2
    print(
        f"{ROWS:,} rows: python-calamine {calamine:.2f} s (header found, cells as text), "
        f"openpyxl read-only {openpyxl:.2f} s (cells only); openpyxl/calamine = {openpyxl / calamine:.1f}x"
    )


if __name__ == "__main__":
    main()

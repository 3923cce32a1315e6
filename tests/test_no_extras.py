"""The core works with every optional package blocked (STYLE.md 7)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ["typer", "rich", "numpy", "jinja2", "docx", "openpyxl", "simpy", "matplotlib",
           "sqlalchemy", "psycopg", "icalendar", "dask", "python_calamine"]  # fmt: skip

SCRIPT = textwrap.dedent(
    f"""
    import importlib.abc, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {BLOCKED!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    import datetime as dt
    import infopen
    r = infopen.Request.receive(dt.date(2026, 9, 28))
    r.consult_third_party(dt.date(2026, 10, 9))
    r.third_party_replied(dt.date(2026, 10, 20))
    r.decide(dt.date(2026, 11, 6), infopen.Outcome.DISCLOSED)
    assert r.status(dt.date(2026, 11, 6)).due_date == dt.date(2026, 11, 11)
    assert infopen.Request.from_dict(r.to_dict()) == r
    assert [d.name for d in r.deadlines(dt.date(2026, 11, 6))][0] == "reply"
    cal = infopen.national_calendar()
    try:
        import numpy
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit("numpy was not blocked")
    try:
        cal._arrays()
    except infopen.MissingExtraError as exc:
        assert 'infopen[fast]' in str(exc), exc
    else:
        raise SystemExit("numpy use did not name the extra")
    import pathlib, tempfile
    with tempfile.TemporaryDirectory() as folder:
        log = pathlib.Path(folder) / "log.csv"
        log.write_bytes("编号,收到日期\\nA,2026-09-28\\n".encode("gbk"))
        assert infopen.audit(log, as_of=dt.date(2026, 12, 1)).rows[0].request_id == "A"
        try:
            infopen.audit(pathlib.Path(folder) / "log.xlsx")
        except infopen.MissingExtraError as exc:
            assert 'infopen[audit]' in str(exc), exc
        else:
            raise SystemExit("a spreadsheet without python-calamine did not name the extra")
    print("ok")
    """
)


def test_core_lifecycle_without_optional_packages() -> None:
    """import infopen and a full lifecycle run with the optional packages unavailable."""
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"

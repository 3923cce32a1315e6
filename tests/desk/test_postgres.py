"""
The desk on PostgreSQL (any ``EventStore`` URL): the desk's own tables beside the store's,
a request registered and worked, the 台账 paged and exported, and a stale form refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from infopen import Agency
from tests.store.pgcluster import throwaway_cluster

from .conftest import PASSWORD

testclient = pytest.importorskip("starlette.testclient")
pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if os.environ.get("INFOPEN_SKIP_POSTGRES") == "1":
        pytest.skip("INFOPEN_SKIP_POSTGRES=1")
    with throwaway_cluster() as url:
        yield url


def _csrf(client: Any, path: str = "/") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def test_the_desk_on_postgresql(pg_url: str) -> None:
    import datetime as dt

    from infopen._desk import create_app

    app = create_app(pg_url, agency=Agency(name="某局"), today=lambda: dt.date(2026, 12, 15))
    app.state.desk.accounts.create_user("wang", PASSWORD)
    client = testclient.TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    login = {"csrf": token.group(1), "username": "wang", "password": PASSWORD}
    assert client.post("/login", data=login).status_code == 303
    csrf = _csrf(client)
    for i in range(1, 4):
        response = client.post("/new", data={
            "csrf": csrf, "number": f"2026-000{i}", "received_on": f"2026-11-0{i + 1}",
            "channel": "IN_PERSON", "applicant_type": "NATURAL_PERSON", "name": "张三",
            "subject": "某项目的批复文件",
        })  # fmt: skip
        assert response.status_code == 303, response.text
    extend = {"csrf": csrf, "id": "2026-0001", "kind": "extend", "version": "1",
              "on": "2026-11-20", "workdays": "20"}  # fmt: skip
    assert client.post("/request/event", data=extend).status_code == 303
    stale = client.post("/request/event", data=extend)
    assert stale.status_code == 409
    assert "其他人已更新" in stale.text
    ledger = client.get("/?q=2026-000")
    assert ledger.status_code == 200
    assert ledger.text.count("/request?id=2026-000") == 3
    assert client.get("/ledger.xlsx").status_code == 200
    assert client.get("/report?year=2026").status_code == 200
    page = client.get("/request?id=2026-0001").text
    assert "延长答复期限" in page
    assert page.count("wang") >= 2  # who recorded each event
    app.state.desk.store.close()

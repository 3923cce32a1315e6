"""The example host: HTTP calls through infopen and the SQLite event store."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.host.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(f"sqlite:///{tmp_path / 'host.db'}"))


def _receive(client: TestClient, rid: str = "h1") -> None:
    res = client.post("/requests", json={"received_on": "2026-09-28", "request_id": rid,
                                         "applicant": {"name": "赵六", "phone": "13700000000"}})  # fmt: skip
    assert res.status_code == 201, res.text


def test_receive_fire_and_explain(client: TestClient) -> None:
    """A request is received, consulted and answered over HTTP; its deadline explains itself."""
    _receive(client)
    for event in ({"type": "consult_third_party", "on": "2026-10-09"},
                  {"type": "third_party_replied", "on": "2026-10-20", "consents": False}):  # fmt: skip
        assert client.post("/requests/h1/events", json=event).status_code == 200
    text = client.get("/requests/h1/deadline", params={"as_of": "2026-10-21"}).text
    assert text.startswith("答复期限（截至 2026-10-21）：2026-11-11")
    # The third party objected: disclosing anyway needs the public-interest reason (art 32).
    decide = {"type": "decide", "on": "2026-11-06", "outcome": "DISCLOSED"}
    assert client.post("/requests/h1/events", json=decide).status_code == 409
    res = client.post("/requests/h1/events", json={**decide, "public_interest": "涉及公共安全"})
    assert res.json()["state"] == "answered"


def test_impossible_and_bad_events(client: TestClient) -> None:
    """An impossible event is 409 with the reason; malformed input is 422; unknown requests 404."""
    _receive(client)
    res = client.post("/requests/h1/events", json={"type": "fee_paid", "on": "2026-10-09"})
    assert res.status_code == 409
    assert "fee_paid cannot happen" in res.json()["detail"]
    assert (
        client.post("/requests/h1/events", json={"type": "reopen", "on": "2026-10-09"}).status_code
        == 422
    )
    assert (
        client.post("/requests/h1/events", json={"type": "extend", "on": "2026-10-09"}).status_code
        == 422
    )
    assert (
        client.post(
            "/requests/none/events", json={"type": "withdraw", "on": "2026-10-09"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/requests", json={"received_on": "2026-09-28", "channel": "PIGEON"}
        ).status_code
        == 422
    )


def test_due_this_week(client: TestClient) -> None:
    """GET /due lists open requests due within N working days, paused ones recomputed."""
    _receive(client, "a")
    _receive(client, "b")
    client.post("/requests/b/events", json={"type": "consult_third_party", "on": "2026-10-09"})
    res = client.get("/due", params={"as_of": "2026-10-26", "within": 5}).json()
    assert [r["request_id"] for r in res["requests"]] == ["a"]
    assert res["requests"][0]["due_date"] == "2026-10-30"


def test_notice_uses_identity_but_logs_never_show_it(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """The notice is addressed to the applicant; the identity never reaches the logs."""
    caplog.set_level(logging.DEBUG)
    _receive(client)
    client.post(
        "/requests/h1/events",
        json={"type": "request_correction", "on": "2026-10-09", "reply_by": "2026-10-23"},
    )
    res = client.get("/requests/h1/notice")
    assert res.status_code == 200
    assert "赵六：" in res.text
    assert "补正告知书" in res.text
    html = client.get("/requests/h1/notice", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert client.get("/requests/h1/notice", params={"event": 9}).status_code == 404
    assert "赵六" not in caplog.text
    assert "13700000000" not in caplog.text


def test_concurrent_writers_get_409(client: TestClient, tmp_path: Path) -> None:
    """When two writers race, the store's version check turns the loser into a 409."""
    from infopen import EventStore

    _receive(client)
    other = EventStore(f"sqlite:///{tmp_path / 'host.db'}")
    stale = other.load("h1")
    assert (
        client.post(
            "/requests/h1/events", json={"type": "consult_agency", "on": "2026-10-09"}
        ).status_code
        == 200
    )
    stale.withdraw(stale.events[-1].on)
    with pytest.raises(Exception, match="another writer"):
        other.save(stale)


def test_duplicate_request_id_is_409_exists(client: TestClient) -> None:
    """Another request under a stored id is 409 'exists'; the same creation retried is 201."""
    _receive(client)
    res = client.post("/requests", json={"received_on": "2026-09-29", "request_id": "h1"})
    assert res.status_code == 409
    assert res.json()["detail"] == "request h1 exists"
    again = client.post("/requests", json={"received_on": "2026-09-28", "request_id": "h1"})
    assert again.status_code == 201  # a retried creation: nothing new is written
    assert again.json()["version"] == 1


def test_retried_posts_with_one_event_id_record_one_event(tmp_path: Path) -> None:
    """Ten identical concurrent POSTs (one event_id) record one extension; each answers 200."""
    import threading

    app = create_app(str(tmp_path / "host.db"))  # a plain path, as INFOPEN_DB=host.db gives
    clients = [TestClient(app) for _ in range(10)]
    _receive(clients[0])
    event = {"type": "extend", "on": "2026-10-20", "workdays": 10, "event_id": "9b2f-extend"}
    barrier = threading.Barrier(10)
    answers: list[dict[str, object]] = []

    def post(c: TestClient) -> None:
        barrier.wait()
        res = c.post("/requests/h1/events", json=event)
        assert res.status_code == 200, res.text
        answers.append(res.json())

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a["recorded"] for a in answers) == [False] * 9 + [True]  # type: ignore[type-var]
    shown = clients[0].get("/requests/h1", params={"as_of": "2026-10-21"}).json()
    assert [e["type"] for e in shown["events"]] == ["receive", "extend"]
    assert shown["due_date"] == "2026-11-13"
    again = clients[0].post("/requests/h1/events", json=event).json()
    assert again["recorded"] is False
    assert again["version"] == 2


def test_rebuild_beside_the_service_leaves_lists_right(client: TestClient, tmp_path: Path) -> None:
    """Answering requests over HTTP while the store rebuilds leaves none of them on /due."""
    import threading

    from infopen import EventStore

    for i in range(40):
        _receive(client, f"r{i:02d}")
    rebuilder = EventStore(tmp_path / "host.db")
    stop = threading.Event()

    def rebuild() -> None:
        while not stop.is_set():
            rebuilder.rebuild_projections(batch=7)

    t = threading.Thread(target=rebuild)
    t.start()
    for i in range(40):
        res = client.post(f"/requests/r{i:02d}/events",
                          json={"type": "decide", "on": "2026-10-09", "outcome": "DISCLOSED"})  # fmt: skip
        assert res.status_code == 200
    stop.set()
    t.join()
    due = client.get("/due", params={"as_of": "2026-10-12", "within": 30}).json()
    assert due["requests"] == []
    assert due["overdue"] == []
    rebuilder.close()


def test_today_and_later_never_fail_and_flag_estimates(client: TestClient) -> None:
    """A request received 2026-12-01 or later is served; its dates in 2027 say they are estimated."""
    for rid, day in (("today", "2026-12-01"), ("later", "2027-06-01")):
        res = client.post("/requests", json={"received_on": day, "request_id": rid})
        assert res.status_code == 201, res.text
    today = client.get("/requests/today", params={"as_of": "2026-12-01"}).json()
    assert today["due_date"] == "2026-12-29"
    assert today["due_date_estimated"] is False
    later = client.post(
        "/requests/later/events", json={"type": "extend", "on": "2027-06-10", "workdays": 20}
    )
    assert later.status_code == 200, later.text
    assert later.json()["due_date_estimated"] is True
    due = client.get("/due", params={"as_of": "2027-06-25", "within": 40}).json()
    assert [(r["request_id"], r["due_date_estimated"]) for r in due["requests"]] == [
        ("later", True)
    ]
    assert [r["request_id"] for r in due["overdue"]] == ["today"]
    text = client.get("/requests/later/deadline", params={"as_of": "2027-06-11"})
    assert text.status_code == 200

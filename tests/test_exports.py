"""Exports and imports: JSON Lines and CSV round trips, malformed rows, iCalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from infopen import (
    Applicant,
    Ground,
    Outcome,
    Request,
    national_calendar,
    read_csv,
    read_jsonl,
    to_csv,
    to_ical,
    to_jsonl,
)

D = dt.date


def _requests() -> list[Request]:
    a = Request.receive(D(2026, 9, 28), request_id="a", applicant=Applicant(name="李四"))
    a.consult_third_party(D(2026, 10, 9))
    a.third_party_replied(D(2026, 10, 20), consents=False)
    a.decide(D(2026, 11, 6), Outcome.REFUSED, grounds=[Ground.THIRD_PARTY])
    b = Request.receive(D(2026, 10, 12), request_id="b")
    b.request_correction(D(2026, 10, 14), reply_by=D(2026, 10, 30))
    return [a, b]


def test_jsonl_round_trip_without_identity() -> None:
    """JSON Lines export and import give equal requests; identity only when asked for."""
    reqs = _requests()
    text = to_jsonl(reqs)
    assert "李四" not in text
    assert "李四" in to_jsonl(reqs, include_identity=True)
    back = read_jsonl(text)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in reqs]


def test_csv_round_trip() -> None:
    """The per-event CSV export imports back to equal requests."""
    reqs = _requests()
    text = to_csv(reqs)
    assert text.splitlines()[0] == (
        "request_id,rules,seq,type,on,params,event_id,recorded_at,actor,note,meta"
    )
    assert read_csv(text) == [Request.replay(r.events, request_id=r.request_id) for r in reqs]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda rows: rows.__setitem__(2, rows[2].replace("2026-10-09", "2026-10-40")), "line 3: request a: event 2"),
        (lambda rows: rows.__setitem__(3, rows[3].replace(',3,', ',4,')), "line 4: field seq"),
        (lambda rows: rows.__setitem__(6, rows[6].replace("PRC_2019", "PRC_2008")), "line 7: field rules"),
        (lambda rows: rows.__setitem__(1, "a,PRC_2019,1,receive,2026-09-28,not-json,,,,,"), "line 2: field params"),
        (lambda rows: rows.__setitem__(0, "id,rules,seq,type,on,params"), "line 1: the header"),
    ],
)  # fmt: skip
def test_malformed_csv_names_line_and_field(edit: object, message: str) -> None:
    """A malformed row raises naming its line and field; nothing is returned."""
    rows = to_csv(_requests()).splitlines()
    edit(rows)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        read_csv("\n".join(rows) + "\n")


def test_malformed_jsonl_names_line() -> None:
    """A bad JSON line is named; nothing is half-imported."""
    good = to_jsonl(_requests()).splitlines()
    with pytest.raises(ValueError, match="line 2: not JSON"):
        read_jsonl(good[0] + "\n{oops\n")
    bad = good[1].replace('"request_correction"', '"reopen"')
    with pytest.raises(ValueError, match=r"line 2: event 2 .*unknown event type"):
        read_jsonl(good[0] + "\n" + bad + "\n")


def test_ical_lists_running_deadlines() -> None:
    """The .ics holds one all-day event per running deadline, with its article."""
    from icalendar import Calendar

    cal = Calendar.from_ical(to_ical(_requests(), as_of=D(2026, 10, 15)))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert events["b-correction_reply@infopen"].decoded("dtstart") == D(2026, 10, 30)
    # a's reply clock is paused: its entry shows the due date if the pause ended that day.
    assert events["a-reply@infopen"].decoded("dtstart") == D(2026, 11, 6)
    third = events["a-third_party@infopen"]
    assert third.decoded("dtstart") == D(2026, 10, 29)
    assert "条例第三十二条" in str(third["description"])


def _ics_events(requests: list[Request], as_of: dt.date) -> dict[str, Any]:
    from icalendar import Calendar

    cal = Calendar.from_ical(to_ical(requests, as_of=as_of))
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_ical_uid_is_stable_while_the_date_moves() -> None:
    """One UID per request and clock; SEQUENCE and LAST-MODIFIED grow when the date moves."""
    r = Request.receive(D(2026, 9, 28), request_id="m")
    first = _ics_events([r], D(2026, 10, 9))["m-reply@infopen"]
    assert first.decoded("dtstart") == D(2026, 10, 30)
    assert int(first["sequence"]) == 0
    r.extend(D(2026, 10, 20), workdays=10)
    moved = _ics_events([r], D(2026, 10, 21))["m-reply@infopen"]
    assert moved.decoded("dtstart") == D(2026, 11, 13)
    assert int(moved["sequence"]) == (D(2026, 10, 20) - D(2026, 9, 28)).days
    assert moved.decoded("last-modified") == dt.datetime(2026, 10, 19, 16, tzinfo=dt.timezone.utc)
    same = _ics_events([r], D(2026, 10, 26))["m-reply@infopen"]
    assert int(same["sequence"]) == int(moved["sequence"])  # nothing moved since
    r.consult_agency(D(2026, 10, 27))
    paused = [_ics_events([r], D(2026, 10, d))["m-reply@infopen"] for d in (28, 29, 30)]
    dues = [e.decoded("dtstart") for e in paused]
    sequences = [int(e["sequence"]) for e in paused]
    assert dues == sorted(dues)
    assert len(set(dues)) == 3
    assert sequences == sorted(set(sequences))  # strictly growing as the pause moves it


def test_ical_says_when_a_date_is_estimated() -> None:
    """A deadline on an unannounced year carries the estimate note in Chinese and English."""
    est = national_calendar(beyond="estimate")
    r = Request.receive(D(2026, 12, 10), request_id="e", calendar=est)
    text = str(_ics_events([r], D(2026, 12, 11))["e-reply@infopen"]["description"])
    assert "推定日期" in text
    assert "estimated" in text
    plain = Request.receive(D(2026, 9, 28), request_id="p")
    assert "推定" not in str(_ics_events([plain], D(2026, 10, 9))["p-reply@infopen"]["description"])

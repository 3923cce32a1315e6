"""Exports and imports: JSON Lines and CSV round trips, malformed rows, iCalendar."""

from __future__ import annotations

import datetime as dt

import pytest

from infopen import (
    Applicant,
    Ground,
    Outcome,
    Request,
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
    assert text.splitlines()[0] == "request_id,rules,seq,type,on,params"
    assert read_csv(text) == [Request.replay(r.events, request_id=r.request_id) for r in reqs]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda rows: rows.__setitem__(2, rows[2].replace("2026-10-09", "2026-10-40")), "line 3: request a: event 2"),
        (lambda rows: rows.__setitem__(3, rows[3].replace(',3,', ',4,')), "line 4: field seq"),
        (lambda rows: rows.__setitem__(6, rows[6].replace("PRC_2019", "PRC_2008")), "line 7: field rules"),
        (lambda rows: rows.__setitem__(1, "a,PRC_2019,1,receive,2026-09-28,not-json"), "line 2: field params"),
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
    assert "b-correction_reply-2026-10-30@infopen" in events
    # a's reply clock is paused: its entry shows the due date if the pause ended that day.
    assert "a-reply-2026-11-06@infopen" in events
    third = events["a-third_party-2026-10-29@infopen"]
    assert third.decoded("dtstart") == D(2026, 10, 29)
    assert "条例第三十二条" in str(third["description"])

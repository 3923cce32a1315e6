"""
Exports that round-trip: for any request the lifecycle can build, with ids and texts full of
line separators, NUL, right-to-left marks, emoji and fullwidth characters, ``to_jsonl`` →
``read_jsonl``, ``to_csv`` → ``read_csv``, ``to_dict`` → ``from_dict`` and a store's
save → load give equal requests (a Hypothesis rule-based machine over the lifecycle's rules).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis.stateful import initialize, invariant, rule

from infopen import (
    EventStore,
    InvalidInputError,
    Outcome,
    Request,
    read_csv,
    read_jsonl,
    to_csv,
    to_jsonl,
)

from .strategies import awkward_texts, gaps, receipt_dates, storable_ids
from .test_lifecycle_stateful import CALENDAR, Lifecycle


class AwkwardLifecycle(Lifecycle):
    """The lifecycle machine with awkward ids, referral texts and event ids, also stored."""

    @initialize(received=receipt_dates, rid=storable_ids)
    def open(self, received: dt.date, rid: str) -> None:  # type: ignore[override]
        self.request = Request.receive(received, request_id=rid, calendar=CALENDAR)
        self.day = received
        self.last_due = self.request.status(received).due_date
        self.was_closed = False
        self.folder = Path(tempfile.mkdtemp())
        self.store = EventStore(self.folder / "roundtrip.db", calendar=CALENDAR)
        self.store.create_schema()

    def teardown(self) -> None:
        store = getattr(self, "store", None)
        if store is not None:
            store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    @rule(gap=gaps, agency=awkward_texts, contact=awkward_texts)
    def refer(self, gap: int, agency: str, contact: str) -> None:
        self._fire(gap, "decide", Outcome.NOT_THIS_AGENCY,
                   referral={"agency": agency, "contact": contact})  # fmt: skip

    @rule(gap=gaps, event_id=storable_ids)
    def consult_with_id(self, gap: int, event_id: str) -> None:
        self._fire(gap, "consult_agency", event_id=event_id)

    def round_trips_are_exact(self) -> None:  # type: ignore[override]
        """Replaced by the invariant below (the parent's assumes the id "prop")."""

    @invariant()
    def exports_and_store_round_trip(self) -> None:
        r = self.request
        assert Request.from_dict(json.loads(json.dumps(r.to_dict())), calendar=CALENDAR) == r
        assert read_jsonl(to_jsonl([r]), calendar=CALENDAR) == [r]
        assert len(to_jsonl([r]).splitlines()) == 1  # even for readers splitting on U+2028
        assert read_csv(to_csv([r]), calendar=CALENDAR) == [r]
        self.store.save(r)
        assert self.store.load(r.request_id) == r


AwkwardLifecycle.TestCase.settings = settings(
    max_examples=60, stateful_step_count=12, deadline=None
)
TestAwkwardLifecycle = AwkwardLifecycle.TestCase


@settings(max_examples=50, deadline=None)
@given(rid=storable_ids, text=awkward_texts)
def test_jsonl_lines_end_only_at_newline(rid: str, text: str) -> None:
    """A JSON Lines export of a request with awkward id and text is one line by every reader."""
    r = Request.receive(dt.date(2026, 9, 28), request_id=rid, calendar=CALENDAR)
    r.decide(dt.date(2026, 10, 9), Outcome.NOT_THIS_AGENCY, referral=text)
    out = to_jsonl([r, Request.receive(dt.date(2026, 9, 28), calendar=CALENDAR)])
    assert len(out.splitlines()) == 2
    assert read_jsonl(out, calendar=CALENDAR)[0] == r


def test_read_jsonl_refuses_a_duplicate_id() -> None:
    """Two lines with one request id are refused, naming both lines, as read_csv refuses them."""
    r = Request.receive(dt.date(2026, 9, 28), request_id="A", calendar=CALENDAR)
    with pytest.raises(
        InvalidInputError, match=r"line 3: request A appears again \(first on line 1\)"
    ):
        read_jsonl(to_jsonl([r]) + "\n" + to_jsonl([r]), calendar=CALENDAR)


def test_infopen_report_reads_back_its_own_export(tmp_path: Path) -> None:
    """`infopen report` reads a JSON Lines export whose ids and texts hold U+2028 and U+0085."""
    from typer.testing import CliRunner

    from infopen._cli import app

    a = Request.receive(dt.date(2026, 3, 2), request_id="line\u2028sep", calendar=CALENDAR)
    a.decide(dt.date(2026, 3, 10), Outcome.DISCLOSED)
    b = Request.receive(dt.date(2026, 3, 2), request_id="next\x85line", calendar=CALENDAR)
    b.decide(dt.date(2026, 3, 10), Outcome.NOT_THIS_AGENCY, referral="某局\u2028\u2029\x85")
    path = tmp_path / "requests.jsonl"
    path.write_text(to_jsonl([a, b]), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(path), "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in result.output

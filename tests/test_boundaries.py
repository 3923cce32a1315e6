"""
Every example of issue #13, each a regression test: bad input at a public entry point raises
an infopen error naming the argument or file (and what to do), and leaves a request as it was.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infopen import (
    PRC_2019,
    Agency,
    Channel,
    EventStore,
    FileAccessError,
    Ground,
    InfopenError,
    InvalidFileError,
    InvalidInputError,
    InvalidTypeError,
    NotFoundError,
    Outcome,
    Request,
    Rules,
    SimulationConfig,
    annual_report,
    audit,
    fee_by_items,
    national_calendar,
    read_csv,
    read_jsonl,
    render_notice,
    simulate,
    sweep,
    to_csv,
    to_ical,
    to_jsonl,
)
from infopen._audit import audit_csv

D = dt.date
CAL = national_calendar()
AGENCY = Agency(name="某县人民政府办公室", reconsideration_body="某市人民政府")


def _request() -> Request:
    r = Request.receive(D(2026, 9, 28), request_id="b-1")
    r.consult_third_party(D(2026, 10, 9))
    return r


def _doc(**changes: Any) -> dict[str, Any]:
    doc = _request().to_dict()
    doc.update(changes)
    return doc


def _unchanged_after(r: Request, call: Callable[[], object], error: type[Exception]) -> None:
    """``call`` raises ``error`` (an infopen error) and ``r`` is exactly as it was."""
    before = copy.deepcopy(r.to_dict(include_identity=True))
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, InfopenError)
    assert r.to_dict(include_identity=True) == before


# -- the error family ------------------------------------------------------------------------


def test_the_family_keeps_the_builtin_bases() -> None:
    """Each infopen error is also the built-in exception a caller catches today."""
    assert issubclass(InvalidInputError, ValueError)
    assert issubclass(InvalidTypeError, TypeError)
    assert issubclass(InvalidFileError, ValueError)
    assert issubclass(NotFoundError, LookupError)
    assert issubclass(FileAccessError, OSError)
    for cls in (InvalidInputError, InvalidTypeError, InvalidFileError, NotFoundError):
        assert issubclass(cls, InfopenError)


def test_invalid_file_error_names_file_and_line() -> None:
    """The message starts with the file and the line, which are kept as attributes."""
    exc = InvalidFileError("not JSON", path="a.json", line=3)
    assert str(exc) == "a.json, line 3: not JSON"
    assert (exc.path, exc.line) == ("a.json", 3)
    assert str(InvalidFileError("bad", line=2)) == "line 2: bad"


# -- internal exceptions that escaped ----------------------------------------------------------


@pytest.mark.parametrize("value", [None, 3])
def test_from_dict_events_or_rules_null_or_int(value: object) -> None:
    """events or rules of the wrong JSON type are refused, naming the key."""
    with pytest.raises(InvalidInputError, match="events must be"):
        Request.from_dict(_doc(events=value))
    with pytest.raises(InvalidInputError, match="rules must be"):
        Request.from_dict(_doc(rules=value))


def test_read_jsonl_none_and_to_jsonl_none() -> None:
    """read_jsonl wants text, to_jsonl wants requests."""
    with pytest.raises(InvalidTypeError, match="text must be"):
        read_jsonl(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"requests\[0\] must be a Request"):
        to_jsonl([None])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match=r"requests\[1\] must be a Request"):
        to_csv([_request(), "x"])  # type: ignore[list-item]


def test_to_ical_takes_an_iso_string() -> None:
    """as_of may be a YYYY-MM-DD string, like every other date argument."""
    assert b"BEGIN:VCALENDAR" in to_ical([_request()], as_of="2026-10-01")
    with pytest.raises(InvalidInputError, match="as_of"):
        to_ical([_request()], as_of="1 Oct")


def test_decide_with_grounds_none() -> None:
    """grounds=None is refused and the request keeps its state."""
    r = _request()
    r.third_party_replied(D(2026, 10, 20))
    _unchanged_after(
        r,
        lambda: r.decide(D(2026, 10, 21), Outcome.REFUSED, grounds=None),  # type: ignore[arg-type]
        InvalidTypeError,
    )


def test_render_notice_details_must_be_a_mapping() -> None:
    """details="abc" is refused, naming details."""
    with pytest.raises(InvalidInputError, match="details must be a mapping"):
        render_notice(_request(), agency=AGENCY, details="abc")  # type: ignore[arg-type]


def test_audit_none_and_audit_as_of_string() -> None:
    """audit needs rows; as_of may be an ISO string."""
    with pytest.raises(InvalidTypeError, match="rows must be"):
        audit(None)  # type: ignore[arg-type]
    rows = [{"编号": "1", "收到日期": "2026-09-28"}]
    result = audit(rows, as_of="2026-12-01")  # type: ignore[arg-type]
    assert result.as_of == D(2026, 12, 1)
    assert result.rows[0].violations[0][0] == "OVERDUE"


def test_event_store_arguments(tmp_path: Path) -> None:
    """EventStore(None), save("x"), by(state="processing"), overdue(None) are refused."""
    with pytest.raises(InvalidTypeError, match="url must be"):
        EventStore(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="cannot open the store"):
        EventStore("no such dialect://")
    store = EventStore(f"sqlite:///{tmp_path / 's.db'}")
    store.create_schema()
    with pytest.raises(InvalidTypeError, match="save takes a Request"):
        store.save("x")  # type: ignore[arg-type]
    store.save(_request())
    with pytest.raises(InvalidInputError, match=r"state must be one of State\.\{"):
        store.by(state="processing")  # type: ignore[arg-type]
    assert store.by(state="CONSULTING_THIRD_PARTY") == ["b-1"]  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="as_of must be"):
        store.overdue(None)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError, match="no request 'nope'") as info:
        store.load("nope")
    assert isinstance(info.value, KeyError)
    store.close()


def test_simulate_takes_a_config_not_a_name() -> None:
    """simulate("county") says to use SimulationConfig.example."""
    with pytest.raises(InvalidTypeError, match=r"SimulationConfig.example\('county'\)"):
        simulate("county")  # type: ignore[arg-type]


def test_rest_and_work_days_of_an_impossible_year() -> None:
    """A year past 9999 is refused as a year, not as a datetime overflow."""
    with pytest.raises(InvalidInputError, match="year must be a year from 1 to 9999"):
        CAL.rest_and_work_days(99999)


def test_annual_report_year_zero_and_twice_the_same_request() -> None:
    """annual_report(rs, 0) and a request given twice are refused."""
    r = _request()
    with pytest.raises(InvalidInputError, match="year must be a year"):
        annual_report([r], 0)
    with pytest.raises(InvalidInputError, match="given twice"):
        annual_report([r, r], 2026)


def test_missing_template_and_letterhead(tmp_path: Path) -> None:
    """A missing template or letterhead names the file; it is still a FileNotFoundError."""
    with pytest.raises(FileAccessError, match=r"none.j2") as info:
        render_notice(_request(), agency=AGENCY, template=tmp_path / "none.j2")
    assert isinstance(info.value, FileNotFoundError)
    with pytest.raises(FileAccessError, match=r"none.docx"):
        render_notice(_request(), agency=AGENCY, format="docx", template=tmp_path / "none.docx")
    junk = tmp_path / "junk.docx"
    junk.write_text("not a docx")
    with pytest.raises(InvalidFileError, match=r"junk.docx: not a .docx letterhead"):
        render_notice(_request(), agency=AGENCY, format="docx", template=junk)


def test_gbk_toml_names_the_file(tmp_path: Path) -> None:
    """A GBK-encoded TOML raises naming the file and the line, not a bare UnicodeDecodeError."""
    path = tmp_path / "agency.toml"
    path.write_bytes('# 机关\nname = "某县人民政府办公室"\n'.encode("gbk"))
    with pytest.raises(InvalidFileError, match=r"agency\.toml, line 1: not UTF-8"):
        Agency.from_toml(path)
    with pytest.raises(InvalidFileError, match="not UTF-8"):
        Rules.from_toml(path)
    with pytest.raises(InvalidFileError, match="not UTF-8"):
        CAL.with_days_from(path)


@pytest.mark.parametrize("rate", [math.nan, math.inf, -1.0])
def test_daily_rate_nan_or_infinite(rate: float) -> None:
    """NaN, infinite or negative rates are refused before numpy sees them."""
    with pytest.raises(InvalidInputError, match="daily_rate must be a number"):
        SimulationConfig(daily_rate=rate)
    with pytest.raises(InvalidInputError, match="daily_rate must be a number"):
        SimulationConfig.from_dict({"daily_rate": rate})


def test_deeply_nested_json() -> None:
    """JSON nested deeper than the recursion limit is refused with its line."""
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(InvalidFileError, match="line 1: JSON nested too deeply"):
        read_jsonl(deep)


# -- wrong input accepted silently -------------------------------------------------------------


def test_strict_must_be_a_real_boolean() -> None:
    """strict="no" (truthy) and a document's strict "false" are refused."""
    with pytest.raises(InvalidTypeError, match="strict must be True or False"):
        Request.receive(D(2026, 9, 28), strict="no")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="strict must be true or false"):
        Request.from_dict(_doc(strict="false"))


def test_documents_need_their_id_and_no_unknown_keys() -> None:
    """No request_id (a new random id on every load) and unknown keys are refused."""
    doc = _doc()
    del doc["request_id"]
    with pytest.raises(InvalidInputError, match="no 'request_id'"):
        Request.from_dict(doc)
    with pytest.raises(InvalidInputError, match=r"unknown keys \['colour'\]"):
        Request.from_dict(_doc(colour="red"))


def test_stored_outcome_of_a_withdrawal_must_be_withdrawn() -> None:
    """A withdrawal carrying outcome DISCLOSED is refused, naming the event."""
    doc = _doc()
    doc["events"].append({"type": "withdraw", "on": "2026-10-12", "outcome": "DISCLOSED"})
    with pytest.raises(InvalidInputError, match=r"event 3 \(withdraw\).*WITHDRAWN"):
        Request.from_dict(doc)


def test_stored_submit_in_person_is_refused_as_live() -> None:
    """A stored submit by IN_PERSON is refused as Request.submit refuses it."""
    with pytest.raises(InvalidInputError, match=r"use Request.receive"):
        Request.submit(D(2026, 9, 28), channel=Channel.IN_PERSON)
    doc = _doc()
    doc["events"] = [
        {
            "type": "submit",
            "on": "2026-09-28",
            "channel": "IN_PERSON",
            "applicant_type": "NATURAL_PERSON",
        }
    ]
    with pytest.raises(InvalidInputError, match=r"event 1 .*use Request.receive"):
        Request.from_dict(doc)


@pytest.mark.parametrize("text", ["20260928", "2026-W40-1", "2026-9-28", " 2026-09-28"])
def test_dates_are_strictly_yyyy_mm_dd(text: str) -> None:
    """Dates read by fromisoformat but not in the documented form are refused everywhere."""
    with pytest.raises(InvalidInputError, match="YYYY-MM-DD"):
        Request.receive(text)
    doc = _doc()
    doc["events"][1]["on"] = text
    with pytest.raises(InvalidInputError, match=r"event 2 .*YYYY-MM-DD"):
        Request.from_dict(doc)


def test_datetimes_are_not_dates() -> None:
    """A datetime is refused (its day depends on the zone)."""
    with pytest.raises(InvalidTypeError, match=r"pass its \.date\(\)"):
        Request.receive(dt.datetime(2026, 9, 28, 9, 0))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [("reply_workdays", -5), ("reply_workdays", 0), ("fee_payment_workdays", True),
     ("extension_max_workdays", 10**9), ("pause_on_fee", "yes"), ("in_force_from", "2019/05/15")],
)  # fmt: skip
def test_rules_constructor_checks_its_fields(field: str, value: object) -> None:
    """Rules(reply_workdays=-5) would put the due date before receipt: refused."""
    with pytest.raises(InvalidInputError, match=field):
        Rules(**{field: value})


def test_with_days_refuses_a_day_both_rest_and_work() -> None:
    """A day given as rest and as work is refused (work used to win silently)."""
    with pytest.raises(InvalidInputError, match="2026-10-10 is given as both"):
        CAL.with_days(rest=["2026-10-10"], work=[D(2026, 10, 10)], name="x")


def test_overlay_entry_with_date_and_range(tmp_path: Path) -> None:
    """An overlay entry with both date and from/to is refused (the range was ignored)."""
    path = tmp_path / "o.toml"
    path.write_text(
        'name = "x"\n[[rest]]\ndate = 2026-10-12\nfrom = 2026-10-13\nto = 2026-10-14\n'
        'source = "a notice"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError, match="both date and from/to"):
        CAL.with_days_from(path)


def test_through_year_in_the_past_or_without_days() -> None:
    """through_year must be a later year, with the year's days."""
    last = CAL.coverage[1].year
    with pytest.raises(InvalidInputError, match="already covered"):
        CAL.with_days(rest=[f"{last}-10-12"], name="x", through_year=last)
    with pytest.raises(InvalidInputError, match="lists no rest or work days"):
        CAL.with_days(name="x", through_year=last + 1)


def test_referral_contact_none_and_duplicate_grounds() -> None:
    """A contact of None is refused (it was stored as "None"), as are duplicate grounds."""
    r = _request()
    r.third_party_replied(D(2026, 10, 20))
    _unchanged_after(
        r,
        lambda: r.decide(
            D(2026, 10, 21),
            Outcome.NOT_THIS_AGENCY,
            referral={"agency": "某局", "contact": None},  # type: ignore[dict-item]
        ),
        InvalidInputError,
    )
    _unchanged_after(
        r,
        lambda: r.decide(
            D(2026, 10, 21), Outcome.REFUSED, grounds=[Ground.STATE_SECRET, "STATE_SECRET"]
        ),
        InvalidInputError,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [({"officers": -1}, "officers"), ({"capacity": 0}, "capacity"), ({"year": 1900}, "year"),
     ({"handling_days": (5, 2)}, "handling_days"), ({"p_fee": 2.0}, "p_fee")],
)  # fmt: skip
def test_simulation_config_checks_its_fields(change: dict[str, Any], message: str) -> None:
    """The constructor checks what from_dict checks (SimulationConfig(officers=-1))."""
    with pytest.raises(InvalidInputError, match=message):
        SimulationConfig(**change)


def test_sweep_checks_every_run_before_starting() -> None:
    """sweep(cfg, {"officers": [0]}) is refused in the caller's process."""
    with pytest.raises(InvalidInputError, match="officers must be a whole number"):
        sweep(SimulationConfig(), {"officers": [0]})
    with pytest.raises(InvalidInputError, match="must be a non-empty list"):
        sweep(SimulationConfig(), {"officers": []})
    with pytest.raises(InvalidInputError, match=r"grid \{'year': 2026\}: arrival_dates"):
        sweep(SimulationConfig(arrival_dates=(D(2025, 3, 3),)), {"year": [2026]})


def test_arrivals_outside_the_configured_year() -> None:
    """Arrival dates outside the year are refused (2027 was dropped, 2025 kept)."""
    for day in ("2027-01-04", "2024-12-30"):
        with pytest.raises(InvalidInputError, match="must fall in the simulated year 2025"):
            SimulationConfig(year=2025, arrival_dates=(D.fromisoformat(day),))


def test_newer_schema_version_is_refused() -> None:
    """A document format newer than the library is refused, naming the expected format."""
    with pytest.raises(InvalidInputError, match=r"expected format 'infopen.request/1'"):
        Request.from_dict(_doc(format="infopen.request/2"))


def test_audit_dict_rows_with_different_keys() -> None:
    """Columns come from every row, so an answered request is judged on its answer."""
    rows = [
        {"编号": "1", "收到日期": "2026-09-28"},
        {"编号": "2", "收到日期": "2026-09-28", "答复日期": "2026-10-09"},
    ]
    result = audit(rows, as_of=D(2026, 12, 1))
    answered = result.rows[1]
    assert answered.decided == D(2026, 10, 9)
    assert answered.on_time is True
    assert answered.violations == ()


def test_audit_csv_with_a_byte_order_mark() -> None:
    """A BOM before the header no longer hides the id column."""
    result = audit_csv("\ufeff编号,收到日期,答复日期\nA-7,2026-09-28,2026-10-09\n")
    assert result.rows[0].request_id == "A-7"


def test_read_csv_params_cannot_override_the_row() -> None:
    """params holding "on" (or "type") are refused instead of overriding the row's own."""
    text = to_csv([_request()]).replace(",2026-10-09,{}", ',2026-10-09,"{""on"": ""2026-12-01""}"')
    with pytest.raises(InvalidInputError, match="line 3: field params must not hold"):
        read_csv(text)


def test_csv_field_over_the_limit_names_the_line() -> None:
    """A 200 KB cell raises naming its line, not the csv module's bare error."""
    text = to_csv([_request()]) + "b-2,PRC_2019,1,receive,2026-09-28," + "x" * 200_000 + "\n"
    with pytest.raises(InvalidFileError, match=r"line 4: not CSV"):
        read_csv(text)
    with pytest.raises(InvalidFileError, match=r"line 2: not CSV"):
        audit_csv("编号,收到日期\n" + "x" * 200_000 + ",2026-09-28\n")
    with pytest.raises(InvalidTypeError, match="rows must be a file path or an iterable"):
        audit(3)  # type: ignore[arg-type]


# -- hangs ----------------------------------------------------------------------------------


def test_fee_by_items_is_closed_form() -> None:
    """A billion applications cost no loop; the tiers still hold for small counts."""
    assert [fee_by_items(n) for n in (10, 11, 30, 31, 40, 41, 50, 51)] == [
        0, 100, 2000, 2200, 4000, 4300, 7000, 7400,
    ]  # fmt: skip
    assert fee_by_items(10**9) == 4_999_999_850_000_002_000


def test_violations_with_many_extensions_are_all_reported() -> None:
    """20,000 extensions: every repeat is reported once (and the query is linear, see benchmark)."""
    # Art 33 ¶2 caps the total, not the number: repeats break only a "once" local rule (#10).
    once = Rules.from_dict({"single_extension": True})
    r = Request.receive(D(2026, 1, 5), calendar=national_calendar(beyond="estimate"), rules=once)
    for _ in range(20_000):
        r.extend(D(2026, 1, 6), workdays=1)
    codes = [v.code for v in r.violations(D(2026, 12, 1))]
    assert codes.count("REPEATED_EXTENSION") == 19_999


def test_json_round_trip_of_a_document() -> None:
    """The strictness above does not refuse what to_dict writes."""
    r = _request()
    r.third_party_replied(D(2026, 10, 20))
    r.decide(D(2026, 10, 21), Outcome.NOT_THIS_AGENCY, referral={"agency": "某局", "contact": ""})
    assert Request.from_dict(json.loads(json.dumps(r.to_dict()))) == r
    assert Request.from_dict(r.to_dict()).rules is PRC_2019


def test_audit_csv_reports_cells_past_the_header() -> None:
    """A row with more cells than the header is reported by line, not a crash."""
    result = audit_csv("编号,收到日期,答复日期\nA-8,2026-09-28,2026-10-09,extra,more\n")
    assert result.rows == ()
    assert result.problems[0][0] == 2
    assert "多出 extra、more" in result.problems[0][1]
    assert "extra cells" in result.problems[0][1].render("en")

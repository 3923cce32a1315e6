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

import infopen
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
    # A flag that is not a bool is a wrong type (#23); a bad number or date a wrong value.
    error = InvalidTypeError if field == "pause_on_fee" else InvalidInputError
    with pytest.raises(error, match=field):
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
    """A 200 KB cell is read (#23: our own exports hold such subjects); a bad row names its line."""
    text = to_csv([_request()]) + "b-2,PRC_2019,1,receive,2026-09-28," + "x" * 200_000 + "\n"
    with pytest.raises(InvalidFileError, match=r"line \d+: the row must have exactly the"):
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


# -- hostile input, third round (#23) ----------------------------------------------------------


def _all_error_classes() -> list[type[InfopenError]]:
    """InfopenError and every subclass, exported or private, found by walking the tree."""
    seen: list[type[InfopenError]] = []
    todo: list[type[InfopenError]] = [InfopenError]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen


def _sample(cls: type[InfopenError]) -> InfopenError:
    """An instance of ``cls`` built as the library builds it."""
    from infopen._errors import FileAccessError as _Access

    if issubclass(cls, _Access):
        kind = next(
            (
                k
                for k in (FileNotFoundError, IsADirectoryError, PermissionError)
                if issubclass(cls, k)
            ),
            OSError,
        )
        return cls("/no/such/file.csv", "read", kind(2, "No such file or directory"))
    if issubclass(cls, infopen.CalendarCoverageError):
        return cls(2060, (D(2001, 1, 1), D(2026, 12, 31)), "全国")
    if issubclass(cls, infopen.IncompleteNoticeError):
        return cls("答复书", ("文号", "申请公开的政府信息"))
    if issubclass(cls, infopen.MissingExtraError):
        return cls("The simulation", "sim", "simpy")
    if issubclass(cls, InvalidFileError):
        return cls("not JSON", path="requests.jsonl", line=3)
    return cls(f"{cls.__name__}: what was wrong and what to do")


def _same(a: BaseException, b: BaseException) -> None:
    assert type(a) is type(b)
    assert str(a) == str(b)
    assert repr(a.args) == repr(b.args)
    assert repr(vars(a)) == repr(vars(b))


@pytest.mark.parametrize("cls", _all_error_classes(), ids=lambda c: c.__name__)
def test_every_error_survives_pickle_copy_and_rebuild(cls: type[InfopenError]) -> None:
    """pickle, copy, deepcopy and type(e)(*e.args) (simpy's re-raise) give the same error."""
    import pickle

    err = _sample(cls)
    _same(err, pickle.loads(pickle.dumps(err)))
    _same(err, copy.copy(err))
    _same(err, copy.deepcopy(err))
    _same(err, type(err)(*err.args))
    if isinstance(err, OSError):
        again = pickle.loads(pickle.dumps(err))
        assert (again.errno, again.filename) == (err.errno, err.filename)


def _raise_coverage(year: int) -> None:
    national_calendar().add_workdays(D(year, 6, 1), 1)


def test_an_error_comes_back_whole_from_a_process_pool() -> None:
    """A worker's CalendarCoverageError is re-raised in the caller with its attributes."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    with (
        ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context(method)) as pool,
        pytest.raises(infopen.CalendarCoverageError) as caught,
    ):
        pool.submit(_raise_coverage, 2030).result()
    assert caught.value.year == 2030
    assert "2030" in str(caught.value)


def test_a_simulation_year_past_the_calendar_is_refused_up_front() -> None:
    """year=2060 is refused by the config; a calendar that stops sooner by simulate()."""
    pytest.importorskip("simpy")
    with pytest.raises(InvalidInputError, match=r"year must be at most 20\d\d.*estimates"):
        SimulationConfig(year=2060)
    config = SimulationConfig(name="小", year=2030, daily_rate=0.05)
    with pytest.raises(infopen.CalendarCoverageError, match="2031"):
        simulate(config, seed=1, calendar=national_calendar())


# Dates at the edge of what datetime.date holds.

_FAR = D(9999, 12, 31)


def _delivered_at_the_end() -> Request:
    r = Request.receive(D(2026, 9, 28), request_id="far")
    r.decide(D(2026, 10, 9), Outcome.DISCLOSED, delivered_on=_FAR)
    return r


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.deadlines(D(2026, 10, 10)),
        lambda r: render_notice(r, agency=Agency(name="某局")),
        lambda r: to_ical([r], as_of=D(2026, 10, 10)),
    ],
    ids=["deadlines", "render_notice", "to_ical"],
)
def test_a_delivery_on_the_last_representable_day(call: Callable[[Request], Any]) -> None:
    """A window from 9999-12-31 cannot end: an InvalidInputError naming it, not OverflowError."""
    pytest.importorskip("icalendar")
    with pytest.raises(InvalidInputError, match=r"remedy window: 60 calendar days from 9999-12-31"):
        call(_delivered_at_the_end())


def test_an_absurd_correction_period_is_refused_at_input() -> None:
    """reply_days=10**7 would run past 9999-12-31: refused with the maximum, nothing recorded."""
    r = Request.receive(D(2026, 9, 28))
    with pytest.raises(InvalidInputError, match="reply_days must be at most 3650"):
        r.request_correction(D(2026, 9, 30), reply_days=10**7)
    assert len(r.events) == 1
    r.request_correction(D(2026, 9, 30), reply_days=3650)
    due = {d.name: d.due for d in r.deadlines(D(2026, 10, 1))}["correction_reply"]
    assert D(2036, 9, 27) <= due <= D(2036, 10, 8)  # ten years on, rolled past rest days


def test_calendar_day_arithmetic_says_where_dates_end() -> None:
    """add_days / add_months: past either end of datetime.date, an InvalidInputError."""
    from infopen._calendar import add_days, add_months

    assert add_days(D(2026, 1, 31), 1) == D(2026, 2, 1)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    with pytest.raises(InvalidInputError, match="after 9999-12-31"):
        add_days(_FAR, 1, "the test period")
    with pytest.raises(InvalidInputError, match="before 0001-01-01"):
        add_days(D(1, 1, 1), -1)
    with pytest.raises(InvalidInputError, match="12 months from 9999-06-01"):
        add_months(D(9999, 6, 1), 12)
    with pytest.raises(InvalidInputError, match="after 9999-12-31"):
        add_days(D(2026, 1, 1), 10**9)  # past timedelta's own limit too


# Flags that are not booleans.

_FLAG_RECORDS = {
    # Records the library builds and hands back; their fields are results, not input.
    "Deadline", "DeadlineTrace", "Status", "WorkdayTrace", "EventParam", "AllowedEvent",
}  # fmt: skip


def _public_flags() -> set[tuple[str, str]]:
    """Every parameter of the public API annotated ``bool`` (or ``bool | None``)."""
    import enum
    import inspect
    import typing

    found = set()
    for name in infopen.__all__:
        obj = getattr(infopen, name)
        if isinstance(obj, Rules) or name in _FLAG_RECORDS:
            continue
        if isinstance(obj, type) and issubclass(obj, BaseException | enum.Enum):
            continue
        members = [(name, obj)]
        if isinstance(obj, type):
            members += [
                (f"{name}.{attr}", getattr(obj, attr))
                for attr in dir(obj)  # with what mixins and bases give (EventStore's queries)
                if (not attr.startswith("_") or attr == "__init__") and callable(getattr(obj, attr))
            ]
        for qualname, fn in members:
            try:
                hints = typing.get_type_hints(fn)
                params = inspect.signature(fn).parameters
            except (TypeError, ValueError, NameError):
                continue
            for p in params:
                hint = str(hints.get(p, ""))
                if hint in ("<class 'bool'>", "bool | None"):
                    found.add((qualname.replace(".__init__", ""), p))
    return found


def _flag_store() -> EventStore:
    store = EventStore("sqlite://")
    store.create_schema()
    store.save(Request.receive(D(2026, 9, 28), request_id="f1"))
    return store


def _consulted() -> Request:
    r = Request.receive(D(2026, 9, 28))
    r.consult_third_party(D(2026, 10, 9))
    return r


def _asked() -> Request:
    r = Request.receive(D(2026, 9, 28))
    r.ask_for_reasons(D(2026, 10, 9))
    return r


_RECEIVED = D(2026, 9, 28)
#: How to call each public flag with a value; every flag the API has must be here.
_FLAG_CALLS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("EventStore.save", "include_identity"): lambda v: _flag_store().save(
        Request.receive(_RECEIVED, request_id="f2"), include_identity=v
    ),
    ("EventStore.save_many", "include_identity"): lambda v: _flag_store().save_many(
        [Request.receive(_RECEIVED, request_id="f2")], include_identity=v
    ),
    ("EventStore.load", "include_identity"): lambda v: _flag_store().load("f1", include_identity=v),
    ("EventStore.load_many", "include_identity"): lambda v: _flag_store().load_many(
        ["f1"], include_identity=v
    ),
    ("EventStore.due_within", "include_overdue"): lambda v: _flag_store().due_within(
        _RECEIVED, 5, include_overdue=v
    ),
    ("Request", "strict"): lambda v: Request(strict=v),
    ("Request.receive", "strict"): lambda v: Request.receive(_RECEIVED, strict=v),
    ("Request.submit", "strict"): lambda v: Request.submit(
        _RECEIVED, channel=Channel.ONLINE, strict=v
    ),
    ("Request.replay", "strict"): lambda v: Request.replay(
        Request.receive(_RECEIVED).events, strict=v
    ),
    ("Request.third_party_replied", "consents"): lambda v: _consulted().third_party_replied(
        D(2026, 10, 12), consents=v
    ),
    ("Request.decide", "remedies_stated"): lambda v: Request.receive(_RECEIVED).decide(
        D(2026, 10, 9), Outcome.DISCLOSED, remedies_stated=v
    ),
    ("Request.to_dict", "include_identity"): lambda v: Request.receive(_RECEIVED).to_dict(
        include_identity=v
    ),
    ("Request.reasons_replied", "explained"): lambda v: _asked().reasons_replied(
        D(2026, 10, 12), explained=v
    ),
    ("Rules", "pause_on_agency"): lambda v: Rules(pause_on_agency=v),
    ("Rules", "single_extension"): lambda v: Rules(single_extension=v),
    ("Rules", "pause_on_fee"): lambda v: Rules(pause_on_fee=v),
    ("Rules", "rest_day_receipt_next_workday"): lambda v: Rules(rest_day_receipt_next_workday=v),
    ("Rules", "excessive_requests"): lambda v: Rules(excessive_requests=v),
    ("SimulationResult.write", "plot"): lambda v: _SIM_RESULT().write(Path("unused"), plot=v),
    ("SweepResult.to_csv", "cells"): lambda v: infopen.SweepResult(
        ("officers",), 1, ("requests",), ()
    ).to_csv(cells=v),
    ("SweepResult.to_frame", "cells"): lambda v: infopen.SweepResult(
        ("officers",), 1, ("requests",), ()
    ).to_frame(cells=v),
    ("SweepResult.to_parquet", "cells"): lambda v: infopen.SweepResult(
        ("officers",), 1, ("requests",), ()
    ).to_parquet("unused.parquet", cells=v),
    ("render_notice", "strict"): lambda v: render_notice(
        Request.receive(_RECEIVED), agency=Agency(name="某局"), strict=v
    ),
    ("to_jsonl", "include_identity"): lambda v: to_jsonl(
        [Request.receive(_RECEIVED)], include_identity=v
    ),
}


def _SIM_RESULT() -> Any:  # noqa: N802 - a factory named as the value it stands for
    pytest.importorskip("simpy")
    return simulate(SimulationConfig(name="小", year=2025, daily_rate=0.02), seed=1)


def test_every_public_flag_is_checked_here() -> None:
    """The flags found by introspection are exactly the table's: a new one must be added."""
    assert _public_flags() == set(_FLAG_CALLS)


@pytest.mark.parametrize("flag", sorted(_FLAG_CALLS), ids=lambda f: ".".join(f))
@pytest.mark.parametrize("value", ["no", "", "false", 0, 1, 0.0, [], "True"])
def test_flags_refuse_anything_but_a_bool(flag: tuple[str, str], value: object) -> None:
    """'no', 0 and 1 are refused with InvalidTypeError naming the flag (no truthy guessing)."""
    with pytest.raises(InvalidTypeError, match=flag[1].split()[0]):
        _FLAG_CALLS[flag](value)


# Our own files round-trip.


def test_a_200000_character_subject_round_trips() -> None:
    """read_csv(to_csv(...)) past the csv module's field limit; JSONL and the store too."""
    import csv

    subject = "申请公开" * 50_000
    r = Request.receive(D(2026, 9, 28), request_id="long", subject=subject)
    r.decide(D(2026, 10, 9), Outcome.DISCLOSED)
    limit = csv.field_size_limit()
    [back] = read_csv(to_csv([r]))
    assert back.to_dict() == r.to_dict()
    assert csv.field_size_limit() == limit  # put back after reading
    [back] = read_jsonl(to_jsonl([r]))
    assert back.subject == subject
    store = _flag_store()
    store.save(r)
    assert store.load("long").subject == subject


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "{far}", "--as-of", "2026-10-10"], "ends after 9999-12-31"),
        (["notice", "{far}", "--agency", "{agency}"], "ends after 9999-12-31"),
        (["deadline", "9999-12-31"], "计算涉及 9999 年，超出"),
        (["deadline", "2026-09-28", "--workdays", "10000000"], "计算涉及"),
        (["report", "{far}", "--year", "99999"], "year must be a year from 1 to 9999"),
        (["calendar", "--year", "9999"], "计算涉及 9999 年，超出"),
    ],
)
def test_the_command_line_answers_edge_input_with_one_line(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    """Each edge input: exit status 2 and one line on stderr, never a traceback (#23)."""
    from typer.testing import CliRunner

    from infopen._cli import app

    far = tmp_path / "far.json"
    far.write_text(json.dumps(_delivered_at_the_end().to_dict()), encoding="utf-8")
    agency = tmp_path / "a.toml"
    agency.write_text('name = "某局"\nreconsideration_body = "某市人民政府"\n', encoding="utf-8")
    register = tmp_path / "log.csv"
    register.write_text("编号,收到日期\nA1,9999-12-31\n", encoding="utf-8")
    paths = {"far": far, "agency": agency, "register": register}
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, [a.format(**paths) for a in args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("infopen: ")
    assert needle in lines[0]


def test_an_audit_row_at_the_last_day_is_a_problem_of_that_row() -> None:
    """
    补正告知日期 9999-12-25 (15 days run past 9999-12-31): never OverflowError. Audited as
    of 2026-12-01 the correction has not happened yet (#20), so the row is kept as received.
    """
    result = audit(
        [
            {"编号": "A1", "收到日期": "2026-09-28", "补正告知日期": "9999-12-25"},
            {"编号": "A2", "收到日期": "2026-09-28"},
        ],
        as_of=D(2026, 12, 1),
    )
    assert result.problems == ()
    assert [row.request_id for row in result.rows] == ["A1", "A2"]
    assert result.rows[0].due == result.rows[1].due


def test_a_count_past_9999_says_so_not_before_2001() -> None:
    """A calendar laid over to 9999 counting past its end: no 'no data before 2001' (#23)."""
    cal = national_calendar()
    err = cal._coverage_error(dt.date.max.toordinal() + 1)
    assert isinstance(err, InvalidInputError)
    assert "past 9999-12-31" in str(err)
    assert "2026" in str(cal._coverage_error(dt.date(2026, 12, 31).toordinal() + 400))

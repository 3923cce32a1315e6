"""
A fuzz test that cannot be fooled (#13): every public function, constructor and method, and
every CLI command, driven with generated junk.

The targets are found from ``infopen.__all__``, not listed by hand, so a new public name is
fuzzed from the day it is exported (``test_every_public_callable_is_fuzzed`` fails for a
name that is neither fuzzed nor skipped with a reason). Each call must succeed or raise an
:class:`infopen.InfopenError`; a failed call must leave the request exactly as it was. Each
command must exit 0 or exit 2 with a message, never with a traceback.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import copy
import datetime as dt
import enum
import inspect
import json
import os
import tempfile
import typing
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import infopen
from infopen import (
    Agency,
    EventStore,
    InfopenError,
    Outcome,
    Request,
    SimulationConfig,
    annual_report,
    audit,
    national_calendar,
    simulate,
    sweep,
)
from infopen._cli import app

from .strategies import damaged_text_encodings, hostile_strings, junk

# Calls run in a scratch folder: a junk string that happens to be a valid path or SQLite URL
# writes there, never into the checkout.
_SCRATCH = Path(tempfile.mkdtemp(prefix="infopen-fuzz-"))
CAL = national_calendar()
AGENCY = Agency(name="某县人民政府办公室", reconsideration_body="某市人民政府")
TINY = SimulationConfig(name="小", year=2025, daily_rate=0.05)
FUZZ = settings(
    max_examples=int(os.environ.get("INFOPEN_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@contextlib.contextmanager
def _in_scratch() -> Iterator[None]:
    here = Path.cwd()
    os.chdir(_SCRATCH)
    try:
        yield
    finally:
        os.chdir(here)


def _request() -> Request:
    r = Request.receive(dt.date(2026, 9, 28), request_id="fuzz-1")
    r.consult_third_party(dt.date(2026, 10, 9))
    r.third_party_replied(dt.date(2026, 10, 20), consents=False)
    return r


class _SerialPool:
    """Stands in for the sweep's process pool: the same calls, in this process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _SerialPool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def map(self, fn: Callable[[Any], Any], items: Any) -> Iterator[Any]:
        return map(fn, items)


# -- what a parameter may plausibly be (besides junk) --------------------------------------

_DAYS = st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2026, 12, 31))
_PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "on": _DAYS | _DAYS.map(dt.date.isoformat),
    "as_of": _DAYS | _DAYS.map(dt.date.isoformat),
    "received_on": _DAYS,
    "submitted_on": _DAYS,
    "reply_by": _DAYS,
    "due": _DAYS,
    "d": _DAYS,
    "a": _DAYS,
    "b": _DAYS,
    "workdays": st.integers(-5, 25),
    "n": st.integers(-5, 60),
    "p": st.integers(-5, 300),
    "amount": st.integers(-5, 300),
    "year": st.integers(2020, 2027),
    "outcome": st.sampled_from(list(Outcome)) | st.sampled_from([o.name for o in Outcome]),
    "grounds": st.lists(st.sampled_from(list(infopen.Ground)), max_size=2),
    "result": st.sampled_from(list(infopen.Result)),
    "channel": st.sampled_from(list(infopen.Channel)),
    "applicant_type": st.sampled_from(list(infopen.ApplicantType)),
    "event": st.integers(-5, 5),
    "format": st.sampled_from(["text", "html", "docx", "markdown", "csv"]),
    "lang": st.sampled_from(["zh", "en"]),
    "beyond": st.sampled_from(["raise", "estimate"]),
    "name": hostile_strings,
    "rest": st.lists(_DAYS, max_size=2),
    "work": st.lists(_DAYS, max_size=2),
    "through_year": st.integers(2025, 2028),
    "seed": st.integers(-2, 5),
    "text": st.just("编号,收到日期\nA1,2026-09-28\n") | hostile_strings,
    "state": st.sampled_from(list(infopen.State)) | hostile_strings,
    "request_id": hostile_strings,
    "request_ids": st.lists(hostile_strings, max_size=3),
    "batch": st.integers(-1, 3),
    "referral": st.just({"agency": "某局", "contact": ""}) | hostile_strings,
    "consents": st.sampled_from([True, False, None]),
    "strict": st.booleans(),
    "include_identity": st.booleans(),
    "plot": st.just(False),
    "rows": st.just([{"编号": "1", "收到日期": "2026-09-28"}]),
    "grid": st.dictionaries(
        st.sampled_from(["officers", "daily_rate", "colour"]),
        st.lists(st.integers(-1, 3) | st.floats(), max_size=2),
        max_size=2,
    ),
}


def _typed(name: str, hint: object) -> st.SearchStrategy[Any] | None:
    """Valid values by type, for the infopen classes a parameter names."""
    text = str(hint)
    for cls, strategy in (
        ("Request", st.builds(_request)),
        ("WorkCalendar", st.just(CAL)),
        ("Rules", st.sampled_from([infopen.PRC_2019, infopen.PRC_2008])),
        ("Agency", st.just(AGENCY)),
        ("SimulationConfig", st.just(TINY)),
        ("Applicant", st.builds(infopen.Applicant, name=st.text(max_size=4))),
    ):
        if cls in text:
            return strategy
    return None


def _argument(name: str, hint: object) -> st.SearchStrategy[Any]:
    """Junk, or (often) a plausible value, for one parameter."""
    if name == "scheduler":  # a string would make dask connect to it
        return st.one_of(st.none(), junk.filter(lambda v: not isinstance(v, str)))
    if name in ("path", "out"):  # written to: only inside the scratch folder
        return st.one_of(
            junk.filter(lambda v: not isinstance(v, (str, os.PathLike))),
            st.sampled_from(["out.bin", "no/such/folder/out.bin", ".", "sub"]).map(
                lambda p: _SCRATCH / p
            ),
        )
    choices = [junk]
    if name in _PLAUSIBLE:
        choices.append(_PLAUSIBLE[name])
    typed = _typed(name, hint)
    if typed is not None:
        choices.append(typed)
    elif (declared := _from_type(hint)) is not None:
        choices.append(declared)
    return st.one_of(*choices)


def _from_type(hint: object) -> st.SearchStrategy[Any] | None:
    """Values of the declared type (``st.from_type``) when Hypothesis can build them."""
    if hint is inspect.Parameter.empty or isinstance(hint, str) or "Any" in str(hint):
        return None  # Any would draw anything at all: junk covers that
    try:
        strategy = st.from_type(hint)  # type: ignore[arg-type]
        strategy.validate()
    except Exception:  # a type Hypothesis cannot resolve: junk and plausible values only
        return None
    return strategy


# -- the targets: found from infopen.__all__ -----------------------------------------------

#: Public names that are not called, each with the reason.
SKIPPED = {
    "EstimatedDate": "a datetime.date subclass made by the calendar, not by callers",
    "EstimatedDateWarning": "a warning category",
    "SimulationResult": "made by simulate(); its methods are fuzzed on an instance",
    "AuditResult": "made by audit(); its methods are fuzzed on an instance",
    "AnnualReport": "made by annual_report(); its methods are fuzzed on an instance",
    "DeadlineTrace": "made by Request.explain(); its methods are fuzzed on an instance",
    "WorkdayTrace": "made by WorkCalendar.explain(); its methods are fuzzed on an instance",
    "Deadline": "a frozen record made by Request.deadlines() (no methods)",
    "Status": "a frozen record made by Request.status() (no methods)",
    "Violation": "a frozen record made by Request.violations() (no methods)",
    "Event": "a frozen record; its from_dict and to_dict are fuzzed on an instance",
    "WorkCalendar": "made by national_calendar() and with_days(); methods fuzzed on CAL",
    "EventStore.close": "closes the store the other calls use (called on a fresh store below)",
}

_INSTANCES: dict[str, Callable[[], Any]] = {
    "WorkCalendar": lambda: CAL,
    "Request": _request,
    "Rules": lambda: infopen.PRC_2019,
    "Agency": lambda: AGENCY,
    "SimulationConfig": lambda: TINY,
    "EventStore": lambda: _store(),
    "AnnualReport": lambda: annual_report([_request()], 2026),
    "AuditResult": lambda: audit([{"编号": "1", "收到日期": "2026-09-28"}]),
    "SimulationResult": lambda: _SIM,
    "DeadlineTrace": lambda: _request().explain(dt.date(2026, 11, 1)),
    "WorkdayTrace": lambda: CAL.explain(dt.date(2026, 9, 28), 20),
    "Applicant": lambda: infopen.Applicant(name="张三"),
    "Event": lambda: _request().events[0],
    "SweepResult": lambda: _SWEEP,
}


def _store() -> EventStore:
    store = EventStore("sqlite://")
    store.create_schema()
    store.save(_request())
    return store


def _targets() -> dict[str, Callable[..., Any]]:
    """Every public function, constructor and method, by dotted name (instances made fresh)."""
    out: dict[str, Callable[..., Any]] = {}
    for name in infopen.__all__:
        obj = getattr(infopen, name)
        if isinstance(obj, infopen.Rules):
            continue  # the profiles are instances; Rules is fuzzed
        if isinstance(obj, type) and (issubclass(obj, BaseException | enum.Enum | Warning)):
            continue  # errors, warnings and enums are not called
        if name not in SKIPPED:
            out[name] = obj
        if isinstance(obj, type) and name in _INSTANCES:
            for attr, member in vars(obj).items():
                if attr.startswith("_") or f"{name}.{attr}" in SKIPPED:
                    continue
                if isinstance(member, (classmethod, staticmethod)):
                    out[f"{name}.{attr}"] = getattr(obj, attr)
                elif inspect.isfunction(member):
                    out[f"{name}.{attr}"] = _bound(name, attr)
    return out


def _bound(cls: str, attr: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_INSTANCES[cls](), attr)(*args, **kwargs)

    call.__signature__ = inspect.signature(getattr(getattr(infopen, cls), attr))  # type: ignore[attr-defined]
    call.__qualname__ = f"{cls}.{attr}"
    return call


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _SIM = simulate(TINY, seed=1)
    _SWEEP = sweep(TINY, {"officers": [1, 2]}, replicates=2, workers=1)
TARGETS = _targets()


def test_every_public_callable_is_fuzzed() -> None:
    """Each public name is fuzzed or skipped with a reason, and the table is not empty."""
    for name in infopen.__all__:
        obj = getattr(infopen, name)
        if isinstance(obj, infopen.Rules) or (
            isinstance(obj, type) and issubclass(obj, BaseException | enum.Enum | Warning)
        ):
            continue
        assert name in TARGETS or name in SKIPPED, name
    assert len(TARGETS) > 60


def _call(target: Callable[..., Any], data: st.DataObject, probe: Request) -> Any:
    """Draw arguments for ``target`` (some left to their defaults) and call it."""
    try:
        hints = typing.get_type_hints(getattr(target, "__wrapped__", target))
    except Exception:
        hints = {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in inspect.signature(target).parameters.values():
        if p.name in ("self", "cls") or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is not p.empty and data.draw(st.booleans(), label=f"omit {p.name}"):
            continue
        hint = hints.get(p.name, p.annotation)
        value = data.draw(
            st.just(probe) if "Request" in str(hint) and data.draw(st.booleans()) else _argument(p.name, hint),
            label=p.name,
        )  # fmt: skip
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    result = target(*args, **kwargs)
    if isinstance(result, Iterator):
        result = list(result)
    return result


@pytest.mark.parametrize("name", sorted(TARGETS))
@FUZZ
@given(data=st.data())
def test_public_calls_succeed_or_raise_infopen_errors(name: str, data: st.DataObject) -> None:
    """Any arguments: a result or an InfopenError; a failed call leaves the request as it was."""
    probe = _request()
    before = copy.deepcopy(probe.to_dict(include_identity=True))
    with (
        _in_scratch(),
        warnings.catch_warnings(),
        pytest.MonkeyPatch.context() as patch,
    ):
        warnings.simplefilter("ignore")
        patch.setattr(concurrent.futures, "ProcessPoolExecutor", _SerialPool)
        try:
            _call(TARGETS[name], data, probe)
        except InfopenError:
            assert probe.to_dict(include_identity=True) == before, "a failed call changed it"


def test_a_closed_store_is_not_a_crash() -> None:
    """EventStore.close (skipped above) can be called twice; the store then still answers."""
    store = _store()
    store.close()
    store.close()


# -- damaged files -----------------------------------------------------------------------

_GOOD_LINE = json.dumps(_request().to_dict(), ensure_ascii=False)


@st.composite
def damaged_documents(draw: st.DrawFn) -> bytes:
    """A good document cut short, with junk spliced in, in some encoding."""
    text = _GOOD_LINE
    cut = draw(st.integers(0, len(text)))
    splice = draw(
        st.one_of(st.just(""), hostile_strings, junk.map(lambda v: json.dumps(v, default=str)))
    )
    text = text[:cut] + splice + text[cut + draw(st.integers(0, 5)) :]
    if draw(st.booleans()):
        text = "[" * draw(st.integers(0, 50_000)) + text
    return text.encode(draw(damaged_text_encodings), errors="replace")


@FUZZ
@given(damaged_documents())
def test_damaged_documents_are_refused_clearly(raw: bytes) -> None:
    """A truncated, re-encoded or spliced document gives requests or an InfopenError."""
    with contextlib.suppress(InfopenError):
        infopen.read_jsonl(raw.decode("utf-8", errors="replace"))
    with contextlib.suppress(InfopenError):
        infopen.read_csv(raw.decode("utf-8", errors="replace"))
    path = _SCRATCH / "doc.json"
    path.write_bytes(raw)
    result = CliRunner().invoke(app, ["show", str(path), "--as-of", "2026-12-01"])
    assert result.exit_code in (0, 2), result.output
    assert result.exit_code == 0 or result.output.startswith("infopen: ")


# -- the command line ----------------------------------------------------------------------

_COMMANDS = ["deadline", "show", "calendar", "report", "notice", "simulate", "sweep", "audit"]
_OPTIONS = ["--lang", "--estimate", "--overlay", "--as-of", "--year", "--format", "--xlsx",
            "--agency", "--event", "--out", "--seed", "--staff", "--rate", "--columns",
            "--extend", "--workdays", "--plot"]  # fmt: skip


def _token() -> st.SearchStrategy[str]:
    safe = hostile_strings.filter(
        lambda s: "\x00" not in s and not s.startswith(("/", "~", "-")) and ".." not in s
    )
    return st.one_of(safe, st.sampled_from(_OPTIONS), st.sampled_from(
        ["2026-09-28", "2026", "0", "-1", "21", "5..2", "doc.json", "log.csv", "sim.toml", "a.toml"]
    ))  # fmt: skip


@FUZZ
@given(command=st.sampled_from(_COMMANDS), tokens=st.lists(_token(), max_size=6))
def test_cli_exits_0_or_2_with_a_message(command: str, tokens: list[str]) -> None:
    """Any arguments: exit 0, or exit 2 with a short message; never a traceback."""
    if command in ("simulate", "sweep"):
        tokens = ["sim.toml", *tokens]  # never the default year-long county run
    (_SCRATCH / "sim.toml").write_text(
        'name = "小"\nyear = 2025\n[arrivals]\ndaily_rate = 0.05\n', encoding="utf-8"
    )
    (_SCRATCH / "log.csv").write_text("编号,收到日期\nA1,2026-09-28\n", encoding="utf-8")
    (_SCRATCH / "a.toml").write_text('name = "某局"\n', encoding="utf-8")
    (_SCRATCH / "doc.json").write_text(_GOOD_LINE, encoding="utf-8")
    with _in_scratch(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(concurrent.futures, "ProcessPoolExecutor", _SerialPool)
        result = CliRunner(env={"COLUMNS": "80"}).invoke(app, [command, *tokens])
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    if result.exit_code == 2:
        assert result.output.strip(), "exit 2 without a message"
    assert "Traceback" not in result.output

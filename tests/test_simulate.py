"""The simulation: reproducible, computable by hand, conserving every request, parallel sweeps."""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infopen import InvalidInputError, InvalidTypeError
from infopen._report import annual_report
from infopen._simulate import SimulationConfig, simulate, sweep

from .strategies import simulated_arrivals

D = dt.date
TINY = SimulationConfig.from_dict({
    "name": "tiny", "year": 2026,
    "arrival_dates": ["2026-09-28", "2026-09-28"],
    "staff": {"officers": 1, "capacity": 1, "handling_days": [2, 2], "leave_days": 0,
              "search_hours": [0, 0], "review_hours": [0, 0], "signoff_hours": [1, 1]},
    "branches": {"p_correction": 0, "p_third_party": 0, "p_agency": 0, "p_fee": 0, "p_withdraw": 0,
                 "p_extension": 0},
    "outcomes": {"DISCLOSED": 1.0},
})  # fmt: skip


def test_tiny_configuration_by_hand() -> None:
    """Two requests on Monday 28 Sep, two working days of handling, one answer a day.

    Both are ready on Wednesday 30 Sep; the first is answered that day (2 working days),
    the second on Thursday 8 Oct, after the National Day break (3 working days). Both are
    due on 30 Oct and on time.
    """
    result = simulate(TINY, seed=7)
    recs = result.records()
    assert [r["answered_on"] for r in recs] == ["2026-09-30", "2026-10-08"]
    assert [r["workdays_taken"] for r in recs] == [2, 3]
    assert [r["due_date"] for r in recs] == ["2026-10-30", "2026-10-30"]
    summary = result.summary()
    assert (summary["on_time_share_of_answered"], summary["on_time_share_of_due"]) == (1.0, 1.0)
    assert (summary["due_in_year"], summary["open_at_year_end"]) == (2, 0)


def test_draws_follow_the_configured_shares() -> None:
    """A zero share is never drawn; the others come up in about their configured proportion."""
    import attrs

    cfg = attrs.evolve(
        SimulationConfig.example("municipal_bureau"),
        outcomes={"DISCLOSED": 0.0, "NOT_HELD": 0.75, "REFUSED": 0.25},
        grounds={"STATE_SECRET": 0.0, "THIRD_PARTY": 1.0},
        applicants={"NATURAL_PERSON": 0.5, "LEGAL_SERVICE": 0.5, "COMMERCIAL_ENTERPRISE": 0.0},
    )
    result = simulate(cfg, seed=11)
    decided = [r.events[-1] for r in result.requests if r.events[-1].kind == "decide"]
    outcomes = [e.params["outcome"] for e in decided]
    assert set(outcomes) == {"NOT_HELD", "REFUSED"}
    assert 0.70 < outcomes.count("NOT_HELD") / len(outcomes) < 0.80
    assert {g for e in decided for g in e.params.get("grounds", ())} == {"THIRD_PARTY"}
    kinds = [r.applicant_type.name for r in result.requests]
    assert set(kinds) == {"NATURAL_PERSON", "LEGAL_SERVICE"}
    assert 0.45 < kinds.count("LEGAL_SERVICE") / len(kinds) < 0.55


def test_same_seed_same_files(tmp_path: Path) -> None:
    """A fixed seed gives byte-identical output files; another seed differs."""
    cfg = SimulationConfig.example("county")
    a = simulate(cfg, seed=3).write(tmp_path / "a")
    b = simulate(cfg, seed=3).write(tmp_path / "b")
    c = simulate(cfg, seed=4).write(tmp_path / "c")
    for name in ("run.json", "requests.jsonl", "summary.json", "report.md", "report.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "requests.jsonl").read_bytes() != (c / "requests.jsonl").read_bytes()
    assert '"seed": 3' in (a / "run.json").read_text(encoding="utf-8")


def test_every_request_is_counted_once() -> None:
    """Each simulated request lands in exactly one result row or is carried forward."""
    cfg = SimulationConfig.example("municipal_bureau")
    result = simulate(cfg, seed=2)
    report = annual_report(result.requests, cfg.year)
    t = report.table3
    assert report.problems == ()
    assert t["一"][-1] == len(result.requests)
    assert t["(七)"][-1] + t["四"][-1] == len(result.requests)
    assert t["四"][-1] == sum(1 for r in result.requests if r.is_open)
    late = sum(1 for r in result.records() if r["on_time"] is False)
    assert result.summary()["violations"].get("LATE_DECISION", 0) == late


def test_lifecycle_is_the_library_one() -> None:
    """Simulated requests are real Requests: their events replay to the same request."""
    from infopen import Request

    for r in simulate(SimulationConfig.example("county"), seed=5).requests[:50]:
        assert Request.from_dict(r.to_dict(), calendar=r.calendar) == r


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"staff": {"officers": 0}}, "officers"),
        ({"branches": {"p_fee": 1.5}}, "p_fee"),
        ({"outcomes": {"DISCLOSED": 0.5}}, "sum to 1"),
        ({"outcomes": {"MAYBE": 1.0}}, "unknown keys"),
        ({"staff": {"order": "random"}}, "order"),
        ({"branches": {"third_party_reply_days": [9, 3]}}, "third_party_reply_days"),
        ({"arrivals": {"speed": 3}}, "unknown configuration keys"),
    ],
)
def test_bad_configuration_names_the_key(data: dict[str, object], message: str) -> None:
    """A bad configuration raises naming the key and the rule."""
    with pytest.raises(ValueError, match=message):
        SimulationConfig.from_dict(data)


def test_toml_errors_name_the_file(tmp_path: Path) -> None:
    """Errors from a TOML file name the file."""
    path = tmp_path / "bad.toml"
    path.write_text("[staff]\nofficers = -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.toml: officers"):
        SimulationConfig.from_toml(path)


def test_sweep_collects_every_run() -> None:
    """A local sweep returns one row per combination and replicate, in grid order."""
    result = sweep(TINY, {"officers": [1, 2], "capacity": [1, 2]}, seed=1, replicates=1, workers=2)
    assert [(r["officers"], r["capacity"]) for r in result.rows] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert {(r["seed"], r["replicate"]) for r in result.rows} == {(1, 0)}
    assert all(r["requests"] == 2 for r in result.rows)
    assert [c["n"] for c in result.cells()] == [1, 1, 1, 1]


def test_sweep_refuses_bad_parameters_naming_the_valid_ones() -> None:
    """An unknown parameter lists the valid ones; a value the configuration refuses is named."""
    from infopen import InvalidInputError

    with pytest.raises(
        InvalidInputError, match=r"unknown parameters \['staff'\]; parameters: .*'officers'"
    ):
        sweep(TINY, {"staff": [1]})
    with pytest.raises(
        InvalidInputError, match=r"officers must be a whole number of people >= 1, got 1\.5"
    ):
        sweep(TINY, {"officers": [1, 1.5]})
    with pytest.raises(InvalidInputError, match="replicates"):
        sweep(TINY, {"officers": [1]}, replicates=0)
    with pytest.raises(InvalidInputError, match="daily_rate"):
        sweep(TINY, {"daily_rate": [float("nan")]})


COUNTY = SimulationConfig.example("county")


def test_replicates_share_their_streams_across_cells() -> None:
    """Common random numbers: replicate k sees the same requests making the same choices in
    every cell, so a cell with more staff answers the very same requests."""
    one = simulate(COUNTY, seed=4, replicate=2)
    two = simulate(attrs.evolve(COUNTY, officers=3, order="edd"), seed=4, replicate=2)
    other = simulate(COUNTY, seed=4, replicate=3)

    def arrivals(result: object) -> list[tuple[object, ...]]:
        return [
            (r.received_on, r.applicant_type, r.events[1].kind if len(r.events) > 1 else None)
            for r in result.requests
        ]  # type: ignore[attr-defined]

    assert [(r.received_on, r.applicant_type) for r in one.requests] == [
        (r.received_on, r.applicant_type) for r in two.requests
    ]
    assert [r.request_id for r in one.requests if r.events[-1].kind == "withdraw"] == [
        r.request_id for r in two.requests if r.events[-1].kind == "withdraw"
    ]
    assert arrivals(one) != arrivals(other)


def test_sweep_with_replicates_gives_paired_differences_with_intervals() -> None:
    """Five replicates per cell: a mean and 95 % interval per metric and cell, and paired
    differences against the first cell whose intervals exclude zero for a real effect."""
    result = sweep(COUNTY, {"officers": [1, 2]}, seed=1, replicates=5, workers=2)
    assert len(result.rows) == 10
    by_cell = [[r for r in result.rows if r["officers"] == n] for n in (1, 2)]
    # the same arrivals in replicate k of both cells, different arrivals across replicates
    assert [r["requests"] for r in by_cell[0]] == [r["requests"] for r in by_cell[1]]
    assert len({r["requests"] for r in by_cell[0]}) > 1
    cells = result.cells()
    for cell in cells:
        assert cell["n"] == 5
        assert cell["mean_backlog_low"] <= cell["mean_backlog_mean"] <= cell["mean_backlog_high"]
    base, more = result.differences("mean_backlog")
    assert (base["mean"], base["low"], base["high"]) == (0.0, 0.0, 0.0)
    assert more["n"] == 5
    assert more["high"] < 0  # a second officer shortens the backlog in every replicate pair
    diffs = [b["mean_backlog"] - a["mean_backlog"] for a, b in zip(*by_cell, strict=True)]
    assert more["mean"] == pytest.approx(sum(diffs) / 5)
    assert "late_share_DISCLOSED" in result.metrics
    assert result.rows[0]["estimated_rest_days"] == []


def test_confidence_interval_by_hand() -> None:
    """1..5: mean 3, s = 1.5811, t(4) = 2.776, half-width 2.776 * 1.5811 / sqrt(5) = 1.963."""
    from infopen._simulate import mean_ci, t975

    mean, low, high = mean_ci([1.0, 2.0, 3.0, 4.0, 5.0])
    assert mean == 3.0
    assert (low, high) == (pytest.approx(1.0370, abs=1e-4), pytest.approx(4.9630, abs=1e-4))
    assert mean_ci([2.0]) == (2.0, None, None)
    assert (t975(1), t975(35), t975(1000)) == (12.706, 2.042, 1.960)


def test_the_seed_can_be_swept() -> None:
    """``seed`` is a grid parameter like any other."""
    result = sweep(TINY, {"seed": [3, 4]}, replicates=2, workers=1)
    assert [(r["seed"], r["replicate"]) for r in result.rows] == [(3, 0), (3, 1), (4, 0), (4, 1)]


def test_sweep_on_a_dask_cluster() -> None:
    """A sweep with five replicates gives the same rows, intervals and paired differences
    on a dask.distributed cluster as on local processes."""
    from distributed import LocalCluster

    cfg = attrs.evolve(COUNTY, capacity=1, year=2025)
    grid = {"officers": [1, 2]}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = sweep(cfg, grid, seed=1, replicates=5, scheduler=cluster.scheduler_address)
    local = sweep(cfg, grid, seed=1, replicates=5, workers=2)
    assert remote == local
    assert remote.cells() == local.cells()
    diff = remote.differences("open_at_year_end")[1]
    assert diff == local.differences("open_at_year_end")[1]
    assert diff["n"] == 5
    assert diff["low"] <= diff["mean"] <= diff["high"] < 0  # a second officer clears the backlog


def test_on_time_share_of_due_counts_the_unanswered() -> None:
    """Thirty requests on 25 Nov 2026 and one answer a day: those still open at year end
    are due in the year and count as late among all due, not among the answered."""
    cfg = attrs.evolve(TINY, arrival_dates=(D(2026, 11, 25),) * 30)
    summary = simulate(cfg, seed=1).summary()
    # Ready on 27 Nov; 25 working days from 27 Nov to 31 Dec answer 25 of them.
    assert (summary["answered"], summary["open_at_year_end"]) == (25, 5)
    # Due 20 working days after 25 Nov: 23 Dec. Answers on 27 Nov..23 Dec (19 days) are on time.
    assert summary["on_time_share_of_answered"] == round(19 / 25, 4)
    assert summary["due_in_year"] == 30
    assert summary["on_time_share_of_due"] == round(19 / 30, 4)
    assert summary["late_share_by_outcome"] == {"DISCLOSED": round(6 / 25, 4)}


def test_estimated_days_are_recorded(tmp_path: Path) -> None:
    """A run in 2027 (no State Council notice yet) lists the estimated rest days its dates
    rest on, in summary.json and run.json, and flags each record whose due date does."""
    import json

    cfg = attrs.evolve(TINY, year=2027, arrival_dates=(D(2027, 9, 27),))
    result = simulate(cfg, seed=1)
    (record,) = result.records()
    assert record["estimated"] is True
    folder = result.write(tmp_path)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert "2027-10-01" in summary["estimated_rest_days"]
    assert run["estimated_rest_days"] == summary["estimated_rest_days"]
    assert summary["estimated_requests"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"arrival": {"daily_rate": 3}},
            r"unknown table \[arrival\]; tables: \['applicants', 'arrivals'",
        ),
        ({"staff": {"officers": 1.5}}, "officers must be a whole number of people"),
        ({"arrivals": {"daily_rate": -1}}, "daily_rate"),
        ({"arrivals": {"daily_rate": 1e9}}, "daily_rate"),
        ({"staff": {"daily_rate": 2}}, r"in \[staff\]; it takes \['officers'"),
        ({"year": "2025"}, "year"),
    ],
)
def test_configuration_tables_and_values_are_checked(data: dict[str, object], message: str) -> None:
    """An unknown table, a key in the wrong table, a non-integer officer count or an
    impossible rate is refused with the valid names."""
    from infopen import InvalidInputError

    with pytest.raises(InvalidInputError, match=message):
        SimulationConfig.from_dict(data)


def test_bundled_configurations_are_listed() -> None:
    """The bundled configurations are named, each with what it models; --list prints them."""
    from typer.testing import CliRunner

    from infopen._cli import app

    examples = SimulationConfig.examples()
    assert sorted(examples) == ["county", "municipal_bureau"]
    assert "county government office" in examples["county"]
    output = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["simulate", "--list"]).output
    assert "municipal_bureau" in output
    with pytest.raises(ValueError, match="bundled: \\['county', 'municipal_bureau'\\]"):
        SimulationConfig.example("province")


def test_plots_in_english_as_png_and_svg(tmp_path: Path) -> None:
    """--lang en labels the plots in English; each is written as PNG and SVG."""
    from infopen._plots import plot_result

    paths = plot_result(simulate(TINY, seed=1), tmp_path, lang="en")
    assert sorted(p.name for p in paths) == sorted(
        f"{stem}.{fmt}"
        for stem in ("backlog", "workdays", "on_time_by_month", "queue_workdays")
        for fmt in ("png", "pdf", "svg")
    )
    svg = (tmp_path / "workdays.svg").read_text(encoding="utf-8")
    assert "<!-- Working days to answer -->" in svg  # matplotlib keeps each text as a comment
    result = sweep(TINY, {"officers": [1, 2]}, replicates=2, workers=1)
    (png, _pdf, svg_path) = result.plot("p90_workdays", "officers", tmp_path / "s", lang="en")
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert svg_path.suffix == ".svg"


def test_sweep_cli_with_replicates_and_plot(tmp_path: Path) -> None:
    """`infopen sweep NAME --replicates 2 --plot METRIC` prints cells and writes both CSVs."""
    from typer.testing import CliRunner

    from infopen._cli import app

    cells, rows = tmp_path / "cells.csv", tmp_path / "rows.csv"
    result = CliRunner(env={"COLUMNS": "250"}).invoke(app, [
        "sweep", "county", "--staff", "1,2", "--replicates", "2", "--out", str(cells),
        "--rows", str(rows), "--plot", "open_at_year_end", "--plot-dir", str(tmp_path), "--lang", "en",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert cells.read_text(encoding="utf-8").startswith("officers,n,requests_mean,")
    assert len(rows.read_text(encoding="utf-8").splitlines()) == 5
    assert (tmp_path / "sweep_open_at_year_end_officers.svg").exists()


def test_plots_render_chinese_without_missing_glyphs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The PNG plots are written and no glyph is missing from the CJK font."""
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        folder = simulate(SimulationConfig.example("county"), seed=1).write(tmp_path, plot=True)
    for name in ("backlog.png", "workdays.png", "on_time_by_month.png", "queue_workdays.png"):
        assert (folder / name).read_bytes()[:4] == b"\x89PNG"
        assert (folder / name).with_suffix(".svg").exists()
    assert "missing from font" not in caplog.text


def test_a_missing_chinese_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a CJK font a Chinese plot names the fonts to install, or English to use."""
    from infopen import InfopenError, _plots

    monkeypatch.setattr(_plots, "_CJK_FAMILIES", ("No Such Font",))
    with pytest.raises(InfopenError, match=r"fonts-wqy-zenhei.*--lang en"):
        _plots.cjk_font()


# -- #22: a true FIFO, reproducible configurations, answers and non-answers apart --------

ONE_A_DAY = attrs.evolve(TINY, year=2025, arrival_dates=(), handling_days=(0, 0), signoff_hours=(0.0, 0.0),
                         capacity=1)  # fmt: skip


def test_fifo_answers_monday_before_wednesday() -> None:
    """Five requests on Monday and one on Wednesday, one officer answering one a day: the
    Wednesday request is answered after Monday's fifth (the queue key was its length)."""
    days = (D(2025, 3, 3),) * 5 + (D(2025, 3, 5),)
    recs = simulate(attrs.evolve(ONE_A_DAY, arrival_dates=days), seed=1).records()
    answered = [r["answered_on"] for r in recs]
    assert answered == ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07",
                        "2025-03-10"]  # fmt: skip


@settings(max_examples=25)
@given(days=simulated_arrivals, officers=st.integers(1, 3), capacity=st.integers(1, 3))
def test_fifo_answers_in_arrival_order(days: list[dt.date], officers: int, capacity: int) -> None:
    """Under "fifo", requests that need the same work are answered in their arrival order,
    whatever the arrivals, staff and capacity."""
    cfg = attrs.evolve(ONE_A_DAY, arrival_dates=tuple(days), officers=officers,
                       capacity=capacity, search_hours=(1.0, 1.0), review_hours=(2.0, 2.0),
                       hours_per_day=3.0)  # fmt: skip
    recs = simulate(cfg, seed=3).records()
    order = sorted(recs, key=lambda r: (r["received"], r["request_id"]))
    answered = [r["answered_on"] for r in order]
    assert answered == sorted(answered)


def test_a_configuration_reloaded_reproduces_its_run(tmp_path: Path) -> None:
    """run.json's configuration, and TOML files listing the shares in any order, give the
    very same records as the original run."""
    import json

    cfg = SimulationConfig.example("county")
    original = simulate(cfg, seed=2)
    folder = original.write(tmp_path / "run")
    data = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    reloaded = SimulationConfig.from_dict(data["config"])
    assert reloaded == cfg
    assert simulate(reloaded, seed=2).records() == original.records()
    text = (Path(__file__).parents[1] / "src/infopen/examples/county.toml").read_text(
        encoding="utf-8"
    )
    head, outcomes = text.split("[outcomes]", 1)
    body, rest = outcomes.split("\n\n", 1)
    lines = body.splitlines()
    shuffled = head + "[outcomes]\n" + "\n".join([lines[0], *reversed(lines[1:])]) + "\n\n" + rest
    path = tmp_path / "reordered.toml"
    path.write_text(shuffled, encoding="utf-8")
    other = SimulationConfig.from_toml(path)
    assert list(other.outcomes) == list(cfg.outcomes)
    assert simulate(other, seed=2).records() == original.records()


def test_withdrawn_and_abandoned_are_not_on_time() -> None:
    """Withdrawn and abandoned requests are neither on time nor late; they are counted apart."""
    cfg = attrs.evolve(COUNTY, p_withdraw=0.3, p_correction=0.3, p_correction_answered=0.0)
    result = simulate(cfg, seed=1)
    recs = result.records()
    closed = [r for r in recs if r["outcome"] in ("WITHDRAWN", "ABANDONED_NO_CORRECTION")]
    assert closed
    assert all(r["on_time"] is None for r in closed)
    summary = result.summary()
    assert summary["withdrawn"] == sum(1 for r in closed if r["outcome"] == "WITHDRAWN")
    assert summary["abandoned"] == sum(1 for r in closed if r["outcome"] != "WITHDRAWN")
    decided = [r for r in recs if r["events"][-1]["type"] == "decide"]
    assert summary["answered"] == len(decided)
    on_time = sum(1 for r in decided if r["on_time"])
    assert summary["on_time_share_of_answered"] == round(on_time / len(decided), 4)


# -- #22: elapsed time, staff as a resource -------------------------------------------------


def test_elapsed_time_is_the_same_in_simulation_and_audit() -> None:
    """Statutory working days used leave out a consultation's pause and restart after a
    correction; the audit of the same events counts the same, with the calendar days."""
    from infopen import Request
    from infopen._audit import audit
    from infopen._elapsed import request_elapsed

    r = Request.receive(D(2025, 3, 3), request_id="e1")
    r.consult_third_party(D(2025, 3, 5))  # pause from Wed 5 March ...
    r.third_party_replied(D(2025, 3, 12))  # ... to Wed 12 March: 5 working days not counted
    r.decide(D(2025, 3, 20), "DISCLOSED")
    # 3 Mar -> 20 Mar: 13 working days, 5 of them paused; 17 calendar days.
    assert request_elapsed(r, D(2025, 3, 20)) == (8, 17)
    c = Request.receive(D(2025, 3, 3), request_id="e2")
    c.request_correction(D(2025, 3, 4), reply_by=D(2025, 3, 19))
    c.receive_correction(D(2025, 3, 10))  # the clock restarts on 10 March
    c.decide(D(2025, 3, 14), "DISCLOSED")
    assert request_elapsed(c, D(2025, 3, 14)) == (4, 11)
    rows = [
        {"编号": "e1", "收到日期": "2025-03-03", "征求意见日期": "2025-03-05",
         "意见答复日期": "2025-03-12", "答复日期": "2025-03-20", "答复结果": "予以公开"},
        {"编号": "e2", "收到日期": "2025-03-03", "补正告知日期": "2025-03-04",
         "补正期限": "2025-03-19", "补正收到日期": "2025-03-10", "答复日期": "2025-03-14",
         "答复结果": "予以公开"},
    ]  # fmt: skip
    audited = audit(rows, as_of=D(2025, 12, 31))
    assert [(a.workdays_taken, a.calendar_days) for a in audited.rows] == [(8, 17), (4, 11)]


def test_officers_spend_hours_and_two_or_three_differ() -> None:
    """Officers work on every stage: in the county example a third officer shortens the wait
    for an officer and lowers each officer's utilisation, in every one of five replicates."""
    for k in range(5):
        two = simulate(attrs.evolve(COUNTY, officers=2), seed=1, replicate=k).summary()
        three = simulate(attrs.evolve(COUNTY, officers=3), seed=1, replicate=k).summary()
        assert two["requests"] == three["requests"]
        assert three["queue_workdays"]["mean"] < two["queue_workdays"]["mean"]
        assert max(three["utilisation"]) < min(two["utilisation"])
        assert len(three["utilisation"]) == 3
        assert 0 < min(three["utilisation"]) <= max(two["utilisation"]) <= 1


def test_absent_officers_answer_nothing() -> None:
    """An officer on leave every working day gives no hours: nothing is answered."""
    cfg = attrs.evolve(ONE_A_DAY, arrival_dates=(D(2025, 3, 3),) * 3, leave_days=250.0,
                       search_hours=(1.0, 1.0))  # fmt: skip
    result = simulate(cfg, seed=1)
    assert result.summary()["answered"] == 0
    assert result.utilisation() == [None]


def test_waiting_days_late_and_net_days_are_reported() -> None:
    """One officer, thirty requests on one day needing a day's search each: the k-th waits k
    working days for its search and one for its review (the day's hours are spent); the
    late answers have their working days late."""
    cfg = attrs.evolve(ONE_A_DAY, arrival_dates=(D(2025, 3, 3),) * 30, search_hours=(6.0, 6.0),
                       hours_per_day=6.0)  # fmt: skip
    result = simulate(cfg, seed=1)
    recs = result.records()
    assert [r["queue_workdays"] for r in recs] == list(range(1, 31))
    late = [r for r in recs if r["on_time"] is False]
    assert late
    assert all(r["days_late"] > 0 for r in late)
    summary = result.summary()
    assert summary["queue_workdays"]["max"] == 30
    assert summary["days_late"]["max"] == max(r["days_late"] for r in late)
    assert summary["utilisation"] == [round(30 * 6 / summary_hours(result), 4)]


def summary_hours(result: object) -> float:
    """Hours the one officer was present in the year."""
    return result.officer_hours[0][1]  # type: ignore[attr-defined,no-any-return]


# -- #22: warm-up, backlog, carry-over -----------------------------------------------------


def test_warm_up_and_backlog_start_the_year_busy() -> None:
    """A warm-up and an initial backlog leave requests open on 1 January, counted as
    carried in and left out of the year's measures; the annual report carries them."""
    cold = simulate(COUNTY, seed=1)
    warm = simulate(attrs.evolve(COUNTY, warmup_days=60, initial_backlog=15), seed=1)
    assert cold.summary()["carried_in"] == 0
    summary = warm.summary()
    assert summary["carried_in"] > 15
    assert summary["requests"] == sum(1 for r in warm.requests if r.received_on.year == 2025)
    report = annual_report(warm.requests, 2025)
    assert report.table3["二"][-1] > 0  # 上年结转
    assert report.problems == ()


def test_carry_over_from_a_previous_run() -> None:
    """The requests open at the end of last year's run start this year's."""
    last = simulate(attrs.evolve(COUNTY, year=2024), seed=1)
    open_last = sum(1 for r in last.requests if r.is_open)
    assert open_last > 0
    this = simulate(COUNTY, seed=1, carry_over=last)
    assert this.summary()["carried_in"] == open_last
    with pytest.raises(InvalidTypeError, match="carry_over must be"):
        simulate(COUNTY, carry_over="last year")  # type: ignore[arg-type]


# -- #22: statistics -------------------------------------------------------------------------


def test_common_random_numbers_survive_a_change_of_one_month() -> None:
    """A March surge leaves every other day's requests, and their choices, as they were."""
    surge = attrs.evolve(
        COUNTY, monthly_factors=tuple(f * 1.3 if m == 2 else f for m, f in
                                      enumerate(COUNTY.monthly_factors))
    )  # fmt: skip
    base, more = simulate(COUNTY, seed=1), simulate(surge, seed=1)

    def arrivals(result: object) -> dict[str, object]:
        """Each request's own draws: its applicant, its path (extensions, which depend on
        the queue, aside) and its outcome; requests received in November and December may
        still be open at the year's end in one run and not in the other."""
        return {
            r.request_id: (
                r.applicant_type,
                [e.kind for e in r.events if e.kind != "extend"],
                r.outcome,
            )
            for r in result.requests  # type: ignore[attr-defined]
            if r.received_on.month not in (3, 11, 12)
        }

    assert arrivals(base) == arrivals(more)
    kinds = [{r.request_id: r.applicant_type for r in x.requests if r.received_on.month == 3}
             for x in (base, more)]  # fmt: skip
    assert all(kinds[1][rid] == kind for rid, kind in kinds[0].items())  # the k-th of a day
    march = [sum(1 for r in x.requests if r.received_on.month == 3) for x in (base, more)]
    assert march[1] > march[0]


def test_intervals_cover_at_the_default_replicates() -> None:
    """The 95 % t interval over DEFAULT_REPLICATES runs covers the true mean about 95 % of
    the time: 4,000 synthetic samples of skewed (Poisson, like counts) and normal values."""
    import numpy as np

    from infopen._sweep import DEFAULT_REPLICATES, mean_ci

    rng = np.random.default_rng(2026)
    for draw, truth in ((lambda: rng.poisson(6.0, DEFAULT_REPLICATES), 6.0),
                        (lambda: rng.normal(0.9, 0.05, DEFAULT_REPLICATES), 0.9)):  # fmt: skip
        hits = 0
        for _ in range(4000):
            _mean, low, high = mean_ci([float(v) for v in draw()])
            hits += low <= truth <= high
        assert 0.935 <= hits / 4000 <= 0.965
    assert DEFAULT_REPLICATES == 20


def test_duplicate_grid_values_are_refused() -> None:
    """Two identical cells would pair with themselves: a zero-width "interval"."""
    with pytest.raises(InvalidInputError, match="lists 1 twice"):
        sweep(TINY, {"officers": [1, 1]})


def test_workers_1_runs_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``workers=1`` needs no process pool (and so no ``__main__`` guard)."""
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    result = sweep(TINY, {"officers": [1, 2]}, replicates=2, workers=1)
    assert len(result.rows) == 4


def test_one_month_can_be_swept_and_plotting_a_list_is_refused(tmp_path: Path) -> None:
    """``monthly_factors.3`` sweeps March alone; plotting against a whole list is an
    InfopenError that says what to sweep instead."""
    from infopen import InfopenError

    result = sweep(COUNTY, {"monthly_factors.3": [1.1, 1.43]}, replicates=2, workers=1)
    march = [r["requests"] for r in result.rows]
    assert march[2] > march[0]
    assert march[3] > march[1]
    whole = sweep(TINY, {"monthly_factors": [(1.0,) * 12, (2.0,) * 12]}, replicates=1, workers=1)
    with pytest.raises(InfopenError, match=r"monthly_factors\.3"):
        whole.plot("requests", "monthly_factors", tmp_path)
    with pytest.raises(InvalidInputError, match=r"entries 1\.\.12"):
        sweep(TINY, {"monthly_factors.13": [1.0]})


def test_parquet_with_its_manifest(tmp_path: Path) -> None:
    """Rows as a DataFrame and parquet, with the manifest (base configuration, grid, seeds,
    replicates, package versions) beside them."""
    import json

    import pandas as pd

    result = sweep(TINY, {"officers": [1, 2]}, seed=4, replicates=2, workers=1)
    frame = result.to_frame()
    assert list(frame["officers"]) == [1, 1, 2, 2]
    table, manifest = result.to_parquet(tmp_path / "rows.parquet")
    assert pd.read_parquet(table)["replicate"].tolist() == [0, 1, 0, 1]
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert manifest.name == "rows.manifest.json"
    assert data["grid"] == {"officers": [1, 2]}
    assert (data["seed"], data["replicates"]) == (4, 2)
    assert data["base_config"] == TINY.to_dict()
    assert {"infopen", "numpy", "simpy", "pandas", "pyarrow", "python"} <= set(data["versions"])


def test_figures_for_print(tmp_path: Path) -> None:
    """A sweep figure as PDF and SVG (and PNG at 300 dpi), labelled in both languages."""
    result = sweep(TINY, {"officers": [1, 2]}, replicates=2, workers=1)
    paths = result.plot("answered", "officers", tmp_path)
    assert sorted(p.suffix for p in paths) == [".pdf", ".png", ".svg"]
    assert (tmp_path / "sweep_answered_officers.pdf").read_bytes()[:4] == b"%PDF"
    svg = (tmp_path / "sweep_answered_officers.svg").read_text(encoding="utf-8")
    assert "均值" in svg
    assert "mean" in svg
    from PIL import Image

    with Image.open(tmp_path / "sweep_answered_officers.png") as png:
        assert round(png.info["dpi"][0]) == 300


# -- #22: workflow -----------------------------------------------------------------------------


def test_a_2026_run_lists_the_estimated_days_its_records_use() -> None:
    """A 2026 run whose December requests are due in 2027 lists the estimated 2027 rest days
    their due dates rest on; a run with no 2027 date lists none and does not warn."""
    late = simulate(attrs.evolve(TINY, arrival_dates=(D(2026, 12, 21),)), seed=1)
    (record,) = late.records()
    assert record["estimated"] is True
    days = late.summary()["estimated_rest_days"]
    assert days
    assert all(d.startswith("2027") and d <= record["due_date"] for d in days)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        early = simulate(attrs.evolve(TINY, arrival_dates=(D(2026, 3, 2),)), seed=1)
        assert early.summary()["estimated_rest_days"] == []


def test_report_reads_a_simulations_requests(tmp_path: Path) -> None:
    """`infopen report` reads the requests.jsonl `infopen simulate` writes."""
    from typer.testing import CliRunner

    from infopen._cli import app

    folder = simulate(TINY, seed=1).write(tmp_path)
    result = CliRunner().invoke(app, ["report", str(folder / "requests.jsonl"), "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "一、本年新收政府信息公开申请数量 | 2 |" in result.output


def test_cli_sweeps_any_field(tmp_path: Path) -> None:
    """`infopen sweep --grid officers=2,3 --grid monthly_factors.3=1.0,1.3` sweeps both."""
    from typer.testing import CliRunner

    from infopen._cli import app

    rows = tmp_path / "rows.csv"
    result = CliRunner(env={"COLUMNS": "250"}).invoke(app, [
        "sweep", "county", "--grid", "officers=2,3", "--grid", "monthly_factors.3=1.0,1.3",
        "--replicates", "2", "--workers", "1", "--rows", str(rows),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = rows.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("officers,monthly_factors.3,seed,replicate,")
    assert len(lines) == 9
    bad = CliRunner().invoke(app, ["sweep", "county", "--grid", "officers"])
    assert bad.exit_code == 2


# -- #22: calibration from an audited register ----------------------------------------------


def _register(tmp_path: Path) -> Path:
    """A year's register as an agency keeps it, written from a busy one-officer run."""
    import csv

    truth = attrs.evolve(COUNTY, officers=1, hours_per_day=7.0, p_third_party=0.0,
                         p_agency=0.0, p_fee=0.0, p_correction=0.0)  # fmt: skip
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "收到日期", "延期日期", "答复日期", "答复结果"])
        for r in simulate(truth, seed=5).requests:
            ext = next((e.on.isoformat() for e in r.events if e.kind == "extend"), "")
            end = next((e for e in r.events if e.kind in ("decide", "withdraw")), None)
            w.writerow([r.request_id, r.received_on, ext, end.on if end else "",
                        end.params["outcome"] if end else ""])  # fmt: skip
    return path


def test_a_calibrated_year_matches_the_register(tmp_path: Path) -> None:
    """A register audited as `infopen audit` does calibrates a configuration whose simulated
    year has the register's monthly arrivals and on-time share within the reported intervals;
    the handling time is the register's own distribution, not a uniform range."""
    from infopen import audit
    from infopen._calibrate import calibrate
    from infopen._sim_config import Empirical

    audited = audit(_register(tmp_path), as_of=D(2025, 12, 31))
    fit = calibrate(audited, SimulationConfig)
    assert SimulationConfig.from_audit(audited) == fit.config
    assert isinstance(fit.config.handling_days, Empirical)
    report = fit.report
    assert [m["observed"] for m in report["months"]] == [
        sum(1 for r in audited.rows if r.received.month == m) for m in range(1, 13)
    ]
    for seed in (1, 2, 3):
        run = simulate(fit.config, seed=seed)
        months = [sum(1 for r in run.requests if r.received_on.month == m) for m in range(1, 13)]
        for got, month in zip(months, report["months"], strict=True):
            assert month["low"] <= got <= month["high"], (seed, month)
        share = run.summary()["on_time_share_of_answered"]
        assert report["on_time"]["low"] <= share <= report["on_time"]["high"], seed
    assert "month  3: register" in fit.render()


def test_calibrate_on_the_command_line(tmp_path: Path) -> None:
    """`infopen calibrate REGISTER --out fit.json` reports the fit; `infopen simulate
    fit.json` runs it, and `--calibrate-from` does both at once."""
    from typer.testing import CliRunner

    from infopen._cli import app

    register, fit = _register(tmp_path), tmp_path / "fit.json"
    runner = CliRunner(env={"COLUMNS": "200"})
    done = runner.invoke(
        app, ["calibrate", str(register), "--as-of", "2025-12-31", "--out", str(fit)]
    )
    assert done.exit_code == 0, done.output
    assert "on-time share of decided" in done.output
    run = runner.invoke(app, ["simulate", str(fit), "--out", str(tmp_path / "a")])
    assert run.exit_code == 0, run.output
    once = runner.invoke(
        app, ["simulate", "--calibrate-from", str(register), "--out", str(tmp_path / "b")]
    )
    assert once.exit_code == 0, once.output


def test_measures_are_the_summary_without_violations() -> None:
    """The sweeps' faster measures agree with the summary on everything but violations."""
    run = simulate(COUNTY, seed=3)
    full, fast = run.summary(), run.measures()
    assert fast.pop("violations") == {}
    full.pop("violations")
    assert fast == full


def test_dataframes_need_the_research_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas (or pyarrow) the error names `pip install "infopen[research]"`."""
    import sys

    from infopen import MissingExtraError

    result = sweep(TINY, {"officers": [1, 2]}, replicates=1, workers=1)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"infopen\[research\]"):
        result.to_frame()

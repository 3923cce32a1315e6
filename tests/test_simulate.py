"""The simulation: reproducible, computable by hand, conserving every request, parallel sweeps."""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from pathlib import Path

import attrs
import pytest

from infopen._report import annual_report
from infopen._simulate import SimulationConfig, simulate, sweep

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
        for stem in ("backlog", "workdays", "on_time_by_month")
        for fmt in ("png", "svg")
    )
    svg = (tmp_path / "workdays.svg").read_text(encoding="utf-8")
    assert "<!-- Working days to answer -->" in svg  # matplotlib keeps each text as a comment
    result = sweep(TINY, {"officers": [1, 2]}, replicates=2, workers=1)
    (png, svg_path) = result.plot("p90_workdays", "officers", tmp_path / "s", lang="en")
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
    for name in ("backlog.png", "workdays.png", "on_time_by_month.png"):
        assert (folder / name).read_bytes()[:4] == b"\x89PNG"
        assert (folder / name).with_suffix(".svg").exists()
    assert "missing from font" not in caplog.text


def test_a_missing_chinese_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a CJK font a Chinese plot names the fonts to install, or English to use."""
    from infopen import InfopenError, _plots

    monkeypatch.setattr(_plots, "_CJK_FAMILIES", ("No Such Font",))
    with pytest.raises(InfopenError, match=r"fonts-wqy-zenhei.*--lang en"):
        _plots.cjk_font()

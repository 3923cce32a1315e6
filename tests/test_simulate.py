"""The simulation: reproducible, computable by hand, conserving every request, parallel sweeps."""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from pathlib import Path

import pytest

from infopen._report import annual_report
from infopen._simulate import SimulationConfig, simulate, sweep

D = dt.date
TINY = SimulationConfig.from_dict({
    "name": "tiny", "year": 2026,
    "arrival_dates": ["2026-09-28", "2026-09-28"],
    "staff": {"officers": 1, "capacity": 1, "handling_days": [2, 2]},
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
    assert result.summary()["on_time_share"] == 1.0


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
    """A local sweep returns one row per combination, in grid order, with its own seed."""
    rows = sweep(TINY, {"officers": [1, 2], "capacity": [1, 2]}, seed=1, workers=2)
    assert [(r["officers"], r["capacity"]) for r in rows] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert len({r["seed"] for r in rows}) == 4
    assert all(r["requests"] == 2 for r in rows)
    with pytest.raises(ValueError, match="unknown parameters"):
        sweep(TINY, {"staff": [1]})


def test_sweep_on_a_dask_cluster() -> None:
    """The same sweep runs on a dask.distributed cluster given its address."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        rows = sweep(TINY, {"officers": [1, 2]}, seed=1, scheduler=cluster.scheduler_address)
    local = sweep(TINY, {"officers": [1, 2]}, seed=1, workers=1)
    assert rows == local


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
    assert "missing from font" not in caplog.text

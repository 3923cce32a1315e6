"""
Plots of a simulation and of a sweep (matplotlib), labelled in Chinese or English, saved as
PNG and SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ._errors import FontNotFoundError, InvalidInputError, MissingExtraError
from ._i18n import Lang, translate


# What the plots read of a simulation's results (``_simulate`` calls these functions, so
# this module does not import it: no import cycle).
class SimulationResult(Protocol):
    @property
    def config(self) -> Any: ...
    @property
    def backlog(self) -> Any: ...
    def records(self) -> Any: ...


class SweepResult(Protocol):
    @property
    def metrics(self) -> Any: ...
    @property
    def parameters(self) -> Any: ...
    @property
    def replicates(self) -> Any: ...
    def cells(self) -> Any: ...


__all__ = ["FORMATS", "cjk_font", "plot_result", "plot_sweep"]

_CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Source Han Sans SC",
                 "SimHei", "Microsoft YaHei", "PingFang SC")  # fmt: skip
#: The formats every plot is saved in.
FORMATS = ("png", "svg")


def cjk_font() -> str:
    """
    The first installed font family that has Chinese glyphs.

    Raises:
        FontNotFoundError: naming the fonts looked for and how to install one (or to
            plot in English with ``lang="en"``).
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    msg = (
        f"no Chinese font found for the plots (looked for {', '.join(_CJK_FAMILIES)}); "
        "install one (Debian: apt install fonts-wqy-zenhei or fonts-noto-cjk) or plot in "
        "English (--lang en)"
    )
    raise FontNotFoundError(msg)


def _pyplot(lang: Lang, text: str) -> Any:
    """pyplot set up for ``lang``: a CJK font when Chinese is shown (labels or ``text``)."""
    if lang not in ("zh", "en"):
        msg = f"lang must be 'zh' or 'en', got {lang!r}"
        raise InvalidInputError(msg)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise MissingExtraError("Simulation plots", "sim", "matplotlib") from None
    import logging

    # The CJK fonts ship one weight; matplotlib logs each substitution at WARNING level.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    if lang == "zh" or not text.isascii():
        plt.rcParams["font.sans-serif"] = [cjk_font()]
    else:
        plt.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "infopen"  # the same plot gives the same SVG
    return plt


def _save(plt: Any, fig: Any, folder: Path, stem: str, paths: list[Path]) -> None:
    fig.tight_layout()
    for fmt in FORMATS:
        path = folder / f"{stem}.{fmt}"
        fig.savefig(path, dpi=100, metadata={"Software": None} if fmt == "png" else {"Date": None})
        paths.append(path)
    plt.close(fig)


def plot_result(result: SimulationResult, folder: Path, *, lang: Lang = "zh") -> list[Path]:
    """
    Backlog over time, working days to answer, on-time share by month: PNG and SVG files
    in ``folder``, labelled in ``lang``.
    """
    _ = translate(lang)
    plt = _pyplot(lang, result.config.name)
    import numpy as np

    records = result.records()
    paths: list[Path] = []
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(
        np.array([d for d, _n in result.backlog], dtype="datetime64[D]"),
        [n for _d, n in result.backlog],
    )
    ax.set_title(_("{name}：待办申请数量").format(name=result.config.name))
    ax.set_xlabel(_("日期"))
    ax.set_ylabel(_("未办结申请（件）"))
    _save(plt, fig, folder, "backlog", paths)

    taken = [r["workdays_taken"] for r in records if r["workdays_taken"] is not None]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(taken, bins=range(max(taken, default=1) + 2))
    ax.axvline(20, color="red", linestyle="--", label=_("20 个工作日（条例第三十三条）"))
    ax.set_title(_("答复所用工作日分布"))
    ax.set_xlabel(_("工作日"))
    ax.set_ylabel(_("申请数量（件）"))
    ax.legend()
    _save(plt, fig, folder, "workdays", paths)

    by_month: dict[int, list[bool]] = {}
    for r in records:
        if r["on_time"] is not None and r["answered_on"]:
            by_month.setdefault(int(r["answered_on"][5:7]), []).append(bool(r["on_time"]))
    months = sorted(by_month)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(months, [sum(v) / len(v) for m in months for v in [by_month[m]]])
    ax.set_ylim(0, 1)
    ax.set_title(_("按月按期答复率（已答复的申请）"))
    ax.set_xlabel(_("月份"))
    ax.set_ylabel(_("按期答复比例"))
    _save(plt, fig, folder, "on_time_by_month", paths)
    return paths


def plot_sweep(
    result: SweepResult,
    metric: str,
    parameter: str,
    folder: Path,
    *,
    lang: Lang = "zh",
) -> list[Path]:
    """
    ``metric`` against ``parameter``: the mean over replicates with its 95 % confidence
    band, one line per combination of the other parameters; PNG and SVG files named
    ``sweep_<metric>_<parameter>`` in ``folder``.

    Raises:
        InvalidInputError: a metric or parameter the sweep does not have (both listed).
    """
    if metric not in result.metrics:
        msg = f"unknown metric {metric!r}; metrics: {list(result.metrics)}"
        raise InvalidInputError(msg)
    if parameter not in result.parameters:
        msg = f"{parameter!r} was not swept; parameters: {list(result.parameters)}"
        raise InvalidInputError(msg)
    _ = translate(lang)
    plt = _pyplot(lang, "")
    others = [p for p in result.parameters if p != parameter]
    lines: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for cell in result.cells():
        lines.setdefault(tuple(cell[p] for p in others), []).append(cell)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for key, cells in lines.items():
        cells = [c for c in cells if c[f"{metric}_mean"] is not None]
        xs = [c[parameter] for c in cells]
        label = ", ".join(f"{p}={v}" for p, v in zip(others, key, strict=True)) or None
        (line,) = ax.plot(xs, [c[f"{metric}_mean"] for c in cells], marker="o", label=label)
        if all(c[f"{metric}_low"] is not None for c in cells):
            ax.fill_between(xs, [c[f"{metric}_low"] for c in cells],
                            [c[f"{metric}_high"] for c in cells], alpha=0.2,
                            color=line.get_color())  # fmt: skip
    ax.set_xlabel(parameter)
    ax.set_ylabel(metric)
    ax.set_title(
        _("{metric} 与 {parameter}：均值及 95% 置信区间（{n} 次重复）").format(
            metric=metric, parameter=parameter, n=result.replicates
        )
    )
    if others:
        ax.legend()
    paths: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    _save(plt, fig, folder, f"sweep_{metric}_{parameter}", paths)
    return paths

"""
Plots of a simulation and of a sweep (matplotlib), labelled in Chinese, English or both
(``lang="both"``: "中文 / English"), saved for print as PDF and SVG (vector) and as PNG at
300 dpi, with integer ticks on counts and nothing clipped (``bbox_inches="tight"``).
"""

from __future__ import annotations

from collections.abc import Callable
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
    @property
    def rows(self) -> Any: ...
    def cells(self) -> Any: ...


__all__ = ["DPI", "FORMATS", "cjk_font", "labeller", "plot_result", "plot_sweep"]

_CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Source Han Sans SC",
                 "SimHei", "Microsoft YaHei", "PingFang SC")  # fmt: skip
#: The formats every plot is saved in: vector for print, PNG for the web.
FORMATS = ("png", "pdf", "svg")
#: Print resolution of the PNG (and of any raster part of the PDF).
DPI = 300


def labeller(lang: str) -> Callable[[str], str]:
    """
    Chinese text -> the label in ``lang``: ``zh``, ``en`` or ``both`` ("中文 / English").
    """
    if lang not in ("zh", "en", "both"):
        msg = f"lang must be 'zh', 'en' or 'both', got {lang!r:.40}"
        raise InvalidInputError(msg)
    if lang == "both":
        en = translate("en")
        return lambda text: f"{text} / {en(text)}" if en(text) != text else text
    return translate("en" if lang == "en" else "zh")


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


def _pyplot(lang: str, text: str) -> Any:
    """pyplot set up for ``lang``: a CJK font when Chinese is shown (labels or ``text``)."""
    labeller(lang)  # checks lang
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise MissingExtraError("Simulation plots", "sim", "matplotlib") from None
    import logging

    # The CJK fonts ship one weight; matplotlib logs each substitution at WARNING level.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    # The PDF backend subsets fonts with fontTools, which logs every step at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if lang != "en" or not text.isascii():
        plt.rcParams["font.sans-serif"] = [cjk_font()]
    else:
        plt.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "infopen"  # the same plot gives the same SVG
    plt.rcParams["pdf.fonttype"] = 42  # TrueType in the PDF: text stays text for journals
    return plt


_METADATA = {"png": {"Software": None}, "svg": {"Date": None},
             "pdf": {"CreationDate": None, "ModDate": None, "Producer": None}}  # fmt: skip


def _save(plt: Any, fig: Any, folder: Path, stem: str, paths: list[Path]) -> None:
    for fmt in FORMATS:
        path = folder / f"{stem}.{fmt}"
        fig.savefig(path, dpi=DPI, bbox_inches="tight", metadata=_METADATA[fmt])
        paths.append(path)
    plt.close(fig)


def _integer_ticks(axis: Any) -> None:
    """Counts get whole-number ticks."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def plot_result(result: SimulationResult, folder: Path, *, lang: Lang | str = "zh") -> list[Path]:
    """
    Backlog over time, statutory working days used to answer, on-time share by month and
    the working days requests waited for an officer: PNG, PDF and SVG files in ``folder``,
    labelled in ``lang`` (``zh``, ``en`` or ``both``).
    """
    _ = labeller(lang)
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
    _integer_ticks(ax.yaxis)
    _save(plt, fig, folder, "backlog", paths)

    taken = [r["workdays_taken"] for r in records if r["workdays_taken"] is not None]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(taken, bins=range(max(taken, default=1) + 2))
    ax.axvline(20, color="red", linestyle="--", label=_("20 个工作日（条例第三十三条）"))
    ax.set_title(_("答复所用工作日分布"))
    ax.set_xlabel(_("工作日"))
    ax.set_ylabel(_("申请数量（件）"))
    _integer_ticks(ax.xaxis)
    _integer_ticks(ax.yaxis)
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
    _integer_ticks(ax.xaxis)
    ax.set_ylabel(_("按期答复比例"))
    _save(plt, fig, folder, "on_time_by_month", paths)

    waits = [r["queue_workdays"] for r in records if r.get("queue_workdays") is not None]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(waits, bins=range(max(waits, default=1) + 2))
    ax.set_title(_("等待办理人员的工作日分布"))
    ax.set_xlabel(_("工作日"))
    ax.set_ylabel(_("申请数量（件）"))
    _integer_ticks(ax.xaxis)
    _integer_ticks(ax.yaxis)
    _save(plt, fig, folder, "queue_workdays", paths)
    return paths


_COUNTS = frozenset({"requests", "answered", "withdrawn", "abandoned", "open_at_year_end",
                     "due_in_year", "late_answers", "max_backlog",
                     *(f"backlog_{m:02d}" for m in range(1, 13))})  # fmt: skip


def plot_sweep(
    result: SweepResult,
    metric: str,
    parameter: str,
    folder: Path,
    *,
    lang: Lang | str = "both",
) -> list[Path]:
    """
    ``metric`` against ``parameter``: the mean over replicates with its 95 % confidence
    band, one line per combination of the other parameters; PNG, PDF and SVG files named
    ``sweep_<metric>_<parameter>`` in ``folder``.

    Raises:
        InvalidInputError: a metric or parameter the sweep does not have (both listed), or
            a parameter whose values are not numbers (a whole list such as
            ``monthly_factors``: sweep one entry, ``monthly_factors.3``, instead).
    """
    if metric not in result.metrics:
        msg = f"unknown metric {metric!r}; metrics: {list(result.metrics)}"
        raise InvalidInputError(msg)
    if parameter not in result.parameters:
        msg = f"{parameter!r:.40} was not swept; parameters: {list(result.parameters)}"
        raise InvalidInputError(msg)
    values = [row[parameter] for row in result.rows]
    if not all(isinstance(v, (int, float, str)) for v in values):
        msg = (
            f"cannot plot against {parameter!r:.40}: its values are lists, not numbers; sweep "
            f"one entry instead (e.g. {parameter}.3 for the third) and plot against that"
        )
        raise InvalidInputError(msg)
    _ = labeller(lang)
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
    if all(isinstance(v, int) for v in values):
        _integer_ticks(ax.xaxis)
    if metric in _COUNTS:
        _integer_ticks(ax.yaxis)
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

"""
Plots of a simulation (matplotlib, PNG) with Chinese labels rendered in a CJK font.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import MissingExtraError

if TYPE_CHECKING:
    from ._simulate import SimulationResult

__all__ = ["cjk_font", "plot_result"]

_CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Source Han Sans SC",
                 "SimHei", "Microsoft YaHei", "PingFang SC")  # fmt: skip


def cjk_font() -> str:
    """The first installed font family that has Chinese glyphs."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    msg = (
        "no Chinese font found for the plots; install one (Debian: apt install fonts-wqy-zenhei "
        "or fonts-noto-cjk) — scripts/system-deps.sh does this for the tests"
    )
    raise RuntimeError(msg)


def plot_result(result: SimulationResult, folder: Path) -> list[Path]:
    """Backlog over time, working days to answer, on-time share by month."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise MissingExtraError("Simulation plots", "sim", "matplotlib") from None
    import logging

    # The CJK fonts ship one weight; matplotlib logs each substitution at WARNING level.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    plt.rcParams["font.sans-serif"] = [cjk_font()]
    plt.rcParams["axes.unicode_minus"] = False
    records = result.records()
    paths = []

    def save(fig: Any, name: str) -> None:
        path = folder / name
        fig.tight_layout()
        fig.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(fig)
        paths.append(path)

    fig, ax = plt.subplots(figsize=(8, 3.5))
    import numpy as np

    ax.plot(
        np.array([d for d, _n in result.backlog], dtype="datetime64[D]"),
        [n for _d, n in result.backlog],
    )
    ax.set_title(f"{result.config.name}：待办申请数量")
    ax.set_xlabel("日期")
    ax.set_ylabel("未办结申请（件）")
    save(fig, "backlog.png")

    taken = [r["workdays_taken"] for r in records if r["workdays_taken"] is not None]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(taken, bins=range(max(taken, default=1) + 2))
    ax.axvline(20, color="red", linestyle="--", label="20 个工作日（条例第三十三条）")
    ax.set_title("答复所用工作日分布")
    ax.set_xlabel("工作日")
    ax.set_ylabel("申请数量（件）")
    ax.legend()
    save(fig, "workdays.png")

    by_month: dict[int, list[bool]] = {}
    for r in records:
        if r["on_time"] is not None and r["answered_on"]:
            by_month.setdefault(int(r["answered_on"][5:7]), []).append(bool(r["on_time"]))
    months = sorted(by_month)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(months, [sum(v) / len(v) for m in months for v in [by_month[m]]])
    ax.set_ylim(0, 1)
    ax.set_title("按月按期答复率")
    ax.set_xlabel("月份")
    ax.set_ylabel("按期答复比例")
    save(fig, "on_time_by_month.png")
    return paths

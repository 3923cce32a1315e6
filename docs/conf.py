"""Sphinx configuration: MyST Markdown pages, the furo theme."""

import sys
from pathlib import Path
from typing import Any

# The shell sessions of the Chinese pages are run at every build (docs/_ext/cli_session.py).
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "infopen"
author = "infopen contributors"
copyright = "2026, infopen contributors"
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
    "cli_session",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_generated", "_ext"]
html_theme = "furo"
language = "zh_CN"
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["myst.header"]


def _draw_plots(app: Any) -> None:
    """
    The researcher's guide shows the plots of the very run its example makes (municipal
    bureau, seed 1): draw them at every build, so they never fall behind the code.
    """
    import logging

    from infopen import SimulationConfig, simulate
    from infopen._plots import plot_result

    # accessible-pygments (loaded by furo) sets the root logger to INFO on import, which
    # would print every transition of the simulated year.
    logging.getLogger("transitions").setLevel(logging.WARNING)

    folder = Path(app.srcdir) / "_generated"
    folder.mkdir(exist_ok=True)
    plot_result(simulate(SimulationConfig.example("municipal_bureau"), seed=1), folder)


def setup(app: Any) -> None:
    app.connect("builder-inited", _draw_plots)

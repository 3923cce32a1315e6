"""Sphinx configuration: MyST Markdown pages, the furo theme."""

project = "infopen"
author = "infopen contributors"
copyright = "2026, infopen contributors"
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_static_path = ["_static"]
html_theme = "furo"
language = "zh_CN"
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["myst.header"]

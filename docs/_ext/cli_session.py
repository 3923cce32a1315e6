"""
Runs the shell sessions of the documentation: every ``console`` block whose commands start
with ``$ infopen`` is executed, in order, in one fresh folder per page, and its output must
be the text printed under each command. The Sphinx build runs them (a difference is a
warning, an error under ``-W``), and ``tests/test_docs_sessions.py`` runs them too.

A session can write a file with a here-document, as a clerk would:

    $ cat > 机关.toml <<'EOF'
    name = "某县人民政府办公室"
    EOF

``python docs/_ext/cli_session.py docs/zh/office-week.md`` rewrites a page's outputs from a
fresh run (then read the difference before committing it).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["Step", "differences", "run_page", "sessions", "setup"]

#: The terminal width the outputs are written for.
COLUMNS = "100"
_FENCE = re.compile(r"^```console[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_HEREDOC = re.compile(r"^cat > (\S+) <<'?EOF'?$")


class Step:
    """One command of a session, the output the page shows, and the output it gave."""

    def __init__(self, command: str, expected: str, start: int, end: int) -> None:
        self.command = command
        self.expected = expected
        self.actual = ""
        self.start = start  # where the expected output starts and ends in the page
        self.end = end


def sessions(text: str) -> list[Step]:
    """The ``$ infopen …`` and ``$ cat > …`` steps of a page's console blocks, in order."""
    steps: list[Step] = []
    for block in _FENCE.finditer(text):
        body = block.group(1)
        offset = block.start(1)
        lines = body.splitlines(keepends=True)
        pos = 0
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.startswith("$ "):
                pos += len(line)
                i += 1
                continue
            command = line[2:].rstrip("\n")
            pos += len(line)
            i += 1
            start = pos
            while i < len(lines) and not lines[i].startswith("$ "):
                pos += len(lines[i])
                i += 1
            expected = body[start:pos]
            if command.startswith("infopen ") or _HEREDOC.match(command):
                steps.append(Step(command, expected, offset + start, offset + pos))
    return steps


def _run(command: str, folder: Path, heredoc: str) -> str:
    from typer.testing import CliRunner

    from infopen._cli import app

    here = _HEREDOC.match(command)
    if here:
        body = heredoc.rsplit("EOF", 1)[0]
        (folder / here.group(1)).write_text(body, encoding="utf-8")
        return heredoc
    env = {"COLUMNS": COLUMNS, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    args = shlex.split(command)[1:]
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner(env=env).invoke(app, args, prog_name="infopen")
    finally:
        os.chdir(old)
    return result.output


def run_page(text: str) -> list[Step]:
    """Run a page's sessions in a fresh folder; each step gets its ``actual`` output."""
    steps = sessions(text)
    with tempfile.TemporaryDirectory() as tmp:
        for step in steps:
            step.actual = _run(step.command, Path(tmp), step.expected)
    return steps


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> list[str]:
        return [line.rstrip() for line in s.strip("\n").splitlines()]

    return norm(a) == norm(b)


def differences(text: str) -> list[str]:
    """What each step printed that the page does not show (empty: the page is right)."""
    out = []
    for step in run_page(text):
        if not _same(step.expected, step.actual):
            out.append(f"$ {step.command}\n--- page\n{step.expected}--- printed\n{step.actual}")
    return out


def update(path: Path) -> None:
    """Rewrite a page's outputs from a fresh run."""
    text = path.read_text(encoding="utf-8")
    steps = run_page(text)
    for step in reversed(steps):
        actual = "\n".join(line.rstrip() for line in step.actual.rstrip("\n").splitlines())
        actual = actual + "\n" if actual else ""
        text = text[: step.start] + actual + text[step.end :]
    path.write_text(text, encoding="utf-8")


def _check(app: Any, docname: str, source: list[str]) -> None:
    if "$ infopen" not in source[0]:
        return
    from sphinx.util import logging

    log = logging.getLogger(__name__)
    for diff in differences(source[0]):
        log.warning("%s: a shell session prints otherwise:\n%s", docname, diff)


def setup(app: Any) -> dict[str, Any]:
    """Sphinx: run every page's shell sessions when it is read."""
    app.connect("source-read", _check)
    return {"parallel_read_safe": True}


if __name__ == "__main__":
    for name in sys.argv[1:]:
        update(Path(name))

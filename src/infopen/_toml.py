"""Reading TOML files (stdlib tomllib from Python 3.11, tomli before)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = ["read_toml"]


def read_toml(path: str | Path) -> dict[str, Any]:
    """
    The parsed file.

    Raises:
        ValueError: naming the file when it is not valid TOML.
        OSError: when it cannot be read.
    """
    p = Path(path)
    try:
        data: dict[str, Any] = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        msg = f"{p}: not valid TOML ({exc})"
        raise ValueError(msg) from None
    return data

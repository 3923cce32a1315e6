"""Reading TOML files (stdlib tomllib from Python 3.11, tomli before)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ._errors import InvalidFileError
from ._files import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = ["read_toml"]


def read_toml(path: str | Path) -> dict[str, Any]:
    """
    The parsed file.

    Raises:
        InvalidFileError: naming the file (and line) when it is not UTF-8 or not valid TOML.
        FileAccessError: naming the file when it cannot be read.
    """
    text = read_text(path)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidFileError(f"not valid TOML ({exc})", path=path) from None
    except RecursionError:
        raise InvalidFileError("TOML nested too deeply", path=path) from None
    return data

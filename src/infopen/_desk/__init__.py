"""
The agency desk: a local web application in Chinese on the embedded event store.

Built only on infopen's public API, so it doubles as the reference wrapper for hosts:
``infopen desk`` starts it (extra ``desk``); :func:`create_app` gives the ASGI app.
"""

from __future__ import annotations

from typing import Any

import infopen

__all__ = ["create_app", "require_extra"]

#: The packages of the ``desk`` extra, by the module name they import as.
_MODULES = (
    "starlette",
    "jinja2",
    "multipart",
    "uvicorn",
    "argon2",
    "sqlalchemy",
    "openpyxl",
    "docx",
)


def require_extra() -> None:
    """Raise ``MissingExtraError`` naming ``pip install "infopen[desk]"`` if a package is missing."""
    import importlib.util

    for name in _MODULES:
        if importlib.util.find_spec(name) is None:
            raise infopen.MissingExtraError("The agency desk", "desk", name)


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The desk as an ASGI application (arguments as ``_app.create_app``); needs ``infopen[desk]``."""
    require_extra()
    from ._app import create_app as make

    return make(*args, **kwargs)

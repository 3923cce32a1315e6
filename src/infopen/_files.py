"""
Reading and writing the files infopen is given: every failure is an infopen error that
names the file (a missing folder, a directory, a file that is not UTF-8).
"""

from __future__ import annotations

from pathlib import Path

from ._errors import InvalidFileError, InvalidTypeError, file_access_error

__all__ = ["as_path", "read_bytes", "read_text", "write_bytes", "write_text"]


def as_path(value: object, what: str = "path") -> Path:
    """A file path given as ``str`` or :class:`os.PathLike` of ``str``."""
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value and "\x00" not in value:
        return Path(value)
    msg = f"{what} must be a file path (str or pathlib.Path), got {type(value).__name__} {value!r:.60}"
    raise InvalidTypeError(msg)


def read_bytes(path: object, what: str = "path") -> bytes:
    """The file's bytes."""
    p = as_path(path, what)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise file_access_error(p, "read", exc) from None


def read_text(path: object, what: str = "path", *, encoding: str = "utf-8") -> str:
    """
    The file's text, decoded as UTF-8 (``utf-8-sig`` drops a byte-order mark).

    Raises:
        FileAccessError: when the file cannot be read.
        InvalidFileError: when it is not UTF-8, naming the line of the first bad byte.
    """
    p = as_path(path, what)
    data = read_bytes(p, what)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = "not UTF-8 text; re-save it as UTF-8 (Excel: CSV UTF-8; editors: Save with encoding)"
        raise InvalidFileError(msg, path=p, line=line) from None


def write_bytes(path: object, data: bytes, what: str = "path") -> None:
    """Write ``data`` to the file, replacing it."""
    p = as_path(path, what)
    try:
        p.write_bytes(data)
    except OSError as exc:
        raise file_access_error(p, "write", exc) from None


def write_text(path: object, text: str, what: str = "path") -> None:
    """Write ``text`` as UTF-8 to the file, replacing it."""
    write_bytes(path, text.encode("utf-8"), what)

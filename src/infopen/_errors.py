"""
Exceptions raised by infopen.

Every message says what was wrong and what to do about it. Every error carries a stable
``code`` a program can branch on, the offending ``field`` or ``event_id`` where there is
one, and whether the same call may succeed later (``retryable``). Messages quote what was
given only as a short :func:`excerpt`, and never the applicant's identity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = [
    "CalendarCoverageError",
    "ConflictError",
    "DuplicateRequestError",
    "FileAccessError",
    "FontNotFoundError",
    "IncompleteNoticeError",
    "InfopenError",
    "InvalidFileError",
    "InvalidInputError",
    "InvalidTransition",
    "InvalidTypeError",
    "MissingExtraError",
    "NotFoundError",
    "RequestNotFoundError",
    "StoreCorruptError",
    "StoreSchemaError",
    "StoreUnavailableError",
    "TransitionNotYetError",
    "check_flag",
    "excerpt",
    "file_access_error",
    "in_file",
]

#: The longest quotation of a given value in a message (characters of its ``repr``).
EXCERPT_MAX = 60


def excerpt(value: object, limit: int = EXCERPT_MAX) -> str:
    """
    ``repr(value)`` cut to about ``limit`` characters, for quoting input in a message.

    A long value is cut and its length stated, so a 1 MB argument gives a short message:
    ``excerpt("x" * 10**6)`` is ``'xxxx…' (1000000 characters)``. Never pass the applicant's
    identity: name the field instead.
    """
    if isinstance(value, (str, bytes)) and len(value) > limit:
        head = repr(value[:limit])
        return f"{head[: limit + 1]}… ({len(value)} characters)"
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        return f"<{type(value).__name__}>"
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


class InfopenError(Exception):
    """
    The base of every error infopen raises on purpose.

    Each subclass is also the built-in exception a caller would catch without knowing
    infopen (``ValueError``, ``TypeError``, ``LookupError``, ``ModuleNotFoundError``), so
    ``except ValueError`` keeps working. The message names the argument, file or line
    that was wrong and what to do.

    Every infopen error survives ``pickle`` and ``copy`` (a process pool hands it back
    whole), and ``type(e)(*e.args)`` builds it again, as libraries that re-raise a copy
    (simpy, some task queues) do: ``args`` holds what the constructor was given.

    Attributes:
        code: A stable identifier of the kind of error (``"invalid_input"``,
            ``"conflict"``…; one per class, listed on the errors page), for programs.
        field: The argument or field that was wrong, or ``None``.
        event_id: The ``event_id`` of the event concerned, or ``None``.
        retryable: Whether the same call may succeed later unchanged (another writer
            saved first, the database was busy, an event is not possible *yet*).

    .. versionadded:: 0.2.0
    .. versionchanged:: 0.3.0 ``code``, ``field``, ``event_id`` and ``retryable``.
    """

    code: str = "infopen_error"
    retryable: bool = False
    field: str | None = None
    event_id: str | None = None

    def __init__(
        self,
        *args: Any,
        field: str | None = None,
        event_id: str | None = None,
        retryable: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if field is not None:
            self.field = field
        if event_id is not None:
            self.event_id = event_id
        if retryable is not None:
            self.retryable = retryable

    def __reduce__(self) -> tuple[Any, ...]:
        # BaseException's own reduction calls type(self)(*self.args), which a subclass
        # whose constructor formats its message could not take back; OSError's passes
        # (errno, strerror) instead of args. This one rebuilds from args when the
        # constructor takes them, and restores the attributes either way.
        return (_rebuild, (type(self), self.args, _state(self)))


#: The attributes built-in exceptions keep outside ``__dict__``, restored after unpickling.
_BUILTIN_ATTRIBUTES = {
    OSError: ("errno", "strerror", "filename", "filename2"),
    ImportError: ("msg", "name", "path"),
}


def _state(err: BaseException) -> dict[str, Any]:
    state = dict(vars(err))
    for base, names in _BUILTIN_ATTRIBUTES.items():
        if isinstance(err, base):
            state.update({name: getattr(err, name) for name in names})
    return state


def _rebuild(cls: type[InfopenError], args: tuple[Any, ...], state: dict[str, Any]) -> InfopenError:
    """An unpickled or copied error: ``cls(*args)``, or without its constructor, then ``state``."""
    try:
        err = cls(*args)
    except Exception:  # a constructor that does not take its args back (a subclass elsewhere)
        err = cls.__new__(cls, *args)
        err.args = args
    for name, value in state.items():
        setattr(err, name, value)
    return err


class InvalidInputError(InfopenError, ValueError):
    """
    An argument, file or field was malformed or out of range; nothing was changed.

    .. versionadded:: 0.2.0
    """

    code = "invalid_input"


class InvalidTypeError(InfopenError, TypeError):
    """
    An argument was of the wrong type (a ``datetime`` for a ``date``, a string for a
    count, a truthy string for a flag); nothing was changed.

    .. versionadded:: 0.2.0
    """

    code = "invalid_type"


class InvalidFileError(InvalidInputError):
    """
    A file or document could not be read: not found, not UTF-8, not valid TOML, JSON or
    CSV, or a value in it is wrong. The message starts with the file (when there is one)
    and the line (when known).

    Attributes:
        path: The file, or ``None`` for text given directly.
        line: The line (1-based), or ``None`` when the problem is not on one line.

    .. versionadded:: 0.2.0
    """

    code = "invalid_file"

    def __init__(self, message: str, path: object = None, line: int | None = None) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.message = message
        where = [self.path] if self.path is not None else []
        if line is not None:
            where.append(f"line {line}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        if where:  # what the constructor takes back (#23); a plain message stays args[0]
            self.args = (message, self.path, line)

    def __str__(self) -> str:
        where = [self.path] if self.path is not None else []
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)


class FileAccessError(InfopenError, OSError):
    """
    A file could not be opened, read or written: it does not exist, it is a directory,
    its folder is missing, or permission is denied. The message names the file.

    Attributes:
        path: The file.

    .. versionadded:: 0.2.0
    """

    code = "file_access"

    def __init__(self, path: object, doing: str, exc: OSError) -> None:
        self.path = str(path)
        shown = self.path if len(self.path) <= 200 else excerpt(self.path, 200)
        reason = exc.strerror or type(exc).__name__
        if isinstance(exc, FileNotFoundError) and doing == "write":
            fix = "create its folder first, or give another path"
        elif isinstance(exc, IsADirectoryError):
            fix = "give a file name, not a folder"
        elif isinstance(exc, FileNotFoundError):
            fix = "check the path"
        elif isinstance(exc, PermissionError):
            fix = "check its permissions"
        else:
            fix = "check the path and the disk"
        super().__init__(exc.errno, f"{shown}: cannot {doing} it ({reason}); {fix}")
        self.filename = self.path
        # What the constructor takes back (#23); errno and strerror keep OSError's meaning.
        self.args = (path, doing, exc)

    def __str__(self) -> str:
        return str(self.strerror)


# The OSError subclass a caller may catch today stays catchable: a missing file is still a
# FileNotFoundError, a folder an IsADirectoryError, a refused one a PermissionError.
class _FileMissingError(FileAccessError, FileNotFoundError):
    """A file that is not there."""


class _FileIsFolderError(FileAccessError, IsADirectoryError):
    """A folder given where a file was asked for."""


class _FileRefusedError(FileAccessError, PermissionError):
    """A file the process may not read or write."""


def file_access_error(path: object, doing: str, exc: OSError) -> FileAccessError:
    """The :class:`FileAccessError` for ``exc``, also an instance of ``exc``'s own kind."""
    for kind, cls in (
        (FileNotFoundError, _FileMissingError),
        (IsADirectoryError, _FileIsFolderError),
        (PermissionError, _FileRefusedError),
    ):
        if isinstance(exc, kind):
            return cls(path, doing, exc)
    return FileAccessError(path, doing, exc)


def in_file(exc: InfopenError, path: object) -> InvalidFileError:
    """``exc``, raised while reading text, as an :class:`InvalidFileError` naming ``path``."""
    if isinstance(exc, InvalidFileError):
        return InvalidFileError(exc.message, path=path, line=exc.line)
    return InvalidFileError(str(exc), path=path)


class NotFoundError(InfopenError, LookupError):
    """
    Something asked for by name or number does not exist (a stored request, an event
    index, a template or an example).

    .. versionadded:: 0.2.0
    """

    code = "not_found"


class RequestNotFoundError(NotFoundError, KeyError):
    """
    No request with that id is stored (``EventStore.load``, ``load_many``, ``apply``).

    Also a ``KeyError``, as callers caught before it had a name. Its ``code`` is
    ``"not_found"``, as every missing thing's.

    .. versionadded:: 0.3.0
    """

    code = "not_found"

    def __str__(self) -> str:
        # KeyError would print the message with quotes around it.
        return str(self.args[0]) if self.args else ""


class CalendarCoverageError(InfopenError, ValueError):
    """
    A date lies outside the years whose holiday arrangement is known.

    Attributes:
        year: The first year the calculation needed and the calendar lacks.
        coverage: First and last day of the announced data.

    .. versionadded:: 0.1.0
    """

    code = "calendar_coverage"

    def __init__(self, year: int, coverage: tuple[dt.date, dt.date], calendar: str) -> None:
        self.year = year
        self.coverage = coverage
        first, last = coverage
        if year > last.year:
            ways = (
                f"The State Council's arrangement for {year} is not in the installed `holidays` "
                f"data. Upgrade it (pip install -U holidays), lay the year's days over with "
                f"calendar.with_days(rest=..., work=..., name=..., through_year={year}), "
                f"or ask for estimates with "
                f"national_calendar(beyond='estimate')."
            )
        else:
            ways = f"infopen has no holiday data before {first.isoformat()}."
        self._message = (
            f"{calendar}: the calculation reaches into {year}, outside the covered days "
            f"{first.isoformat()}..{last.isoformat()}. {ways}"
        )
        super().__init__(self._message)
        self.args = (year, coverage, calendar)  # what the constructor takes back (#23)

    def __str__(self) -> str:
        return self._message


class IncompleteNoticeError(InfopenError, ValueError):
    """
    A notice rendered with ``strict=True`` lacks mandatory elements.

    Attributes:
        missing: The missing elements, in the order the notice needs them, each as the
            Chinese label its 【请填写：…】 placeholder would show.

    .. versionadded:: 0.2.0
    """

    code = "incomplete_notice"

    def __init__(self, heading: str, missing: tuple[str, ...]) -> None:
        self.missing = missing
        listed = "; ".join(missing)
        self._message = (
            f"the {heading} lacks {len(missing)} mandatory element(s): {listed}. "
            f"Give them in details=..., number=... or the Agency, or render with "
            f"strict=False to see them as 【请填写：…】 placeholders."
        )
        super().__init__(self._message)
        self.args = (heading, missing)  # what the constructor takes back (#23)

    def __str__(self) -> str:
        return self._message


class InvalidTransition(InfopenError, ValueError):  # noqa: N818 - the issue pins this public name.
    """
    An event that cannot happen in the request's current state.

    The request is left exactly as it was. It is never possible in this state (retrying
    cannot help); an event that only comes too early raises :class:`TransitionNotYetError`.

    .. versionadded:: 0.1.0
    """

    code = "invalid_transition"
    #: The precondition refused (a row name of the precondition table) and its article.
    precondition: str | None = None
    article: str | None = None


class TransitionNotYetError(InvalidTransition):
    """
    An event that is not possible *yet*: a later day may allow it (abandoning a request
    while the applicant may still correct or pay, a remedy against silence while the reply
    period runs). ``retryable`` is true; ``possible_from`` is the first day it can be
    recorded, when known.

    .. versionadded:: 0.3.0
    """

    code = "transition_not_yet"
    retryable = True
    possible_from: dt.date | None = None

    def __init__(self, *args: Any, possible_from: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if possible_from is not None:
            self.possible_from = possible_from


class MissingExtraError(InfopenError, ModuleNotFoundError):
    """
    An optional feature was used without its extra installed.

    .. versionadded:: 0.1.0
    """

    code = "missing_extra"

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package {module!r}. "
            f'Install it with: pip install "infopen[{extra}]"',
            name=module,
        )
        self.args = (feature, extra, module)  # what the constructor takes back (#23)


class FontNotFoundError(InfopenError, RuntimeError):
    """
    A plot needs Chinese glyphs and no installed font has them.

    The message names the fonts looked for and how to install one, or to plot in English.

    .. versionadded:: 0.1.0
    """

    code = "font_not_found"


class DuplicateRequestError(InfopenError, ValueError):
    """
    A new request was saved under an id the store already holds; nothing was written.

    Unlike :class:`ConflictError`, retrying cannot help: give the new request another id,
    or load the stored request to record events on it. Saving again a new request whose
    events are the stored ones (a retried creation) is not an error: nothing is written.

    .. versionadded:: 0.2.0
    """

    code = "duplicate_request"


class StoreSchemaError(InfopenError, RuntimeError):
    """
    The database has no infopen tables (call ``EventStore.create_schema()``), or tables of
    a schema version this infopen cannot use (upgrade infopen, or run ``create_schema()``
    to upgrade an older database), or lacks one of infopen's tables.

    .. versionadded:: 0.2.0
    """

    code = "store_schema"


class ConflictError(InfopenError, RuntimeError):
    """
    Another writer saved the request since it was loaded: nothing was written.

    Reload the request, re-apply the change, and save again (``retryable`` is true).

    .. versionadded:: 0.1.0
    """

    code = "conflict"
    retryable = True


class StoreCorruptError(InfopenError, ValueError):
    """
    The database holds data infopen cannot read (named by request id and event number),
    or the file is not a SQLite database at all (garbage, truncated).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 exported from ``infopen``.
    """

    code = "store_corrupt"


class StoreUnavailableError(InfopenError, RuntimeError):
    """
    The database could not be used right now: every pooled connection stayed busy past
    ``pool_timeout``, the SQLite file stayed locked past its busy timeout, or the server
    could not be reached. Nothing was written; ``retryable`` is true.

    .. versionadded:: 0.3.0
    """

    code = "store_unavailable"
    retryable = True


def check_flag(value: object, what: str) -> None:
    """A flag argument must be a real bool: ``"no"`` is truthy and would turn a mode on."""
    if type(value) is not bool:
        msg = f"{what} must be True or False, got {type(value).__name__} {excerpt(value, 40)}"
        raise InvalidTypeError(msg, field=what)

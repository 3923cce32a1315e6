"""
Replay of stored events into a request: each event goes through the same checks and
guards as a live one (``Request._record``), but moves state through the compiled table.
The events' JSON forms and their checks live in ``_forms`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import InfopenError, InvalidInputError, InvalidTransition, InvalidTypeError
from ._forms import (
    ACTOR_MAX,
    ATTRIBUTION_FIELDS,
    CHINA_TZ,
    COMPENSATING_FIELDS,
    EVENT_FIELDS,
    EVENT_ID_MAX,
    META_MAX,
    NOTE_MAX,
    check_attribution,
    check_clock_time,
    check_event_id,
    china_now,
    known_kind,
    parse_form,
    storable_text,
)
from ._model import Event

__all__ = [
    "ACTOR_MAX",
    "ATTRIBUTION_FIELDS",
    "CHINA_TZ",
    "COMPENSATING_FIELDS",
    "EVENT_FIELDS",
    "EVENT_ID_MAX",
    "META_MAX",
    "NOTE_MAX",
    "check_attribution",
    "check_clock_time",
    "check_event_id",
    "china_now",
    "first_date",
    "parse_event",
    "parse_record",
    "replay_into",
    "storable_text",
]


def parse_record(
    raw: Event | Mapping[str, Any],
) -> tuple[str, Any, Mapping[str, Any], str | None, dict[str, Any]]:
    """
    An event's type, day, parameters, id and recording fields (``recorded_at``, ``actor``,
    ``note``, ``meta``, only those set), from an :class:`Event` or its JSON form; the type
    must be known and the fields those of the type (parameter values are checked later).
    """
    if isinstance(raw, Event):
        extra: dict[str, Any] = {}
        if raw.recorded_at is not None:
            extra["recorded_at"] = raw.recorded_at
        if raw.actor is not None or raw.note is not None or raw.meta is not None:
            extra.update(check_attribution(raw.actor, raw.note, raw.meta))
        return known_kind(raw.kind), raw.on, raw.params, raw.event_id, extra
    return parse_form(raw)


def parse_event(raw: Event | Mapping[str, Any]) -> tuple[str, Any, Mapping[str, Any], str | None]:
    """
    An event's type, day, parameters and id, from an :class:`Event` or its JSON form; the
    type must be known and the fields those of the type (the values are checked later).
    The recording fields (:func:`parse_record`) are checked and left out.
    """
    kind, on, params, event_id, _extra = parse_record(raw)
    return kind, on, params, event_id


def first_date(events: list[Event | Mapping[str, Any]]) -> object:
    """The first event's date as given (None when there is none to read)."""
    if not events:
        return None
    first = events[0]
    if isinstance(first, Event):
        return first.on
    return first.get("on") if isinstance(first, Mapping) else None


# The errors whose message is prefixed with the event's number and type.
_RENAMED = (InvalidInputError, InvalidTypeError, InvalidTransition)


def _kind_of(raw: object) -> str:
    """The event type to name in an error message, whatever ``raw`` is."""
    if isinstance(raw, Event):
        return raw.kind
    return str(raw.get("type", "?")) if isinstance(raw, Mapping) else "?"


def replay_into(req: Any, events: Iterable[Event | Mapping[str, Any]]) -> None:
    """
    Apply ``events`` to the new request ``req`` (a ``Request``: typed loosely, as this
    module sits below ``_request``), naming the event number on any error.
    """
    if isinstance(events, (str, bytes, Mapping, Event)) or not isinstance(events, Iterable):
        msg = (
            f"events must be a list of events (Event objects or dicts), got {type(events).__name__}"
        )
        raise InvalidTypeError(msg)
    req._replaying = True
    try:
        for number, raw in enumerate(events, 1):
            try:
                kind, on, params, event_id, extra = parse_record(raw)
                opening = kind == "receive" or kind == "submit"
                if opening != (number == 1):
                    msg = "a request starts with one receive or submit event, and only there"
                    raise InvalidTransition(msg)
                if opening:
                    req._open(kind, on, params["channel"], params["applicant_type"],
                              params.get("subject"), event_id, **extra)  # fmt: skip
                else:  # the very path of the live event methods
                    req._record(kind, on, params, event_id=event_id, **extra)
            except InfopenError as exc:
                if type(exc) not in _RENAMED:
                    raise  # its own message (a coverage error names the year)
                msg = f"event {number} ({_kind_of(raw)}): {exc}"
                raise type(exc)(msg) from None
            except KeyError as exc:
                msg = f"event {number} ({_kind_of(raw)}): missing field {exc.args[0]!r}"
                raise InvalidInputError(msg) from None
        if not req._events:
            msg = "a request needs at least its receive or submit event"
            raise InvalidInputError(msg)
    finally:
        req._replaying = False

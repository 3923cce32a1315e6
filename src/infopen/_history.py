"""
Corrections and out-of-order records of a request's history (#18): which parameters a
guard derives, the changes a correction may make, and the refusal of a history that could
not have happened, naming the conflicting event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ._errors import InvalidInputError, InvalidTransition
from ._model import ApplicantType, Channel, DeliveryMethod, Event, Ground, Outcome, Result
from ._replay import EVENT_FIELDS

__all__ = ["COMPENSATING", "DERIVED", "changes_of", "conflict"]

#: The compensating events: they change how an earlier event counts, not the request.
COMPENSATING = frozenset({"correct", "retract"})
#: Parameters a guard derives from the history (recomputed, never compared on a retry).
DERIVED: dict[str, frozenset[str]] = {
    "abandon": frozenset({"outcome"}),
    "decide": frozenset({"third_party_notice"}),
    "apply_for_reconsideration": frozenset({"against"}),
    "file_lawsuit": frozenset({"against"}),
}


def conflict(
    what: str, cause: Event, candidate: list[Event], i: int, exc: Exception, late: Event | None
) -> InvalidTransition:
    """
    The refusal of a history that could not have happened, naming the conflicting event.
    ``late`` is the last event recorded before ``cause`` when ``cause`` is dated before it.
    """
    failed = candidate[i]

    def name(e: Event) -> str:
        return f"{e.kind} on {e.on} (event_id {e.event_id})"

    of = cause.params.get("of") if cause.kind == "delivered" else None
    sent = [e for e in candidate[i + 1 :] if e.kind == of] if failed is cause else []
    if failed is not cause and failed.event_id != cause.event_id:
        other = failed
        why = f"{name(other)} could then not have happened: {exc}"
    elif sent:  # a delivery dated before its document was sent
        other = sent[0]
        why = f"it is dated before {name(other)} sent the document"
    elif i == 0 and len(candidate) > 1:  # before the opening event
        other = candidate[1]
        why = f"it is dated before {name(other)} opened the request"
    else:
        other = candidate[i - 1] if i > 0 else cause
        why = f"on its day it follows {name(other)}, and {exc}"
    head = what
    if late is not None and late.event_id != other.event_id:
        head = f"{what} is dated before the previous event ({late.kind} on {late.on}) and"
    elif late is not None:
        head = f"{what} is dated before the previous event and"
    msg = f"{head} would make the history impossible: {why}"
    return InvalidTransition(msg, event_id=other.event_id)


def _json_change(value: object) -> Any:
    """A value given to Request.correct as the JSON its event stores."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (Channel, ApplicantType, Ground, Outcome, Result, DeliveryMethod)):
        return value.name
    if isinstance(value, Mapping):
        return {str(k): _json_change(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_change(v) for v in value]
    return value


def changes_of(kind: str, changes: object) -> dict[str, Any]:
    """The changes of a correction, checked against the fields ``kind`` stores."""
    allowed = ({"on"} | EVENT_FIELDS[kind]) - DERIVED.get(kind, frozenset())
    if not isinstance(changes, Mapping) or not changes:
        msg = f"correct: give the fields to change, some of {', '.join(sorted(allowed))}"
        raise InvalidInputError(msg)
    unknown = sorted(str(k) for k in changes if k not in allowed)
    if unknown:
        msg = f"correct: {kind} has no field {unknown!r:.120} to correct; its fields are {', '.join(sorted(allowed))}"
        raise InvalidInputError(msg)
    out = {str(k): _json_change(v) for k, v in changes.items()}
    if out.get("on") is None and "on" in out:
        msg = "correct: on cannot be removed; give the right day"
        raise InvalidInputError(msg)
    return out

"""
Replay of stored events into a request: each event goes through the same method, checks
and guards as a live one, but moves state through the compiled table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import InvalidTransition
from ._model import NO_PARAMS, Event

if TYPE_CHECKING:
    from ._request import Request

__all__ = ["EVENT_FIELDS", "replay_into"]

_Apply = Callable[["Request", dt.date, Mapping[str, Any]], None]

# kind -> (its parameter names, how to apply it)
_APPLY: dict[str, tuple[frozenset[str], _Apply]] = {
    "receive": (frozenset({"channel", "applicant_type"}),
                lambda r, on, p: r._open("receive", on, p["channel"], p["applicant_type"])),
    "submit": (frozenset({"channel", "applicant_type"}),
               lambda r, on, p: r._open("submit", on, p["channel"], p["applicant_type"])),
    "confirm_receipt": (frozenset(), lambda r, on, p: r.confirm_receipt(on)),
    "request_correction": (frozenset({"reply_by"}),
                           lambda r, on, p: r.request_correction(on, reply_by=p["reply_by"])),
    "receive_correction": (frozenset(), lambda r, on, p: r.receive_correction(on)),
    "consult_third_party": (frozenset(), lambda r, on, p: r.consult_third_party(on)),
    "third_party_replied": (frozenset({"consents"}),
                            lambda r, on, p: r.third_party_replied(on, consents=p.get("consents"))),
    "consult_agency": (frozenset(), lambda r, on, p: r.consult_agency(on)),
    "agency_replied": (frozenset(), lambda r, on, p: r.agency_replied(on)),
    "extend": (frozenset({"workdays"}), lambda r, on, p: r.extend(on, workdays=p["workdays"])),
    "send_fee_notice": (frozenset({"amount"}), lambda r, on, p: r.send_fee_notice(on, amount=p["amount"])),
    "fee_paid": (frozenset(), lambda r, on, p: r.fee_paid(on)),
    "ask_for_reasons": (frozenset(), lambda r, on, p: r.ask_for_reasons(on)),
    "set_delayed_deadline": (frozenset({"due"}), lambda r, on, p: r.set_delayed_deadline(on, due=p["due"])),
    "decide": (frozenset({"outcome", "grounds", "referral"}),
               lambda r, on, p: r.decide(on, p["outcome"], grounds=p.get("grounds", ()),
                                         referral=p.get("referral"))),
    "withdraw": (frozenset({"outcome"}), lambda r, on, p: r.withdraw(on)),
    "abandon": (frozenset({"outcome"}), lambda r, on, p: r.abandon(on)),
    "apply_for_reconsideration": (frozenset(), lambda r, on, p: r.apply_for_reconsideration(on)),
    "reconsideration_decided": (frozenset({"result"}),
                                lambda r, on, p: r.reconsideration_decided(on, p["result"])),
    "file_lawsuit": (frozenset(), lambda r, on, p: r.file_lawsuit(on)),
    "lawsuit_decided": (frozenset({"result"}), lambda r, on, p: r.lawsuit_decided(on, p["result"])),
}  # fmt: skip

#: Every event type and the parameter names it may carry.
EVENT_FIELDS: dict[str, frozenset[str]] = {k: v[0] for k, v in _APPLY.items()}


def _parse(raw: Event | Mapping[str, Any]) -> tuple[str, Any, Mapping[str, Any]]:
    if isinstance(raw, Event):
        return _known(raw.kind), raw.on, raw.params
    # Stored events are plain dicts: test for those before the slower ABC check.
    if type(raw) is not dict and not isinstance(raw, Mapping):
        msg = f"an event must be an Event or a mapping, got {type(raw).__name__}"
        raise ValueError(msg)
    kind = _known(raw.get("type"))
    if "on" not in raw:
        msg = "missing field 'on'"
        raise ValueError(msg)
    if len(raw) == 2:  # most events carry no parameters
        return kind, raw["on"], NO_PARAMS
    params = {k: v for k, v in raw.items() if k != "type" and k != "on"}
    return kind, raw["on"], params


def _known(kind: object) -> str:
    """``kind`` if it is an event type, else a ValueError naming the known ones."""
    if not isinstance(kind, str) or kind not in _APPLY:
        msg = f"unknown event type {kind!r}; known types: {', '.join(_APPLY)}"
        raise ValueError(msg)
    return kind


def _kind_of(raw: object) -> str:
    """The event type to name in an error message, whatever ``raw`` is."""
    if isinstance(raw, Event):
        return raw.kind
    return str(raw.get("type", "?")) if isinstance(raw, Mapping) else "?"


def replay_into(req: Request, events: Iterable[Event | Mapping[str, Any]]) -> None:
    """Apply ``events`` to the new request ``req``, naming the event number on any error."""
    req._replaying = True
    try:
        for number, raw in enumerate(events, 1):
            try:
                kind, on, params = _parse(raw)
                fields, apply = _APPLY[kind]
                if params and not fields.issuperset(params):
                    msg = f"unknown fields {sorted(set(params) - fields)} for {kind}"
                    raise ValueError(msg)
                if (kind == "receive" or kind == "submit") != (number == 1):
                    msg = "a request starts with one receive or submit event, and only there"
                    raise InvalidTransition(msg)
                apply(req, on, params)
            except KeyError as exc:
                msg = f"event {number} ({_kind_of(raw)}): missing field {exc.args[0]!r}"
                raise ValueError(msg) from None
            except (InvalidTransition, ValueError, TypeError) as exc:
                msg = f"event {number} ({_kind_of(raw)}): {exc}"
                raise type(exc)(msg) from None
        if not req._events:
            msg = "a request needs at least its receive or submit event"
            raise ValueError(msg)
    finally:
        req._replaying = False

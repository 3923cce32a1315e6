"""
Replay of stored events into a request: each event goes through the same checks and
guards as a live one (``Request._record``), but moves state through the compiled table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import InfopenError, InvalidInputError, InvalidTransition, InvalidTypeError
from ._model import NO_PARAMS, Event

if TYPE_CHECKING:
    from ._request import Request

__all__ = [
    "EVENT_FIELDS",
    "EVENT_ID_MAX",
    "check_event_id",
    "first_date",
    "parse_event",
    "replay_into",
    "storable_text",
]

# Every event type and the parameter names it may carry (what to_dict stores).
EVENT_FIELDS: dict[str, frozenset[str]] = {
    "receive": frozenset({"channel", "applicant_type", "subject"}),
    "submit": frozenset({"channel", "applicant_type", "subject"}),
    "confirm_receipt": frozenset(),
    "request_correction": frozenset({"reply_by", "reply_days", "delivered_on", "delivery_method"}),
    "receive_correction": frozenset(),
    "consult_third_party": frozenset({"delivered_on", "delivery_method"}),
    "third_party_replied": frozenset({"consents"}),
    "consult_agency": frozenset({"delivered_on", "delivery_method"}),
    "agency_replied": frozenset(),
    "extend": frozenset({"workdays", "approved_by", "delivered_on", "delivery_method"}),
    "send_fee_notice": frozenset({"amount", "delivered_on", "delivery_method"}),
    "fee_paid": frozenset(),
    "ask_for_reasons": frozenset({"delivered_on", "delivery_method"}),
    "set_delayed_deadline": frozenset({"due", "delivered_on", "delivery_method"}),
    "decide": frozenset(
        {
            "outcome",
            "grounds",
            "referral",
            "remedies_stated",
            "public_interest",
            "third_party_notice",
            "third_party_notice_on",
            "third_party_notice_delivered_on",
            "delivered_on",
            "delivery_method",
        }
    ),
    "withdraw": frozenset({"outcome"}),
    "abandon": frozenset({"outcome", "delivered_on", "delivery_method"}),
    "apply_for_reconsideration": frozenset({"against"}),
    "reconsideration_decided": frozenset({"result", "delivered_on", "delivery_method"}),
    "file_lawsuit": frozenset({"against"}),
    "lawsuit_decided": frozenset({"result", "delivered_on", "delivery_method"}),
    "delivered": frozenset({"of", "method"}),
}


#: The longest event id infopen accepts (a UUID is 36 characters).
EVENT_ID_MAX = 128


def storable_text(value: str) -> bool:
    """Whether a database text column holds ``value``: no NUL, no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_event_id(value: object) -> str | None:
    """``value`` as an event id: ``None``, or a non-empty string of printable characters."""
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not value
        or len(value) > EVENT_ID_MAX
        or not storable_text(value)
    ):
        msg = (
            f"event_id must be a non-empty string of at most {EVENT_ID_MAX} characters "
            f"without NUL (a UUID, say), got {value!r:.80}"
        )
        raise InvalidInputError(msg)
    return value


def parse_event(raw: Event | Mapping[str, Any]) -> tuple[str, Any, Mapping[str, Any], str | None]:
    """
    An event's type, day, parameters and id, from an :class:`Event` or its JSON form; the
    type must be known and the fields those of the type (the values are checked later).
    """
    if isinstance(raw, Event):
        return _known(raw.kind), raw.on, raw.params, raw.event_id
    # Stored events are plain dicts: test for those before the slower ABC check.
    if type(raw) is not dict and not isinstance(raw, Mapping):
        msg = f"an event must be an Event or a mapping, got {type(raw).__name__}"
        raise InvalidInputError(msg)
    kind = _known(raw.get("type"))
    if "on" not in raw:
        msg = "missing field 'on'"
        raise InvalidInputError(msg)
    event_id = check_event_id(raw.get("event_id"))
    if len(raw) == 2:  # most events carry no parameters
        return kind, raw["on"], NO_PARAMS, None
    params = {k: v for k, v in raw.items() if k not in ("type", "on", "event_id")}
    fields = EVENT_FIELDS[kind]
    if not fields.issuperset(params):
        msg = f"unknown fields {sorted(map(str, set(params) - fields))!r:.200} for {kind}"
        raise InvalidInputError(msg)
    return kind, raw["on"], params, event_id


def first_date(events: list[Event | Mapping[str, Any]]) -> object:
    """The first event's date as given (None when there is none to read)."""
    if not events:
        return None
    first = events[0]
    if isinstance(first, Event):
        return first.on
    return first.get("on") if isinstance(first, Mapping) else None


def _known(kind: object) -> str:
    """``kind`` if it is an event type, else a ValueError naming the known ones."""
    if not isinstance(kind, str) or kind not in EVENT_FIELDS:
        msg = f"unknown event type {kind!r:.60}; known types: {', '.join(EVENT_FIELDS)}"
        raise InvalidInputError(msg)
    return kind


# The errors whose message is prefixed with the event's number and type.
_RENAMED = (InvalidInputError, InvalidTypeError, InvalidTransition)


def _kind_of(raw: object) -> str:
    """The event type to name in an error message, whatever ``raw`` is."""
    if isinstance(raw, Event):
        return raw.kind
    return str(raw.get("type", "?")) if isinstance(raw, Mapping) else "?"


def replay_into(req: Request, events: Iterable[Event | Mapping[str, Any]]) -> None:
    """Apply ``events`` to the new request ``req``, naming the event number on any error."""
    if isinstance(events, (str, bytes, Mapping, Event)) or not isinstance(events, Iterable):
        msg = (
            f"events must be a list of events (Event objects or dicts), got {type(events).__name__}"
        )
        raise InvalidTypeError(msg)
    req._replaying = True
    try:
        for number, raw in enumerate(events, 1):
            try:
                kind, on, params, event_id = parse_event(raw)
                opening = kind == "receive" or kind == "submit"
                if opening != (number == 1):
                    msg = "a request starts with one receive or submit event, and only there"
                    raise InvalidTransition(msg)
                if opening:
                    req._open(kind, on, params["channel"], params["applicant_type"],
                              params.get("subject"), event_id)  # fmt: skip
                else:  # the very path of the live event methods
                    req._record(kind, on, params, event_id=event_id)
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

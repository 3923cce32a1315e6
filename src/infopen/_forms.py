"""
The JSON forms of events: every event type and its fields, the recording fields
(``recorded_at``, ``actor``, ``note``, ``meta``) and their checks, and the parsing of a
stored form. It imports nothing of the lifecycle, so ``_model`` (``Event.from_dict``) and
``_replay`` both build on it without an import cycle.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import types
from collections.abc import Mapping
from typing import Any

from ._errors import InvalidInputError

#: The parameters of an event that carries none (read-only; Event freezes what it gets).
_NONE: Mapping[str, Any] = types.MappingProxyType({})

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
    "known_kind",
    "parse_form",
    "storable_text",
]

#: China Standard Time (UTC+8), the zone of the default recording clock.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def china_now() -> dt.datetime:
    """The default recording clock: now, in China Standard Time (UTC+8)."""
    return dt.datetime.now(CHINA_TZ)


# Every event type and the parameter names it may carry (what to_dict stores).
EVENT_FIELDS: dict[str, frozenset[str]] = {
    "receive": frozenset({"channel", "applicant_type", "subject"}),
    "submit": frozenset({"channel", "applicant_type", "subject"}),
    "confirm_receipt": frozenset(),
    "request_correction": frozenset({"reply_by", "reply_days", "delivered_on", "delivery_method"}),
    "receive_correction": frozenset({"posted_on"}),
    "consult_third_party": frozenset({"delivered_on", "delivery_method"}),
    "third_party_replied": frozenset({"consents", "posted_on"}),
    "consult_agency": frozenset({"delivered_on", "delivery_method"}),
    "agency_replied": frozenset(),
    "extend": frozenset({"workdays", "approved_by", "delivered_on", "delivery_method"}),
    "send_fee_notice": frozenset({"amount", "delivered_on", "delivery_method"}),
    "fee_paid": frozenset({"posted_on"}),
    "ask_for_reasons": frozenset({"delivered_on", "delivery_method"}),
    "reasons_replied": frozenset({"explained"}),
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
            "posted_on",
        }
    ),
    "withdraw": frozenset({"outcome"}),
    "abandon": frozenset({"outcome", "delivered_on", "delivery_method", "posted_on"}),
    "apply_for_reconsideration": frozenset({"against", "posted_on", "accepted_on"}),
    "reconsideration_decided": frozenset({"result", "delivered_on", "delivery_method"}),
    "file_lawsuit": frozenset({"against", "posted_on"}),
    "lawsuit_decided": frozenset({"result", "delivered_on", "delivery_method"}),
    "delivered": frozenset({"of", "method"}),
}

#: The compensating events (Request.correct / Request.retract) and their fields: they name
#: an earlier event (``target``) and change how it counts; their ``on`` is the day recorded.
COMPENSATING_FIELDS: dict[str, frozenset[str]] = {
    "correct": frozenset({"target", "changes", "reason"}),
    "retract": frozenset({"target", "reason"}),
}
_ALL_FIELDS = {**EVENT_FIELDS, **COMPENSATING_FIELDS}

#: The fields of an event's JSON form that say when and by whom it was recorded.
ATTRIBUTION_FIELDS = ("recorded_at", "actor", "note", "meta")
_RESERVED = frozenset({"type", "on", "event_id", *ATTRIBUTION_FIELDS})

#: The longest ``actor`` (a staff identifier), ``note`` and serialised ``meta`` accepted.
ACTOR_MAX = 128
NOTE_MAX = 2000
META_MAX = 4096
_META_DEPTH = 4


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


def check_clock_time(value: object, what: str = "recorded_at") -> dt.datetime | None:
    """``value`` as a timezone-aware datetime (an ISO 8601 string with its offset is read)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            msg = f"{what} must be an ISO 8601 date and time with its UTC offset, such as 2026-10-09T09:30:00+08:00"
            raise InvalidInputError(msg) from None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        msg = f"{what} must be a timezone-aware datetime (with its UTC offset), got {type(value).__name__}"
        raise InvalidInputError(msg)
    return value


def _text(value: object, what: str, longest: int) -> str | None:
    if value is None:
        return None
    # The value itself is never echoed: it may name a person.
    if not isinstance(value, str):
        msg = f"{what} must be a string or None, got {type(value).__name__}"
        raise InvalidInputError(msg)
    if not value.strip() or len(value) > longest or not storable_text(value):
        msg = f"{what} must be non-blank text of at most {longest} characters without NUL (got {len(value)} characters)"
        raise InvalidInputError(msg)
    return value


def _json_value(value: object, depth: int) -> bool:
    if value is None or isinstance(value, (bool, str)):
        return not isinstance(value, str) or storable_text(value)
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if depth >= _META_DEPTH:
        return False
    if isinstance(value, (list, tuple)):
        return all(_json_value(v, depth + 1) for v in value)
    if isinstance(value, Mapping):
        return all(
            isinstance(k, str) and storable_text(k) and _json_value(v, depth + 1)
            for k, v in value.items()
        )
    return False


def _meta(value: object) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        msg = f"meta must be a JSON object (a dict with string keys) or None, got {type(value).__name__}"
        raise InvalidInputError(msg)
    if not _json_value(value, 0):
        msg = (
            f"meta must hold only JSON values (strings, numbers, true/false, null, lists, "
            f"objects with string keys), nested at most {_META_DEPTH} deep"
        )
        raise InvalidInputError(msg)
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if size > META_MAX:
        msg = f"meta is {size} bytes as JSON; at most {META_MAX} are kept (store larger data in the host's own tables)"
        raise InvalidInputError(msg)
    return value


def check_attribution(
    actor: object = None, note: object = None, meta: object = None
) -> dict[str, Any]:
    """
    Who recorded an event and why, checked: ``actor`` (a staff identifier, at most
    ``ACTOR_MAX`` characters), ``note`` (at most ``NOTE_MAX``) and ``meta`` (a JSON object
    of at most ``META_MAX`` bytes). Only the keys that are set are returned. Error messages
    never repeat the values.
    """
    out: dict[str, Any] = {}
    if actor is not None:
        out["actor"] = _text(actor, "actor", ACTOR_MAX)
    if note is not None:
        out["note"] = _text(note, "note", NOTE_MAX)
    if meta is not None:
        out["meta"] = _meta(meta)
    return out


def parse_form(
    raw: object,
) -> tuple[str, Any, Mapping[str, Any], str | None, dict[str, Any]]:
    """
    An event's type, day, parameters, id and recording fields (``recorded_at``, ``actor``,
    ``note``, ``meta``, only those set), from its JSON form; the type must be known and
    the fields those of the type (parameter values are checked later).
    """
    # Stored events are plain dicts: test for those before the slower ABC check.
    if type(raw) is not dict and not isinstance(raw, Mapping):
        msg = f"an event must be an Event or a mapping, got {type(raw).__name__}"
        raise InvalidInputError(msg)
    kind = _known(raw.get("type"))
    if "on" not in raw:
        msg = "missing field 'on'"
        raise InvalidInputError(msg)
    if len(raw) == 2:  # most events carry no parameters
        return kind, raw["on"], _NONE, None, {}
    event_id = check_event_id(raw.get("event_id"))
    extra: dict[str, Any] = {}
    if "recorded_at" in raw and raw["recorded_at"] is not None:
        extra["recorded_at"] = check_clock_time(raw["recorded_at"])
    if "actor" in raw or "note" in raw or "meta" in raw:
        extra.update(check_attribution(raw.get("actor"), raw.get("note"), raw.get("meta")))
    params = {k: v for k, v in raw.items() if k not in _RESERVED}
    fields = _ALL_FIELDS[kind]
    if not fields.issuperset(params):
        msg = f"unknown fields {sorted(map(str, set(params) - fields))!r:.200} for {kind}"
        raise InvalidInputError(msg)
    return kind, raw["on"], params or _NONE, event_id, extra


def _known(kind: object) -> str:
    """``kind`` if it is an event type, else a ValueError naming the known ones."""
    if not isinstance(kind, str) or kind not in _ALL_FIELDS:
        msg = f"unknown event type {kind!r:.60}; known types: {', '.join(_ALL_FIELDS)}"
        raise InvalidInputError(msg)
    return kind


known_kind = _known

"""
The parameter checks of the event methods: the given values of an event -> the values it
stores (enum members as names, dates as ISO text), or an error naming the parameter.

A live event method and the replay of a stored event go through the same check, so a
stored event is held to exactly the rules of a live one. What the *history* must show
before an event is the precondition table (``_preconditions``), not here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._calendar import as_date
from ._clock import SENDS_DOCUMENT
from ._errors import InvalidInputError, InvalidTransition, InvalidTypeError, check_flag, excerpt
from ._model import NO_PARAMS, DeliveryMethod, Ground, Outcome, Result

__all__ = [
    "MOST_REPLY_DAYS",
    "PARAMS",
    "SENDS",
    "delivery",
    "delivery_params",
    "enum_of",
    "posted",
]

_DECIDE_FORBIDDEN = frozenset(
    {Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE, Outcome.WITHDRAWN}
)
_WITHDRAWN = Outcome.WITHDRAWN.value
_ABANDONED = frozenset({Outcome.ABANDONED_NO_CORRECTION.value, Outcome.ABANDONED_UNPAID_FEE.value})
#: The events that send a document (``delivered(of=...)`` names one of them).
SENDS = frozenset(SENDS_DOCUMENT)
_SENDS = SENDS


@functools.cache
def _names(cls: Any) -> frozenset[str]:
    return frozenset(cls.__members__)  # building __members__ costs more than the lookup


def _enum(cls: Any, value: object, what: str) -> Any:
    if isinstance(value, cls):
        return value
    if isinstance(value, str) and value in _names(cls):  # stored values are the names
        return cls[value]
    names = ", ".join(m.name for m in cls)
    msg = f"{what} must be one of {cls.__name__}.{{{names}}}, got {excerpt(value)}"
    raise InvalidInputError(msg, field=what)


#: The longest correction period in calendar days (``reply_days``): a sanity bound, not a
#: legal number (art 30 asks for a "reasonable" period and sets none). Ten years catches a
#: typed 10**7, which would run past the last day a date can hold (#23).
MOST_REPLY_DAYS = 3650


def _positive_int(value: object, what: str) -> int:
    if type(value) is not int or value <= 0:
        msg = f"{what} must be a positive whole number, got {excerpt(value)}"
        raise InvalidInputError(msg, field=what)
    return value


def _referral(value: str | Mapping[str, str]) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"agency": value, "contact": ""}
    if isinstance(value, Mapping):
        agency, contact = value.get("agency"), value.get("contact", "")
        if (
            isinstance(agency, str)
            and agency.strip()
            and isinstance(contact, str)
            and set(value) <= {"agency", "contact"}
        ):
            return {"agency": agency, "contact": contact}
    msg = (
        "referral must be the agency's name, or {'agency': name, 'contact': text} with strings only"
    )
    raise InvalidInputError(msg)


# -- parameter checks: the given values of an event -> the values it stores ----------------


def _nothing(day: dt.date, given: Mapping[str, Any]) -> Mapping[str, Any]:
    return NO_PARAMS


def _posted(on: object) -> dict[str, Any]:
    """The posting day of a live event method, as given (checked by _posting)."""
    return {} if on is None else {"posted_on": on}


def _posting(day: dt.date, given: Mapping[str, Any], *, sent_by_agency: bool) -> dict[str, Any]:
    """
    Check ``posted_on``: a document the agency sends is posted on or after its date (and
    not after its delivery); one the applicant or a third party sends, on or before the
    day it arrives.
    """
    if given.get("posted_on") is None:
        return {}
    posted = as_date(given["posted_on"], "posted_on")
    if sent_by_agency:
        if posted < day:
            msg = f"posted_on {posted} is before the document's date ({day}); give the day it was handed to the post"
            raise InvalidInputError(msg)
        delivered = given.get("delivered_on")
        if delivered is not None and as_date(delivered, "delivered_on") < posted:
            msg = f"posted_on {posted} is after delivered_on {delivered}; a document is posted before it arrives"
            raise InvalidInputError(msg)
    elif posted > day:
        msg = f"posted_on {posted} is after the day it arrived ({day}); give the day it was posted"
        raise InvalidInputError(msg)
    return {"posted_on": posted.isoformat()}


def _arrived(day: dt.date, given: Mapping[str, Any]) -> Mapping[str, Any]:
    return _posting(day, given, sent_by_agency=False) or NO_PARAMS


def _reconsideration(day: dt.date, given: Mapping[str, Any]) -> Mapping[str, Any]:
    params = dict(_arrived(day, given))
    accepted = given.get("accepted_on")
    if accepted is not None:
        when = as_date(accepted, "accepted_on")
        if when < day:
            msg = f"accepted_on {when} is before the application ({day}); the body accepts it on or after that day"
            raise InvalidInputError(msg, field="accepted_on")
        params["accepted_on"] = when.isoformat()
    return params or NO_PARAMS


def _explanation(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    explained = given.get("explained", True)
    check_flag(explained, "explained")
    return {"explained": explained}


def _date_after(day: dt.date, value: object, what: str, must: str) -> str:
    """``value`` as an ISO date, which must fall after ``day`` (``must`` says why)."""
    later = as_date(value, what)
    if later <= day:
        msg = must.format(later=later, day=day)
        raise InvalidInputError(msg)
    return later.isoformat()


def _correction(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    by, days = given.get("reply_by"), given.get("reply_days")
    if (by is None) == (days is None):
        msg = "give the correction period as reply_by (a date) or reply_days (calendar days from receipt), one of them"
        raise InvalidInputError(msg)
    if days is not None:
        days = _positive_int(days, "reply_days")
        if days > MOST_REPLY_DAYS:
            msg = (
                f"reply_days must be at most {MOST_REPLY_DAYS} calendar days, got {days}; "
                f"for a later date give reply_by"
            )
            raise InvalidInputError(msg, field="reply_days")
        return {"reply_days": days}
    must = "reply_by {later} must be after the day the correction is asked for ({day})"
    return {"reply_by": _date_after(day, by, "reply_by", must)}


def _consent(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    consents = given.get("consents")
    if consents is not None:
        check_flag(consents, "consents (or None when unknown)")
    return {"consents": consents, **_posting(day, given, sent_by_agency=False)}


def _extension(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"workdays": _positive_int(given["workdays"], "workdays")}
    approved = given.get("approved_by")
    if approved is not None:
        if not isinstance(approved, str) or not approved.strip():
            msg = f"approved_by must say who approved the extension (text), got {excerpt(approved, 40)}"
            raise InvalidInputError(msg, field="approved_by")
        params["approved_by"] = approved
    return params


def _fee(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    amount = given["amount"]
    if type(amount) is not int or amount < 0:
        msg = f"amount must be a whole number of yuan (>= 0), got {amount!r}"
        raise InvalidInputError(msg)
    return {"amount": amount}


def _delay(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    must = "the delayed due date {later} must be after the day it is set ({day})"
    return {"due": _date_after(day, given["due"], "due", must)}


def _decision(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    out = _enum(Outcome, given["outcome"], "outcome")
    if out in _DECIDE_FORBIDDEN:
        msg = f"{out.name} is recorded with withdraw() or abandon(), not decide()"
        raise InvalidTransition(msg)
    grounds = given.get("grounds", ())
    if isinstance(grounds, (str, Ground)):
        grounds = (grounds,)
    if not isinstance(grounds, Iterable) or isinstance(grounds, Mapping):
        msg = f"grounds must be Ground members (or their names), got {type(grounds).__name__}"
        raise InvalidTypeError(msg)
    gs = tuple(_enum(Ground, g, "ground") for g in grounds)
    if len(set(gs)) != len(gs):
        msg = f"grounds {[g.name for g in gs]} name a ground twice; give each once"
        raise InvalidInputError(msg)
    if gs and not out.needs_grounds:
        msg = f"grounds only apply to refusals and partial disclosures, not {out.name}"
        raise InvalidInputError(msg)
    params: dict[str, Any] = {"outcome": out.value}
    if gs:
        params["grounds"] = [g.value for g in gs]
    referral = given.get("referral")
    if referral is not None:
        if out is not Outcome.NOT_THIS_AGENCY:
            msg = "referral only applies to NOT_THIS_AGENCY (art 36 (五))"
            raise InvalidInputError(msg)
        params["referral"] = _referral(referral)
    stated = given.get("remedies_stated", True)
    check_flag(stated, "remedies_stated")
    if not stated:
        params["remedies_stated"] = False
    params.update(_posting(day, given, sent_by_agency=True))
    reason = given.get("public_interest")
    if reason is not None:
        if not isinstance(reason, str) or not reason.strip():
            msg = f"public_interest must be the reason as text, got {reason!r}"
            raise InvalidInputError(msg)
        if out not in (Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED):
            msg = "public_interest only applies to a disclosure over a third party's objection (art 32)"
            raise InvalidInputError(msg)
        params["public_interest"] = reason
    notice_on = given.get("third_party_notice_on")
    if notice_on is not None:
        if reason is None:
            msg = "third_party_notice_on only applies to a disclosure over a third party's objection (public_interest=...)"
            raise InvalidInputError(msg, field="third_party_notice_on")
        sent = as_date(notice_on, "third_party_notice_on")
        if sent > day:
            msg = f"third_party_notice_on {sent} is after the decision ({day}); the notice to the third party comes first"
            raise InvalidInputError(msg, field="third_party_notice_on")
        params["third_party_notice_on"] = sent.isoformat()
        got = given.get("third_party_notice_delivered_on")
        if got is not None:
            received = as_date(got, "third_party_notice_delivered_on")
            if received < sent:
                msg = f"third_party_notice_delivered_on {received} is before the notice was sent ({sent})"
                raise InvalidInputError(msg, field="third_party_notice_delivered_on")
            params["third_party_notice_delivered_on"] = received.isoformat()
    elif given.get("third_party_notice_delivered_on") is not None:
        msg = "third_party_notice_delivered_on needs third_party_notice_on (the notice's date)"
        raise InvalidInputError(msg, field="third_party_notice_delivered_on")
    return params


def _withdrawal(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    if given.get("outcome", _WITHDRAWN) != _WITHDRAWN:  # a stored withdrawal says WITHDRAWN
        msg = f"a withdrawal's outcome is WITHDRAWN, got {given['outcome']!r:.40}"
        raise InvalidInputError(msg)
    return {"outcome": _WITHDRAWN}


def _abandonment(day: dt.date, given: Mapping[str, Any]) -> Mapping[str, Any]:
    outcome = given.get("outcome")
    posted = _posting(day, given, sent_by_agency=True)
    if outcome is None:  # the precondition finds which it is
        return posted or NO_PARAMS
    if not isinstance(outcome, str) or outcome not in _ABANDONED:
        msg = f"an abandonment's outcome is one of {sorted(_ABANDONED)}, got {outcome!r:.40}"
        raise InvalidInputError(msg)
    return {"outcome": outcome, **posted}


def _result(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    return {"result": _enum(Result, given["result"], "result").value}


def _delivery(on: object, method: object) -> dict[str, Any]:
    """The delivery arguments of a live event method, as given (checked by _delivery_params)."""
    out: dict[str, Any] = {}
    if on is not None:
        out["delivered_on"] = on
    if method is not None:
        out["delivery_method"] = method
    return out


def _delivery_params(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``delivered_on`` (not before the sending day) and ``delivery_method``."""
    out: dict[str, Any] = {}
    on = given.get("delivered_on")
    method = given.get("delivery_method")
    if on is not None:
        got = as_date(on, "delivered_on")
        if got < day:
            msg = f"delivered_on {got} is before the document was sent ({day}); give the day it reached the addressee"
            raise InvalidInputError(msg)
        out["delivered_on"] = got.isoformat()
    if method is not None:
        if on is None:
            msg = "a delivery method needs delivered_on (or record it later with delivered(on, of=..., method=...))"
            raise InvalidInputError(msg)
        out["delivery_method"] = _enum(DeliveryMethod, method, "method").value
    return out


def _delivered(day: dt.date, given: Mapping[str, Any]) -> dict[str, Any]:
    of = given["of"]
    if not isinstance(of, str) or of not in _SENDS:
        msg = f"of must name an event that sends a document, one of {', '.join(SENDS_DOCUMENT)}; got {of!r}"
        raise InvalidInputError(msg)
    params: dict[str, Any] = {"of": of}
    if given.get("method") is not None:
        params["method"] = _enum(DeliveryMethod, given["method"], "method").value
    return params


#: Every event after the opening one -> the check of its parameters.
PARAMS: dict[str, Callable[[dt.date, Mapping[str, Any]], Mapping[str, Any]]] = {
    "confirm_receipt": _nothing,
    "request_correction": _correction,
    "receive_correction": _arrived,
    "consult_third_party": _nothing,
    "third_party_replied": _consent,
    "consult_agency": _nothing,
    "agency_replied": _nothing,
    "extend": _extension,
    "send_fee_notice": _fee,
    "fee_paid": _arrived,
    "ask_for_reasons": _nothing,
    "reasons_replied": _explanation,
    "set_delayed_deadline": _delay,
    "decide": _decision,
    "withdraw": _withdrawal,
    "abandon": _abandonment,
    "apply_for_reconsideration": _reconsideration,
    "reconsideration_decided": _result,
    "file_lawsuit": _arrived,
    "lawsuit_decided": _result,
    "delivered": _delivered,
}


# Public names inside the package (the façade imports these).
enum_of = _enum
delivery = _delivery
delivery_params = _delivery_params
posted = _posted

"""
A request for government information: an append-only list of dated events.

State comes from the one shared ``transitions`` machine (live events) or from the table
compiled from it (replay); due dates, pauses, deadlines and violations are computed from
the events on demand (``_clock``). Nothing derived is stored.

``Request`` is a typed façade: what an event's parameters may be is ``_params``, where it
may happen is the transition table (``_machine``), what the history must show is the
precondition table (``_preconditions``), and every date is ``_clock``, ``_deadlines``,
``_violations`` and ``_trace``. The module stays above the ~500-line aim for a stated
reason: it holds one documented, typed method per event (about 25, each with the keyword
arguments the public API pins) and the history machinery of recording late, correcting
and retracting (#18), which must stay beside the state it guards.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from . import _preconditions
from ._allowed import AllowedEvent, allowed_events
from ._calendar import WorkCalendar, as_date, calendar_or_default
from ._clock import Status, compute_status, facts_of
from ._deadlines import Deadline, compute_deadlines
from ._errors import InvalidInputError, InvalidTransition, InvalidTypeError, check_flag
from ._history import COMPENSATING as _COMPENSATING
from ._history import DERIVED as _DERIVED
from ._history import changes_of as _changes
from ._history import conflict as _conflict
from ._machine import COMPILED, MACHINE, OPEN_STATES, State
from ._model import (
    NO_PARAMS,
    Applicant,
    ApplicantType,
    Channel,
    DeliveryMethod,
    Event,
    Ground,
    Outcome,
    Result,
    freeze,
    thaw,
)
from ._params import MOST_REPLY_DAYS, PARAMS, SENDS, delivery_params, enum_of
from ._params import delivery as _delivery
from ._params import posted as _posted
from ._replay import (
    CHINA_TZ,
    NOTE_MAX,
    check_attribution,
    check_clock_time,
    check_event_id,
    china_now,
    parse_record,
)
from ._rules import PRC_2019, PROFILES, Rules, profile_for
from ._trace import DeadlineTrace, compute_trace
from ._violations import Violation, compute_violations

__all__ = ["FORMAT", "MOST_REPLY_DAYS", "Request", "request_list"]

#: The version tag of ``Request.to_dict()``'s format.
FORMAT = "infopen.request/1"

#: The keys of a request document (request.schema.json).
_DOCUMENT_KEYS = frozenset({"format", "request_id", "rules", "strict", "events", "applicant"})
_STATES = {s.value: s for s in State}
# The states an opening event leads to, read once (enum attribute access is slow in 3.10/3.11).
_OPENED_IN = {"receive": State.PROCESSING.value, "submit": State.SUBMITTED.value}


_enum = enum_of  # the store checks enum values with it


class Request:
    """
    A request under the Regulations on Open Government Information, as its events.

    Open one with :meth:`receive` (receipt date known) or :meth:`submit` (receipt to be
    confirmed, art 31), then record what happens with one method per event, each taking
    the day it happened as ``on``. An event that cannot happen raises
    :class:`InvalidTransition` and leaves the request unchanged; a breach of a time limit
    is recorded and reported by :meth:`violations` (or raised, with ``strict=True``).

    Every constructor (:meth:`receive`, :meth:`submit`, :meth:`from_dict`, :meth:`replay`)
    takes ``calendar=``; without one it uses the national calendar *with estimates*
    (:func:`national_calendar` with ``beyond="estimate"``), so a request whose periods reach
    into a year the State Council has not announced is still recorded, and every date that
    rests on an estimated day says so (``Status.estimated``, ``Deadline.estimated``).

    Every event method takes the same arguments besides its own parameters:

    Args:
        on: The day the event happened in law (a ``date`` or ``"YYYY-MM-DD"``, China
            Standard Time). It may be before events already recorded (a postal receipt
            that comes back late): the event is counted in date order, and refused only
            if the history would then be impossible.
        event_id: Optional keyword: the id of the event (a UUID, say; at most 128
            characters, no NUL). An event whose id is already recorded with the same
            content is not recorded again, so a retried call is harmless; an id reused for
            other content raises :class:`InvalidInputError`. Without one the event gets a
            stable id derived from the request id and its place in the log.
        actor: Optional keyword: the staff member who records it (an identifier, at most
            128 characters; not the applicant).
        note: Optional keyword: why, as text (at most 2,000 characters).
        meta: Optional keyword: a small JSON object the host owns (at most 4,096 bytes).
            ``actor``, ``note`` and ``meta`` are kept with the event and exported, never
            shown in a repr, a log or an error message.

    Each event is stamped with ``recorded_at`` from the request's clock (``clock=`` on the
    constructors, China Standard Time by default). Strict mode (``strict=True``) checks the
    time limits of events recorded in date order; an event recorded late is checked for
    possibility only.

    Raises:
        InvalidTransition: The event cannot happen in the state the request is in on its
            day, would make the history impossible (naming the conflicting event), or
            (with ``strict=True``) would break a time limit.
        ValueError: A parameter is malformed (the message names it); an ``event_id``,
            ``actor``, ``note`` or ``meta`` problem is an :class:`InvalidInputError`, also a
            ``ValueError``.

    :meth:`apply` records the same events from their JSON form (``{"type": ..., "on": ...}``);
    :meth:`correct` and :meth:`retract` correct the history; :meth:`allowed` lists what can
    happen on a day.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 the default calendar estimates past the announced years;
       ``event_id`` on every event method; :meth:`apply`.
    .. versionchanged:: 0.3.0 events recorded late, :meth:`correct`, :meth:`retract`,
       :meth:`allowed`; ``actor``, ``note``, ``meta`` and ``clock``.
    """

    __slots__ = (
        "_applicant",
        "_applicant_changed",
        "_by_id",
        "_clock",
        "_events",
        "_log",
        "_replaying",
        "_request_id",
        "_state",
        "calendar",
        "loaded_version",
        "rules",
        "strict",
    )

    def __init__(
        self,
        *,
        request_id: str | None = None,
        rules: Rules = PRC_2019,
        calendar: WorkCalendar | None = None,
        strict: bool = False,
        applicant: Applicant | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if clock is not None and not callable(clock):
            msg = f"clock must be a function returning a timezone-aware datetime, got {type(clock).__name__}"
            raise InvalidTypeError(msg)
        if not isinstance(rules, Rules):
            msg = f"rules must be a Rules profile (PRC_2019, PRC_2008 or Rules.from_toml), got {rules!r}"
            raise InvalidTypeError(msg)
        if request_id is not None and (not isinstance(request_id, str) or not request_id.strip()):
            msg = f"request_id must be a non-empty string, got {request_id!r:.60}"
            raise InvalidInputError(msg)
        check_flag(strict, "strict")
        if applicant is not None and not isinstance(applicant, Applicant):
            msg = f"applicant must be an infopen.Applicant or None, got {type(applicant).__name__}"
            raise InvalidTypeError(msg)
        self._request_id = request_id or uuid.uuid4().hex
        self.rules = rules
        self.calendar = calendar_or_default(calendar)
        self.strict = strict
        self._applicant = applicant
        # Set when the applicant is replaced (or set to None) after construction: the
        # store then replaces (or erases) the stored identity on the next save.
        self._applicant_changed = False
        self.loaded_version = 0
        self._clock: Callable[[], dt.datetime] = clock or china_now
        # _log: every event in recording order (the audit trail, ``events``); _events: the
        # effective history the lifecycle sees (corrections applied, retracted events left
        # out), in (effective date, recording order); _by_id: event id -> index in _log.
        self._log: list[Event] = []
        self._events: list[Event] = []
        self._by_id: dict[str, int] = {}
        self._state = _OPENED_IN["submit"]
        self._replaying = False

    # -- opening -------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        received_on: dt.date | str,
        *,
        channel: Channel = Channel.IN_PERSON,
        applicant_type: ApplicantType = ApplicantType.NATURAL_PERSON,
        rules: Rules | None = None,
        calendar: WorkCalendar | None = None,
        request_id: str | None = None,
        strict: bool = False,
        applicant: Applicant | None = None,
        subject: str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Request:
        """
        Open a request whose receipt date (art 31) is known; the reply clock starts.

        With no ``rules`` the profile in force on the receipt date is used: ``PRC_2008``
        before 2019-05-15, ``PRC_2019`` from then (条例 (2019) art 56).

        ``subject`` is what the application asks for (art 29 ¶2 (二): the name, number or
        description of the information), as the applicant wrote it. It is not personal
        data: it is kept in the events and exports, and every notice quotes it.

        Raises:
            ValueError: when the date falls before the profile given is in force.
        """
        req = cls(
            request_id=request_id,
            rules=_in_force(rules, received_on),
            calendar=calendar,
            strict=strict,
            applicant=applicant,
            clock=clock,
        )
        req._open("receive", received_on, channel, applicant_type, subject, event_id,
                  actor=actor, note=note, meta=meta)  # fmt: skip
        return req

    @classmethod
    def submit(
        cls,
        submitted_on: dt.date | str,
        *,
        channel: Channel,
        applicant_type: ApplicantType = ApplicantType.NATURAL_PERSON,
        rules: Rules | None = None,
        calendar: WorkCalendar | None = None,
        request_id: str | None = None,
        strict: bool = False,
        applicant: Applicant | None = None,
        subject: str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Request:
        """
        Open a request that arrived by ordinary post, online or by fax: its receipt date is
        the day of confirmation (art 31), recorded with :meth:`confirm_receipt`. With no
        ``rules``, the profile in force on the submission date. ``subject`` is what the
        application asks for, as in :meth:`receive`.
        """
        ch = _enum(Channel, channel, "channel")
        req = cls(
            request_id=request_id,
            rules=_in_force(rules, submitted_on),
            calendar=calendar,
            strict=strict,
            applicant=applicant,
            clock=clock,
        )
        req._open("submit", submitted_on, ch, applicant_type, subject, event_id,
                  actor=actor, note=note, meta=meta)  # fmt: skip
        return req

    def _open(
        self,
        kind: str,
        on: object,
        channel: object,
        applicant_type: object,
        subject: object = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        recorded_at: dt.datetime | None = None,
    ) -> None:
        day = as_date(on, "received_on" if kind == "receive" else "submitted_on")
        event_id = check_event_id(event_id)
        who = check_attribution(actor, note, meta)
        if subject is not None and (not isinstance(subject, str) or not subject.strip()):
            msg = f"subject must be the non-empty text of what the application asks for, got {subject!r}"
            raise InvalidInputError(msg)
        if day < self.rules.in_force_from:
            msg = (
                f"{day} is before {self.rules.name} came into force ({self.rules.in_force_from}); "
                f"use rules=PRC_2008 for requests received before 2019-05-15"
            )
            raise InvalidInputError(msg)
        ch = _enum(Channel, channel, "channel")
        if kind == "submit" and not ch.needs_confirmation:
            msg = f"{ch.name} applications are received the day they arrive (art 31); use Request.receive"
            raise InvalidInputError(msg)
        params = {
            "channel": ch.value,
            "applicant_type": _enum(ApplicantType, applicant_type, "applicant_type").value,
        }
        if subject is not None:
            params["subject"] = subject
        if self._events:
            msg = "a request has one opening event"
            raise InvalidTransition(msg)
        event = Event(kind, day, params, event_id=event_id or self._new_id(),
                      recorded_at=self._stamp(recorded_at), **who)  # fmt: skip
        self._events.append(event)
        self._log.append(event)
        self._by_id[event.event_id] = 0  # type: ignore[index]  # _new_id gave one
        self._state = _OPENED_IN[kind]

    # -- the event methods -----------------------------------------------------------
    # Each method hands its arguments to _record, which checks them with the event's
    # parameter check (_PARAMS) and records the event; replay hands stored parameters to
    # the same _record, so a stored event is held to exactly the rules of a live one.

    def confirm_receipt(
        self,
        on: dt.date | str,
        *,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """The office and the applicant confirm receipt: the receipt date (art 31)."""
        self._record("confirm_receipt", on, event_id=event_id, actor=actor, note=note, meta=meta)

    def request_correction(
        self,
        on: dt.date | str,
        *,
        reply_by: dt.date | str | None = None,
        reply_days: int | None = None,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        Ask once for a correction, within 7 working days of receipt, giving a reasonable
        time to answer (art 30): a date (``reply_by``) or a number of calendar days
        counted from the applicant's receipt of the notice (``reply_days``).

        ``delivered_on`` and ``method`` record a notice handed over at once (送达).

        .. versionchanged:: 0.2.0 ``reply_days``, ``delivered_on`` and ``method``.
        """
        self._record("request_correction", on, {"reply_by": reply_by, "reply_days": reply_days,
                                                **_delivery(delivered_on, method)}, event_id=event_id, actor=actor, note=note, meta=meta)  # fmt: skip

    def receive_correction(
        self,
        on: dt.date | str,
        *,
        posted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The corrected application arrives: the reply period starts again (art 30).
        ``posted_on`` is the day the applicant posted it: posted within the correction
        period, it is in time (在途时间, 民事诉讼法 art 85 ¶3 by analogy).

        .. versionchanged:: 0.3.0 ``posted_on``.
        """
        self._record("receive_correction", on, _posted(posted_on), event_id=event_id,
                     actor=actor, note=note, meta=meta)  # fmt: skip

    def consult_third_party(
        self,
        on: dt.date | str,
        *,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        Send the consultation letter to a third party; the clock pauses (arts 32, 33 ¶3).
        The third party's 15 working days run from its receipt of the letter.
        """
        self._record(
            "consult_third_party",
            on,
            _delivery(delivered_on, method),
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def third_party_replied(
        self,
        on: dt.date | str,
        *,
        consents: bool | None = None,
        posted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The third party's view arrives; it had 15 working days from receiving the letter
        (art 32). A view posted within them is in time (``posted_on``).

        Args:
            consents: True or False, or None (default) when unknown or silent.

        .. versionchanged:: 0.3.0 ``posted_on``.
        """
        self._record(
            "third_party_replied",
            on,
            {"consents": consents, **_posted(posted_on)},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def consult_agency(
        self,
        on: dt.date | str,
        *,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        Consult another agency about jointly made information (art 34); the clock pauses.
        Its 15 working days run from its receipt of the letter.
        """
        self._record(
            "consult_agency",
            on,
            _delivery(delivered_on, method),
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def agency_replied(
        self,
        on: dt.date | str,
        *,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """The other agency's view arrives (its silence past 15 working days is consent)."""
        self._record("agency_replied", on, event_id=event_id, actor=actor, note=note, meta=meta)

    def extend(
        self,
        on: dt.date | str,
        *,
        workdays: int,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        approved_by: str | None = None,
    ) -> None:
        """
        Extend the reply period by ``workdays`` working days (art 33 ¶2: at most 20 in
        all, before the due date; more than one extension is lawful within that total
        unless the profile's ``single_extension`` says otherwise). ``approved_by`` records
        who approved it (art 33 ¶2: the head of the GI office); the notice says "经…负责人
        同意" only when it is recorded.

        .. versionchanged:: 0.3.0 ``approved_by``.
        """
        given: dict[str, Any] = {"workdays": workdays, **_delivery(delivered_on, method)}
        if approved_by is not None:
            given["approved_by"] = approved_by
        self._record("extend", on, given, event_id=event_id, actor=actor, note=note, meta=meta)

    def send_fee_notice(
        self,
        on: dt.date | str,
        *,
        amount: int,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        Send a fee notice for ``amount`` yuan (国办函〔2020〕109号): payment is due within
        20 working days of the applicant's receipt of the notice.
        """
        self._record(
            "send_fee_notice",
            on,
            {"amount": amount, **_delivery(delivered_on, method)},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def fee_paid(
        self,
        on: dt.date | str,
        *,
        posted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The applicant pays the fee; the clock resumes. A payment posted within the window
        is in time (``posted_on``).

        .. versionchanged:: 0.3.0 ``posted_on``.
        """
        self._record("fee_paid", on, _posted(posted_on), event_id=event_id, actor=actor,
                     note=note, meta=meta)  # fmt: skip

    def ask_for_reasons(
        self,
        on: dt.date | str,
        *,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """Ask the applicant to explain a clearly excessive number of requests (art 35)."""
        self._record(
            "ask_for_reasons",
            on,
            _delivery(delivered_on, method),
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def reasons_replied(
        self,
        on: dt.date | str,
        *,
        explained: bool = True,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The applicant's explanation arrives (``explained=True``), or the time given to
        explain runs out without one (``explained=False``, dated the day it ran out)
        (art 35). Either must be recorded before the request is refused as EXCESSIVE; a
        delayed date (:meth:`set_delayed_deadline`) follows an explanation.

        .. versionadded:: 0.3.0
        """
        self._record("reasons_replied", on, {"explained": explained}, event_id=event_id,
                     actor=actor, note=note, meta=meta)  # fmt: skip

    def set_delayed_deadline(
        self,
        on: dt.date | str,
        *,
        due: dt.date | str,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """Set a reasonable later reply date and tell the applicant (art 35)."""
        self._record(
            "set_delayed_deadline",
            on,
            {"due": due, **_delivery(delivered_on, method)},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def decide(
        self,
        on: dt.date | str,
        outcome: Outcome,
        *,
        grounds: Iterable[Ground] = (),
        referral: str | Mapping[str, str] | None = None,
        remedies_stated: bool = True,
        public_interest: str | None = None,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        posted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        third_party_notice_on: dt.date | str | None = None,
        third_party_notice_delivered_on: dt.date | str | None = None,
    ) -> None:
        """
        Answer the request (arts 36-39). ``grounds`` say what a refusal or partial
        disclosure withholds and why; ``referral`` names the responsible agency and its
        contact for ``NOT_THIS_AGENCY``. ``remedies_stated=False`` records a notice that
        left out the remedy, the reconsideration body or the period (the windows then run
        up to one year, 行政复议法 art 20 ¶3, 法释〔2018〕1号 art 64). ``public_interest`` is
        the reason for disclosing over a third party's objection (art 32), required then;
        ``third_party_notice_on`` dates the written notice to that third party and
        ``third_party_notice_delivered_on`` its receipt: disclosing before
        ``Rules.third_party_notice_workdays`` after it is flagged.

        ``posted_on`` is the day the answer was handed to a postal enterprise (交邮): the
        reply deadline is met by the act of service, not by the date of the decision
        (国办公开办函〔2016〕235号): the posting day, or for direct delivery
        (``method=DeliveryMethod.DIRECT``) the applicant's signature day ``delivered_on``.

        .. versionchanged:: 0.2.0 ``remedies_stated``, ``public_interest``,
           ``delivered_on`` and ``method``.
        .. versionchanged:: 0.3.0 ``posted_on``; allowed after a remedy against silence.
        """
        self._record("decide", on, {"outcome": outcome, "grounds": grounds, "referral": referral,
                                    "remedies_stated": remedies_stated,
                                    "public_interest": public_interest,
                                    "third_party_notice_on": third_party_notice_on,
                                    "third_party_notice_delivered_on": third_party_notice_delivered_on,
                                    **_delivery(delivered_on, method), **_posted(posted_on)},
                     event_id=event_id, actor=actor, note=note, meta=meta)  # fmt: skip

    def withdraw(
        self,
        on: dt.date | str,
        *,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """The applicant withdraws the request."""
        self._record("withdraw", on, event_id=event_id, actor=actor, note=note, meta=meta)

    def abandon(
        self,
        on: dt.date | str,
        *,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        posted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        Deemed abandoned once the correction window (art 30) or the fee payment window
        (109号) has run out; the outcome follows from which. Refused while the window
        could still be open: both need the notice's delivery recorded, before the period
        it set ended. ``posted_on`` is the day the notice to stop processing was posted.

        .. versionchanged:: 0.3.0 ``posted_on``; a correction notice must be delivered.
        """
        self._record(
            "abandon",
            on,
            {**_delivery(delivered_on, method), **_posted(posted_on)},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def apply_for_reconsideration(
        self,
        on: dt.date | str,
        *,
        posted_on: dt.date | str | None = None,
        accepted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The applicant applies for administrative reconsideration (行政复议法 art 20),
        against an answer, a decision to stop processing, or silence once the reply period
        has run out (履行法定职责). An application after its window is recorded and
        flagged on the Deadline, not refused: the reconsideration body decides. Posted
        within the window (``posted_on``), it is in time. ``accepted_on`` is the day the
        reconsideration body accepted it (受理): its period to decide (60 calendar days, or
        30 in the simplified procedure; 行政复议法 art 62) counts from that day, and from
        the application, said so, while it is not recorded.

        .. versionchanged:: 0.3.0 ``posted_on`` and ``accepted_on``.
        """
        given = dict(_posted(posted_on))
        if accepted_on is not None:
            given["accepted_on"] = accepted_on
        self._record("apply_for_reconsideration", on, given, event_id=event_id,
                     actor=actor, note=note, meta=meta)  # fmt: skip

    def reconsideration_decided(
        self,
        on: dt.date | str,
        result: Result,
        *,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """The reconsideration body decides; 15 days to sue run from receipt of the decision."""
        self._record(
            "reconsideration_decided",
            on,
            {"result": result, **_delivery(delivered_on, method)},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def file_lawsuit(
        self,
        on: dt.date | str,
        *,
        posted_on: dt.date | str | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The applicant sues (行政诉讼法 arts 45-47): against an answer, against silence once
        the reply period has run out, or while reconsideration is pending once the
        reconsideration body's period ran out with no decision (art 45). A late suit is
        recorded and flagged, not refused; one posted within its window is in time.

        .. versionchanged:: 0.3.0 ``posted_on``; after the reconsideration period ran out.
        """
        self._record("file_lawsuit", on, _posted(posted_on), event_id=event_id, actor=actor,
                     note=note, meta=meta)  # fmt: skip

    def lawsuit_decided(
        self,
        on: dt.date | str,
        result: Result,
        *,
        delivered_on: dt.date | str | None = None,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """The court decides (行政诉讼法 art 81)."""
        self._record(
            "lawsuit_decided",
            on,
            {"result": result, **_delivery(delivered_on, method)},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def delivered(
        self,
        on: dt.date | str,
        *,
        of: str,
        method: DeliveryMethod | None = None,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """
        The document of the latest ``of`` event (``"decide"``, ``"send_fee_notice"``,
        ``"consult_third_party"``, ``"consult_agency"``, ``"request_correction"``,
        ``"extend"``, ``"reconsideration_decided"``…) reached its addressee on ``on``
        (送达). Every period the law counts from receipt runs from this day.

        Raises:
            InvalidTransition: when no such document was sent, or its delivery is
                already recorded.

        .. versionadded:: 0.2.0
        """
        self._record(
            "delivered",
            on,
            {"of": of, "method": method},
            event_id=event_id,
            actor=actor,
            note=note,
            meta=meta,
        )

    def correct(
        self,
        event_id: str,
        *,
        reason: str,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        correction_id: str | None = None,
        **changes: Any,
    ) -> None:
        """
        Correct a recorded event: a ``"correct"`` event is recorded that names it and the
        fields it changes; the original stays in :attr:`events` (the audit trail) and every
        date is computed from the corrected history (:attr:`effective_events`).

        ``changes`` are ``on=`` (the right day) and the fields the event stores, as its
        method takes them or in their JSON form (``workdays=10``, ``outcome=Outcome.REFUSED``,
        ``delivered_on="2026-10-12"``, ``delivery_method=DeliveryMethod.POST``); ``None``
        removes an optional field. Example: ``r.correct(eid, on="2026-10-09",
        reason="年份录入错误")`` for an event typed with 2027 for 2026.

        Args:
            event_id: The id of the event to correct (``request.events[i].event_id``).
            reason: Why (shown by :meth:`explain`).
            actor: Who corrects it (a staff identifier); ``note``, ``meta`` as for events.
            correction_id: The correction's own id, for a harmless retry.

        Raises:
            InvalidInputError: for an unknown event id, a field the event does not have, a
                malformed value or no reason.
            InvalidTransition: when the corrected history could not have happened (naming
                the conflicting event); nothing changes.

        .. versionadded:: 0.3.0
        """
        self._compensate("correct", None, {"target": event_id, "reason": reason,
                         "changes": changes}, correction_id, actor, note, meta, None)  # fmt: skip

    def retract(
        self,
        event_id: str,
        *,
        reason: str,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        correction_id: str | None = None,
    ) -> None:
        """
        Retract an event recorded by mistake: a ``"retract"`` event is recorded; the original
        stays in :attr:`events`, and the lifecycle is computed as if it had not happened.
        The opening event cannot be retracted (correct it instead).

        Raises:
            InvalidInputError: for an unknown event id or no reason.
            InvalidTransition: when the history without it could not have happened (naming
                the event that needs it); nothing changes.

        .. versionadded:: 0.3.0
        """
        self._compensate("retract", None, {"target": event_id, "reason": reason},
                         correction_id, actor, note, meta, None)  # fmt: skip

    def apply(
        self,
        event: Event | Mapping[str, Any],
        *,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> bool:
        """
        Record an event given as its JSON form or as an :class:`Event`, with exactly the
        checks of the named method (``{"type": "extend", ...}`` is :meth:`extend`).

        The JSON form is ``{"type": ..., "on": "YYYY-MM-DD", "event_id": ..., **params}``
        with the parameter names of the named method (``Event.to_dict()``; its JSON Schema
        is ``infopen/schemas/event.schema.json``). ``event_id`` is optional; an event whose
        id is already recorded with the same content is not recorded again. ``actor``,
        ``note`` and ``meta`` given here take the place of the form's own. The form's
        ``recorded_at``, when it has one, is kept; otherwise the request's clock stamps it.
        ``"correct"`` and ``"retract"`` forms record a correction (:meth:`correct`,
        :meth:`retract`).

        Example: ``r.apply({"type": "extend", "on": "2026-10-20", "workdays": 10})``.

        Returns:
            True when the event was recorded, False when it was already recorded (an
            identical retry: same ``event_id``, type, day, parameters, actor, note, meta).

        Raises:
            InvalidInputError: for an unknown type, unknown fields, a malformed value, an
                opening event (open a request with :meth:`receive` or :meth:`submit`), or an
                ``event_id`` already recorded with other content (a conflict).
            InvalidTransition: for an event that cannot happen now, as the named method.

        .. versionadded:: 0.2.0
        .. versionchanged:: 0.3.0 returns whether the event was new; ``actor``, ``note``,
           ``meta``.
        """
        kind, on, params, event_id, extra = parse_record(event)
        if kind in _OPENED_IN:
            msg = f"{kind} opens a request: use Request.{kind}() or Request.replay(), not apply()"
            raise InvalidInputError(msg)
        given = check_attribution(actor, note, meta)
        who = {
            "actor": given.get("actor", extra.get("actor")),
            "note": given.get("note", extra.get("note")),
            "meta": given.get("meta", extra.get("meta")),
        }
        try:
            return self._record(kind, on, params, event_id=event_id,
                                recorded_at=extra.get("recorded_at"), **who)  # fmt: skip
        except KeyError as exc:  # a parameter the method requires is not in the JSON form
            msg = f"{kind}: missing field {exc.args[0]!r}"
            raise InvalidInputError(msg) from None

    @property
    def applicant(self) -> Applicant | None:
        """
        Who applied (identity for notices), or ``None``. Setting it to ``None`` and saving
        erases the stored identity (:meth:`EventStore.erase_identity` does so directly).

        .. versionchanged:: 0.3.0 an assignment is remembered for the store.
        """
        return self._applicant

    @applicant.setter
    def applicant(self, value: Applicant | None) -> None:
        if value is not None and not isinstance(value, Applicant):
            msg = f"applicant must be an infopen.Applicant or None, got {type(value).__name__}"
            raise InvalidTypeError(msg, field="applicant")
        self._applicant = value
        self._applicant_changed = True

    @property
    def request_id(self) -> str:
        """
        The request's id; it cannot change once the request has events (they belong to it).

        .. versionchanged:: 0.2.0 read-only once the request has events.
        """
        return self._request_id

    @request_id.setter
    def request_id(self, value: str) -> None:
        if self._events:
            msg = (
                f"request {self._request_id}: its id cannot change once it has events; "
                "make a new request (Request.receive(..., request_id=...)) for another id"
            )
            raise InvalidInputError(msg)
        if not isinstance(value, str) or not value:
            msg = f"request_id must be a non-empty string, got {value!r}"
            raise InvalidInputError(msg)
        self._request_id = value

    # -- recording -------------------------------------------------------------------

    def _new_id(self) -> str:
        """
        A stable id for an event recorded without one, derived from the request id and the
        event's position in the log: the same history gives the same ids, load after load.
        """
        rid = self._request_id.encode("utf-8", "surrogatepass").hex()  # any str, even unstorable
        return uuid.uuid5(_EVENT_IDS, f"{rid}/{len(self._log)}").hex

    def _stamp(self, recorded_at: dt.datetime | None) -> dt.datetime | None:
        """When an event is recorded: as given, unknown in a replay, else the clock's now."""
        if recorded_at is not None or self._replaying:
            return recorded_at
        return check_clock_time(self._clock(), "the clock's time")

    def _record(
        self,
        kind: str,
        on: object,
        given: Mapping[str, Any] = NO_PARAMS,
        *,
        event_id: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        meta: Mapping[str, Any] | None = None,
        recorded_at: dt.datetime | None = None,
    ) -> bool:
        """
        Check an event and record it: its parameters, that it can happen in the state the
        history is in on its day, and any guard on the history. Nothing changes unless every
        check passes. An event dated on or after the last effective day is appended (the
        linear path); an earlier one is inserted by (day, recording order) and the whole
        effective history replayed (:meth:`_adopt`). An event whose ``event_id`` is already
        recorded is not recorded again when it is the identical fact (returns False).
        """
        if kind in _COMPENSATING:
            return self._compensate(kind, on, given, event_id, actor, note, meta, recorded_at)
        day = on if type(on) is dt.date else as_date(on, "on")
        event_id = check_event_id(event_id)
        who = check_attribution(actor, note, meta)
        params = PARAMS[kind](day, given)
        if kind in SENDS and given:
            params = {**params, **delivery_params(day, given)}
        if event_id is not None and event_id in self._by_id:
            return self._retry(event_id, kind, day, params, who)
        if not self._events:
            msg = "open the request with Request.receive() or Request.submit() first"
            raise InvalidTransition(msg)
        stamp = self._stamp(recorded_at)
        if day < self._events[-1].on:  # recorded late: the history is rebuilt around it
            event = Event(kind, day, params or NO_PARAMS, event_id=event_id or self._new_id(),
                          recorded_at=stamp, **who)  # fmt: skip
            at = bisect.bisect_right(self._events, day, key=_effective_day)
            what = f"{kind} on {day}"
            self._adopt(
                [*self._events[:at], event, *self._events[at:]],
                event,
                what,
                appended=event,
                late=self._events[-1],
            )
            return True
        state, params = self._step(kind, day, params)
        event = Event(kind, day, params or NO_PARAMS, event_id=event_id or self._new_id(),
                      recorded_at=stamp, **who)  # fmt: skip
        if self._replaying:
            # Replay moves through the table compiled from the same declarative rows.
            self._state = state
        else:
            if self.strict:
                self._check_strict(event)
            MACHINE.events[kind].trigger(self)
        self._events.append(event)
        self._append_log(event)
        return True

    def _append_log(self, event: Event) -> None:
        self._by_id[event.event_id] = len(self._log)  # type: ignore[index]  # always set
        self._log.append(event)

    def _step(
        self, kind: str, day: dt.date, params: Mapping[str, Any]
    ) -> tuple[str, Mapping[str, Any]]:
        """The state ``kind`` on ``day`` leads to after the effective history, and its params."""
        state = COMPILED.get((kind, self._state))
        if state is None:
            raise self._refusal(kind, day)
        if kind in _preconditions.BY_EVENT:
            context = _preconditions.Context(
                self._events, _STATES[self._state], self.rules, self.calendar, day, params
            )
            found = _preconditions.check(kind, context)
            for key, value in found.items():
                if key in params and params[key] != value:  # a stored value the history denies
                    msg = (
                        f"{kind} on {day} has {key} {params[key]}, but its history makes it {value}"
                    )
                    raise InvalidInputError(msg)
            params = {**params, **found}
        return state, params

    def _retry(
        self,
        event_id: str,
        kind: str,
        day: dt.date,
        params: Mapping[str, Any],
        who: Mapping[str, Any],
    ) -> bool:
        """An event id already recorded: False for the identical fact, else a conflict."""
        e = self._log[self._by_id[event_id]]
        derived = _DERIVED.get(e.kind, frozenset())
        same = (
            e.kind == kind
            and (e.on == day or kind in _COMPENSATING)  # a correction is dated when recorded
            and {k: v for k, v in e.params.items() if k not in derived}
            == {k: v for k, v in freeze(params).items() if k not in derived}
            and (e.actor, e.note, e.meta)
            == (who.get("actor"), who.get("note"), freeze(who.get("meta")))
        )
        if not same:
            msg = (
                f"event_id {event_id!r} is already recorded for {e.kind} on {e.on} with other "
                f"content than this {kind} on {day}; a retry must repeat the event exactly, "
                "a new event needs a new event_id"
            )
            raise InvalidInputError(msg, field="event_id", event_id=event_id)
        return False

    def _adopt(
        self,
        candidate: list[Event],
        cause: Event,
        what: str,
        *,
        appended: Event | None = None,
        late: Event | None = None,
    ) -> None:
        """
        Replay ``candidate`` (the effective history to be, in (day, recording order))
        through the compiled table with every guard, and adopt it; if an event of it could
        not have happened, refuse with an InvalidTransition naming the conflicting event
        (its type, day and event_id) and leave the request exactly as it was.
        ``appended`` is a new event to add to the log. The parameters a guard derives
        (an abandonment's outcome, a remedy against silence) are worked out afresh.
        """
        scratch = Request(request_id=self._request_id, rules=self.rules, calendar=self.calendar)
        scratch._replaying = True
        for i, e in enumerate(candidate):
            try:
                if (e.kind in _OPENED_IN) != (i == 0):
                    msg = "a request starts with its receive or submit event, and only there"
                    raise InvalidTransition(msg)
                if i == 0:
                    p = e.params
                    scratch._open(e.kind, e.on, p.get("channel"), p.get("applicant_type"),
                                  p.get("subject"), e.event_id)  # fmt: skip
                    scratch._events[0] = attrs.evolve(e, params=scratch._events[0].params)
                    scratch._state = _OPENED_IN[e.kind]
                    continue
                # What a guard derives from the history is derived afresh: the history changed.
                params = e.params
                derived = _DERIVED.get(e.kind)
                if derived is not None and not derived.isdisjoint(params):
                    params = {k: v for k, v in params.items() if k not in derived}
                scratch._state, params = scratch._step(e.kind, e.on, params)
                scratch._events.append(e if params == e.params else attrs.evolve(e, params=params))
            except (InvalidTransition, InvalidInputError) as exc:
                raise _conflict(what, cause, candidate, i, exc, late) from None
        self._events = scratch._events
        self._state = scratch._state
        if appended is not None:
            self._append_log(next(e for e in self._events if e.event_id == appended.event_id))

    def _compensate(
        self,
        kind: str,
        on: object,
        given: Mapping[str, Any],
        event_id: str | None,
        actor: str | None,
        note: str | None,
        meta: Mapping[str, Any] | None,
        recorded_at: dt.datetime | None,
    ) -> bool:
        """Record a correction or retraction (its ``given`` holds target, reason, changes)."""
        event_id = check_event_id(event_id)
        who = check_attribution(actor, note, meta)
        target = given.get("target")
        if not isinstance(target, str) or target not in self._by_id:
            msg = f"{kind}: no event with that event_id is recorded for request {self._request_id}; give the event_id of one of request.events"
            raise InvalidInputError(msg)
        reason = given.get("reason")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > NOTE_MAX:
            msg = f"{kind}: reason must say why, as non-blank text of at most {NOTE_MAX} characters"
            raise InvalidInputError(msg)
        original = self._log[self._by_id[target]]
        if original.kind in _COMPENSATING:
            msg = f"{kind}: event {target} is itself a {original.kind}; correct the original event again instead"
            raise InvalidInputError(msg)
        params: dict[str, Any] = {"target": target, "reason": reason}
        if kind == "correct":
            params["changes"] = _changes(original.kind, given.get("changes"))
        if event_id is not None and event_id in self._by_id:
            return self._retry(event_id, kind, dt.date.min, params, who)
        stamp = self._stamp(recorded_at)
        if on is not None:
            day = on if type(on) is dt.date else as_date(on, "on")
        elif stamp is not None:
            day = stamp.astimezone(CHINA_TZ).date()
        else:
            msg = f"{kind}: give the day it is recorded as 'on'"
            raise InvalidInputError(msg)
        at = next((i for i, e in enumerate(self._events) if e.event_id == target), None)
        if at is None:
            msg = f"{kind}: {original.kind} on {original.on} (event_id {target}) was retracted; record it again as a new event"
            raise InvalidTransition(msg)
        current = self._events[at]
        others = [*self._events[:at], *self._events[at + 1 :]]
        if kind == "retract":
            if current.kind in _OPENED_IN:
                msg = f"retract: the opening {current.kind} event cannot be retracted; correct it, or open a new request"
                raise InvalidTransition(msg)
            candidate, cause = others, current
            what = f"retracting {current.kind} on {current.on} (event_id {target})"
        else:
            cause = _corrected(current, params["changes"])
            seq = self._by_id
            candidate = sorted([*others, cause], key=lambda e: (e.on, seq[e.event_id]))  # type: ignore[index]
            what = f"correcting {current.kind} on {current.on} (event_id {target})"
        record = Event(kind, day, params, event_id=event_id or self._new_id(),
                       recorded_at=stamp, **who)  # fmt: skip
        self._adopt(candidate, cause, what)
        self._append_log(record)
        return True

    def _refusal(self, kind: str, day: dt.date) -> InvalidTransition:
        """Why ``kind`` on ``day`` cannot be recorded: not possible in the state of that day."""
        allowed = sorted(t for (t, s) in COMPILED if s == self._state)
        return _preconditions.state_refusal(kind, _STATES[self._state], allowed)

    def _check_strict(self, event: Event) -> None:
        before = {
            (v.code, v.on)
            for v in compute_violations(facts_of(self._events), self.rules, self.calendar, event.on)
        }
        after = compute_violations(
            facts_of([*self._events, event]), self.rules, self.calendar, event.on
        )
        new = [v for v in after if (v.code, v.on) not in before]
        if new:
            v = new[0]
            msg = f"strict: {event.kind} on {event.on} would break {v.article} ({v.code}: {v.message})"
            raise InvalidTransition(msg)

    # -- queries ---------------------------------------------------------------------

    @property
    def state(self) -> State:
        """Where the request stands now."""
        return _STATES[self._state]

    @property
    def outcome(self) -> Outcome | None:
        """The answer, once decided, withdrawn or abandoned."""
        for e in reversed(self._events):
            if e.kind in ("decide", "withdraw", "abandon"):
                return Outcome[e.params["outcome"]]
        return None

    @property
    def events(self) -> tuple[Event, ...]:
        """
        Every event in the order it was recorded (read-only): the audit trail, with events
        recorded late, corrections and retractions. The lifecycle counts
        :attr:`effective_events`.

        .. versionchanged:: 0.3.0 in recording order, with ``correct``/``retract`` events.
        """
        return tuple(self._log)

    @property
    def effective_events(self) -> tuple[Event, ...]:
        """
        The history the lifecycle counts: corrections applied, retracted events left out,
        in order of effective date (``on``; ties in recording order).

        .. versionadded:: 0.3.0
        """
        return tuple(self._events)

    @property
    def version(self) -> int:
        """The number of recorded events (the optimistic-concurrency version)."""
        return len(self._log)

    @property
    def is_open(self) -> bool:
        """Whether the request still awaits an answer."""
        return _STATES[self._state] in OPEN_STATES

    @property
    def channel(self) -> Channel:
        """How the application arrived (art 31)."""
        return Channel[self._events[0].params["channel"]]

    @property
    def subject(self) -> str | None:
        """What the application asks for, as recorded when it was opened (or ``None``)."""
        subject = self._events[0].params.get("subject") if self._events else None
        return subject if isinstance(subject, str) else None

    @property
    def applicant_type(self) -> ApplicantType:
        """The applicant column of the annual report."""
        return ApplicantType[self._events[0].params["applicant_type"]]

    @property
    def received_on(self) -> dt.date | None:
        """The receipt date (art 31), once known."""
        for e in self._events:
            if e.kind in ("receive", "confirm_receipt"):
                return e.on
        return None

    @property
    def grounds(self) -> tuple[Ground, ...]:
        """The grounds of a refusal or partial disclosure."""
        for e in reversed(self._events):
            if e.kind == "decide":
                return tuple(Ground[g] for g in e.params.get("grounds", ()))
        return ()

    def _as_of(self, as_of: object) -> dt.date:
        return as_date(as_of, "as_of")

    def status(self, as_of: dt.date | str) -> Status:
        """The request as of a date: state, reply due date, working days left, pause, overdue."""
        day = self._as_of(as_of)
        facts = facts_of(self._events, day)
        return compute_status(self._state_at(day), facts, self.rules, self.calendar, day)

    def deadlines(self, as_of: dt.date | str) -> tuple[Deadline, ...]:
        """Every clock as of a date, each with its last day, article and whether it was met."""
        day = self._as_of(as_of)
        facts = facts_of(self._events, day)
        return compute_deadlines(self._state_at(day), facts, self.rules, self.calendar, day)

    def violations(self, as_of: dt.date | str) -> tuple[Violation, ...]:
        """The breaches of the rules as of a date, each with a code, its article and a message."""
        day = self._as_of(as_of)
        return compute_violations(facts_of(self._events, day), self.rules, self.calendar, day)

    def explain(self, as_of: dt.date | str) -> DeadlineTrace:
        """
        The trace behind the reply due date as of a date. Its ``corrections`` list every
        correction and retraction recorded (of which event, when recorded, why), and its
        :meth:`~DeadlineTrace.render` says so.

        .. versionchanged:: 0.3.0 ``corrections``.
        """
        day = self._as_of(as_of)
        trace = compute_trace(facts_of(self._events, day), self.rules, self.calendar, day)
        corrections = tuple(self._corrections())
        return attrs.evolve(trace, corrections=corrections) if corrections else trace

    def _corrections(self) -> Iterator[tuple[str, str, dt.date, str, str, str]]:
        for e in self._log:
            if e.kind not in _COMPENSATING:
                continue
            of = self._log[self._by_id[e.params["target"]]]
            when = e.on.isoformat()
            if e.recorded_at is not None:
                when = e.recorded_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
            changes = ""
            if e.kind == "correct":
                changes = json.dumps(thaw(e.params["changes"]), ensure_ascii=False, sort_keys=True)
            yield e.kind, of.kind, of.on, when, e.params["reason"], changes

    def allowed(self, as_of: dt.date | str) -> tuple[AllowedEvent, ...]:
        """
        The events that can be recorded on ``as_of``, for a host's buttons and forms: each
        with its Chinese and English label, its article and the parameters of its form
        (name, type, whether required, labels, choices). The state is the one the request
        is in on that day, and the guards on the history are evaluated for that day (an
        abandonment before its window has run out, a remedy against silence before the
        reply period has, or a fee notice where no fee exists are left out). For a day
        before the last event, the history up to that day counts.

        Example: ``[a.kind for a in r.allowed("2026-10-09")]``.

        .. versionadded:: 0.3.0
        """
        day = self._as_of(as_of)
        if not self._events or day < self._events[0].on:
            return ()
        view = self
        if self._events[-1].on > day:
            view = Request(request_id=self._request_id, rules=self.rules, calendar=self.calendar)
            view._adopt([e for e in self._events if e.on <= day], self._events[0], "allowed")

        def possible(kind: str) -> bool:
            # The preconditions that do not depend on the event's own form (its outcome,
            # its date, the document delivered) decide whether it may happen now.
            context = _preconditions.Context(
                view._events, _STATES[view._state], view.rules, view.calendar, day, NO_PARAMS
            )
            return _preconditions.possible(kind, context)

        latest = {kind: got for kind, _sent, got in facts_of(view._events).documents}
        undelivered = [kind for kind, got in latest.items() if got is None]
        return allowed_events(view._state, possible, undelivered)

    def _state_at(self, day: dt.date) -> State:
        if not self._events or self._events[-1].on <= day:
            return _STATES[self._state]
        state = _OPENED_IN[self._events[0].kind]
        for e in self._events[1:]:
            if e.on > day:
                break
            state = COMPILED[(e.kind, state)]
        return _STATES[state]

    # -- serialisation ---------------------------------------------------------------

    def to_dict(self, *, include_identity: bool = False) -> dict[str, Any]:
        """
        The request as plain JSON types. Applicant identity is left out unless asked for.
        """
        check_flag(include_identity, "include_identity")
        rules: str | dict[str, Any] = self.rules.name
        if PROFILES.get(self.rules.name) != self.rules:
            rules = self.rules.to_dict()
        data: dict[str, Any] = {
            "format": FORMAT,
            "request_id": self.request_id,
            "rules": rules,
            "strict": self.strict,
            "events": [e.to_dict() for e in self._log],
        }
        if include_identity and self.applicant is not None:
            data["applicant"] = self.applicant.to_dict()
        return data

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        calendar: WorkCalendar | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Request:
        """
        Rebuild a request from :meth:`to_dict` output, replaying and checking every event.

        Raises:
            ValueError: for a malformed document (naming the field or event number).
            InvalidTransition: for events that could not have happened in that order.
        """
        if not isinstance(data, Mapping):
            msg = f"a request document must be a JSON object, got {type(data).__name__}"
            raise InvalidTypeError(msg)
        if data.get("format") != FORMAT:
            msg = f"not an infopen request document (expected format {FORMAT!r})"
            raise InvalidInputError(msg)
        unknown = set(data) - _DOCUMENT_KEYS
        if unknown:
            msg = f"unknown keys {sorted(map(str, unknown))!r:.200}; a request document has only {', '.join(sorted(_DOCUMENT_KEYS))}"
            raise InvalidInputError(msg)
        for key in ("request_id", "events"):
            if key not in data:
                msg = f"the document has no {key!r}; Request.to_dict() always writes it"
                raise InvalidInputError(msg)
        request_id = data["request_id"]
        if not isinstance(request_id, str) or not request_id.strip():
            msg = f"request_id must be a non-empty string, got {request_id!r:.60}"
            raise InvalidInputError(msg)
        strict = data.get("strict", False)
        if type(strict) is not bool:
            msg = f"strict must be true or false, got {strict!r:.40}"
            raise InvalidInputError(msg)
        events = data["events"]
        if not isinstance(events, list) or not events:
            msg = f"events must be a non-empty list of events, got {type(events).__name__}"
            raise InvalidInputError(msg)
        # No "rules" key: the profile in force on the receipt date (a null one is refused).
        raw_rules = data.get("rules", _IN_FORCE)
        rules: Rules | None = None
        if isinstance(raw_rules, str):
            if raw_rules not in PROFILES:
                msg = f"unknown rules profile {raw_rules!r:.60}; known: {sorted(PROFILES)}"
                raise InvalidInputError(msg)
            rules = PROFILES[raw_rules]
        elif isinstance(raw_rules, Mapping):
            rules = Rules.from_dict(dict(raw_rules), where="rules")
        elif raw_rules is not _IN_FORCE:
            msg = f"rules must be a profile name such as 'PRC_2019' or an object of rules, got {type(raw_rules).__name__}"
            raise InvalidInputError(msg)
        applicant = None
        if "applicant" in data:
            raw = data["applicant"]
            fields = {"name", "id_number", "phone", "address"}
            if (
                not isinstance(raw, Mapping)
                or not set(raw) <= fields
                or not all(isinstance(v, str) for v in raw.values())
            ):
                msg = "applicant must be an object with only string name, id_number, phone and address"
                raise InvalidInputError(msg)
            applicant = Applicant(**raw)
        return cls.replay(
            events,
            rules=rules,
            calendar=calendar,
            request_id=request_id,
            strict=strict,
            applicant=applicant,
            clock=clock,
        )

    @classmethod
    def replay(
        cls,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        rules: Rules | None = None,
        calendar: WorkCalendar | None = None,
        request_id: str | None = None,
        strict: bool = False,
        applicant: Applicant | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Request:
        """
        Rebuild a request from its events, through the compiled transition table.

        The events are taken in the order they were recorded (:attr:`events`): an event
        dated before an earlier one, a correction or a retraction is replayed as it was
        recorded, so the same log gives the same effective history. Events keep their
        ``recorded_at`` (``None`` when the log has none: it is not made up), ``actor``,
        ``note`` and ``meta``; an event stored without an id gets a stable one, derived
        from the request id and its position. ``clock`` stamps the events recorded later.
        Each event is checked as if it were recorded live; a bad one raises naming its number.
        With no ``rules``, the profile in force on the first event's date (``PRC_2008``
        before 2019-05-15), so a log spanning the change need not be split by hand.
        """
        from ._replay import first_date, replay_into

        if rules is None:
            if isinstance(events, Iterable) and not isinstance(events, (str, bytes, Mapping)):
                events = list(events)
                rules = _in_force(None, first_date(events))
            else:
                rules = PRC_2019  # replay_into refuses what is not a list of events

        req = cls(
            request_id=request_id,
            rules=rules,
            calendar=calendar,
            strict=strict,
            applicant=applicant,
            clock=clock,
        )
        replay_into(req, events)
        return req

    # -- identity ----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Request):
            return NotImplemented
        return (
            self.request_id == other.request_id
            and self.rules == other.rules
            and self.calendar.name == other.calendar.name
            and self.strict == other.strict
            and self._log == other._log
            and self.applicant == other.applicant
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"<Request {self.request_id} {self.state.name} events={len(self._log)}>"


def _in_force(rules: Rules | None, on: object) -> Rules:
    """``rules``, or the built-in profile in force on ``on`` (PRC_2008 before 2019-05-15)."""
    if rules is not None:
        return rules
    try:
        day = as_date(on, "received_on")
    except ValueError:
        return PRC_2019  # _open reports the bad date, naming the argument
    return profile_for(day)


#: The namespace of the stable ids given to events recorded without one.
_EVENT_IDS = uuid.UUID("5b0e4a52-8f1c-4f4e-9a51-6f2d7c1e0b93")


def _effective_day(event: Event) -> dt.date:
    return event.on


def _corrected(event: Event, changes: Mapping[str, Any]) -> Event:
    """``event`` as ``changes`` make it, its parameters checked as the method checks them."""
    day = as_date(changes["on"], "on") if "on" in changes else event.on
    derived = _DERIVED.get(event.kind, frozenset())
    merged = {k: v for k, v in thaw(event.params).items() if k not in derived}
    for key, value in changes.items():
        if key == "on":
            continue
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if event.kind in _OPENED_IN:  # checked when the history is replayed (_open)
        return attrs.evolve(event, on=day, params=merged)
    try:
        params = PARAMS[event.kind](day, merged)
    except KeyError as exc:
        msg = f"correct: {event.kind} needs {exc.args[0]!r}"
        raise InvalidInputError(msg) from None
    if event.kind in SENDS:
        params = {**params, **delivery_params(day, merged)}
    return attrs.evolve(event, on=day, params=params or NO_PARAMS)


# from_dict: a document without "rules" falls under the profile in force on its receipt date.
_IN_FORCE: Any = object()


def request_list(requests: object, what: str = "requests") -> list[Request]:
    """
    ``requests`` as a list of :class:`Request`, every item checked before any is used.

    Raises:
        InvalidTypeError: for a non-iterable (or a lone request or string), naming the bad item.
    """
    if isinstance(requests, (str, bytes, Request)) or not isinstance(requests, Iterable):
        msg = f"{what} must be an iterable of Request, got {type(requests).__name__}"
        raise InvalidTypeError(msg)
    out = list(requests)
    for number, r in enumerate(out):
        if not isinstance(r, Request):
            msg = f"{what}[{number}] must be a Request, got {type(r).__name__}"
            raise InvalidTypeError(msg)
    return out

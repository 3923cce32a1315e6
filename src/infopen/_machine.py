"""
The lifecycle as data: states and the transition table, one ``transitions`` machine built
from it once, and the compiled lookup table used for replay.

References:
    * 中华人民共和国政府信息公开条例 (2019), arts 30-39 and 45 (登记、审核、办理、答复、归档).
    * 行政复议法 (2023) art 20; 行政诉讼法 arts 45-47, 81 (a court's decision, ordinary
      procedure).
    * Remedies against silence (逾期不答复, 履行法定职责): 行政诉讼法 art 47; 法释〔2018〕1号
      art 66; 行政复议法实施条例 art 16 ¶1 (一); SPC 2011 provisions art 1 (1) (LEGAL.md §5.4).
    * Delivery (送达): 民事诉讼法 chapter 7 section 2, through 行政诉讼法 art 101 and
      行政复议法 art 88 (LEGAL.md §5.5).

Checked With:
    * LEGAL.md §7 (state-machine sketch).

Limitations:
    * Consultations with a third party and with another agency run one at a time.
    * An answer given after a remedy against silence is recorded in the remedy's state
      (the state stays where the remedy is); the remedy's outcome and the answer are both
      kept and reported in their own years.
    * What must have happened before an event (within which period, under which profile)
      is the precondition table of ``_preconditions``, beside this one.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs
from transitions import Machine

__all__ = [
    "COMPILED",
    "MACHINE",
    "OPEN_STATES",
    "TRANSITIONS",
    "State",
    "Transition",
    "mermaid",
]


class State(enum.Enum):
    """
    Where a request stands. The value is a stable ASCII name for storage.

    .. versionadded:: 0.1.0
    """

    label: str

    def __new__(cls, value: str, label: str) -> State:
        obj = object.__new__(cls)
        obj._value_ = value
        obj.label = label
        return obj

    # Arrived by a channel whose receipt date needs confirmation (art 31).
    SUBMITTED = ("submitted", "待确认收到")
    # Received and being processed; the reply clock runs (art 33).
    PROCESSING = ("processing", "办理中")
    # A correction was asked for; the clock restarts on the corrected application (art 30).
    AWAITING_CORRECTION = ("awaiting_correction", "待补正")
    # A third party is consulted; the clock pauses (arts 32, 33 ¶3).
    CONSULTING_THIRD_PARTY = ("consulting_third_party", "征求第三方意见")
    # Another agency is consulted; the clock pauses (arts 33 ¶3, 34).
    CONSULTING_AGENCY = ("consulting_agency", "征求其他机关意见")
    # A fee notice is unpaid; the clock pauses (国办函〔2020〕109号).
    AWAITING_FEE = ("awaiting_fee", "待缴费")
    # The applicant was asked to explain excessive requests (art 35).
    AWAITING_REASONS = ("awaiting_reasons", "待说明理由")
    # Answered (art 36-39); remedy windows run.
    ANSWERED = ("answered", "已答复")
    # Closed without an answer on the merits: withdrawn or deemed abandoned.
    CLOSED = ("closed", "已终止")
    # Under administrative reconsideration (行政复议法).
    IN_RECONSIDERATION = ("in_reconsideration", "行政复议中")
    # Reconsideration decided; a lawsuit may follow within 15 days (行政诉讼法 art 45).
    RECONSIDERED = ("reconsidered", "行政复议已决定")
    # Before a court (行政诉讼法).
    IN_LITIGATION = ("in_litigation", "行政诉讼中")
    # The court has decided.
    CONCLUDED = ("concluded", "行政诉讼已审结")


S = State
OPEN_STATES = frozenset(
    {
        S.SUBMITTED,
        S.PROCESSING,
        S.AWAITING_CORRECTION,
        S.CONSULTING_THIRD_PARTY,
        S.CONSULTING_AGENCY,
        S.AWAITING_FEE,
        S.AWAITING_REASONS,
    }
)
# Where a remedy against silence (逾期不答复) may be sought: a received request whose
# reply period has run out (the guard checks that); not while receipt is unconfirmed.
_SILENT = (S.PROCESSING, S.AWAITING_CORRECTION, S.CONSULTING_THIRD_PARTY, S.CONSULTING_AGENCY,
           S.AWAITING_FEE, S.AWAITING_REASONS)  # fmt: skip
_DECIDABLE = (S.PROCESSING, S.CONSULTING_THIRD_PARTY, S.CONSULTING_AGENCY, S.AWAITING_REASONS)
# Where a remedy against silence may be pending when the agency answers after all.
_REMEDY = (S.IN_RECONSIDERATION, S.RECONSIDERED, S.IN_LITIGATION, S.CONCLUDED)
_RUNNING = (S.PROCESSING, S.CONSULTING_THIRD_PARTY, S.CONSULTING_AGENCY)


@attrs.frozen
class Transition:
    """One row of the lifecycle table: an event, where it may happen, where it leads."""

    trigger: str
    sources: tuple[State, ...]
    dest: State | None  # None: the state does not change
    article: str


# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # The receipt date of post without signature, online and fax is the day of confirmation.
    Transition("confirm_receipt", (S.SUBMITTED,), S.PROCESSING, "条例第三十一条"),
    # Unclear content: one correction notice within 7 working days.
    Transition("request_correction", (S.PROCESSING,), S.AWAITING_CORRECTION, "条例第三十条"),
    # The corrected application restarts the 20 working days.
    Transition("receive_correction", (S.AWAITING_CORRECTION,), S.PROCESSING, "条例第三十条"),
    # Disclosure may harm a third party: consult it in writing.
    Transition("consult_third_party", (S.PROCESSING,), S.CONSULTING_THIRD_PARTY, "条例第三十二条"),
    Transition("third_party_replied", (S.CONSULTING_THIRD_PARTY,), S.PROCESSING, "条例第三十二条"),
    # Information made with other agencies: consult them; silence is consent.
    Transition("consult_agency", (S.PROCESSING,), S.CONSULTING_AGENCY, "条例第三十四条"),
    Transition("agency_replied", (S.CONSULTING_AGENCY,), S.PROCESSING, "条例第三十四条"),
    # One extension of at most 20 working days.
    Transition("extend", _RUNNING, None, "条例第三十三条第二款"),
    # An information-processing fee for excessive requests; the clock pauses until paid.
    Transition("send_fee_notice", (S.PROCESSING,), S.AWAITING_FEE, "国办函〔2020〕109号"),
    Transition("fee_paid", (S.AWAITING_FEE,), S.PROCESSING, "国办函〔2020〕109号"),
    # Excessive requests: ask the applicant for reasons, then refuse or set a later date.
    Transition("ask_for_reasons", (S.PROCESSING,), S.AWAITING_REASONS, "条例第三十五条"),
    # The applicant's explanation arrives, or the time to give one runs out.
    Transition("reasons_replied", (S.AWAITING_REASONS,), S.PROCESSING, "条例第三十五条"),
    Transition("set_delayed_deadline", (S.AWAITING_REASONS, S.PROCESSING), S.PROCESSING, "条例第三十五条"),
    # The answer.
    Transition("decide", _DECIDABLE, S.ANSWERED, "条例第三十六条"),
    # The answer after a remedy against silence: a decision of its own, recorded where
    # the remedy stands (the usual outcome of such a remedy is an order to answer).
    Transition("decide", _REMEDY, None, "条例第三十六条；行政诉讼法第四十七条"),
    # The applicant withdraws.
    # No article of the 条例 governs withdrawal: it is the applicant's own choice (the annual
    # report counts it under (六)3, but the report format is no legal basis).
    Transition("withdraw", tuple(sorted(OPEN_STATES, key=lambda s: s.value)), S.CLOSED, "条例未作规定（申请人撤回申请）"),
    # Deemed abandoned: no correction, or no payment, by the deadline.
    Transition("abandon", (S.AWAITING_CORRECTION, S.AWAITING_FEE), S.CLOSED, "条例第三十条；国办函〔2020〕109号"),
    # Remedies against an answer or a decision to stop processing.
    Transition("apply_for_reconsideration", (S.ANSWERED, S.CLOSED), S.IN_RECONSIDERATION, "行政复议法第二十条"),
    # Remedies against silence (履行法定职责): the reply period ran out with no answer.
    Transition("apply_for_reconsideration", _SILENT, S.IN_RECONSIDERATION, "行政复议法第二十条；行政复议法实施条例第十六条"),
    Transition("reconsideration_decided", (S.IN_RECONSIDERATION,), S.RECONSIDERED, "行政复议法第六十二条"),
    Transition("file_lawsuit", (S.ANSWERED, S.CLOSED, S.RECONSIDERED), S.IN_LITIGATION, "行政诉讼法第四十五条、第四十六条"),
    Transition("file_lawsuit", _SILENT, S.IN_LITIGATION, "行政诉讼法第四十七条；法释〔2018〕1号第六十六条"),
    # The reconsideration body did not decide within its period: suit within 15 days after.
    Transition("file_lawsuit", (S.IN_RECONSIDERATION,), S.IN_LITIGATION, "行政诉讼法第四十五条"),
    # The court decides (ordinary procedure, art 81; the simplified one is art 83).
    Transition("lawsuit_decided", (S.IN_LITIGATION,), S.CONCLUDED, "行政诉讼法第八十一条"),
    # A document reached its addressee (送达): a fact, in any state.
    Transition("delivered", tuple(S), None, "民事诉讼法第七章第二节"),
)
# fmt: on

TRIGGERS: tuple[str, ...] = tuple(dict.fromkeys(t.trigger for t in TRANSITIONS))


def _build_machine() -> Any:
    transitions = [
        {
            "trigger": t.trigger,
            "source": [s.value for s in t.sources],
            "dest": None if t.dest is None else t.dest.value,
        }
        for t in TRANSITIONS
    ]
    return Machine(
        model=None,
        states=[s.value for s in State],
        transitions=transitions,
        initial=State.SUBMITTED.value,
        auto_transitions=False,
        send_event=True,
        model_attribute="_state",
    )


#: The one machine every request is driven by (never one per request).
MACHINE: Any = _build_machine()

#: (trigger, source state value) -> destination state value, compiled from the same table.
COMPILED: dict[tuple[str, str], str] = {
    (t.trigger, s.value): (s if t.dest is None else t.dest).value
    for t in TRANSITIONS
    for s in t.sources
}

#: trigger -> the article of its first row (the ordinary case; silence rows come second).
ARTICLES: dict[str, str] = {}
for _t in TRANSITIONS:
    ARTICLES.setdefault(_t.trigger, _t.article)
del _t


def mermaid() -> str:
    """The lifecycle diagram in mermaid syntax, drawn from the transition table."""
    lines = ["stateDiagram-v2", "    [*] --> submitted: submit", "    [*] --> processing: receive"]
    for t in TRANSITIONS:
        if t.trigger == "delivered":  # a fact in every state, not a move: drawn once below
            continue
        silence = t.sources in (_SILENT, _REMEDY)
        for s in t.sources:
            dest = s if t.dest is None else t.dest
            if t.trigger == "file_lawsuit" and s is S.IN_RECONSIDERATION:
                label = "file_lawsuit (复议逾期未决定)"
            else:
                label = f"{t.trigger} (逾期不答复)" if silence else t.trigger
            lines.append(f"    {s.value} --> {dest.value}: {label}")
    lines.append("    note right of processing: delivered (送达) may be recorded in any state")
    lines.append("    concluded --> [*]")
    return "\n".join(lines)

"""
The statutory clocks, derived from a request's events: nothing here is stored.

Conventions (DESIGN.md "The statutory clock", LEGAL.md §5):

* The receipt day is day 0 and never counted; day 1 is the first working day after it.
* A pause from day S to day E leaves out the working days after S up to and including E.
* A corrected application restarts the count from the day it arrives (art 30).
* Calendar-day periods (remedies) whose last day is not a working day end on the next
  working day (民事诉讼法 art 85, by analogy; LEGAL.md §5.1).
"""

from __future__ import annotations

import calendar as _calendar_mod
import datetime as dt
from collections.abc import Sequence

import attrs

from ._calendar import EstimatedDate, WorkCalendar
from ._errors import CalendarCoverageError
from ._i18n import Lang, translate
from ._machine import State
from ._model import Event, Ground, Outcome, Result
from ._rules import Rules

__all__ = [
    "ClockStep",
    "Deadline",
    "DeadlineTrace",
    "Facts",
    "Status",
    "Violation",
    "compute_deadlines",
    "compute_status",
    "compute_trace",
    "compute_violations",
    "facts_of",
]


@attrs.frozen
class Consultation:
    kind: str  # "third_party" | "agency"
    sent: dt.date
    replied: dt.date | None
    consents: bool | None


@attrs.frozen
class Facts:
    """What the events say, gathered in one pass."""

    received: dt.date | None
    corrections_asked: tuple[tuple[dt.date, dt.date], ...]  # (asked on, reply by)
    corrections_received: tuple[dt.date, ...]
    consultations: tuple[Consultation, ...]
    extensions: tuple[tuple[dt.date, int], ...]
    fees: tuple[tuple[dt.date, int, dt.date | None], ...]  # (notice, amount, paid)
    reasons_asked: dt.date | None
    delayed: tuple[dt.date, dt.date] | None  # (set on, due)
    decided: dt.date | None
    outcome: Outcome | None
    grounds: tuple[Ground, ...]
    closed: dt.date | None
    reconsideration: dt.date | None
    reconsideration_result: tuple[dt.date, Result] | None
    lawsuit: dt.date | None
    lawsuit_result: tuple[dt.date, Result] | None
    first_action: dt.date | None  # the agency's first step after receipt


_AGENCY_ACTIONS = frozenset(
    {"request_correction", "consult_third_party", "consult_agency", "extend", "send_fee_notice",
     "ask_for_reasons", "set_delayed_deadline", "decide"}
)  # fmt: skip


def facts_of(events: Sequence[Event], as_of: dt.date | None = None) -> Facts:
    """Gather the facts of the events dated on or before ``as_of`` (all when None)."""
    received = None
    asked: list[tuple[dt.date, dt.date]] = []
    corrected: list[dt.date] = []
    consults: list[Consultation] = []
    extensions: list[tuple[dt.date, int]] = []
    fees: list[tuple[dt.date, int, dt.date | None]] = []
    reasons = delayed = decided = outcome = closed = None
    grounds: tuple[Ground, ...] = ()
    recon = recon_result = lawsuit = lawsuit_result = first_action = None
    for e in events:
        if as_of is not None and e.on > as_of:
            break
        k, on, p = e.kind, e.on, e.params
        if k in _AGENCY_ACTIONS and first_action is None:
            first_action = on
        if k in ("receive", "confirm_receipt"):
            received = on
        elif k == "request_correction":
            asked.append((on, dt.date.fromisoformat(p["reply_by"])))
        elif k == "receive_correction":
            corrected.append(on)
        elif k in ("consult_third_party", "consult_agency"):
            consults.append(Consultation(k[8:], on, None, None))
        elif k in ("third_party_replied", "agency_replied"):
            c = consults[-1]
            consults[-1] = attrs.evolve(c, replied=on, consents=p.get("consents"))
        elif k == "extend":
            extensions.append((on, p["workdays"]))
        elif k == "send_fee_notice":
            fees.append((on, p["amount"], None))
        elif k == "fee_paid":
            notice, amount, _ = fees[-1]
            fees[-1] = (notice, amount, on)
        elif k == "ask_for_reasons":
            reasons = on
        elif k == "set_delayed_deadline":
            delayed = (on, dt.date.fromisoformat(p["due"]))
        elif k == "decide":
            decided, outcome = on, Outcome[p["outcome"]]
            grounds = tuple(Ground[g] for g in p.get("grounds", ()))
        elif k in ("withdraw", "abandon"):
            closed, outcome = on, Outcome[p["outcome"]]
        elif k == "apply_for_reconsideration":
            recon = on
        elif k == "reconsideration_decided":
            recon_result = (on, Result[p["result"]])
        elif k == "file_lawsuit":
            lawsuit = on
        elif k == "lawsuit_decided":
            lawsuit_result = (on, Result[p["result"]])
    return Facts(
        received, tuple(asked), tuple(corrected), tuple(consults), tuple(extensions),
        tuple(fees), reasons, delayed, decided, outcome, grounds, closed, recon,
        recon_result, lawsuit, lawsuit_result, first_action,
    )  # fmt: skip


# -- the reply clock ------------------------------------------------------------


@attrs.frozen
class ClockStep:
    """
    One step of the reply clock's derivation, with its article.

    ``kind`` is one of ``start``, ``restart``, ``pause``, ``extension``,
    ``extension_ignored``, ``delayed``, ``waiting`` and ``due``.
    """

    kind: str
    on: dt.date
    article: str
    until: dt.date | None = None
    workdays: int | None = None
    ongoing: bool = False


@attrs.frozen
class _Reply:
    due: dt.date | None
    start: dt.date | None
    paused: bool
    estimated: bool
    steps: tuple[ClockStep, ...]


def _pause_end(
    c: Consultation, rules: Rules, cal: WorkCalendar, now: dt.date, stop: dt.date | None
) -> tuple[dt.date, bool]:
    limit_days = rules.third_party_workdays if c.kind == "third_party" else rules.agency_workdays
    limit = cal.add_workdays(c.sent, limit_days) if limit_days is not None else None
    if c.replied is not None:
        return (min(c.replied, limit) if limit else c.replied), False
    ends = [d for d in (limit, stop) if d is not None]
    end = min(ends) if ends else now
    if end >= now:
        return now, True
    return end, False


def reply_clock(f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> _Reply:
    """The reply due date as of ``now`` (events after ``now`` already left out of ``f``)."""
    if f.received is None:
        return _Reply(None, None, False, False, ())
    steps = [
        ClockStep(
            "start", f.received, rules.article("reply_workdays"), workdays=rules.reply_workdays
        )
    ]
    start = f.received
    stop = f.decided or f.closed
    if f.corrections_received:
        start = f.corrections_received[-1]
        steps.append(
            ClockStep(
                "restart",
                start,
                rules.cite("restart", "条例第三十条"),
                workdays=rules.reply_workdays,
            )
        )
    elif f.corrections_asked and stop is None:
        # Awaiting correction: the count would start again on the day it arrived.
        steps.append(ClockStep("waiting", now, rules.cite("restart", "条例第三十条"), ongoing=True))
        due = cal.add_workdays(now, rules.reply_workdays)
        steps.append(ClockStep("due", due, rules.article("reply_workdays")))
        return _Reply(due, now, True, _estimated(due), tuple(steps))
    pauses: list[tuple[dt.date, dt.date, bool, str]] = []
    for c in f.consultations:
        if c.sent < start:
            continue
        end, ongoing = _pause_end(c, rules, cal, now, stop)
        article = (
            rules.cite("pause_third_party", "条例第三十二条、第三十三条第三款")
            if c.kind == "third_party"
            else rules.cite("pause_agency", "条例第三十三条第三款、第三十四条")
        )
        pauses.append((c.sent, end, ongoing, article))
    if rules.pause_on_fee:
        for notice, _amount, paid in f.fees:
            if notice < start:
                continue
            end = paid or min(d for d in (stop, now) if d is not None)
            pauses.append(
                (notice, end, paid is None and stop is None, rules.article("pause_on_fee"))
            )
    pauses.sort()
    total = rules.reply_workdays
    cap = rules.extension_max_workdays
    extended = False
    due = _count(cal, start, total, pauses)
    for on, wd in f.extensions:
        if on < start:
            continue
        if extended or on > due:
            steps.append(
                ClockStep(
                    "extension_ignored", on, rules.article("extension_max_workdays"), workdays=wd
                )
            )
            continue
        extended = True
        granted = min(wd, cap)
        total += granted
        steps.append(
            ClockStep("extension", on, rules.article("extension_max_workdays"), workdays=granted)
        )
        due = _count(cal, start, total, pauses)
    for s, e, ongoing, article in pauses:
        steps.append(ClockStep("pause", s, article, until=e, ongoing=ongoing))
    if f.delayed is not None:
        due = f.delayed[1]
        steps.append(
            ClockStep("delayed", f.delayed[0], rules.cite("delayed", "条例第三十五条"), until=due)
        )
    steps.sort(key=lambda step: step.on)  # stable: same-day steps keep their order
    steps.append(ClockStep("due", due, rules.article("reply_workdays"), workdays=total))
    paused = any(p[2] for p in pauses)
    return _Reply(due, start, paused, _estimated(due), tuple(steps))


def _estimated(day: dt.date | None) -> bool:
    return isinstance(day, EstimatedDate)


def _count(
    cal: WorkCalendar, start: dt.date, n: int, pauses: list[tuple[dt.date, dt.date, bool, str]]
) -> dt.date:
    """The n-th counted working day after ``start``, leaving out days in (S, E] of each pause."""
    cur, remaining = start, n
    for s, e, _ongoing, _article in pauses:
        if e <= cur:
            continue
        candidate = cal.add_workdays(cur, remaining)
        if candidate <= s:
            return candidate
        if s > cur:
            remaining -= cal.workdays_between(cur, s)
        cur = e
    return cal.add_workdays(cur, remaining)


# -- status ---------------------------------------------------------------------


@attrs.frozen
class Status:
    """
    A request as of a date.

    ``due_date`` is the reply due date (while a pause runs: the date it would be if the
    pause ended on the as-of day); ``remaining_workdays`` counts working days from the
    as-of day to it (negative when overdue; None once answered or closed).

    .. versionadded:: 0.1.0
    """

    as_of: dt.date
    state: State
    due_date: dt.date | None
    remaining_workdays: int | None
    paused: bool
    overdue: bool
    estimated: bool
    outcome: Outcome | None


def compute_status(state: State, f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> Status:
    reply = reply_clock(f, rules, cal, now)
    open_ = f.decided is None and f.closed is None
    remaining = None
    overdue = False
    if reply.due is not None and open_:
        remaining = cal.workdays_between(now, reply.due)
        overdue = now > reply.due
    return Status(
        now, state, reply.due, remaining, reply.paused, overdue, reply.estimated, f.outcome
    )


# -- deadlines -------------------------------------------------------------------


@attrs.frozen
class Deadline:
    """
    One running or past clock: what it is, its last day, its article, whether it was met.

    ``met`` is True or False once settled, None while it still runs. ``unit`` is
    ``"working days"`` or ``"calendar days"`` (``"months"`` for the lawsuit window).

    .. versionadded:: 0.1.0
    """

    name: str
    label: str
    due: dt.date | None
    article: str
    unit: str
    met: bool | None
    done_on: dt.date | None = None
    estimated: bool = False
    note: str = ""


def _met(done: dt.date | None, due: dt.date | None, now: dt.date) -> bool | None:
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if now > due else None


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    # No matching day in the last month: the period ends on that month's last day.
    return dt.date(year, month, min(day.day, _calendar_mod.monthrange(year, month)[1]))


def roll_forward(cal: WorkCalendar, day: dt.date) -> tuple[dt.date, bool]:
    """A calendar-day period's last day, moved to the next working day if it is a rest day."""
    try:
        if cal.is_workday(day):
            return day, _estimated_day(cal, day)
        nxt = cal.add_workdays(day, 1)
        return nxt, _estimated(nxt)
    except CalendarCoverageError:
        # Past the announced years: roll over weekends only and say it is an estimate.
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return EstimatedDate(day.year, day.month, day.day), True


def _estimated_day(cal: WorkCalendar, day: dt.date) -> bool:
    return cal.is_estimated(day)


def compute_deadlines(
    state: State, f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date
) -> tuple[Deadline, ...]:
    out: list[Deadline] = []
    if f.received is None:
        return ()
    reply = reply_clock(f, rules, cal, now)
    answered = f.decided or f.closed
    out.append(
        Deadline("reply", "答复期限", reply.due, rules.article("reply_workdays"), "working days",
                 _met(answered, reply.due, now), answered, reply.estimated)
    )  # fmt: skip
    if rules.correction_notice_workdays is not None:
        due = cal.add_workdays(f.received, rules.correction_notice_workdays)
        asked = f.corrections_asked[0][0] if f.corrections_asked else None
        met = (
            _met(asked, due, now)
            if asked
            else (True if answered else (None if now <= due else True))
        )
        out.append(Deadline("correction_notice", "补正告知期限", due, rules.article("correction_notice_workdays"),
                            "working days", met, asked, _estimated(due)))  # fmt: skip
    for asked_on, reply_by in f.corrections_asked:
        got = next((d for d in f.corrections_received if d >= asked_on), None)
        out.append(Deadline("correction_reply", "申请人补正期限", reply_by, rules.cite("correction_reply", "条例第三十条"), "calendar days",
                            _met(got, reply_by, now), got))  # fmt: skip
    for c in f.consultations:
        days = rules.third_party_workdays if c.kind == "third_party" else rules.agency_workdays
        if days is None:
            continue
        due = cal.add_workdays(c.sent, days)
        label = "第三方意见期限" if c.kind == "third_party" else "其他机关意见期限"
        article = rules.article(
            "third_party_workdays" if c.kind == "third_party" else "agency_workdays"
        )
        note = (
            "逾期未提出意见的，由行政机关依照条例规定决定"
            if c.kind == "third_party"
            else "逾期未提出意见的，视为同意公开"
        )
        out.append(Deadline(c.kind, label, due, article, "working days", _met(c.replied, due, now), c.replied,
                            _estimated(due), note))  # fmt: skip
    for notice, _amount, paid in f.fees:
        due = cal.add_workdays(notice, rules.fee_payment_workdays)
        out.append(Deadline("fee_payment", "缴费期限", due, rules.article("fee_payment_workdays"), "working days",
                            _met(paid, due, now), paid, _estimated(due),
                            "逾期未缴纳的，视为放弃申请"))  # fmt: skip
    if rules.review_workdays is not None:
        due = cal.add_workdays(f.received, rules.review_workdays)
        out.append(Deadline("review", "登记审核期限", due, rules.article("review_workdays"), "working days",
                            _met(f.first_action, due, now), f.first_action, _estimated(due)))  # fmt: skip
    out.extend(_remedies(f, rules, cal, now))
    return tuple(out)


def reconsideration_first(f: Facts, rules: Rules) -> bool:
    """Whether a lawsuit must wait for reconsideration (refusals, partial ones included, from 2024-01-01)."""
    start = rules.reconsideration_first_from
    return bool(
        start is not None and f.outcome is not None and f.outcome.reconsideration_first
        and f.decided is not None and f.decided >= start
    )  # fmt: skip


def _remedies(f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> list[Deadline]:
    # Withdrawal ends the matter; an answer or a decision to stop processing can be challenged.
    acted = f.decided or (
        f.closed if f.outcome is not None and f.outcome is not Outcome.WITHDRAWN else None
    )
    if acted is None:
        return []
    out = []
    due, est = roll_forward(cal, acted + dt.timedelta(days=rules.reconsideration_days))
    out.append(Deadline("reconsideration", "申请行政复议期限", due, rules.article("reconsideration_days"),
                        "calendar days", None if f.lawsuit and not f.reconsideration else _met(f.reconsideration, due, now),
                        f.reconsideration, est))  # fmt: skip
    first = reconsideration_first(f, rules)
    if first:
        out.append(Deadline("lawsuit", "提起行政诉讼期限", None, rules.article("reconsideration_first_from"),
                            "months", None, f.lawsuit if f.reconsideration is None else None,
                            note="不予公开的，应当先申请行政复议，对复议决定不服的再提起行政诉讼"))  # fmt: skip
    elif f.reconsideration is None:
        due, est = roll_forward(cal, _add_months(acted, rules.lawsuit_months))
        out.append(Deadline("lawsuit", "提起行政诉讼期限", due, rules.article("lawsuit_months"), "months",
                            _met(f.lawsuit, due, now), f.lawsuit, est))  # fmt: skip
    if f.reconsideration_result is not None:
        decided_on = f.reconsideration_result[0]
        due, est = roll_forward(
            cal, decided_on + dt.timedelta(days=rules.lawsuit_after_reconsideration_days)
        )
        out.append(Deadline("lawsuit_after_reconsideration", "复议后提起行政诉讼期限", due,
                            rules.article("lawsuit_after_reconsideration_days"), "calendar days",
                            _met(f.lawsuit, due, now), f.lawsuit, est))  # fmt: skip
    return out


# -- violations -------------------------------------------------------------------


@attrs.frozen
class Violation:
    """
    A rule the agency broke (or, for remedies, a step taken out of order), with its article.

    .. versionadded:: 0.1.0
    """

    code: str
    article: str
    message: str
    on: dt.date


def compute_violations(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date, reply: _Reply | None = None
) -> tuple[Violation, ...]:
    out: list[Violation] = []
    if f.received is None:
        return ()
    answered = f.decided or f.closed
    waiting = bool(f.corrections_asked) and not f.corrections_received and answered is None
    # While a correction is awaited no reply is due, so nothing can be late yet.
    if waiting:
        reply = _Reply(None, None, True, False, ())
    elif reply is None:
        reply = reply_clock(f, rules, cal, now)
    if reply.due is not None:
        if f.decided is not None and f.decided > reply.due:
            out.append(Violation("LATE_DECISION", rules.article("reply_workdays"),
                                 f"答复于 {f.decided}，晚于答复期限 {reply.due}", f.decided))  # fmt: skip
        elif answered is None and now > reply.due and not reply.paused:
            out.append(Violation("OVERDUE", rules.article("reply_workdays"),
                                 f"截至 {now} 未答复，答复期限为 {reply.due}", now))  # fmt: skip
    if f.corrections_asked and rules.correction_notice_workdays is not None:
        limit = cal.add_workdays(f.received, rules.correction_notice_workdays)
        first = f.corrections_asked[0][0]
        if first > limit:
            out.append(Violation("LATE_CORRECTION_NOTICE", rules.article("correction_notice_workdays"),
                                 f"补正告知于 {first}，超过收到申请之日起 {rules.correction_notice_workdays} 个工作日（{limit}）",
                                 first))  # fmt: skip
    for asked_on, _by in f.corrections_asked[1:]:
        out.append(
            Violation(
                "REPEATED_CORRECTION",
                rules.cite("correction_reply", "条例第三十条"),
                f"{asked_on} 再次要求补正，补正应一次性告知",
                asked_on,
            )
        )
    total = 0
    for i, (on, wd) in enumerate(f.extensions):
        total += wd
        if i > 0:
            out.append(
                Violation(
                    "REPEATED_EXTENSION",
                    rules.article("extension_max_workdays"),
                    f"{on} 再次延期，延期仅限一次",
                    on,
                )
            )
        if total > rules.extension_max_workdays:
            out.append(Violation("EXTENSION_TOO_LONG", rules.article("extension_max_workdays"),
                                 f"延期合计 {total} 个工作日，超过 {rules.extension_max_workdays} 个工作日", on))  # fmt: skip
    repeated = {v.on for v in out if v.code == "REPEATED_EXTENSION"}  # a set: linear time
    for step in reply.steps:
        if step.kind == "extension_ignored" and step.on not in repeated:
            out.append(
                Violation(
                    "LATE_EXTENSION",
                    rules.article("extension_max_workdays"),
                    f"{step.on} 延期时已超过答复期限",
                    step.on,
                )
            )
    if (
        f.outcome is not None
        and f.outcome.needs_grounds
        and not f.grounds
        and f.decided is not None
    ):
        out.append(
            Violation(
                "NO_GROUNDS",
                rules.cite(f"outcome.{f.outcome.name}", f.outcome.article),
                f"{f.outcome.label}未说明理由和依据",
                f.decided,
            )
        )
    for notice, _amount, _paid in f.fees:
        if reply.due is not None and notice > reply.due:
            out.append(
                Violation(
                    "LATE_FEE_NOTICE",
                    "国办函〔2020〕109号",
                    f"收费通知于 {notice}，晚于答复期限 {reply.due}",
                    notice,
                )
            )
    if rules.review_workdays is not None:
        due = cal.add_workdays(f.received, rules.review_workdays)
        acted = f.first_action
        if (acted is not None and acted > due) or (
            acted is None and now > due and answered is None
        ):
            out.append(Violation("LATE_REVIEW", rules.article("review_workdays"),
                                 f"超过 {rules.review_workdays} 个工作日登记审核期限（{due}）", acted or now))  # fmt: skip
    if f.lawsuit is not None and reconsideration_first(f, rules) and f.reconsideration is None:
        out.append(Violation("LAWSUIT_BEFORE_RECONSIDERATION", rules.article("reconsideration_first_from"),
                             "不予公开决定须先申请行政复议再起诉", f.lawsuit))  # fmt: skip
    return tuple(out)


# -- explanation -------------------------------------------------------------------


@attrs.frozen
class DeadlineTrace:
    """
    The trace behind a reply due date: start rule, restarts, pauses, extensions, and the
    holidays and make-up workdays crossed.

    .. versionadded:: 0.1.0
    """

    as_of: dt.date
    due: dt.date | None
    steps: tuple[ClockStep, ...]
    crossed: tuple[tuple[dt.date, str, str, bool], ...]  # (day, zh, en, counted)
    estimated: bool

    def render(self, lang: Lang = "zh") -> str:
        """Readable lines in Chinese (``"zh"``) or English (``"en"``)."""
        _ = translate(lang)
        lines = [_("答复期限（截至 {as_of}）：{due}").format(as_of=self.as_of, due=self.due or "—")]
        texts = {
            "start": _("{on} 收到申请，自次日起计 {n} 个工作日［{article}］"),
            "restart": _("{on} 收到补正后的申请，重新起算 {n} 个工作日［{article}］"),
            "waiting": _("等待补正；若于 {on} 收到补正，自次日重新起算［{article}］"),
            "pause": _("{on} 至 {until} 不计入答复期限［{article}］"),
            "extension": _("{on} 延期 {n} 个工作日［{article}］"),
            "extension_ignored": _(
                "{on} 的延期（{n} 个工作日）不延长法定期限：已延期过或已超过答复期限［{article}］"
            ),
            "delayed": _("{on} 确定延迟答复期限为 {until}［{article}］"),
            "due": _("答复期限：{on}［{article}］"),
        }
        for s in self.steps:
            text = texts[s.kind].format(on=s.on, until=s.until, n=s.workdays, article=s.article)
            if s.ongoing:
                text += _("（进行中）")
            lines.append("  " + text)
        sep = "：" if lang == "zh" else ": "
        for day, zh, en, counted in self.crossed:
            if counted:
                what = _("调休上班，计入")
            elif day.weekday() >= 5 and zh.endswith("调休上班"):
                what = _("调休上班日，但在暂停期间，不计")
            else:
                what = _("休息，不计")
            lines.append(f"    {day.isoformat()} {zh if lang == 'zh' else en}{sep}{what}")
        if self.estimated:
            lines.append(_("注意：结果使用了推定日期，须以国务院办公厅公布的放假安排为准。"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("zh")


def compute_trace(f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> DeadlineTrace:
    reply = reply_clock(f, rules, cal, now)
    crossed: list[tuple[dt.date, str, str, bool]] = []
    pauses = [(s.on, s.until) for s in reply.steps if s.kind == "pause" and s.until is not None]
    if reply.start is not None and reply.due is not None and reply.due > reply.start:
        for day, worked, note in cal.days_in(reply.start + dt.timedelta(days=1), reply.due):
            if note is not None:
                paused = any(a < day <= b for a, b in pauses)
                crossed.append((day, note.name_zh, note.name_en, worked and not paused))
    return DeadlineTrace(now, reply.due, reply.steps, tuple(crossed), reply.estimated)

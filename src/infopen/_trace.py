"""
The trace behind a reply due date: each step with its article, and the holidays and
make-up workdays crossed.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ._calendar import WorkCalendar
from ._clock import ClockStep, Facts, reply_clock
from ._i18n import Lang, translate
from ._rules import Rules

__all__ = ["DeadlineTrace", "compute_trace"]

_CORRECTION_KEYS = ("kind", "of", "on", "recorded", "reason", "changes")


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
    # Documents sent whose delivery (送达) is not recorded: (event kind, sending date).
    undelivered: tuple[tuple[str, dt.date], ...] = ()
    # Corrections and retractions of the history (Request.correct / retract): (kind, the
    # corrected event's kind, its original day, when recorded, reason, changes as JSON).
    corrections: tuple[tuple[str, str, dt.date, str, str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """
        The trace as plain JSON types: ``as_of``, ``due`` (ISO dates), ``estimated``,
        ``steps``, ``crossed`` (``day``, ``name_zh``, ``name_en``, ``counted``),
        ``undelivered`` (``kind``, ``sent``) and ``corrections`` (``kind``, ``of``,
        ``on``, ``recorded``, ``reason``, ``changes``).

        .. versionadded:: 0.3.0
        """
        return {
            "as_of": self.as_of.isoformat(),
            "due": None if self.due is None else self.due.isoformat(),
            "estimated": self.estimated,
            "steps": [s.to_dict() for s in self.steps],
            "crossed": [
                {"day": d.isoformat(), "name_zh": zh, "name_en": en, "counted": counted}
                for d, zh, en, counted in self.crossed
            ],
            "undelivered": [{"kind": k, "sent": on.isoformat()} for k, on in self.undelivered],
            "corrections": [
                dict(zip(_CORRECTION_KEYS, (k, of, on.isoformat(), rec, why, changes), strict=True))
                for k, of, on, rec, why, changes in self.corrections
            ],
        }

    def render(self, lang: Lang = "zh") -> str:
        """Readable lines in Chinese (``"zh"``) or English (``"en"``)."""
        _ = translate(lang)
        lines = [_("答复期限（截至 {as_of}）：{due}").format(as_of=self.as_of, due=self.due or "—")]
        texts = {
            "start": _("{on} 收到申请，自次日起计 {n} 个工作日［{article}］"),
            "deemed_receipt": _("{on} 为休息日，视为于 {until} 收到申请［{article}］"),
            "undelivered": _(
                "{on} 发出的征求意见函未记录送达日期，其意见期限暂自发出之日起计算［{article}］"
            ),
            "restart": _("{on} 收到补正后的申请，重新起算 {n} 个工作日［{article}］"),
            "waiting": _("等待补正；若于 {on} 收到补正，自次日重新起算［{article}］"),
            "pause": _("{on} 至 {until} 不计入答复期限［{article}］"),
            "extension": _("{on} 延期 {n} 个工作日［{article}］"),
            "extension_ignored": _(
                "{on} 的延期（{n} 个工作日）不延长法定期限：已延期过或已超过答复期限［{article}］"
            ),
            "extension_local": _("{on} 依地方规定再延期 {n} 个工作日，超出条例的规定［{article}］"),
            "delayed": _("{on} 确定延迟答复期限为 {until}［{article}］"),
            "delayed_ignored": _(
                "{on} 确定的延迟答复期限（{until}）不改变答复期限：确定时已超过答复期限［{article}］"
            ),
            "correction_ignored": _(
                "{on} 的补正告知不重新起算答复期限：告知时已超过答复期限［{article}］"
            ),
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
        documents = {
            "request_correction": _("补正告知书"),
            "consult_third_party": _("第三方征求意见书"),
            "consult_agency": _("征求意见函"),
            "send_fee_notice": _("收费通知"),
            "decide": _("答复书"),
            "abandon": _("终止处理告知书"),
            "reconsideration_decided": _("行政复议决定书"),
        }
        for kind, sent in self.undelivered:
            lines.append(
                _(
                    "注意：{on} 发出的{document}未记录送达日期，自收到之日起计算的期限暂自发出之日起计算。"
                ).format(on=sent, document=documents[kind])
            )
        for kind, of, on, recorded, reason, changes in self.corrections:
            if kind == "correct":
                text = _("更正：{recorded} 更正了 {on} 的 {of} 事件（{changes}），理由：{reason}")
            else:
                text = _("撤销：{recorded} 撤销了 {on} 的 {of} 事件，理由：{reason}")
            lines.append(
                text.format(recorded=recorded, on=on, of=of, changes=changes, reason=reason)
            )
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
    # Only documents from whose receipt this profile counts a period (the 2008 text has no
    # period for another agency's view nor, for its cost fee, for payment).
    skip = {
        k
        for k, field in (
            ("consult_third_party", rules.third_party_workdays),
            ("consult_agency", rules.agency_workdays),
            ("send_fee_notice", rules.fee_payment_workdays),
        )
        if field is None
    }
    undelivered = tuple(
        (k, sent)
        for k, sent, got in f.documents
        if got is None and k in _COUNTS_FROM_RECEIPT and k not in skip
    )
    return DeadlineTrace(now, reply.due, reply.steps, tuple(crossed), reply.estimated, undelivered)


# Documents from whose receipt the law counts a period (the others only inform).
_COUNTS_FROM_RECEIPT = frozenset(
    {"request_correction", "consult_third_party", "consult_agency", "send_fee_notice", "decide",
     "abandon", "reconsideration_decided"}
)  # fmt: skip

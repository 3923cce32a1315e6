"""
Rule profiles: every statutory number of the lifecycle, each with the article it comes from.

References:
    * 中华人民共和国政府信息公开条例 (2019, in force 2019-05-15), arts 30-35; art 33 ¶2
      caps the *total* extension at 20 working days and does not say "once" (so
      ``single_extension`` is a local rule's switch, off nationally).
    * 中华人民共和国政府信息公开条例 (2008, in force 2008-05-01), art 24 (15 + 15 WD, ¶3 the
      third-party pause), art 21 (the four answers), art 22 (partial disclosure), art 23
      (third parties), art 14 ¶4 and art 8 (exemptions) [UNCONFIRMED wording, LEGAL.md §4;
      the 15 + 15 numbers are confirmed]. The 2008 条例 has no art 35 (excessive requests)
      and predates the 109号 fee.
    * 政府信息公开信息处理费管理办法 (国办函〔2020〕109号, issued 2020-11-17 per the gov.cn
      text mirrored at by6872.com and irbhqh.cn): 20 WD to pay from receipt of the notice.
    * 行政复议法 (2023) arts 20, 23; 行政诉讼法 arts 45, 46; 民事诉讼法 (2023) art 85.

Checked With:
    * LEGAL.md §0 (the quick table) and §5 (counting).

Limitations:
    * The pause while a fee notice is unpaid is [UNCONFIRMED] (LEGAL.md §2.3): a switch,
      on by default.
    * The 2008 profile's wording is from secondary sources (LEGAL.md §4); it has no 7-WD
      correction-notice rule and no 15-WD consultation periods.
    * The remedy windows are national law, dated in ``_remedies``; the profile's
      ``reconsideration_days``, ``lawsuit_months`` and ``lawsuit_after_reconsideration_days``
      are the current laws' numbers and apply to acts dated under them.
    * ``rest_day_receipt_next_workday`` models local rules seen only in secondary sources
      (LEGAL.md §5.2 reads the national rule as day 0 = the receipt day, whatever it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ._calendar import as_date
from ._errors import InvalidInputError, InvalidTypeError, NotFoundError

__all__ = [
    "PRC_2008",
    "PRC_2019",
    "PROFILES",
    "Rules",
    "profile_for",
    "rules_from_text",
    "substance_rules",
]


def _rule(default: Any, article: str, unit: str = "") -> Any:
    return attrs.field(default=default, metadata={"article": article, "unit": unit})


class _UnknownRuleError(NotFoundError, KeyError):
    """A rule field that no profile has (a ``KeyError``, as callers catch today)."""

    def __init__(self, field: object) -> None:
        self._message = f"no rule named {field!r:.40}; the rules are {', '.join(sorted(_ARTICLES))}"
        super().__init__(self._message)
        self.args = (field,)  # what the constructor takes back (#23)

    def __str__(self) -> str:
        return self._message


@attrs.frozen
class Rules:
    """
    A rule profile: the numbers the clocks use, each carrying its article.

    ``Rules.article(name)`` and ``Rules.unit(name)`` tell where a number comes from and
    whether it counts working days or calendar days. A local rule is a new profile, loaded
    from TOML with :meth:`from_toml`, not new code.

    .. versionadded:: 0.1.0
    """

    name: str = _rule("PRC_2019", "")
    # Reply within 20 working days of receipt (art 33 ¶2).
    reply_workdays: int = _rule(20, "条例第三十三条第二款", "working days")
    # Extensions of at most 20 working days in total (art 33 ¶2 caps the total; it does
    # not say "once", so two extensions of 10 are lawful).
    extension_max_workdays: int = _rule(20, "条例第三十三条第二款", "working days")
    # A local rule allowing one extension only (off nationally: art 33 ¶2 caps the total).
    single_extension: bool = _rule(False, "地方规定")
    # Correction must be asked for once, within 7 working days of receipt (art 30).
    correction_notice_workdays: int | None = _rule(7, "条例第三十条", "working days")
    # A third party answers within 15 working days of the letter (art 32).
    third_party_workdays: int | None = _rule(15, "条例第三十二条", "working days")
    # Another agency answers within 15 working days; silence is consent (art 34).
    agency_workdays: int | None = _rule(15, "条例第三十四条", "working days")
    # The fee is paid within 20 working days from the day after the notice (109号); past it
    # the application is deemed abandoned. None: a fee with no payment window and no
    # deemed abandonment (the 2008 cost fee, 2008 art 27).
    fee_payment_workdays: int | None = _rule(20, "国办函〔2020〕109号", "working days")
    # Time from fee notice to payment is left out of the reply period [UNCONFIRMED].
    pause_on_fee: bool = _rule(True, "国办函〔2020〕109号（未经核实）")
    # Time spent consulting other agencies is left out of the reply period (art 33 ¶3); the
    # 2008 text (art 24 ¶3) leaves out only the third party's time.
    pause_on_agency: bool = _rule(True, "条例第三十三条第三款")
    # A local registration/review stage, if a local rule sets one (none nationally).
    review_workdays: int | None = _rule(None, "地方规定", "working days")
    # Reconsideration within 60 calendar days of learning of the act.
    reconsideration_days: int = _rule(60, "行政复议法第二十条第一款", "calendar days")
    # A direct lawsuit within 6 months of learning of the act.
    lawsuit_months: int = _rule(6, "行政诉讼法第四十六条第一款", "months")
    # A lawsuit within 15 days of receiving the reconsideration decision.
    lawsuit_after_reconsideration_days: int = _rule(15, "行政诉讼法第四十五条", "calendar days")
    # Refusals dated from this day must go to reconsideration before a lawsuit.
    reconsideration_first_from: dt.date | None = _rule(
        dt.date(2024, 1, 1), "行政复议法（2023）第二十三条第一款第（四）项"
    )
    # A local rule counting an application received on a rest day as received on the next
    # working day (off nationally: day 0 is the receipt day whatever it is; LEGAL.md §5.2).
    rest_day_receipt_next_workday: bool = _rule(False, "地方规定")
    # The first day an information-processing fee notice may be sent (109号, issued
    # 2020-11-17, in force 2021-01-01 [UNCONFIRMED: the in-force date is from memory; the
    # mirrors read stop before the final article]);
    # None: the profile has no such fee.
    fee_notices_from: dt.date | None = _rule(dt.date(2021, 1, 1), "国办函〔2020〕109号")
    # Working days a third party whose objection is overridden has, from receiving the
    # written notice (art 32), before the information is disclosed to the applicant, so it
    # can apply for reconsideration or sue (and ask for a stay) first. No national text sets
    # this period [UNCONFIRMED: none found, NOTICES.md §3.4(c)]: the default borrows the 15
    # working days art 32 itself gives a third party to answer; a local rule sets its own.
    # None: not checked.
    third_party_notice_workdays: int | None = _rule(
        15, "条例第三十二条（默认期间，比照第三方提出意见的期限）", "working days"
    )
    # Excessive requests: ask for reasons, refuse or set a later date (art 35; 2019 only).
    excessive_requests: bool = _rule(True, "条例第三十五条")
    # The first day requests fall under this profile.
    in_force_from: dt.date = _rule(dt.date(2019, 5, 15), "条例第五十六条")
    # Articles that differ from the 2019 ones named above (field name -> article).
    citations: Mapping[str, str] = attrs.field(factory=dict, hash=False, metadata={"article": ""})

    def __attrs_post_init__(self) -> None:
        # Validation at the boundary: every field as from_dict would accept it, so a profile
        # built in code cannot put a due date before receipt (reply_workdays=-5).
        for field in attrs.fields(Rules):
            value = getattr(self, field.name)
            checked = _check(field.name, value, field.default, "Rules")
            if checked is not value:
                object.__setattr__(self, field.name, checked)

    def article(self, field: str) -> str:
        """The article behind a rule field in this profile."""
        try:
            return self.citations.get(field) or _ARTICLES[field]
        except (KeyError, TypeError):
            raise _UnknownRuleError(field) from None

    def cite(self, step: str, default: str) -> str:
        """
        The article behind a step that is not a number (``restart``, ``pause_third_party``,
        ``outcome.REFUSED``…) in this profile: its own citation, else the 2019 ``default``.
        """
        if type(step) is not str or type(default) is not str:
            msg = f"cite takes a step name and a default article, both text, got {step!r:.40}, {default!r:.40}"
            raise InvalidTypeError(msg)
        return self.citations.get(step) or default

    @staticmethod
    def unit(field: str) -> str:
        """The unit of a rule field: working days, calendar days, months, or empty."""
        if not isinstance(field, str) or field not in _ARTICLES:
            raise _UnknownRuleError(field)
        return str(attrs.fields_dict(Rules)[field].metadata["unit"])

    def to_dict(self) -> dict[str, Any]:
        """The profile as plain JSON types."""
        return {
            k: v.isoformat() if isinstance(v, dt.date) else (dict(v) if k == "citations" else v)
            for k, v in attrs.asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "rules") -> Rules:
        """
        A profile from plain data: ``base`` names a built-in profile, other keys override it.

        Raises:
            ValueError: for an unknown key, a wrong type or a negative number.
        """
        if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
            msg = (
                f"{where}: a rule profile must be a table of rule names, got {type(data).__name__}"
            )
            raise InvalidTypeError(msg)
        data = dict(data)
        base_name = data.pop("base", None)
        if base_name is None:
            base = PRC_2019
        elif isinstance(base_name, str) and base_name in PROFILES:
            base = PROFILES[base_name]
        else:
            msg = f"{where}: base {base_name!r:.40} is not a built-in profile; use one of {sorted(PROFILES)}"
            raise InvalidInputError(msg)
        fields = attrs.fields_dict(cls)
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key not in fields:
                msg = f"{where}: unknown rule {key!r}; known rules are {sorted(fields)}"
                raise InvalidInputError(msg)
            changes[key] = _check(key, value, getattr(base, key), where)
        return attrs.evolve(base, **changes)

    @classmethod
    def from_toml(cls, path: str | Path) -> Rules:
        """
        Load a local profile from a TOML file (``base = "PRC_2019"`` plus overrides).

        Example: a 5-working-day review stage and a 30-working-day extension cap::

            name = "某市规定"
            base = "PRC_2019"
            review_workdays = 5
            extension_max_workdays = 30
        """
        from ._toml import read_toml

        return cls.from_dict(read_toml(path), where=str(path))


# Field name -> article, read once: article() is on the hot path of every clock.
_ARTICLES: dict[str, str] = {
    f.name: str(f.metadata["article"]) for f in attrs.fields(Rules) if f.metadata["article"]
}


_SWITCHES = frozenset(
    {"pause_on_fee", "pause_on_agency", "single_extension", "rest_day_receipt_next_workday",
     "excessive_requests"}
)  # fmt: skip


def _check(key: str, value: Any, current: Any, where: str) -> Any:
    if key in ("reconsideration_first_from", "in_force_from", "fee_notices_from"):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if value is None and key != "in_force_from":
            return None
        if isinstance(value, str):
            try:
                return as_date(value, key)
            except InvalidInputError:
                msg = f"{where}: {key} must be a date (YYYY-MM-DD), got {value!r:.40}"
                raise InvalidInputError(msg) from None
        msg = f"{where}: {key} must be a date (YYYY-MM-DD), got {value!r:.40}"
        raise InvalidInputError(msg)
    if key == "citations":
        if isinstance(value, dict) and all(
            type(k) is str and type(v) is str for k, v in value.items()
        ):
            return value
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            msg = f"{where}: citations must map rule names to article strings"
            raise InvalidInputError(msg)
        return dict(value)
    if key == "name":
        if not isinstance(value, str) or not value.strip():
            msg = f"{where}: name must be a non-empty string"
            raise InvalidInputError(msg)
        return value
    if key in _SWITCHES:
        if type(value) is not bool:  # a flag: "no" and 0 are refused, as check_flag does
            msg = f"{where}: {key} must be true or false, got {type(value).__name__} {value!r:.40}"
            # A wrong type from Python (the constructor, #23); a malformed file or document
            # (from_dict, from_toml) is bad input, as Request.from_dict's strict is.
            raise InvalidTypeError(msg) if where == "Rules" else InvalidInputError(msg)
        return value
    if value is None and (current is None or key.endswith("_workdays")):
        return None
    low = 1 if key in _AT_LEAST_ONE else 0
    if type(value) is not int or not low <= value <= _MOST:
        msg = f"{where}: {key} must be a whole number of {Rules.unit(key) or 'units'} from {low} to {_MOST}, got {value!r:.40}"
        raise InvalidInputError(msg)
    return value


# Periods that cannot be zero: a reply, payment or remedy period of no days makes no sense.
_AT_LEAST_ONE = frozenset(
    {"reply_workdays", "fee_payment_workdays", "reconsideration_days", "lawsuit_months",
     "lawsuit_after_reconsideration_days"}
)  # fmt: skip
# A sanity bound, not a legal number: the statutory periods are tens of days, and a larger
# one would only run past every calendar's data.
_MOST = 1000


#: The 2019 Regulations (in force 2019-05-15): the default profile.
PRC_2019 = Rules()

#: The 2008 Regulations (2008-05-01 to 2019-05-14): 15 + 15 working days (art 24).
PRC_2008 = Rules(
    name="PRC_2008",
    reply_workdays=15,
    extension_max_workdays=15,
    correction_notice_workdays=None,
    third_party_workdays=None,
    agency_workdays=None,
    # Cost fees for search, copying and postage (2008 art 27 [UNCONFIRMED wording]), not
    # the 109号 processing fee: a fee notice exists from the start, but with no payment
    # window, no pause of the reply period and no deemed abandonment (those are 109号's).
    fee_notices_from=dt.date(2008, 5, 1),
    fee_payment_workdays=None,
    pause_on_fee=False,
    # 2008 art 24 ¶3 leaves out only the time spent consulting a third party.
    pause_on_agency=False,
    excessive_requests=False,
    in_force_from=dt.date(2008, 5, 1),
    # Every citation this profile produces names the 2008 article [UNCONFIRMED wording,
    # LEGAL.md §4: the 15 + 15 numbers are confirmed, the article texts are not].
    citations={
        "reply_workdays": "条例（2008）第二十四条第二款",
        "extension_max_workdays": "条例（2008）第二十四条第二款",
        "in_force_from": "条例（2008）第三十八条",
        "fee_notices_from": "条例（2008）第二十七条",
        "fee_payment_workdays": "条例（2008）第二十七条",
        "pause_on_fee": "条例（2008）第二十七条",
        "pause_on_agency": "条例（2008）第二十四条第三款",
        "third_party_notice_workdays": "条例（2008）第二十三条（默认期间）",
        # Steps without a number [UNCONFIRMED wording, LEGAL.md §4]: art 21 (四) asks for
        # changes or additions; art 24 ¶3 leaves third-party time out; art 21-22 answers.
        # Steps the 2008 text has no article for say so rather than cite the 2019 one.
        "restart": "条例（2008）第二十一条第（四）项",
        "correction_reply": "条例（2008）第二十一条第（四）项",
        "pause_third_party": "条例（2008）第二十三条、第二十四条第三款",
        "pause_agency": "条例（2008）无对应条款",
        "delayed": "条例（2008）无对应条款",
        "outcome.REFUSED": "条例（2008）第二十一条第（二）项",
        "outcome.PARTIALLY_DISCLOSED": "条例（2008）第二十二条",
        # The other answers (2008 art 21 (一)-(四)) and those it has no article for.
        "outcome.DISCLOSED": "条例（2008）第二十一条第（一）项",
        "outcome.ALREADY_PUBLIC": "条例（2008）第二十一条第（一）项",
        "outcome.NOT_HELD": "条例（2008）第二十一条第（三）项",
        "outcome.NOT_THIS_AGENCY": "条例（2008）第二十一条第（三）项",
        "outcome.STILL_UNCLEAR": "条例（2008）第二十一条第（四）项",
        "outcome.NEEDS_CREATION": "条例（2008）无对应条款",
        "outcome.PETITION": "条例（2008）无对应条款",
        "outcome.DUPLICATE": "条例（2008）无对应条款",
        "outcome.PUBLICATION": "条例（2008）无对应条款",
        "outcome.SPECIAL_REGIME": "条例（2008）无对应条款",
        "outcome.ABANDONED_NO_CORRECTION": "条例（2008）无对应条款",
    },
)

PROFILES: dict[str, Rules] = {"PRC_2019": PRC_2019, "PRC_2008": PRC_2008}


def profile_for(day: dt.date) -> Rules:
    """
    The built-in profile in force on ``day``: ``PRC_2008`` before 2019-05-15, else ``PRC_2019``.

    References:
        * 条例 (2019) art 56 (in force 2019-05-15; no transitional article, LEGAL.md §4).
    """
    return PRC_2008 if day < PRC_2019.in_force_from else PRC_2019


def substance_rules(rules: Rules, on: dt.date) -> Rules:
    """
    The profile whose text governs the substance of an answer dated ``on`` (its kind and
    grounds, and so their citations): the rule in force on the answer's date. A request
    received under the 2008 text and answered from 2019-05-15 is answered under the 2019
    text; its procedure (the reply period that ran from receipt) stays the 2008 one.

    References:
        * LEGAL.md §5.6: "A decision is judged, and its notice cites, the law in force on the
          decision's date."
        * 立法法 (2023) art 104: a law or regulation applies to what happens after it comes
          into force (no retroactive effect); an answer is an act of the day it is made.
    """
    if rules.in_force_from < PRC_2019.in_force_from <= on:
        return PRC_2019
    return rules


def rules_from_text(text: str) -> Rules:
    """A profile as exports and the store write it: a built-in name, or its JSON fields."""
    import json

    if text in PROFILES:
        return PROFILES[text]
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        msg = f"unknown rules profile {text!r}; use {sorted(PROFILES)} or a profile's JSON fields"
        raise InvalidInputError(msg) from None
    if not isinstance(data, dict):
        msg = f"rules must be a profile name or a JSON object, got {text!r}"
        raise InvalidInputError(msg)
    return Rules.from_dict(data)

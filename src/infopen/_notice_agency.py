"""
The agency that signs notices, and the one boundary where text enters a notice.

References:
    * GB/T 9704-2012 《党政机关公文格式》 §7.2.4 (发文字号: 机关代字, year in 六角括号〔〕,
      serial "不加'第'字，不编虚位（即1不编为01）"), §7.3.5 (发文机关署名, 成文日期, 印章).
    * NOTICES.md §1 items 2 and 12 (numbering styles seen; the signature block).

Limitations:
    * An agency's own ``number_format`` may keep ``第…号`` (seen in practice, NOTICES.md §1);
      only the serial's leading zeros are dropped, whatever the pattern.
"""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path
from typing import Any, Literal

import attrs

from ._errors import InvalidInputError, InvalidTypeError
from ._toml import read_toml

__all__ = ["Agency", "EstimatedDates", "clean_line", "serial"]

EstimatedDates = Literal["flag", "earliest"]

# Line and paragraph breaks of every kind: one line of a notice never holds two.
_BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
#: What replaces a control character or a lone surrogate: visible, never silent.
REPLACEMENT = "\ufffd"


def clean_line(text: str) -> str:
    """
    ``text`` as one line a notice can print: line breaks (``\\n``, U+2028...) become a
    space; control characters (NUL, ESC...) and lone surrogates become U+FFFD, visibly.
    """
    text = _BREAKS.sub(" ", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\t":
            out.append(" ")
        elif cat in ("Cc", "Cs") or ch in "\ufffe\uffff":  # not allowed in XML either
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    return "".join(out)


def serial(number: str) -> str:
    """A register serial as printed: digits without leading zeros (GB/T 9704 不编虚位)."""
    if number.isdigit() and number.isascii():
        stripped = number.lstrip("0")
        if not stripped:
            msg = f"number {number!r} is not a serial: a register counts from 1"
            raise InvalidInputError(msg)
        return stripped
    return number


def _text_field(self: Any, attribute: Any, value: str) -> None:
    if not isinstance(value, str):
        msg = f"Agency.{attribute.name} must be text, got {value!r}"
        raise InvalidInputError(msg)


def _check_format(pattern: str) -> None:
    """A ``number_format`` must be a valid pattern with {number} and only known fields."""
    example = "'某住建公{code}〔{year}〕{number}号'"
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:  # an unmatched brace: "第{number}号}"
        msg = (
            f"Agency.number_format {pattern!r} is not a valid pattern ({exc}); write each "
            f"field as {{year}}, {{number}} or {{code}} and no other brace, e.g. {example}"
        )
        raise InvalidInputError(msg) from None
    fields = {name for _text, name, _spec, _conv in parsed if name is not None}
    bad_spec = [name for _t, name, spec, conv in parsed if name is not None and (spec or conv)]
    if "number" not in fields or not fields <= {"year", "number", "code"} or bad_spec:
        msg = (
            f"Agency.number_format {pattern!r} must contain {{number}} and may contain only "
            f"{{year}}, {{number}} and {{code}} (no format specs), e.g. {example}"
        )
        raise InvalidInputError(msg)


@attrs.frozen
class Agency:
    """
    The agency that signs notices.

    Args:
        name: Full name of the agency (the signing 行政机关).
        reconsideration_body: The 复议机关 to name in remedy clauses (行政复议法 art 24,
            e.g. "某市人民政府"); a decision's notice without it shows a placeholder.
        seal: The name under which the seal is pressed (defaults to ``name``).
        address: Where replies and corrections go.
        contact: Phone, e-mail or website for questions and progress.
        number_prefix: The agency's short code (机关代字) in document numbers (e.g.
            "某政公"), used when ``number_format`` is empty: ``{prefix}〔{year}〕{number}号``.
            Without either, a numbered notice shows a placeholder for it (GB/T 9704 §7.2.4).
        court: The court to name for lawsuits (defaults to the generic 人民法院).
        online_channel: The online channel for reconsideration, printed when the
            application came online (行政复议法 art 22 ¶2).
        number_format: The agency's own 文号 pattern with ``{year}``, ``{number}`` and
            optionally ``{code}`` (a one-character notice type: 复, 补, 延…), e.g.
            "某住建公复〔{year}〕{number}号". The number itself comes from the host's
            register through ``render_notice(..., number=...)``; leading zeros are dropped.
        estimated_dates: How a date resting on a not yet announced holiday arrangement is
            printed: ``"flag"`` (default) adds "按推定的放假安排计算…"; ``"earliest"``
            prints, without comment, the earliest date any possible arrangement could
            give, so the agency cannot be late whatever the State Council announces.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``number_format``; every field must be text.
    .. versionchanged:: 0.3.0 ``estimated_dates``; a malformed ``number_format`` is refused.
    """

    name: str = attrs.field(validator=_text_field)
    reconsideration_body: str = attrs.field(default="", validator=_text_field)
    seal: str = attrs.field(default="", validator=_text_field)
    address: str = attrs.field(default="", validator=_text_field)
    contact: str = attrs.field(default="", validator=_text_field)
    number_prefix: str = attrs.field(default="", validator=_text_field)
    court: str = attrs.field(default="人民法院", validator=_text_field)
    online_channel: str = attrs.field(default="", validator=_text_field)
    number_format: str = attrs.field(default="", validator=_text_field)
    estimated_dates: EstimatedDates = attrs.field(default="flag")

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Agency):
            value = getattr(self, field.name)
            if field.type in ("str", str) and not isinstance(value, str):
                msg = f"Agency {field.name} must be text, got {type(value).__name__} {value!r:.40}"
                raise InvalidTypeError(msg)
        if self.estimated_dates not in ("flag", "earliest"):
            msg = f"Agency.estimated_dates must be 'flag' or 'earliest', got {self.estimated_dates!r:.40}"
            raise InvalidInputError(msg)
        if not self.name.strip():
            msg = "Agency needs its full name (the 行政机关 that signs the notices)"
            raise InvalidInputError(msg)
        if not self.seal:
            object.__setattr__(self, "seal", self.name)
        if self.number_format:
            _check_format(self.number_format)

    @classmethod
    def from_toml(cls, path: str | Path) -> Agency:
        """Read an agency from a TOML file whose keys are this class's fields."""
        data = read_toml(path)
        fields = {f.name for f in attrs.fields(cls)}
        unknown = set(data) - fields
        if unknown:
            msg = f"{path}: unknown agency keys {sorted(unknown)}; known: {sorted(fields)}"
            raise InvalidInputError(msg)
        return cls(**data)

    def document_number(self, year: int, number: str, code: str) -> str:
        """
        The 文号 for serial ``number`` in ``year`` (``code``: the notice type); without a
        ``number_format`` or ``number_prefix`` the 机关代字 is missing (empty here).
        """
        if type(year) is not int or not isinstance(number, str) or not isinstance(code, str):
            msg = (
                f"document_number takes a year (int), a serial and a type code (text), got "
                f"{year!r:.20}, {number!r:.20}, {code!r:.20}"
            )
            raise InvalidTypeError(msg)
        number = serial(clean_line(number).strip())
        if not number:
            msg = "document_number needs the serial from the agency's register, got an empty one"
            raise InvalidInputError(msg)
        if self.number_format:
            return self.number_format.format(year=year, number=number, code=code)
        return f"{self.number_prefix}〔{year}〕{number}号"

    def printable(self) -> Agency:
        """This agency with every field as one clean line (see :func:`clean_line`)."""
        changes: dict[str, Any] = {
            f.name: clean_line(getattr(self, f.name))
            for f in attrs.fields(Agency)
            if isinstance(getattr(self, f.name), str) and f.name != "estimated_dates"
        }
        return attrs.evolve(self, **changes)

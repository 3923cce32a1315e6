"""
Notices (告知书) an agency sends while handling a request, rendered from Jinja2 templates.

A notice is either complete or visibly incomplete: every mandatory element the request,
the agency and ``details`` do not supply is printed as a 【请填写：…】 placeholder and
listed by :func:`notice_missing` (``strict=True`` refuses to render it at all). A notice
the recorded events make unlawful (an extension after the due date, past the total cap)
carries a 【请核实：…】 warning instead of a false promise, listed the same way. Nothing is
guessed: no made-up document number, reason, payment method, approval or legal basis.

References:
    * 条例 (2019) arts 29-39, 42 (what each notice must say); 条例 (2008, 国务院令第492号)
      arts 8, 14 ¶4, 20-24, 27 for requests under ``PRC_2008`` [UNCONFIRMED: article
      texts from the 2008 text's public copies, LEGAL.md §4]; 行政复议法 (2023) arts 20,
      22 ¶2, 23 ¶1 (四) and ¶2, 24 (remedy clause, reconsideration first, the body);
      行政诉讼法 arts 45, 46 (2015 on) and art 39 (1989, before 2015-05-01); 国办函〔2020〕
      109号 (fees).
    * GB/T 9704-2012 《党政机关公文格式》 (layout, ``_notice_docx``; 文号, ``_notice_agency``).
    * NOTICES.md §§1-6 (the common frame, the elements of each notice, the wording of
      published 告知书 and 征求意见函).

Checked With:
    * NOTICES.md §6 (mandatory vs customary elements per notice) and the structure of the
      Shanghai and Pudong templates it cites (heading, number, addressee, receipt sentence,
      what was asked, finding, basis, remedy, closing, signature).

Limitations:
    * The reconsideration body depends on the agency (行政复议法 art 24): it comes from
      ``Agency.reconsideration_body``; a notice without it shows a placeholder.
    * The 2008 Regulations have no article for consulting other agencies, for art 35
      requests or for deemed abandonment: such notices under ``PRC_2008`` show a
      placeholder for their legal basis (fill it with ``details["legal_basis"]``).
    * A letterhead's ``{{ body }}`` placeholder must sit in a body paragraph (not in a
      table cell, header or footer).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from ._errors import (
    IncompleteNoticeError,
    InvalidInputError,
    InvalidTypeError,
    MissingExtraError,
    NotFoundError,
    check_flag,
    file_access_error,
)
from ._files import as_path
from ._model import Event
from ._notice_agency import Agency, clean_line, serial
from ._notice_builder import Builder, check_details, earliest_calendar
from ._notice_context import base_context
from ._notice_docx import MARKED, write_docx
from ._notice_elements import ESTIMATED_NOTE, KINDS, MissingElement, table_rows
from ._notice_remedies import third_party_context
from ._request import Request

__all__ = [
    "ESTIMATED_NOTE",
    "Agency",
    "MissingElement",
    "notice_details_table",
    "notice_kind",
    "notice_missing",
    "render_notice",
]

_TEMPLATES = Path(__file__).parent / "templates"
EventRef = int | str


def notice_kind(event: Event) -> str:
    """The template a notice for ``event`` uses; ``ValueError`` if the event calls for none."""
    if event.kind not in KINDS:
        kinds = ", ".join(sorted(KINDS))
        msg = f"a {event.kind} event calls for no notice; notices exist for: {kinds}"
        raise InvalidInputError(msg)
    return KINDS[event.kind][0]


def notice_details_table() -> str:
    """
    The ``details`` every notice kind reads, as a Markdown table: kind, key, 必填 (a
    placeholder when not given) or 选填, and the label its placeholder shows.

    A reply letter's kind is ``reply:`` and the outcome's name. The table is generated from
    the same data the templates ask through, so it cannot drift from the notices.

    .. versionadded:: 0.3.0
    """
    rows = ["| 告知书类别 | details 键 | 必填/选填 | 说明（占位符文字） |", "|---|---|---|---|"]
    rows += [f"| {kind} | `{key}` | {need} | {label} |" for kind, key, need, label in table_rows()]
    return "\n".join(rows) + "\n"


@functools.cache
def _environment(autoescape: bool, extra: Path | None = None) -> Any:
    """One Jinja2 environment per (escaping, template folder), so templates compile once."""
    try:
        import jinja2
    except ModuleNotFoundError:
        raise MissingExtraError("Rendering notices", "notices", "jinja2") from None
    paths = [str(extra)] if extra is not None else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*paths, str(_TEMPLATES)]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["mark_missing"] = _mark_missing
    return env


def _mark_missing(text: str) -> Any:
    """HTML: the text escaped, each placeholder or warning in ``<mark class="missing">``."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(MARKED.sub(r'<mark class="missing">\g<0></mark>', escaped))


def _render_text(name: str, ctx: dict[str, Any]) -> str:
    return str(_environment(False).get_template(name).render(ctx))


class _NoSuchEventError(NotFoundError, IndexError):
    """An event past the request's events (an ``IndexError``, as callers catch today)."""


def _event_index(request: Request, event: object) -> int:
    """
    The index of ``event``: a position (negative counts from the end), an event id, or an
    event kind meaning the latest event of that kind ("decide": the latest decision).
    """
    events = request.events
    if isinstance(event, str):
        kind = re.sub(r"^(?:the\s+)?(?:latest|last)[\s:_-]+", "", event.strip())
        for i, e in enumerate(events):
            if e.event_id == event:
                return i
        for i in range(len(events) - 1, -1, -1):
            if events[i].kind == kind:
                return i
        kinds = sorted({e.kind for e in events})
        msg = f"no event with id or kind {event!r:.60}; this request's event kinds: {', '.join(kinds)}"
        raise _NoSuchEventError(msg)
    if type(event) is not int:
        msg = f"event must be an index into request.events, an event id or an event kind, got {type(event).__name__} {event!r:.40}"
        raise InvalidTypeError(msg)
    if not -len(events) <= event < len(events):
        msg = f"event {event!r} has not happened: the request has {len(events)} events (0..{len(events) - 1})"
        raise _NoSuchEventError(msg)
    return event % len(events)


def _prepare(
    request: Request,
    agency: Agency,
    event: EventRef,
    details: Mapping[str, Any] | None,
    number: str | int | None,
    to: str = "applicant",
    estimated_dates: str | None = None,
) -> tuple[str, dict[str, Any], Builder]:
    if not isinstance(request, Request):
        msg = f"request must be an infopen.Request, got {type(request).__name__}"
        raise InvalidTypeError(msg)
    index = _event_index(request, event)
    if not isinstance(agency, Agency):
        msg = f"agency must be an infopen.Agency, got {type(agency).__name__}"
        raise InvalidTypeError(msg)
    if number is not None:
        if (
            isinstance(number, bool)
            or not isinstance(number, (str, int))
            or not str(number).strip()
        ):
            msg = f"number must be the serial from the agency's register (text or a whole number), got {number!r}"
            raise InvalidInputError(msg)
        number = serial(clean_line(str(number)).strip())
    if to not in ("applicant", "third_party"):
        msg = f"to must be 'applicant' or 'third_party', got {to!r}"
        raise InvalidInputError(msg)
    mode = agency.estimated_dates if estimated_dates is None else estimated_dates
    if mode not in ("flag", "earliest"):
        msg = f"estimated_dates must be 'flag' or 'earliest', got {mode!r:.40}"
        raise InvalidInputError(msg)
    name = notice_kind(request.events[index])
    if to == "third_party":
        name = "third_party_disclosure"
    printed = agency.printable()  # the one boundary: every agency field as one clean line
    b = Builder(request, check_details(details or {}), name, earliest=mode == "earliest")
    if request.events[index].on >= dt.date(2019, 5, 15):
        b.substance = "2019"
    calc = request
    if mode == "earliest":  # dates from the calendar giving the earliest possible days
        calc = Request.replay(request.events, rules=request.rules,
                              calendar=earliest_calendar(request.calendar))  # fmt: skip
    if to == "third_party":
        extra = third_party_context(request, index, printed, b)  # refuses other events first
        ctx = base_context(request, calc, index, printed, b, number, _render_text, to)
        ctx.update(extra)
    else:
        ctx = base_context(request, calc, index, printed, b, number, _render_text, to)
    return name, ctx, b


def notice_missing(
    request: Request,
    *,
    agency: Agency,
    event: EventRef = -1,
    details: Mapping[str, Any] | None = None,
    number: str | int | None = None,
    to: Literal["applicant", "third_party"] = "applicant",
    estimated_dates: Literal["flag", "earliest"] | None = None,
) -> tuple[MissingElement, ...]:
    """
    The mandatory elements a notice would lack, as its 【请填写：…】 placeholders name them.

    Each is a :class:`MissingElement`: the placeholder's Chinese label (the string itself)
    with ``key`` and ``source`` saying where to fill it (for ``source == "details"``, the
    ``details`` key; :func:`notice_details_table` lists every key of every notice kind).
    Empty when :func:`render_notice` with the same arguments gives a complete notice; a
    notice rendered with ``strict=True`` raises :class:`IncompleteNoticeError` listing
    exactly these.

    .. versionadded:: 0.2.0
    .. versionchanged:: 0.3.0 :class:`MissingElement` items; ``event`` by id or kind.
    """
    name, ctx, b = _prepare(request, agency, event, details, number, to, estimated_dates)
    _render_text(f"{name}.txt.j2", ctx)
    return tuple(b.missing)


def render_notice(
    request: Request,
    *,
    agency: Agency,
    event: EventRef = -1,
    format: Literal["text", "html", "docx"] = "text",
    template: str | Path | None = None,
    details: Mapping[str, Any] | None = None,
    number: str | int | None = None,
    strict: bool = False,
    to: Literal["applicant", "third_party"] = "applicant",
    estimated_dates: Literal["flag", "earliest"] | None = None,
) -> str | bytes:
    """
    Render the notice that one of the request's events calls for (by default the latest).

    The kind of notice follows from the event: receipt, correction, extension, consultation
    letters, fee notice, the art 35 notices, a reply letter for every outcome, the
    abandonment and withdrawal notices. Each cites the articles of the request's own rule
    profile (the 2008 Regulations for ``PRC_2008``, a local profile's own citations beside
    the 2019 ones) and quotes what was asked for (``Request.receive(..., subject=...)``).

    ``details`` supplies what only a person knows; :func:`notice_details_table` lists the
    keys of every notice kind and which are mandatory. A mandatory element that is not
    given is printed as a visible 【请填写：…】 placeholder and listed by
    :func:`notice_missing`; a notice the events make unlawful (an extension after the due
    date or past the cap) carries a 【请核实：…】 warning. Text and HTML give ``str``;
    docx gives the document's bytes (GB/T 9704-2012 layout, placeholders highlighted).
    Control characters and line breaks in any text are replaced (U+FFFD, a space).
    Rendering never changes the request.

    Args:
        request: The request.
        agency: Who signs.
        event: Index into ``request.events`` (negative counts from the end), an event's
            ``event_id``, or an event kind for the latest event of that kind ("decide").
        format: ``"text"``, ``"html"`` (everything from the request escaped) or ``"docx"``.
        template: An agency's own Jinja2 template (text/html) or .docx letterhead whose
            ``{{ body }}`` paragraph receives the notice (docx).
        details: Facts for the notice's free-text parts.
        number: The serial of this notice in the agency's register, set into
            ``Agency.number_format`` (leading zeros dropped); without it the 文号 is a
            placeholder.
        strict: Raise instead of rendering placeholders or warnings.
        to: ``"third_party"`` renders the written notice to a third party that objected,
            for a decision that discloses over its objection (art 32: what is disclosed,
            why, its remedies and the period before disclosure).
        estimated_dates: Overrides ``Agency.estimated_dates`` ("flag" or "earliest").

    Raises:
        IndexError: for an event that has not happened.
        InvalidInputError: for an event that calls for no notice, unknown or malformed
            details, a letterhead without ``{{ body }}``.
        IncompleteNoticeError: with ``strict=True``, listing the missing elements.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``number``, ``strict``, per-ground ``reasons``, ``to``.
    .. versionchanged:: 0.3.0 ``estimated_dates``; ``event`` by id or kind.
    """
    if format not in ("text", "html", "docx"):
        msg = f"format must be 'text', 'html' or 'docx', got {format!r:.40}"
        raise InvalidInputError(msg)
    check_flag(strict, "strict")
    custom = None if template is None else as_path(template, "template")
    if custom is not None:
        try:
            found = custom.is_file()
        except OSError as exc:  # a name too long for the file system (Python < 3.12 raises)
            raise file_access_error(custom, "read", exc) from None
        if not found:
            raise file_access_error(
                custom, "read", FileNotFoundError(2, "No such file or directory")
            )
    name, ctx, b = _prepare(request, agency, event, details, number, to, estimated_dates)
    try:
        return _render(name, ctx, b, format, custom, strict)
    except Exception as exc:
        import jinja2  # imported by _render already: only its errors are turned into ours

        if not isinstance(exc, jinja2.TemplateError):
            raise
        where = custom if custom is not None else f"{name} template"
        msg = f"{where}: cannot render ({type(exc).__name__}: {exc}); fix the template or give the missing details"
        raise InvalidInputError(msg) from None


def _render(
    name: str,
    ctx: dict[str, Any],
    b: Builder,
    format: str,
    custom: Path | None,
    strict: bool,
) -> str | bytes:
    text = _tidy(_render_text(f"{name}.txt.j2", ctx))
    if strict and b.missing:
        raise IncompleteNoticeError(ctx["heading"], tuple(b.missing))
    if format == "text":
        if custom is None:
            return text
        env = _environment(False, custom.parent)
        return _tidy(env.get_template(custom.name).render(ctx))
    body = _tidy(_render_text(f"{name}.txt.j2", {**ctx, "frame": False}))
    paragraphs = [p for p in body.splitlines() if p.strip()]
    if format == "html":
        env = _environment(True, custom.parent if custom else None)
        # ``paragraphs`` as before (the addressee line, then the body) for agencies' own
        # templates; ``body`` without the addressee.
        ctx["paragraphs"] = [ctx["addressee"] + "：", *paragraphs]
        ctx["body"] = paragraphs
        return str(env.get_template(custom.name if custom else "page.html.j2").render(ctx))
    lines = [("agency", ctx["agency"].name), ("title", ctx["heading"]), ("number", ctx["number"]),
             ("gap", ""), ("salutation", ctx["addressee"] + "："),
             *(("body", p) for p in paragraphs),
             ("seal", "（印章）"), ("signature", ctx["agency"].seal), ("date", ctx["date"])]  # fmt: skip
    return write_docx(lines, heading=ctx["heading"], author=ctx["agency"].name, letterhead=custom)


def _tidy(text: str) -> str:
    """One blank line between paragraphs, whatever the template's whitespace."""
    return re.sub(r"\n{3,}", "\n\n", text.strip()) + "\n"

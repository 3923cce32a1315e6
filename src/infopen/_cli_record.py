"""
The week's work on the command line: ``infopen new`` opens a request, ``infopen record``
records any event on it, ``infopen list`` is the daily list of open requests.

A request lives in a JSON file (``申请/2026-001.json``) or in a store (``--db URL``, the
request's id). Both keep the applicant's identity with the request, so that every notice
can name the applicant; ``infopen list`` never prints identity.

Event and value names are read from ``data/event_names.toml`` (Chinese and English) and the
enums' statutory labels.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import typer

from ._cli_lang import T, current
from ._errors import InfopenError, InvalidInputError, MissingExtraError, file_access_error
from ._i18n import N_
from ._machine import State
from ._model import ApplicantType, Channel, DeliveryMethod, Ground, Outcome, Result

__all__ = ["event_label", "event_names", "list_rows", "load", "record", "resolve_event", "save"]

_NAMES_FILE = Path(__file__).parent / "data" / "event_names.toml"


def _key(text: str) -> str:
    return "".join(text.split()).lower()


@functools.cache
def event_names() -> dict[str, Any]:
    """The names tables: events, outcomes, grounds, channels, applicant types, methods."""
    from ._register_rows import synonyms
    from ._toml import read_toml

    data = read_toml(_NAMES_FILE)
    events: dict[str, str] = {}
    labels: dict[str, str] = {}
    for kind, words in data["events"].items():
        labels[kind] = words[0]
        events[_key(kind)] = kind
        for word in words:
            events[_key(word)] = kind
    out: dict[str, Any] = {"events": events, "labels": labels}
    regs = synonyms()
    coded: tuple[tuple[str, Any], ...] = (("outcome", Outcome), ("grounds", Ground),
                                          ("channel", Channel), ("applicant_type", ApplicantType))  # fmt: skip
    for field, enum in coded:
        out[field] = {_key(m.name): m for m in enum} | dict(regs[field])
    named: tuple[tuple[str, Any, str], ...] = (("method", DeliveryMethod, "methods"),
                                               ("result", Result, "results"))  # fmt: skip
    for field, enum, table in named:
        words = {_key(m.name): m for m in enum} | {_key(m.label): m for m in enum}
        for name, listed in data[table].items():
            for word in listed:
                words[_key(word)] = enum[name]
        out[field] = words
    return out


def event_label(kind: str) -> str:
    """An event type's Chinese name (English: the type itself)."""
    from ._cli_lang import current

    return str(event_names()["labels"].get(kind, kind)) if current() == "zh" else kind


def _choices(field: str) -> str:
    """
    The accepted words of a field, for messages: in Chinese the labels and then the English
    names, in English the names.
    """
    from ._cli_lang import current

    names = event_names()
    if field == "events":
        return "、".join(event_label(k) for k in names["labels"] if k not in ("receive", "submit"))
    enum: Any = {"outcome": Outcome, "grounds": Ground, "channel": Channel,
                 "applicant_type": ApplicantType, "method": DeliveryMethod, "result": Result}[field]  # fmt: skip
    english = ", ".join(m.name for m in enum)
    if current() != "zh":
        return english
    return "、".join(m.label for m in enum) + "（" + english + "）"


def value_of(field: str, text: str, option: str) -> Any:
    """A value typed on the command line (Chinese or English), or a clear refusal."""
    found = event_names()[field].get(_key(text))
    if found is None:
        # English: "{option}: {text} is not known; accepted: {accepted}"
        msg = T("{option}：“{text}”无法识别；可用：{accepted}").format(
            option=option, text=text[:40], accepted=_choices(field)
        )
        raise typer.BadParameter(msg, param_hint=option)
    return found


def resolve_event(text: str) -> tuple[str, Outcome | None]:
    """EVENT as typed: an event type or name, or an outcome (recorded as an answer)."""
    names = event_names()
    kind = names["events"].get(_key(text))
    if kind is not None:
        return kind, None
    outcome = names["outcome"].get(_key(text))
    if outcome is Outcome.WITHDRAWN:
        return "withdraw", None
    if outcome in (Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE):
        return "abandon", None
    if outcome is not None:
        return "decide", outcome
    # English: "EVENT: {text} is neither an event nor an answer; events: {events}; answers: {outcomes}"
    msg = T("事件“{text}”无法识别。可记录的事件：{events}；也可直接写答复类型：{outcomes}").format(
        text=text[:40], events=_choices("events"), outcomes=_choices("outcome")
    )
    raise typer.BadParameter(msg, param_hint="EVENT")


#: Events that take a main value as a fourth argument, and the option it stands for.
_MAIN_VALUE = {"decide": "--outcome", "extend": "--workdays", "delivered": "--of",
               "send_fee_notice": "--amount", "reconsideration_decided": "--result",
               "lawsuit_decided": "--result"}  # fmt: skip


def main_value(
    kind: str,
    value: str,
    workdays: int | None,
    outcome: str | None,
    of: str | None,
    amount: int | None,
    result: str | None,
) -> tuple[int | None, str | None, str | None, int | None, str | None]:
    """
    VALUE, the optional fourth argument of ``record``, as the option it stands for:
    ``答复 DATE 公开`` is ``--outcome 公开``, ``延期 DATE 10`` is ``--workdays 10``.
    """
    option = _MAIN_VALUE.get(kind)
    if option is None:
        # English: "{event} takes no value; give its options instead (see --help)"
        msg = T("“{event}”不接受取值“{value}”；请改用选项（见 --help）").format(
            event=event_label(kind), value=value[:40]
        )
        raise typer.BadParameter(msg, param_hint="VALUE")
    if option in ("--workdays", "--amount"):
        if not value.isdecimal() or int(value) < 1:
            # English: "{option}: {value} is not a whole number from 1"
            msg = T("{option}：“{value}”不是正整数").format(option=option, value=value[:40])
            raise typer.BadParameter(msg, param_hint="VALUE")
        number = int(value)
        return (number, outcome, of, amount, result) if option == "--workdays" else (
            workdays, outcome, of, number, result)  # fmt: skip
    if option == "--outcome":
        return workdays, value, of, amount, result
    if option == "--of":
        return workdays, outcome, value, amount, result
    return workdays, outcome, of, amount, value


# -- where a request lives ---------------------------------------------------------------


def _store(db: str) -> Any:
    from ._store import EventStore

    store = EventStore(db)
    try:
        store.create_schema()
    except InfopenError:
        raise
    return store


def load(where: str, db: str | None) -> Any:
    """The request in a JSON file, or the one with this id in the store, identity included."""
    from ._cli import _read_json
    from ._errors import in_file
    from ._request import Request

    if db is not None:
        from ._errors import NotFoundError

        try:
            return _store(db).load(where, include_identity=True)
        except NotFoundError:
            # English: "the store has no request {id}; register it with infopen new {id} DATE --db URL"
            msg = T(
                "数据库中没有编号为“{id}”的申请；请先用 infopen new {id} 收到日期 --db 地址 登记"
            ).format(id=where[:60])
            raise InvalidInputError(msg) from None
    path = Path(where)
    data = _read_json(path)
    try:
        return Request.from_dict(data)
    except InfopenError as exc:
        raise in_file(exc, path) from None


def save(request: Any, where: str, db: str | None, *, new: bool = False) -> None:
    """Save a request with its applicant's identity (a notice needs the name)."""
    from ._files import write_text

    if db is not None:
        from ._errors import DuplicateRequestError

        try:
            _store(db).save(request, include_identity=True)
        except DuplicateRequestError:
            # English: "the store already has a request {id}; give another id, or record events on it"
            msg = T(
                "数据库中已有编号为“{id}”的申请；请换一个编号，或用 infopen record 在其上记录事件"
            ).format(id=request.request_id[:60])
            raise InvalidInputError(msg) from None
        return
    path = Path(where)
    if new and path.exists():
        # English: "{path} exists already; give another file, or record events on it with infopen record"
        msg = T("{path} 已存在；请换一个文件名，或用 infopen record 在其上记录事件").format(
            path=path
        )
        raise InvalidInputError(msg)
    if new and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True)  # a new request's folder (申请/2026-001.json)
        except OSError as exc:
            raise file_access_error(path, "write", exc) from None
    text = json.dumps(request.to_dict(include_identity=True), ensure_ascii=False, indent=2)
    write_text(path, text + "\n")


# -- recording -----------------------------------------------------------------------------

#: Options and the events they belong to (an option given to another event is refused).
_OPTION_EVENTS: dict[str, tuple[str, ...]] = {
    "--workdays": ("extend",),
    "--reply-by": ("request_correction",),
    "--reply-days": ("request_correction",),
    "--grounds": ("decide",),
    "--referral": ("decide",),
    "--outcome": ("decide",),
    "--amount": ("send_fee_notice",),
    "--due": ("set_delayed_deadline",),
    "--of": ("delivered",),
    "--consents": ("third_party_replied",),
    "--result": ("reconsideration_decided", "lawsuit_decided"),
    "--delivered-on": (
        "request_correction",
        "consult_third_party",
        "consult_agency",
        "extend",
        "send_fee_notice",
        "ask_for_reasons",
        "set_delayed_deadline",
        "decide",
        "abandon",
        "reconsideration_decided",
        "lawsuit_decided",
    ),
}


def record(
    request: Any, kind: str, outcome: Outcome | None, on: dt.date, given: Mapping[str, Any]
) -> None:
    """
    Record the event ``kind`` on ``request`` from the command line's options ``given``
    (option name -> value, ``None`` when not given); refuse in Chinese what cannot be.
    """
    for option, value in given.items():
        if value in (None, [], ()) or option in ("--method", "--event-id", "--actor", "--note"):
            continue
        allowed = _OPTION_EVENTS.get(option, ())
        if kind not in allowed:
            # English: "{option} does not apply to {event}; it is for: {events}"
            msg = T("{option} 不适用于“{event}”，只用于：{events}").format(
                option=option, event=event_label(kind),
                events="、".join(event_label(k) for k in allowed),
            )  # fmt: skip
            raise typer.BadParameter(msg, param_hint=option)
    retry = given.get("--event-id") and any(
        e.event_id == given["--event-id"] for e in request.events
    )
    delivered_on = given.get("--delivered-on")
    if delivered_on is not None and delivered_on < on:
        # English: "--delivered-on {delivered} is before the document was sent ({on})"
        msg = T("--delivered-on {delivered} 早于文书发出之日 {on}").format(
            delivered=delivered_on, on=on
        )
        raise typer.BadParameter(msg, param_hint="--delivered-on")
    received = request.events[0].on
    if not retry and on < received:
        # English: "{event} on {on} is before the request was received ({received})"
        msg = T("“{event}”的日期 {on} 早于收到申请之日 {received}").format(
            event=event_label(kind), on=on, received=received
        )
        raise InvalidInputError(msg)
    if not retry:
        # What the request can take on that day: its state then, and the guards on its history
        # (a back-dated event is judged against the history up to its day).
        possible = [a.kind for a in request.allowed(on)]
        if kind not in possible:
            state = request.status(on).state
            # English: "request {id} is "{state}" on {on}: "{event}" cannot be recorded;
            # on that day it can take: {events}"
            msg = T(
                "申请 {id} 在 {on} 的状态为“{state}”，不能记录“{event}”；当日可以记录：{events}"
            ).format(
                id=request.request_id, on=on, state=_state_label(state), event=event_label(kind),
                events="、".join(event_label(k) for k in possible) or T("（无）"),
            )  # fmt: skip
            raise InvalidInputError(msg)
    event: dict[str, Any] = {"type": kind, "on": on.isoformat()}
    if given.get("--event-id"):
        event["event_id"] = given["--event-id"]
    for option, key in (("--actor", "actor"), ("--note", "note")):
        if given.get(option):
            event[key] = given[option]
    method = given.get("--method")
    if method is not None:
        value = value_of("method", method, "--method").value
        if kind == "delivered":
            event["method"] = value
        elif given.get("--delivered-on") is None:
            # English: "--method needs --delivered-on (the day the document arrived), or record
            # the delivery later with: record REQUEST 送达 DATE --of EVENT --method METHOD"
            msg = T(
                "--method 需要同时给出 --delivered-on 送达日期，或日后用“送达 日期 --of 事件 --method 方式”记录"
            )
            raise typer.BadParameter(msg, param_hint="--method")
        else:
            event["delivery_method"] = value
    if kind == "extend":
        if given.get("--workdays") is None:
            raise typer.BadParameter(
                T("延期需要 --workdays 工作日数（最多 20）"), param_hint="--workdays"
            )
        event["workdays"] = given["--workdays"]
    elif kind == "request_correction":
        if given.get("--reply-by"):
            event["reply_by"] = given["--reply-by"].isoformat()
        if given.get("--reply-days") is not None:
            event["reply_days"] = given["--reply-days"]
    elif kind == "decide":
        chosen = outcome
        if given.get("--outcome"):
            chosen = value_of("outcome", given["--outcome"], "--outcome")
        if chosen is None:
            # English: "an answer needs its kind: --outcome 公开 (or write the kind as EVENT); accepted: ..."
            msg = T(
                "答复需要答复类型：--outcome 予以公开（或直接把类型写作事件）；可用：{accepted}"
            ).format(accepted=_choices("outcome"))
            raise typer.BadParameter(msg, param_hint="--outcome")
        event["outcome"] = chosen.value
        grounds = [value_of("grounds", g, "--grounds").value for g in given.get("--grounds") or []]
        if grounds:
            event["grounds"] = grounds
        if given.get("--referral"):
            event["referral"] = given["--referral"]
    elif kind == "send_fee_notice":
        if given.get("--amount") is None:
            raise typer.BadParameter(T("收费通知需要 --amount 金额（元）"), param_hint="--amount")
        event["amount"] = given["--amount"]
    elif kind == "set_delayed_deadline":
        if not given.get("--due"):
            raise typer.BadParameter(T("确定延迟答复期限需要 --due 日期"), param_hint="--due")
        event["due"] = given["--due"].isoformat()
    elif kind == "delivered":
        if not given.get("--of"):
            raise typer.BadParameter(
                T("送达需要 --of 所送达的文书对应的事件，如 --of 答复"), param_hint="--of"
            )
        of, _o = resolve_event(given["--of"])
        event["of"] = of
    elif kind == "third_party_replied" and given.get("--consents") is not None:
        event["consents"] = given["--consents"]
    elif kind in ("reconsideration_decided", "lawsuit_decided"):
        if not given.get("--result"):
            raise typer.BadParameter(
                T("需要 --result 结果：维持、纠正或其他"), param_hint="--result"
            )
        event["result"] = value_of("result", given["--result"], "--result").value
    if given.get("--delivered-on") is not None:
        event["delivered_on"] = given["--delivered-on"].isoformat()
    from ._errors import InvalidTransition

    try:
        request.apply(event)
    except InvalidTransition as exc:
        if "dated before the previous event" not in str(exc) or current() != "zh":
            raise
        # English: "{event} on {on} comes before events already recorded, which could then
        # not have happened; check the date, or correct or retract the later events first"
        msg = T(
            "“{event}”（{on}）早于已记录的事件，补记后那些事件将不能成立；"
            "请核对日期，或先更正、撤销后来的事件"
        ).format(event=event_label(kind), on=on)
        raise InvalidInputError(msg) from None


def _state_label(state: State) -> str:
    return state.label if current() == "zh" else state.value


# -- the daily list ------------------------------------------------------------------------


def requests_in(
    folder: Path | None, db: str | None, everything: bool = False
) -> Iterable[tuple[str, Any]]:
    """
    (where, request) for every request in a folder of JSON files, or in a store (the open
    ones unless ``everything``).
    """
    from ._request import Request

    if db is not None:
        if folder is not None:
            # English: "give a folder or --db, not both"
            raise typer.BadParameter(T("请只给出文件夹或 --db 之一"), param_hint="--db")
        store = _store(db)
        ids = list(store.request_ids()) if everything else store.open_requests()
        for r in store.load_many(ids):
            yield r.request_id, r
        return
    from ._cli import _read_json

    base = folder or Path()
    for path in sorted(base.glob("*.json")):
        try:
            yield str(path), Request.from_dict(_read_json(path))
        except InfopenError as exc:
            # English: "{path} is not a request, left out: {error}"
            typer.echo(
                T("{path} 不是申请文件，已跳过：{error}").format(path=path, error=exc), err=True
            )


def list_rows(
    requests: Iterable[tuple[str, Any]], as_of: dt.date, sort: str, everything: bool
) -> list[dict[str, Any]]:
    """The daily list's rows: open requests (all with ``everything``), sorted."""
    rows = []
    for _where, r in requests:
        if not everything and not r.is_open:
            continue
        st = r.status(as_of)
        marks = []
        if st.overdue:
            marks.append(T("逾期"))
        if st.paused:
            marks.append(T("暂停计时"))
        if st.estimated:
            marks.append(T("估计"))
        rows.append(
            {
                "id": r.request_id,
                "received": r.received_on,
                "state": _state_label(st.state),
                "due": st.due_date,
                "left": st.remaining_workdays,
                "marks": "、".join(marks),
                "subject": r.subject or "",
            }
        )
    far = dt.date.max
    keys = {
        "due": lambda row: (row["due"] or far, row["id"]),
        "received": lambda row: (row["received"] or far, row["id"]),
        "id": lambda row: row["id"],
    }
    return sorted(rows, key=keys[sort])


#: The daily list's columns: key and heading (English: id, received, state, due date,
#: working days left, marks, subject).
LIST_COLUMNS = (("id", N_("编号")), ("received", N_("收到日期")), ("state", N_("状态")),
                ("due", N_("答复期限")), ("left", N_("剩余工作日")), ("marks", N_("标记")),
                ("subject", N_("申请内容")))  # fmt: skip


def list_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    """The daily list as an .xlsx sheet, dates as Excel dates."""
    try:
        from openpyxl import Workbook
    except ModuleNotFoundError:
        raise MissingExtraError("The .xlsx daily list", "report", "openpyxl") from None
    from ._files import write_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = T("待办")
    sheet.append([T(h) for _k, h in LIST_COLUMNS])
    for row in rows:
        sheet.append([row[k] if row[k] is not None else "" for k, _h in LIST_COLUMNS])
    for col in ("B", "D"):
        for cell in sheet[col][1:]:
            cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    book.save(buf)
    write_bytes(path, buf.getvalue())

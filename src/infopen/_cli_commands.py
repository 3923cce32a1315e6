"""
The commands of an office's week: ``new``, ``record``, ``list`` and ``register template``
(registered on the ``infopen`` app when :mod:`infopen._cli` is imported).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ._calendar import today_in_china
from ._cli import LangOption, _day, _guarded, _lang, app, console
from ._cli_lang import T
from ._cli_record import (
    LIST_COLUMNS,
    event_label,
    list_rows,
    list_xlsx,
    load,
    main_value,
    record,
    requests_in,
    resolve_event,
    save,
    value_of,
)
from ._cli_register import register_app, write_template
from ._i18n import N_

__all__: list[str] = []

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=N_(
            "数据库地址（如 sqlite:///台账.db）：REQUEST 为申请编号；不给则 REQUEST 为 JSON 文件。"
        ),
    ),
]


@app.command(help=N_("登记一件新申请：申请人、类型、渠道、申请内容和收到日期。"))
@_guarded
def new(
    request: Annotated[
        str,
        typer.Argument(
            help=N_("新申请的 JSON 文件（如 申请/2026-001.json），或用 --db 时的申请编号。")
        ),
    ],
    received: Annotated[
        str, typer.Argument(help=N_("收到申请的日期，YYYY-MM-DD（条例第三十一条）。"))
    ],
    name: Annotated[
        str | None, typer.Option("--name", "--applicant", help=N_("申请人姓名或名称。"))
    ] = None,
    id_number: Annotated[
        str | None, typer.Option("--id-number", help=N_("申请人身份证件号码或统一社会信用代码。"))
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone", help=N_("联系电话。"))] = None,
    address: Annotated[str | None, typer.Option("--address", help=N_("通信地址。"))] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--type", "--applicant-type", help=N_("申请人类型，如 自然人、商业企业、法律服务机构。")
        ),
    ] = "NATURAL_PERSON",
    channel: Annotated[
        str, typer.Option("--channel", help=N_("申请方式，如 当面、邮寄、网上申请、传真。"))
    ] = "IN_PERSON",
    subject: Annotated[
        str | None, typer.Option("--subject", help=N_("申请公开的政府信息内容。"))
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help=N_("经办人（记入事件，供日后查证）。"))
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help=N_("备注（记入事件）。"))] = None,
    request_id: Annotated[
        str | None, typer.Option("--id", "--request-id", help=N_("申请编号（默认：文件名）。"))
    ] = None,
    db: DbOption = None,
    lang: LangOption = "zh",
) -> None:
    _lang(lang)
    from ._model import Applicant
    from ._request import Request

    day = _day(received, "RECEIVED")
    rid = request_id or (request if db is not None else Path(request).stem)
    applicant = None
    if any((name, id_number, phone, address)):
        applicant = Applicant(name=name or "", id_number=id_number or "", phone=phone or "",
                              address=address or "")  # fmt: skip
    r = Request.receive(
        day,
        channel=value_of("channel", channel, "--channel"),
        applicant_type=value_of("applicant_type", kind, "--type"),
        request_id=rid,
        applicant=applicant,
        subject=subject,
        actor=actor,
        note=note,
    )
    save(r, request, db, new=True)
    st = r.status(day)
    # English: "Registered {id}, received {received}; reply due {due}."
    console.print(
        T("已登记 {id}，收到日期 {received}；答复期限 {due}。").format(
            id=r.request_id, received=day, due=st.due_date
        ),
        soft_wrap=True,
    )
    if applicant is None:
        # English: "No applicant name was given: notices will show a placeholder for it."
        console.print(T("未登记申请人姓名：告知书中将留出待填写的占位。"), soft_wrap=True)


@app.command(
    "record", help=N_("在申请上记录一个事件（延期、补正、送达、答复等），中英文事件名均可。")
)
@_guarded
def record_cmd(
    request: Annotated[str, typer.Argument(help=N_("申请的 JSON 文件，或用 --db 时的申请编号。"))],
    event: Annotated[
        str,
        typer.Argument(
            help=N_(
                "事件：补正、收到补正、征求第三方意见、第三方答复、延期、收费、缴费、答复、撤回、不再处理、送达等；也可直接写答复类型（予以公开、部分公开、不予公开、信息不存在、非本机关负责公开）。"
            )
        ),
    ],
    on: Annotated[str, typer.Argument(help=N_("事件发生的日期，YYYY-MM-DD。"))],
    value: Annotated[
        str | None,
        typer.Argument(
            help=N_(
                "事件的主要取值（可选）：答复的类型（答复 日期 公开）、延期的工作日数、"
                "送达的文书（送达 日期 答复）、收费金额或复议、诉讼结果。"
            )
        ),
    ] = None,
    workdays: Annotated[
        int | None, typer.Option("--workdays", min=1, help=N_("延期的工作日数（最多 20）。"))
    ] = None,
    reply_by: Annotated[
        str | None, typer.Option("--reply-by", help=N_("补正：申请人补正的最后一日。"))
    ] = None,
    reply_days: Annotated[
        int | None, typer.Option("--reply-days", min=1, help=N_("补正：补正期限（日）。"))
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help=N_("答复：答复类型，如 予以公开、部分公开。"))
    ] = None,
    grounds: Annotated[
        list[str] | None,
        typer.Option(
            "--grounds", help=N_("答复：不予公开的理由，如 国家秘密、个人隐私（可重复）。")
        ),
    ] = None,
    referral: Annotated[
        str | None,
        typer.Option("--referral", help=N_("非本机关负责公开：负责公开的机关及其联系方式。")),
    ] = None,
    amount: Annotated[
        int | None, typer.Option("--amount", min=1, help=N_("收费：金额（元）。"))
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help=N_("确定延迟答复期限：新的答复日期。"))
    ] = None,
    of: Annotated[
        str | None, typer.Option("--of", help=N_("送达：所送达文书的事件，如 答复、延期、补正。"))
    ] = None,
    consents: Annotated[
        bool | None, typer.Option("--consents/--objects", help=N_("第三方答复：同意或不同意公开。"))
    ] = None,
    result: Annotated[
        str | None, typer.Option("--result", help=N_("复议或诉讼结果：维持、纠正或其他。"))
    ] = None,
    delivered_on: Annotated[
        str | None, typer.Option("--delivered-on", help=N_("文书送达之日（已知时）。"))
    ] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", help=N_("送达方式：直接、邮寄、电子、留置、委托、公告。")),
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help=N_("经办人（记入事件，供日后查证）。"))
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help=N_("备注（记入事件）。"))] = None,
    event_id: Annotated[
        str | None,
        typer.Option("--event-id", help=N_("本事件的编号：重复执行同一命令不会重复记录。")),
    ] = None,
    db: DbOption = None,
    lang: LangOption = "zh",
) -> None:
    _lang(lang)
    day = _day(on, "DATE")
    kind, chosen = resolve_event(event)
    if value is not None:
        workdays, outcome, of, amount, result = main_value(
            kind, value, workdays, outcome, of, amount, result
        )
    r = load(request, db)
    given = {
        "--workdays": workdays,
        "--reply-by": _day(reply_by, "--reply-by") if reply_by else None,
        "--reply-days": reply_days,
        "--outcome": outcome,
        "--grounds": grounds or None,
        "--referral": referral,
        "--amount": amount,
        "--due": _day(due, "--due") if due else None,
        "--of": of,
        "--consents": consents,
        "--result": result,
        "--delivered-on": _day(delivered_on, "--delivered-on") if delivered_on else None,
        "--method": method,
        "--event-id": event_id,
        "--actor": actor,
        "--note": note,
    }
    record(r, kind, chosen, day, given)
    save(r, request, db)
    st = r.status(day)
    label = event_label(kind)
    if chosen is not None or (kind == "decide" and r.outcome is not None):
        label += T("：{outcome}").format(outcome=r.outcome.label if r.outcome else "")
    due_text = "—" if st.due_date is None else str(st.due_date)
    if st.remaining_workdays is not None and r.is_open:
        due_text += T("（剩余 {n} 个工作日）").format(n=st.remaining_workdays)
    state = st.state.label if _zh() else st.state.value
    # English: "{id}: recorded {event} on {on}. State: {state}; reply due: {due}"
    console.print(
        T("{id}：已记录 {on} {event}。状态：{state}；答复期限：{due}").format(
            id=r.request_id, on=day, event=label, state=state, due=due_text
        ),
        soft_wrap=True,
    )


def _zh() -> bool:
    from ._cli_lang import current

    return current() == "zh"


@app.command("list", help=N_("每日待办：未办结的申请、答复期限、剩余工作日，标出逾期和估计。"))
@_guarded
def list_cmd(
    folder: Annotated[
        Path | None, typer.Argument(help=N_("存放申请 JSON 文件的文件夹（默认：当前文件夹）。"))
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=N_("截至日期，YYYY-MM-DD（默认：北京时间今天）。"))
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help=N_("排序：due（答复期限）、received（收到日期）或 id（编号）。")
        ),
    ] = "due",
    everything: Annotated[bool, typer.Option("--all", help=N_("也列出已办结的申请。"))] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=N_("同时写入此 .xlsx 文件。"))] = None,
    db: DbOption = None,
    lang: LangOption = "zh",
) -> None:
    _lang(lang)
    if sort not in ("due", "received", "id"):
        # English: "--sort must be due, received or id, got {sort}"
        raise typer.BadParameter(
            T("--sort 只能是 due、received 或 id，收到“{sort}”").format(sort=sort[:40])
        )
    day = _day(as_of, "--as-of") if as_of else today_in_china()
    rows = list_rows(requests_in(folder, db, everything), day, sort, everything)
    table = Table(title=T("待办申请（截至 {as_of}，共 {n} 件）").format(as_of=day, n=len(rows)))
    for _k, heading in LIST_COLUMNS:
        table.add_column(T(heading), overflow="fold")
    for row in rows:
        table.add_row(*("" if row[k] is None else str(row[k]) for k, _h in LIST_COLUMNS))
    console.print(table)
    if xlsx is not None:
        list_xlsx(rows, xlsx)


app.add_typer(register_app, name="register")


@register_app.command(
    "template", help=N_("生成台账模板 .xlsx：标准中文表头、下拉选项、日期格式和说明页。")
)
@_guarded
def template_cmd(
    path: Annotated[Path, typer.Argument(help=N_("要生成的 .xlsx 文件。"))],
    lang: LangOption = "zh",
) -> None:
    _lang(lang)
    write_template(path)
    # English: "Wrote the register template {path}; audit it with: infopen audit {path}"
    console.print(
        T("已生成台账模板 {path}；填写后用 infopen audit {path} 审计。").format(path=path),
        soft_wrap=True,
    )

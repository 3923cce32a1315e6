"""
``infopen desk`` (serve the desk) and ``infopen desk create-user``; registered by the CLI.

Part of the desk (``_desk``), kept beside the package so that its help texts, marked with
``N_``, are extracted into the catalogue (babel skips ``_``-folders).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import infopen

from ._desk import require_extra

__all__ = ["desk_app"]


def N_(message: str) -> str:  # noqa: N802 - the gettext "mark only" convention babel extracts
    """Mark a help text for the catalogue; the command line translates the tree when it runs."""
    return message


desk_app = typer.Typer(
    help=N_("办理台：本机浏览器中使用的政府信息公开办理系统（需安装 desk 扩展）。"),
    invoke_without_command=True,
    add_completion=False,
)

Db = Annotated[
    str,
    typer.Option(
        "--db", help=N_("数据库：sqlite:///desk.db（默认），或 PostgreSQL 的 EventStore URL。")
    ),
]


@desk_app.callback(help=N_("启动办理台（默认 http://127.0.0.1:8000）。"))
def serve(
    ctx: typer.Context,
    db: Db = "sqlite:///desk.db",
    host: Annotated[str, typer.Option(help=N_("监听地址；默认只允许本机访问。"))] = "127.0.0.1",
    port: Annotated[int, typer.Option(help=N_("端口。"))] = 8000,
    agency: Annotated[
        Path | None,
        typer.Option(help=N_("本机关信息（agency.toml：name、reconsideration_body…）。")),
    ] = None,
    idle_minutes: Annotated[int, typer.Option(help=N_("无操作多少分钟后自动退出登录。"))] = 30,
    number_format: Annotated[
        str, typer.Option(help=N_("新申请的编号格式，含 {year} 和 {serial}。"))
    ] = "{year}-{serial:04d}",
    proxy: Annotated[
        bool, typer.Option(help=N_("在反向代理（HTTPS）之后运行：信任其 X-Forwarded-* 头。"))
    ] = False,
) -> None:
    """Serve the desk (unless a subcommand such as create-user is given)."""
    if ctx.invoked_subcommand is not None:
        return
    require_extra()
    import warnings

    import uvicorn

    # Every page marks estimated dates itself; the Python warning would only repeat it.
    warnings.simplefilter("ignore", infopen.EstimatedDateWarning)

    from ._desk._app import create_app

    try:
        signer = infopen.Agency.from_toml(agency) if agency is not None else None
        app = create_app(db, agency=signer, idle_minutes=idle_minutes, number_format=number_format)
    except (infopen.InfopenError, OSError) as exc:
        print(f"infopen: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(f"办理台已启动：http://{host}:{port}/ （按 Ctrl+C 停止）", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, proxy_headers=proxy,
                forwarded_allow_ips="127.0.0.1" if proxy else None, server_header=False)  # fmt: skip


@desk_app.command("create-user", help=N_("创建账号，或重设已有账号的密码和角色。"))
def create_user(
    username: Annotated[str, typer.Argument(help=N_("用户名。"))],
    db: Db = "sqlite:///desk.db",
    role: Annotated[
        str, typer.Option(help=N_("角色：clerk（经办，可记录）或 viewer（只读）。"))
    ] = "clerk",
    name: Annotated[str, typer.Option(help=N_("显示的姓名。"))] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=N_("从标准输入读取密码（用于脚本）。"))
    ] = False,
) -> None:
    """Create a staff account, or reset its password, role and name."""
    require_extra()
    from ._desk._accounts import ROLES, Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        store = infopen.EventStore(db)
        store.create_schema()
        accounts = Accounts(store.engine)
        accounts.create_tables()
        user = accounts.create_user(username, password, role=role, display_name=name)
        store.close()
    except infopen.InfopenError as exc:
        print(f"infopen: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(f"账号 {user.username}（{ROLES[user.role]}）已保存。")

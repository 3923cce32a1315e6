"""
What every ``infopen`` command shares: the typer app, the consoles, exit statuses, the error
guard, and the common options and readers. The commands live in :mod:`infopen._cli` and
the modules beside it, which import this one (so none of them imports another back).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from ._calendar import (
    WorkCalendar,
    as_date,
    national_calendar,
)
from ._cli_lang import LocalizedGroup, T, current, error_code, error_text
from ._errors import (
    IncompleteNoticeError,
    InfopenError,
    InvalidFileError,
    MissingExtraError,
)
from ._files import read_text
from ._i18n import N_, Lang

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED_CHECK",
    "EXIT_INTERNAL",
    "LangOption",
    "OverlayOption",
    "app",
    "console",
    "errors",
]

try:
    import typer
    from rich.console import Console
except ModuleNotFoundError as exc:  # pragma: no cover - exercised by the no-extras test
    raise MissingExtraError("The infopen command line", "cli", exc.name or "typer") from None

app = typer.Typer(
    cls=LocalizedGroup,
    help=N_("infopen：依申请公开政府信息的办理期限、告知书和台账审计（按中国工作日计算）。"),
    no_args_is_help=True,
    add_completion=False,
)
# User text (ids, dates, agency names, file contents) is never read as rich markup: a "[/]"
# in a request id is printed as it is, not parsed (it raised rich's MarkupError).
console = Console(markup=False, highlight=False)
errors = Console(stderr=True, markup=False, highlight=False)
errors_console = errors

#: Exit statuses: 2 for bad input (a file, an argument), 1 for a failed check, 70 for a bug
#: in infopen itself (EX_SOFTWARE of sysexits.h), which --debug shows with its traceback.
EXIT_BAD_INPUT = 2
EXIT_FAILED_CHECK = 1
EXIT_INTERNAL = 70

_debug = False
# click's own exits (usage errors exit 2 with click's message). Typer 0.12 re-exports click's
# classes and later typers vendor click, so the base is found from typer's BadParameter.
_CLICK_EXITS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"),
)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, status: int = EXIT_BAD_INPUT, code: str = "INVALID_INPUT") -> typer.Exit:
    """Print ``message`` with its code on stderr (one or two lines); return the exit to raise."""
    # English: "infopen: error {code}: {message}"
    errors.print(
        T("infopen: 错误 {code}：{message}").format(code=code, message=message),
        style="red",
        soft_wrap=True,
    )
    return typer.Exit(status)


def _guarded(command: F) -> F:
    """
    Run a command so that every error is a message on stderr and an exit status, never a
    traceback (unless ``--debug``): infopen errors and unreadable files exit 2, anything
    else is a bug in infopen and exits 70.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _CLICK_EXITS:
            raise
        except IncompleteNoticeError as exc:  # --strict: a check that failed, not bad input
            if _debug:
                raise
            raise _fail(error_text(exc), EXIT_FAILED_CHECK, error_code(exc)) from None
        except (InfopenError, OSError) as exc:
            if _debug:
                raise
            raise _fail(error_text(exc), code=error_code(exc)) from None
        except Exception as exc:
            if _debug:
                raise
            text = str(exc).splitlines()[0][:200] if str(exc) else ""
            # English: "internal error ({kind}: {text}); this is a bug in infopen: rerun with
            # --debug for the traceback and report it"
            raise _fail(
                T(
                    "内部错误（{kind}：{text}），这是 infopen 的缺陷：加 --debug 重新运行以查看详情并报告。"
                ).format(kind=type(exc).__name__, text=text),
                EXIT_INTERNAL,
                "INTERNAL",
            ) from None

    return run  # type: ignore[return-value]  # functools.wraps keeps the signature typer reads


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help=N_("出错时显示 Python 调用栈，而不是简短说明。"))
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help=N_("界面语言：zh（默认）或 en。"))
    ] = None,
) -> None:
    """infopen: PRC open-government-information requests on the working-day calendar."""
    if lang is not None:
        _lang(lang)
    global _debug
    _debug = debug


def _calendar(estimate: bool, overlays: list[Path] | None = None) -> WorkCalendar:
    cal = national_calendar(beyond="estimate" if estimate else "raise")
    for path in overlays or []:
        try:
            cal = cal.with_days_from(path)
        except (InfopenError, OSError) as exc:
            raise typer.BadParameter(error_text(exc), param_hint="--overlay") from None
    return cal


def _day(text: str, option: str = "") -> dt.date:
    try:
        return as_date(text, option or "date")
    except InfopenError:
        # English: "{text!r} is not a date: write YYYY-MM-DD (2026-09-28)"
        msg = T("“{text}”不是日期，请写成 YYYY-MM-DD（如 2026-09-28）").format(text=text[:40])
        raise typer.BadParameter(msg, param_hint=option or None) from None


def _read_json(path: Path) -> Any:
    """A JSON file's contents (compact or pretty-printed); errors name the file and line."""
    text = read_text(path).removeprefix("\ufeff")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # English: "not JSON (column {column}): save the request as a JSON file"
        msg = T("不是有效的 JSON（第 {column} 列）：请保存为 JSON 格式的申请文件").format(
            column=exc.colno
        )
        raise InvalidFileError(msg, path=path, line=exc.lineno) from None
    except RecursionError:
        msg = T("JSON 嵌套过深，不是申请文件")
        raise InvalidFileError(msg, path=path) from None


LangOption = Annotated[
    str, typer.Option("--lang", help=N_("界面语言：zh 或 en（默认随系统语言，否则中文）。"))
]
EstimateOption = Annotated[
    bool,
    typer.Option(
        "--estimate/--no-estimate",
        help=N_(
            "超出已公布年份时按推定的放假安排计算并标明“估计”（默认）；"
            "--no-estimate 则拒绝计算并以状态 2 退出。"
        ),
    ),
]
OverlayOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--overlay",
        help=N_("叠加地方或本机关休息日、上班日的 TOML 文件（可重复）。"),
    ),
]


def _lang(text: str) -> Lang:
    """Check ``--lang``; the language in use was picked from it (or the locale) at start."""
    if text not in ("zh", "en"):
        # English: "--lang must be zh or en, got {text}"
        msg = T("--lang 只能是 zh 或 en，收到“{text}”").format(text=text[:40])
        raise typer.BadParameter(msg)
    return current()

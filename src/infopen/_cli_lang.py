"""
The command line's language: Chinese by default, English with ``--lang en`` or an English
locale (``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``en``).

Every help text, option description and message of the command line is written in Chinese
and marked with ``N_``; :class:`LocalizedGroup` translates the whole command tree through
the gettext catalogue before each run, and turns click's own English usage errors into
Chinese, so a clerk never reads an English sentence in the Chinese interface.

Limitations:
    * Details of errors raised inside the library (an unusual file, a malformed stored
      request) are English sentences: the command line puts a Chinese sentence naming the
      error's code and what to do before them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from ._errors import (
    CalendarCoverageError,
    FileAccessError,
    IncompleteNoticeError,
    InvalidFileError,
)
from ._i18n import N_, Lang, translate

__all__ = [
    "VIOLATION_LABELS",
    "LocalizedGroup",
    "T",
    "current",
    "detect",
    "error_code",
    "error_text",
    "set_current",
    "usage_text",
    "violation_label",
]

_CURRENT: list[Lang] = ["zh"]


def current() -> Lang:
    """The language of the command being run."""
    return _CURRENT[0]


def set_current(lang: Lang) -> None:
    """Set the language of the command being run."""
    _CURRENT[0] = lang


def T(message: str) -> str:  # noqa: N802 - reads like gettext's _.
    """``message`` (a Chinese msgid) in the current language."""
    return translate(current())(message)


def detect(argv: Sequence[str], environ: Mapping[str, str]) -> Lang:
    """
    The language asked for: ``--lang`` on the command line, else the locale (``LC_ALL``,
    then ``LC_MESSAGES``, then ``LANG``: ``en…`` is English), else Chinese.
    """
    args = list(argv)
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("zh", "en"):
            return "en" if value == "en" else "zh"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name) or ""
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


# Metavars click derives from a parameter's type, in Chinese.
_METAVARS = {
    "text": N_("文本"),
    "integer": N_("整数"),
    "integer range": N_("整数"),
    "float": N_("数"),
    "float range": N_("数"),
    "path": N_("路径"),
    "file": N_("文件"),
    "boolean": N_("是否"),
}

# typer's rich help: module constants read when help is printed.
_RICH_CONSTANTS = {
    "ARGUMENTS_PANEL_TITLE": N_("参数"),
    "OPTIONS_PANEL_TITLE": N_("选项"),
    "COMMANDS_PANEL_TITLE": N_("命令"),
    "ERRORS_PANEL_TITLE": N_("错误"),
    "ABORTED_TEXT": N_("已中止。"),
    "DEFAULT_STRING": N_("[默认：{}]"),
    "REQUIRED_LONG_STRING": N_("[必填]"),
    "ENVVAR_STRING": N_("[环境变量：{}]"),
    "DEPRECATED_STRING": N_("（已弃用）"),
}


def _source(obj: Any, attr: str) -> Any:
    """The Chinese text first set on ``obj.attr`` (kept across runs in either language)."""
    store: dict[str, Any] = obj.__dict__.setdefault("_infopen_zh", {})
    if attr not in store:
        store[attr] = getattr(obj, attr, None)
    return store[attr]


def _with_local_usage(command: Any) -> None:
    """Give a click command "Usage:" and the help option's text in the current language."""
    if "_infopen_usage" in command.__dict__:
        return
    get_usage = command.get_usage
    get_help_option = command.get_help_option

    def usage(ctx: Any) -> str:
        text: str = get_usage(ctx)
        text = text.replace("Usage:", T("用法："), 1).replace("[OPTIONS]", T("[选项]"))
        return text.replace("COMMAND [ARGS]...", T("命令 [参数]..."))

    def help_option(ctx: Any) -> Any:
        option = get_help_option(ctx)
        if option is not None:
            option.help = T("显示本帮助并退出。")
            _local_type(option)
        return option

    command.get_usage = usage
    command.get_help_option = help_option
    command.__dict__["_infopen_usage"] = True


def _type_label(shown: object) -> object:
    """A parameter's type as click or typer shows it (<int range>, INTEGER), in Chinese."""
    if not isinstance(shown, str) or current() != "zh":
        return shown
    low = shown.lower()
    for word, label in (("bool", ""), ("int", "整数"), ("float", "数"), ("path", "路径"),
                        ("file", "文件"), ("str", "文本"), ("text", "文本")):  # fmt: skip
        if word in low:
            if not label:
                return None
            return T(_METAVARS[{"整数": "integer", "数": "float", "路径": "path", "文件": "file",
                                "文本": "text"}[label]])  # fmt: skip
    return shown


# Arguments as the usage line names them: Chinese, or the English in capitals.
_ARGUMENTS = {
    "request": N_("申请"),
    "request_file": N_("申请文件"),
    "requests_file": N_("申请文件"),
    "table_file": N_("表格文件"),
    "event": N_("事件"),
    "on": N_("日期"),
    "value": N_("取值"),
    "received": N_("收到日期"),
    "dates": N_("日期"),
    "folder": N_("文件夹"),
    "path": N_("文件"),
    "log": N_("台账文件"),
    "config": N_("配置"),
}


def _local_type(param: Any) -> None:
    """Show a parameter's type in the current language (typer's <int>, click's INTEGER)."""
    if getattr(param, "param_type_name", "") == "argument" and param.name in _ARGUMENTS:
        english = "DATE" if param.name == "on" else param.name.upper()
        param.metavar = T(_ARGUMENTS[param.name]) if current() == "zh" else english
    if "_infopen_type" in param.__dict__:
        return
    param.__dict__["_infopen_type"] = True
    if hasattr(param, "display_type_rich"):
        shown = param.display_type_rich
        param.display_type_rich = lambda ctx: _type_label(shown(ctx))
    if hasattr(param, "make_metavar") and getattr(param, "param_type_name", "") == "option":
        made = param.make_metavar

        def metavar(*args: Any, **kwargs: Any) -> Any:
            return _type_label(made(*args, **kwargs)) or ""

        param.make_metavar = metavar


def localize(command: Any) -> None:
    """Translate a click command tree's help texts into the current language, in place."""
    tr = translate(current())
    for attr in ("help", "short_help", "epilog"):
        text = _source(command, attr)
        if isinstance(text, str) and text:
            setattr(command, attr, tr(text))
    _with_local_usage(command)
    for param in getattr(command, "params", []):
        text = _source(param, "help")
        if isinstance(text, str) and text:
            param.help = tr(text)
        _local_type(param)
    for sub in getattr(command, "commands", {}).values():
        localize(sub)
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - typer without rich
        return
    for name, message in _RICH_CONSTANTS.items():
        if hasattr(rich_utils, name):
            english = _source(rich_utils, name)
            setattr(rich_utils, name, tr(message) if current() == "zh" else english)


# click's usage errors (English, not marked for translation in click) -> Chinese msgids.
_CLICK_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (r"^Missing argument '?([^']+?)'?\.$", N_("缺少参数 {0}。")),
        (r"^Missing option '?([^']+?)'?\.(.*)$", N_("缺少选项 {0}。")),
        (r"^Missing parameter:? '?([^']+?)'?\.?$", N_("缺少参数 {0}。")),
        (r"^No such option: (\S+?)\.?(?:\s.*)?$", N_("没有选项 {0}。")),
        (r"^No such command '?([^']+?)'?\.$", N_("没有命令 {0}。")),
        (r"^Missing command\.$", N_("缺少命令。")),
        (r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", N_("多余的参数：{0}。")),
        (r"^Option '?([^']+?)'? requires an argument\.$", N_("选项 {0} 需要一个值。")),
        (r"^Option '?([^']+?)'? does not take a value\.$", N_("选项 {0} 不接受值。")),
        (r"^Invalid value for (.+?): (.*)$", N_("{0} 的值无效：{1}")),
        (r"^Invalid value: (.*)$", N_("值无效：{0}")),
    )
)
_CLICK_VALUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (
            r"^(?:Value )?'?(.*?)'? is not a valid (?:integer|int)( range)?\.?$",
            N_("{0} 不是整数。"),
        ),
        (r"^(?:Value )?'?(.*?)'? is not a valid float( range)?\.?$", N_("{0} 不是数。")),
        (r"^(?:Value )?'?(.*?)'? is not a valid boolean\.?$", N_("{0} 不是是或否。")),
        (r"^(.*?) is not in the range (.*?)\.?$", N_("{0} 不在范围 {1} 内。")),
        (r"^'?(.*?)'? is not one of (.*?)\.?$", N_("{0} 不是以下之一：{1}。")),
        (r"^(?:File|Path|Directory) '(.*?)' does not exist\.?$", N_("{0} 不存在。")),
        # typer 0.2x words its own conversions like pydantic.
        (r"^Input should be a valid integer.*$", N_("应为整数。")),
        (r"^Input should be a valid (?:number|float).*$", N_("应为数。")),
        (r"^Input should be a valid boolean.*$", N_("应为是或否。")),
        (r"^Input should be greater than or equal to (\S+?)\.?$", N_("应不小于 {0}。")),
        (r"^Input should be less than or equal to (\S+?)\.?$", N_("应不大于 {0}。")),
    )
)


def _click_zh(message: str) -> str | None:
    """A click message (English) as a Chinese sentence, or ``None`` when it is not known."""
    for pattern, template in _CLICK_MESSAGES:
        m = pattern.match(message.strip())
        if m is None:
            continue
        parts = list(m.groups())
        if parts and isinstance(parts[0], str):  # an argument's name, as the usage line has it
            name = parts[0].strip("'\"").lower()
            name = "on" if name == "date" else name
            if name in _ARGUMENTS:
                parts[0] = T(_ARGUMENTS[name])
        if template == N_("{0} 的值无效：{1}") or template == N_("值无效：{0}"):
            inner = parts[-1]
            parts[-1] = _value_zh(inner)
        return T(template).format(*(p.strip() if isinstance(p, str) else "" for p in parts))
    return None


def _value_zh(text: str) -> str:
    for pattern, template in _CLICK_VALUES:
        m = pattern.match(text.strip())
        if m is not None:
            return T(template).format(*(g or "" for g in m.groups()))
    return text


def usage_text(exc: Any) -> str:
    """A click usage error's message in the current language."""
    message = exc.format_message()
    if current() == "zh":
        return _click_zh(message) or message
    return str(message)


def error_code(exc: BaseException) -> str:
    """An error's code: its ``code`` attribute, or one derived from its class name."""
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        return code.upper()  # shown as a label, as in the docs: INVALID_INPUT
    name = type(exc).__name__.lstrip("_")
    for cls in type(exc).__mro__:  # a private subclass reports its public parent
        if not cls.__name__.startswith("_") and cls.__module__.startswith("infopen"):
            name = cls.__name__
            break
    name = name.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper() or "ERROR"


def error_text(exc: BaseException) -> str:
    """
    An error as a sentence a clerk can act on, in the current language: what went wrong
    and which command-line option fixes it; the library's own detail follows.
    """
    if isinstance(exc, CalendarCoverageError):
        first = exc.coverage[0]
        if exc.year < first.year:
            # English: "the calculation reaches into {year}, before the first day infopen
            # has holiday data for ({first}); check the dates."
            return T(
                "计算涉及 {year} 年，早于 infopen 掌握放假安排的第一天（{first}）；请检查日期。"
            ).format(year=exc.year, first=first)
        if "含推定" in str(exc.args[2]):  # an estimating calendar (its name says so) ran out
            # English: "the calculation reaches into {year}, past the years infopen can
            # estimate; check the dates and periods, or lay the year's days over with
            # --overlay FILE.toml."
            return T(
                "计算涉及 {year} 年，超出 infopen 能推定放假安排的年份；"
                "请检查日期和期间，或用 --overlay 文件.toml 叠加该年的安排。"
            ).format(year=exc.year)
        # English: "the calculation reaches into {year}, whose holiday arrangement is not
        # announced, and --no-estimate forbids estimates: drop --no-estimate to get dates
        # marked (estimated), or lay the year's notice over with --overlay FILE.toml."
        return T(
            "计算涉及 {year} 年，该年放假安排尚未公布，且 --no-estimate 不允许推定："
            "去掉 --no-estimate 可得到标“（估计）”的日期，或用 --overlay 文件.toml 叠加该年通知。"
        ).format(year=exc.year)
    if isinstance(exc, IncompleteNoticeError):
        # English: "the notice lacks {n} mandatory element(s): {missing}. Give them with
        # --details FILE.toml, --number or the agency's TOML file (--agency), or leave out
        # --strict to print the notice with 【请填写：…】 placeholders."
        return T(
            "通知缺少 {n} 项必备内容：{missing}。用 --details 文件.toml、--number 或机关文件"
            "（--agency）补充，或去掉 --strict 输出带【请填写：…】占位的通知。"
        ).format(n=len(exc.missing), missing="；".join(exc.missing))
    if isinstance(exc, FileAccessError):
        lead = T(_file_fix(exc)).format(path=exc.path)
        if current() == "zh":
            return lead
    elif isinstance(exc, InvalidFileError) and exc.path is not None:
        where = (
            T("文件 {path} 第 {line} 行").format(path=exc.path, line=exc.line)
            if exc.line is not None
            else T("文件 {path}").format(path=exc.path)
        )
        if _CJK.search(exc.message) and not _ENGLISH.search(exc.message):
            return f"{where}：{exc.message}" if current() == "zh" else f"{where}: {exc.message}"
        # English: "{where} cannot be read; correct it"
        lead = T("{where}无法读取，请更正").format(where=where)
    else:
        lead = T(_LEADS.get(error_code(exc), N_("输入有误，请按说明更正后重试")))
    detail = str(exc)
    if current() == "en":
        return detail or lead
    if _CJK.search(detail) and not _ENGLISH.search(detail):
        return detail  # already a Chinese sentence (the command line's own checks)
    if detail:
        # English: "{lead} (detail: {detail})"
        return T("{lead}（详情：{detail}）").format(lead=lead, detail=detail)
    return lead


_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:]+[a-z]{2,}[ ,;:]+[a-z]{2,}")

# English of each: "the event cannot happen in the request's current state",
# "a value is of the wrong type", "an optional package is missing", "not found",
# "the stored request changed meanwhile", "the request id is already used",
# "the store's tables are missing or of another version".
_LEADS: dict[str, str] = {
    "INVALID_TRANSITION": N_("该事件在申请当前状态下不能记录"),
    "INVALID_TYPE": N_("值的类型不对"),
    "MISSING_EXTRA": N_("缺少可选组件，请按提示安装"),
    "NOT_FOUND": N_("找不到所指的对象"),
    "CONFLICT": N_("申请已被他人同时修改，请重新运行命令"),
    "DUPLICATE_REQUEST": N_("申请编号已被使用，请换一个编号"),
    "STORE_SCHEMA": N_("数据库表缺失或版本不符"),
}


def _file_fix(exc: FileAccessError) -> str:
    """What to do about a file that cannot be opened, by its cause."""
    writing = "cannot write" in str(exc)
    if isinstance(exc, FileNotFoundError) and writing:
        # English: "cannot write {path}: its folder does not exist; create the folder first,
        # or give another path"
        return N_("无法写入 {path}：所在文件夹不存在，请先建立文件夹或换一个路径")
    if isinstance(exc, FileNotFoundError):
        # English: "{path} does not exist: check the path"
        return N_("找不到文件 {path}：请检查路径")
    if isinstance(exc, IsADirectoryError):
        # English: "{path} is a folder: give a file name, not a folder"
        return N_("{path} 是文件夹：请给出文件名")
    if isinstance(exc, PermissionError):
        # English: "{path} may not be read or written: check its permissions"
        return N_("无权读写 {path}：请检查权限")
    if writing:
        # English: "cannot write {path}: check that every part of the path above it is a
        # folder, and the disk"
        return N_("无法写入 {path}：请检查其上级路径都是文件夹，以及磁盘")
    # English: "cannot open the file {path}: check the path and the disk"
    return N_("无法打开文件 {path}：请检查路径和磁盘")


class LocalizedGroup(TyperGroup):
    """The root command: picks the language, translates the tree, words click's errors."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        set_current(detect(argv, os.environ))
        localize(self)
        try:
            rv = super().main(
                args=argv,
                prog_name=prog_name or "infopen",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo(T("已中止。"), err=True)
            sys.exit(1)
        except _CLICK_ERRORS as exc:
            if not standalone_mode:
                raise
            _show_usage_error(exc)
            sys.exit(getattr(exc, "exit_code", 2))
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


_CLICK_ERRORS: tuple[type[Exception], ...] = tuple(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def _show_usage_error(exc: Any) -> None:
    """A usage error: the usage line, then one line with the code and the fix."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        exc.show()
        return
    ctx = getattr(exc, "ctx", None)
    echo: Callable[..., None] = typer.echo
    if ctx is not None:
        echo(ctx.get_usage(), err=True)
    message = usage_text(exc)
    # English: "infopen: error {code}: {message}"
    echo(T("infopen: 错误 {code}：{message}").format(code="USAGE", message=message), err=True)
    if ctx is not None:
        # English: "See '{command} --help' for the options."
        echo(T("用“{command} --help”查看各选项。").format(command=ctx.command_path), err=True)


# Violation codes (stable ASCII) -> their Chinese labels, for tables and lists. English:
# late decision, overdue, late correction notice, repeated correction, repeated extension,
# extension too long, late extension, no grounds, late fee notice, late review, lawsuit
# before reconsideration, disclosed during the third party's period.
VIOLATION_LABELS: dict[str, str] = {
    "LATE_DECISION": N_("逾期答复"),
    "OVERDUE": N_("已超期未答复"),
    "LATE_CORRECTION_NOTICE": N_("补正告知逾期"),
    "REPEATED_CORRECTION": N_("重复要求补正"),
    "REPEATED_EXTENSION": N_("重复延期"),
    "EXTENSION_TOO_LONG": N_("延期超过上限"),
    "LATE_EXTENSION": N_("超过期限后延期"),
    "NO_GROUNDS": N_("未说明理由和依据"),
    "LATE_FEE_NOTICE": N_("收费通知逾期"),
    "LATE_REVIEW": N_("登记审核逾期"),
    "LAWSUIT_BEFORE_RECONSIDERATION": N_("未经复议即起诉"),
    "DISCLOSED_DURING_THIRD_PARTY_PERIOD": N_("第三方意见期限内即决定公开"),
    # English: "disclosed before the third party could act on its notice"
    "DISCLOSED_BEFORE_THIRD_PARTY_COULD_ACT": N_("第三方收到告知后尚无时间寻求救济即公开"),
    # English: "extension beyond the Regulations' 20 working days"
    "EXTENSION_BEYOND_REGULATION": N_("延期超过条例规定的期限"),
    # English: "art 35 delayed date set after the reply period ran out"
    "LATE_DELAYED_DEADLINE": N_("答复期限届满后才确定延迟答复期限"),
    # English: "refused on the third-party ground although the third party consented"
    "REFUSED_DESPITE_CONSENT": N_("第三方同意公开仍以第三方理由不予公开"),
}


def violation_label(code: str, lang: Lang | None = None) -> str:
    """A violation code's label in ``lang`` (default: the current language)."""
    label = VIOLATION_LABELS.get(code)
    if label is None:
        return code
    return translate(lang or current())(label)

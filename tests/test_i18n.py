"""The English catalogue: complete, parseable, consistent, and compiled into the committed .mo."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import infopen
from infopen._i18n import translate

PACKAGE = Path(infopen.__file__).parent
LOCALE = PACKAGE / "locale"
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PO = LOCALE / "en_US" / "LC_MESSAGES" / "infopen.po"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _source_messages() -> set[str]:
    """Every string marked with _() or N_() in the package's Python code."""
    found = extract_from_dir(
        str(PACKAGE),
        keywords={"_": None, "N_": None, "T": None},
        method_map=[("**.py", "python")],
    )
    return {msg for _file, _line, msg, _comments, _ctx in found if isinstance(msg, str)}


def test_there_is_an_english_catalogue() -> None:
    """The package ships en_US/LC_MESSAGES/infopen.po."""
    assert PO in PO_FILES


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_every_po_file_parses_with_chinese_source(path: Path) -> None:
    """Each .po parses, declares Chinese as its source language and has no fuzzy entry."""
    catalog = _read(path)
    assert len(catalog) > 0
    assert "X-Source-Language: zh_CN" in path.read_text(encoding="utf-8")
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


def test_every_source_message_is_translated() -> None:
    """Every Chinese string marked in the code has a non-empty English translation."""
    catalog = _read(PO)
    source = _source_messages()
    assert len(source) > 30
    missing = sorted(m for m in source if m not in catalog or not catalog[m].string)
    assert missing == []


def test_no_stale_messages() -> None:
    """Every catalogue entry is still used in the code."""
    source = _source_messages()
    assert sorted(m.id for m in _read(PO) if m.id and m.id not in source) == []


def test_placeholders_survive_translation() -> None:
    """A translation keeps exactly the {placeholders} of its Chinese source."""
    for message in _read(PO):
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
                PLACEHOLDER.findall(message.id)
            ), message.id


def test_english_translations_hold_no_chinese() -> None:
    """No English translation keeps a Chinese character or fullwidth punctuation."""
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    assert [m.id for m in _read(PO) if m.id and cjk.search(m.string)] == []


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_committed_mo_matches_po(path: Path) -> None:
    """The committed .mo holds the catalogue that compiling the .po gives (run `make po`)."""
    compiled = io.BytesIO()
    write_mo(compiled, _read(path))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with path.with_suffix(".mo").open("rb") as fh:
        committed = gettext.GNUTranslations(fh)
    # Compare the parsed catalogues (message id -> translation), not the bytes. The
    # header entry "" carries babel's compile time, so only its language is compared.
    got, want = dict(committed._catalog), dict(expected._catalog)  # type: ignore[attr-defined]
    assert committed.info()["language"] == expected.info()["language"]
    got.pop("")
    want.pop("")
    assert got == want
    assert len(got) == len(_read(path))  # babel does not count the header


def test_runtime_translation_uses_the_catalogue() -> None:
    """translate('en') reads the shipped catalogue; 'zh' returns the source text."""
    assert translate("en")("跳过（周末）") == "skipped (weekend)"
    assert translate("zh")("跳过（周末）") == "跳过（周末）"
    with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
        translate("fr")  # type: ignore[arg-type]


# -- the command line speaks one language at a time (#20) ---------------------------------

NO_LOCALE = {"COLUMNS": "100", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
#: Runs of English words: two or more words of two or more letters in a row.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'()-]+[A-Za-z]{2,})+\b")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _not_words(text: str) -> str:
    """The text without what is not prose: options, paths, URLs, codes, argument names."""
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths and URLs
    text = re.sub(r"--?[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"[{\[][a-z_]+[}\]]", " ", text)  # argument names in the usage line
    text = re.sub(r"^ *[*]? +[a-z_]+ ", " ", text, flags=re.MULTILINE)  # and in the help
    text = re.sub(r"\b[A-Z][A-Z0-9_]+\b", " ", text)  # codes and metavars (INVALID_INPUT)
    text = re.sub(r"\binfopen(?: [a-z]+){0,2}", " ", text)  # commands
    return re.sub(r"[│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻┼]", " ", text)


def _commands() -> list[list[str]]:
    """Every command path of the app, the root included."""
    import typer.main

    from infopen._cli import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*path, name])
            walk(sub, [*path, name])

    walk(root, [])
    return paths


def _invoke(args: list[str], **env: str | None) -> tuple[int, str]:
    from typer.testing import CliRunner

    from infopen._cli import app

    result = CliRunner(env={**NO_LOCALE, **env}).invoke(app, args, prog_name="infopen")
    return result.exit_code, result.output


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "infopen")
def test_every_help_is_chinese_by_default_and_english_on_request(path: list[str]) -> None:
    """Each command's --help: no run of English words in Chinese, no Chinese in English."""
    code, zh = _invoke([*path, "--help"])
    assert code == 0, zh
    runs = ENGLISH_RUN.findall(_not_words(zh))
    assert runs == [], runs
    for how in ({"LANG": "en_US.UTF-8"}, {"LC_ALL": "en_GB.UTF-8"}):
        code, en = _invoke([*path, "--help"], **how)
        assert code == 0, en
        assert not CJK.search(en), en
    code, flagged = _invoke([*path, "--help", "--lang", "en"]) if path else (0, "")
    assert not CJK.search(flagged), flagged


def _error_paths(tmp: Path) -> list[list[str]]:
    """The command line's own refusals: usage errors and bad values of every command."""
    import json

    from infopen import Request

    r = Request.receive("2026-09-28", request_id="r1")
    (tmp / "r.json").write_text(json.dumps(r.to_dict(), indent=2), encoding="utf-8")
    (tmp / "bad.json").write_text("{", encoding="utf-8")
    req = str(tmp / "r.json")
    from infopen import EventStore

    url = f"sqlite:///{tmp / 'desk.db'}"
    store = EventStore(url)
    store.create_schema()
    store.save(Request.receive("2026-09-28", request_id="S1"))
    return [
        ["new", "S1", "2026-10-09", "--db", url],
        ["record", "NOPE", "延期", "2026-10-10", "--workdays", "5", "--db", url],
        ["list", str(tmp), "--db", url],
        ["nosuch"],
        ["deadline"],
        ["deadline", "2026/9/28"],
        ["deadline", "2026-09-28", "--nosuch"],
        ["deadline", "2026-09-28", "--workdays", "x"],
        ["deadline", "2026-09-28", "--workdays", "-1"],
        ["deadline", "2026-09-28", "--lang", "fr"],
        ["deadline", "2026-09-28", "extra"],
        ["calendar"],
        ["show", str(tmp / "missing.json")],
        ["show", str(tmp / "bad.json")],
        ["report", req, "--year", "2026", "--format", "pdf"],
        ["report", req],
        ["report", "check"],
        ["notice", req, "--agency", str(tmp / "a.toml"), "--format", "pdf"],
        ["sweep", "county", "--staff", "a,b"],
        ["sweep", "county", "--rate", "x"],
        ["new", str(tmp / "n.json"), "yesterday"],
        ["new", str(tmp / "n.json"), "2026-09-28", "--channel", "信鸽"],
        ["new", req, "2026-09-28"],
        ["record", req, "乱写", "2026-10-09"],
        ["record", req, "延期", "2026-10-09"],
        ["record", req, "延期", "2026-10-09", "--amount", "5"],
        ["record", req, "收到补正", "2026-10-09"],
        ["record", req, "送达", "2026-10-09"],
        ["record", req, "答复", "2026-10-09"],
        ["record", req, "不予公开", "2026-10-09", "--grounds", "看心情"],
        ["record", req, "送达", "2026-10-09", "--of", "答复", "--method", "飞鸽"],
        ["list", "--sort", "name"],
        ["audit", str(tmp / "missing.csv")],
    ]


def test_every_error_is_chinese_by_default_and_english_on_request(tmp_path: Path) -> None:
    """
    Each refusal exits 2 with its code; in Chinese it has no run of English words, in
    English no Chinese sentence (names the user typed aside).
    """
    for args in _error_paths(tmp_path):
        code, zh = _invoke(args)
        assert code == 2, (args, zh)
        assert "错误" in zh, (args, zh)
        assert re.search(r"错误 [A-Z_]+：", zh), (args, zh)
        runs = ENGLISH_RUN.findall(_not_words(zh))
        assert runs == [], (args, runs, zh)
        code, en = _invoke(args, LANG="en_US.UTF-8")
        assert code == 2, (args, en)
        typed = "".join(a for a in args if CJK.search(a))
        leftover = "".join(c for c in CJK.findall(en) if c not in typed)
        assert leftover == "", (args, en)

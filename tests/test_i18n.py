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

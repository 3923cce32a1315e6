"""The English catalogue: complete, parseable, and compiled into the committed .mo."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import infopen

LOCALE = Path(infopen.__file__).parent / "locale"
PO = LOCALE / "en_US" / "LC_MESSAGES" / "infopen.po"
MO = PO.with_suffix(".mo")


def _source_messages() -> set[str]:
    found = extract_from_dir(
        str(Path(infopen.__file__).parent),
        keywords={"_": None, "N_": None},
        method_map=[("**.py", "python")],
    )
    return {msg for _file, _line, msg, _comments, _ctx in found if isinstance(msg, str)}


def test_every_po_file_parses_with_chinese_source() -> None:
    """Each .po parses and declares Chinese as its source language."""
    files = list(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert files
    for path in files:
        with path.open("rb") as fh:
            catalog = read_po(fh)
        assert len(catalog) > 0
        assert "X-Source-Language: zh_CN" in path.read_text(encoding="utf-8")


def test_every_source_message_is_translated() -> None:
    """Every Chinese string marked in the code has a non-empty English translation."""
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    missing = [m for m in _source_messages() if m not in catalog or not catalog[m].string]
    assert missing == []


def test_committed_mo_matches_po() -> None:
    """The committed .mo gives the same translations as the .po (run `make po` after edits)."""
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for message in catalog:
        if message.id:
            assert mo.gettext(message.id) == message.string, message.id

"""The API reference (docs/api.md) documents every public name through autodoc."""

from __future__ import annotations

import re
from pathlib import Path

import infopen

API = Path(__file__).resolve().parent.parent / "docs" / "api.md"
DIRECTIVE = re.compile(r"^\.\. auto(?:function|class|exception|data):: infopen\.(\w+)$", re.M)


def test_every_public_name_is_in_the_reference() -> None:
    """Each name of infopen.__all__ has an autodoc directive, once; none documents a non-name."""
    documented = DIRECTIVE.findall(API.read_text(encoding="utf-8"))
    assert sorted(set(infopen.__all__) - set(documented)) == []
    assert sorted(set(documented) - set(infopen.__all__)) == []
    assert len(documented) == len(set(documented))


def test_every_event_method_documents_its_article_or_meaning() -> None:
    """Each event method of Request has a docstring, shown by ``:members:`` in the reference."""
    from infopen._replay import EVENT_FIELDS

    for kind in EVENT_FIELDS:
        method = getattr(infopen.Request, kind)
        assert method.__doc__, kind

"""
Translations: Chinese is the source language, English comes from the gettext catalogue.

Strings are written in Chinese in the code and looked up at render time, so one object
renders in either language. The catalogue is ``locale/en_US/LC_MESSAGES/infopen.po``; its
compiled ``.mo`` is committed beside it (``make po`` rebuilds it).
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeAlias

from ._errors import InvalidInputError

__all__ = ["LANGS", "N_", "Lang", "translate"]

Lang: TypeAlias = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
_LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only".
    """Mark a string for extraction without translating it yet."""
    return message


def translate(lang: Lang) -> Callable[[str], str]:
    """The gettext function for ``lang`` (``"zh"`` is the identity)."""
    if not isinstance(lang, str) or lang not in LANGS:
        msg = f"lang must be 'zh' or 'en', got {lang!r:.40}"
        raise InvalidInputError(msg)
    return _translate(lang)


@functools.cache
def _translate(lang: Lang) -> Callable[[str], str]:
    if lang == "zh":
        return gettext.NullTranslations().gettext
    if lang == "en":
        return gettext.translation(
            "infopen", localedir=_LOCALE_DIR, languages=["en_US"], fallback=True
        ).gettext
    msg = f"lang must be 'zh' or 'en', got {lang!r}"
    raise InvalidInputError(msg)

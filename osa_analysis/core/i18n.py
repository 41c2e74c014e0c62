"""Languages of the briefs: the current language and its message catalog (gettext, Babel).

English is the reference: every message is written in English in the code (or in a curated
data file) and translated through the catalog ``osa_analysis/locale/<lang>/LC_MESSAGES/``
(gettext ``.po`` files, read with Babel). One run builds every edition: the sections are
built once per language inside :func:`use_language`, from the same analysis results.

::

    from osa_analysis.core.i18n import _, tr, use_language

    title = _("Maritime incidents")                        # a message of the code
    text = _("{n} incidents in {year}").format(n=n, year=year)   # placeholders by name
    with use_language("ja"):
        _("Maritime incidents")                            # -> "海上事案"
        tr(scenario["name"])                               # a text of a curated data file

Messages with placeholders are formatted *after* translation (``_(...).format(...)``), so a
translation can put them in its own order. :func:`N_` marks a message whose translation is
looked up later (a module constant, passed to :func:`_` where it is shown). The messages and
the catalogs are kept by ``osa-briefs messages`` (:mod:`osa_analysis.build.messages`); a test
fails on a message without a translation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "ja")
"""Languages of the briefs; the first is the reference (the language of the code)."""
REFERENCE = LANGUAGES[0]
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
"""The catalogs: ``<lang>/LC_MESSAGES/*.po`` (every ``.po`` file of the folder is read)."""
DOMAIN = "osa"

LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}
"""Each language's name in itself (the link to the other edition)."""

_current: ContextVar[str] = ContextVar("osa_language", default=REFERENCE)


def language() -> str:
    """Return the current language (``"en"`` unless inside :func:`use_language`)."""
    return _current.get()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Make ``lang`` the current language inside the ``with`` block.

    Raises
    ------
    ValueError
        When ``lang`` is not one of :data:`LANGUAGES`.
    """
    check_language(lang)
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def check_language(lang: str) -> str:
    """Return ``lang`` if the briefs have that language, else raise ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def _(message: str) -> str:
    """Return ``message`` in the current language (itself when it has no translation)."""
    if not message or language() == REFERENCE:
        return message
    return catalog(language()).get(message) or message


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it (translate where shown)."""
    return message


def tr(text: object) -> object:
    """Return a text of a curated data file in the current language.

    Such texts (scenario names, glossary definitions, context events...) reach the catalog
    through the ``DATA_MESSAGES`` of the module that shows them
    (:func:`osa_analysis.build.messages.data_messages`). ``None`` and non-strings pass
    through unchanged.
    """
    return _(text) if isinstance(text, str) else text


def translated(message: str, lang: str) -> str:
    """Return ``message`` in ``lang`` (without changing the current language)."""
    with use_language(lang):
        return _(message)


@cache
def catalog(lang: str) -> dict[str, str]:
    """Return the translations of ``lang``: msgid -> msgstr (translated messages only)."""
    from babel.messages.pofile import read_po

    out: dict[str, str] = {}
    folder = LOCALE_DIR / check_language(lang) / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string:
                    out[message.id] = message.string
    return out


def catalog_files(lang: str) -> list[Path]:
    """Return the ``.po`` files of ``lang`` (in the run key: a new translation rebuilds)."""
    return sorted((LOCALE_DIR / check_language(lang) / "LC_MESSAGES").glob("*.po"))

"""The sections of a brief: reading order, numbered titles and what each one needs.

Adding a section is one new module with a builder, plus one :class:`SectionSpec` here. A
builder takes the :class:`~osa_analysis.brief.context.BriefContext` and, when the spec
names ``needs``, a mapping of the sections it reads; it returns a
:class:`~osa_analysis.brief.section.Section` whose title the registry numbers.

Builders are named ``"module:function"`` (a module of :mod:`osa_analysis.brief`) and
imported when first built, so that a section module can itself ask the registry for
another section's number (:func:`number`) without a circular import; a test checks that
every name resolves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from osa_analysis.core.i18n import N_, _

if TYPE_CHECKING:  # the registry stays light: the warm-kernel server imports it first
    import pandas as pd

AFTER_DATA = ("*data",)
"""``needs`` of a section built after every data section, without reading them (the cover
and the sources annex list the sources those sections used)."""
ALL = ("*",)
"""``needs`` of a section that reads every other section (built after all of them), except
the sections that read it and the other :data:`ALL` and :data:`EVERY` sections."""
EVERY = ("**",)
"""``needs`` of a section that reads every other section, including the :data:`ALL` ones
(the tables annex, which collects every section's long tables)."""


@dataclass(frozen=True)
class SectionSpec:
    """One section of the brief.

    Attributes
    ----------
    key : str
        Machine name: the key of its values in ``summary.json``.
    title : str or None
        Heading without its number (``None``: the section writes its own, e.g. the cover).
    builder : str
        ``"module:function"`` in :mod:`osa_analysis.brief` (:meth:`build` resolves it). The
        function is called as ``function(ctx, sections)`` when ``needs`` names sections
        or is :data:`ALL` (a mapping of the sections it reads), else ``function(ctx)``.
    numbered : bool
        Whether the heading carries a section number.
    needs : tuple of str
        Keys of the sections it reads, :data:`AFTER_DATA` or :data:`ALL`.
    prepare : str or None
        ``"module:function"`` computing, from the context alone, what the section shares
        with every other brief of a build (e.g. a global Monte Carlo run); run once per build
        by :func:`osa_analysis.brief.assemble.warm_up`. ``None`` when it shares nothing.
    annex : bool
        Whether the section is an annex (its long tables stay in place, folded).
    fold_tables : bool
        Whether its long tables are folded at all (``False`` for the sources and licences,
        which every printed copy must carry).
    print_figures : tuple of int or None
        Indices of the figures the PDF prints (those that carry the section's finding, which
        keeps a printed brief short); the rest are in the HTML brief only. ``None``: all.
    print_tables : tuple of int or None
        Indices of its short tables the PDF prints; the rest are in the HTML brief only.
        ``None``: all.
    printed : bool
        Whether the PDF prints the section (``False`` for the annexes a reader of the PDF
        cannot use: the folded tables and the method checks); the PDF names it instead.
    page_break_after : bool
        Whether the PDF starts a new page after the section.
    """

    key: str
    title: str | None
    builder: str
    numbered: bool = True
    needs: tuple[str, ...] = ()
    prepare: str | None = None
    annex: bool = False
    fold_tables: bool = True
    print_figures: tuple[int, ...] | None = None
    print_tables: tuple[int, ...] | None = None
    printed: bool = True
    page_break_after: bool = False

    @property
    def build(self) -> Callable:
        """The builder function."""
        return _resolve(self.builder)

    @property
    def prepare_function(self) -> Callable | None:
        """The function that computes the section's shared results (``None`` if none)."""
        return None if self.prepare is None else _resolve(self.prepare)


def _resolve(name: str) -> Callable:
    module, _, function = name.partition(":")
    return getattr(import_module(f"osa_analysis.brief.{module}"), function)


BOTTOM_LINE_INPUTS = ("maritime", "grayzone", "governance", "exposure", "composite", "diversion")
"""Sections whose key figures and tiles the bottom line collects, in this order."""

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("cover", None, "cover:title_section", numbered=False, needs=("provenance",)),
    SectionSpec(
        "key_judgements",
        N_("Bottom line"),
        "key_judgements:key_judgements_section",
        needs=("provenance", "bottom_line", "diversion", "what_changed"),
        page_break_after=True,
    ),
    SectionSpec(
        "bottom_line", N_("Key figures"), "bottom_line:bottom_line", needs=BOTTOM_LINE_INPUTS
    ),
    SectionSpec("osa_package", N_("The OSA package"), "osa_package:osa_package_section"),
    SectionSpec("context", N_("Context and outlook"), "outlook:outlook_section"),
    SectionSpec(
        "maritime",
        N_("Maritime incidents"),
        "maritime:maritime_section",
        print_figures=(0, 2),
        print_tables=(0,),
    ),
    SectionSpec(
        "grayzone",
        N_("Gray-zone coercion in the South China Sea"),
        "grayzone:grayzone_section",
        print_figures=(0,),
    ),
    SectionSpec(
        "governance",
        N_("Governance and stability"),
        "governance:governance_section",
        print_figures=(0,),
        print_tables=(0, 3),
    ),
    SectionSpec(
        "exposure",
        N_("Disaster exposure"),
        "exposure:exposure_section",
        prepare="exposure:prepare",
        print_figures=(0,),
        print_tables=(),
    ),
    SectionSpec("peers", N_("Peers"), "peers:peers_section", prepare="peers:prepare"),
    SectionSpec(
        "composite",
        N_("Structural risk composite"),
        "composite:composite_section",
        prepare="composite:prepare",
        print_figures=(0,),
    ),
    SectionSpec(
        "diversion",
        N_("OSA misuse and diversion risk"),
        "diversion:diversion_section",
        prepare="diversion:prepare",
        print_figures=(0,),
    ),
    SectionSpec(
        "what_changed",
        N_("What changed since the last brief"),
        "changes:what_changed_section",
        needs=ALL,
    ),
    SectionSpec(
        "glossary",
        N_("Annex: glossary and probability yardstick"),
        "glossary:glossary_section",
        numbered=False,
        needs=("diversion",),
        annex=True,
        fold_tables=False,
    ),
    SectionSpec(
        "tables",
        N_("Annex: full tables"),
        "annex_tables:tables_annex",
        numbered=False,
        needs=EVERY,
        annex=True,
        printed=False,
    ),
    SectionSpec(
        "method_checks",
        N_("Annex: method checks"),
        "method_checks:method_checks_section",
        numbered=False,
        annex=True,
        printed=False,
    ),
    SectionSpec(
        "provenance",
        N_("Annex: provenance and data vintage"),
        "cover:cover_section",
        numbered=False,
        needs=AFTER_DATA,
        annex=True,
    ),
    SectionSpec(
        "sources",
        N_("Annex: sources and licences"),
        "sources_annex:sources_annex",
        numbered=False,
        needs=AFTER_DATA,
        annex=True,
        fold_tables=False,
    ),
)
"""Every section in reading order."""

SECTION_ORDER = tuple(spec.key for spec in SECTIONS)
"""Reading order of the section keys (also the key order of ``summary.json``)."""

_BY_KEY = {spec.key: spec for spec in SECTIONS}


def spec(key: str) -> SectionSpec:
    """Return the spec of a section (``KeyError`` naming the known keys)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no section {key!r}; sections: {', '.join(SECTION_ORDER)}") from None


def layout(key: str) -> SectionSpec:
    """Return how a section is laid out: its spec, or the defaults for an unregistered one.

    Sections built outside the registry (the screening report's) fold nothing and print all.
    """
    return _BY_KEY.get(key) or SectionSpec(key, None, "")


def moves_to_annex(key: str, df: pd.DataFrame) -> bool:
    """Whether a section's table moves to the tables annex (long, in a body section)."""
    from osa_analysis.brief.section import is_long

    lay = layout(key)
    return lay.fold_tables and not lay.annex and is_long(df)


def section_modules() -> tuple[str, ...]:
    """Return the dotted names of every section module (to import them ahead of time)."""
    builders = [s.builder for s in SECTIONS] + [s.prepare for s in SECTIONS if s.prepare]
    names = (f"osa_analysis.brief.{b.partition(':')[0]}" for b in builders)
    return tuple(dict.fromkeys(names))


def dependencies(key: str) -> tuple[str, ...]:
    """Return the keys of the sections that must be built before ``key``."""
    needs = spec(key).needs
    if needs == EVERY:
        return tuple(k for k in SECTION_ORDER if k != key and spec(k).needs != EVERY)
    if needs == ALL:
        return tuple(
            k
            for k in SECTION_ORDER
            if k != key and spec(k).needs not in (ALL, EVERY) and key not in spec(k).needs
        )
    if needs == AFTER_DATA:
        return tuple(s.key for s in SECTIONS if _reads_only_data(s))
    return needs


def _reads_only_data(s: SectionSpec) -> bool:
    """Whether a section reads nothing but data sections (so it is one for AFTER_DATA)."""
    if s.needs in (ALL, EVERY, AFTER_DATA):
        return False
    return all(_reads_only_data(_BY_KEY[k]) for k in s.needs)


def reads_sections(key: str) -> bool:
    """Whether a section's builder is given the sections it depends on."""
    return spec(key).needs != AFTER_DATA and bool(spec(key).needs)


def number(key: str) -> int | None:
    """Return a section's number in the brief (``None`` for unnumbered sections)."""
    n = 0
    for s in SECTIONS:
        n += s.numbered
        if s.key == key:
            return n if s.numbered else None
    raise KeyError(f"no section {key!r}")


def heading(key: str, own_title: str) -> str:
    """Return the numbered heading of a section (its own title when the spec has none)."""
    s = spec(key)
    title = _(s.title) if s.title else own_title
    n = number(key)
    return f"{n}. {title}" if n is not None else title

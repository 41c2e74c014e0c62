"""A country brief: its sections built on demand in dependency order, and its outputs.

::

    brief = Brief.from_params(params)        # scope, table store, run options
    show(brief.section("maritime"))          # one section (and what it needs)
    brief.write_outputs(params.output_dir)   # summary.json and judgements.json

Each section is built once per :class:`Brief` and language (:meth:`Brief.section`);
:meth:`Brief.rebuild` builds one again, e.g. after editing a package module in JupyterLab.
A brief in several languages (``Brief(ctx, languages=("en", "ja"))``) builds each section once
per language, inside :func:`~osa_analysis.core.i18n.use_language`, from the same analysis
results (memoised by the table store); the reference (English) section carries the others as
:attr:`Section.editions <osa_analysis.brief.section.Section.editions>`.
"""

from __future__ import annotations

from pathlib import Path

from osa_analysis.analyse.judgements import collect_judgements
from osa_analysis.analyse.tables import TABLES
from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.judgements_file import write_judgements
from osa_analysis.brief.section import Section
from osa_analysis.brief.style import fonts
from osa_analysis.brief.summary import BriefSummary
from osa_analysis.core.i18n import REFERENCE, check_language, use_language

SECTION_ORDER = registry.SECTION_ORDER
"""Reading order of the sections (keys of :class:`Section` and of ``summary.json``)."""


class Brief:
    """The sections of one country brief.

    Parameters
    ----------
    ctx : BriefContext
        Scope, table store and run options of the brief.
    languages : tuple of str
        Languages of the brief (:data:`~osa_analysis.core.i18n.LANGUAGES`); the reference
        language is always built, first.
    """

    def __init__(self, ctx: BriefContext, languages: tuple[str, ...] = (REFERENCE,)) -> None:
        self.ctx = ctx
        self.languages = tuple(dict.fromkeys((REFERENCE, *map(check_language, languages))))
        self._built: dict[tuple[str, str], Section] = {}

    @classmethod
    def from_params(cls, params) -> Brief:
        """Build from validated :class:`osa_analysis.build.params.BriefParams`."""
        return cls(BriefContext.from_params(params), languages=params.languages)

    def section(self, key: str) -> Section:
        """Return a section, building it (and the sections it needs) on first use.

        The reference edition is returned; the others are its ``editions``.
        """
        for lang in self.languages:
            if (lang, key) not in self._built:
                self._build(key, lang)
        section = self._built[(REFERENCE, key)]
        section.editions = {
            lang: self._built[(lang, key)] for lang in self.languages if lang != REFERENCE
        }
        return section

    def rebuild(self, key: str) -> Section:
        """Build a section again (the sections it needs are built only when missing).

        Its analysis is computed again too (the tables or method files may have changed).
        """
        self.ctx.forget_results()
        for lang in self.languages:
            self._build(key, lang)
        return self.section(key)

    def _build(self, key: str, lang: str) -> Section:
        """Build one section in one language (and, first, what it needs in that language)."""
        with use_language(lang), fonts():
            needed = {
                dep: self._built.get((lang, dep)) or self._build(dep, lang)
                for dep in registry.dependencies(key)
            }
            spec = registry.spec(key)
            if registry.reads_sections(key):
                section = spec.build(self.ctx, needed)
            else:
                section = spec.build(self.ctx)
            section.title = registry.heading(key, section.title)
        self._built[(lang, key)] = section
        return section

    def sections(self) -> dict[str, Section]:
        """Return every section, in reading order."""
        return {key: self.section(key) for key in SECTION_ORDER}

    def summary(self) -> BriefSummary:
        """Return the values of every section (the content of ``summary.json``)."""
        return brief_summary(self.sections())

    def write_outputs(self, output_dir: str | Path) -> dict[str, Path]:
        """Write ``summary.json`` (every number shown) and ``judgements.json``."""
        return write_brief_outputs(self.sections(), output_dir)


def warm_up(ctx: BriefContext) -> None:
    """Load every table and compute what the sections share, once for a build.

    Run in the build's kernel server before it forks the brief kernels
    (:mod:`osa_analysis.build.warmkernel`), so each kernel starts with the tables of the
    build's ``as_of`` and the shared results (global Monte Carlo, peer series, reference
    rates) in memory: they live in the process-wide memo of
    :class:`~osa_analysis.analyse.tables.TableStore`, keyed by the data folders and the
    date, so a brief with other folders or another date simply computes its own.

    Parameters
    ----------
    ctx : BriefContext
        A context of the build (any of its countries; its scope, peers and draws).
    """
    for name in TABLES:
        ctx.tables.get(name)
    for spec in registry.SECTIONS:
        if spec.prepare_function is not None:
            spec.prepare_function(ctx)


def build_brief(ctx: BriefContext) -> dict[str, Section]:
    """Compute all sections of one brief, in reading order."""
    return Brief(ctx).sections()


def brief_summary(sections: dict[str, Section]) -> BriefSummary:
    """Collect the values of every section into a :class:`BriefSummary`."""
    summary = BriefSummary()
    for section in sections.values():
        summary.add(section)
    return summary


def write_brief_outputs(sections: dict[str, Section], output_dir: str | Path) -> dict[str, Path]:
    """Write ``summary.json`` (every number shown) and ``judgements.json`` into ``output_dir``."""
    summary = brief_summary(sections)
    return {
        "summary": summary.write(output_dir),
        "judgements": write_judgements(collect_judgements(summary.data), output_dir),
    }

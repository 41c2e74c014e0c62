"""Annex: the glossary (``data/brief/glossary.yaml``) and the probability yardstick."""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.key_judgements import term_word
from osa_analysis.brief.numbers import pct, pct_range
from osa_analysis.brief.section import Section
from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.i18n import _, tr
from osa_analysis.core.yamlio import safe_load

GLOSSARY_FILE = CURATED_DIR / "brief" / "glossary.yaml"

DATA_MESSAGES = (
    ("data/brief/glossary.yaml", "terms[].term"),
    ("data/brief/glossary.yaml", "terms[].definition"),
    ("data/risk/diversion.yaml", "yardstick.name"),
)
"""Texts of curated files the annex shows: the glossary and the yardstick's name."""


def glossary_terms(path: Path = GLOSSARY_FILE) -> list[dict[str, str]]:
    """Read the glossary: ``term``, ``definition`` and ``source`` of each entry.

    Raises
    ------
    ValueError
        Naming the file and the entry, when an entry lacks one of the three keys.
    """
    doc = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    terms = doc.get("terms") or []
    for index, entry in enumerate(terms):
        missing = [k for k in ("term", "definition", "source") if not (entry or {}).get(k)]
        if missing:
            raise ValueError(f"{path}: entry {index} lacks {', '.join(missing)}")
    return [{k: str(e[k]) for k in ("term", "definition", "source")} for e in terms]


def yardstick_table(yardstick: Mapping) -> pd.DataFrame:
    """Return the yardstick's terms with their probability ranges, lowest first."""
    terms = sorted((yardstick.get("terms") or {}).items(), key=lambda kv: kv[1][0])
    return pd.DataFrame(
        [
            {
                _("term"): term_word(term),
                _("probability"): f"≤{pct(hi)}" if lo == 0 else pct_range(lo, hi),
            }
            for term, (lo, hi) in terms
        ]
    )


def glossary_html(terms: list[dict[str, str]]) -> str:
    """Return the glossary as a definition list; each term links to where it is defined."""
    items = []
    for t in terms:
        source = t["source"]
        href = source if source.startswith(("http://", "https://")) else None
        term = html.escape(str(tr(t["term"])))
        name = f'<a href="{html.escape(href, quote=True)}">{term}</a>' if href else term
        muted = html.escape(_("({where})").format(where=source))
        where = "" if href else f' <span class="osa-muted">{muted}</span>'
        definition = html.escape(str(tr(t["definition"])))
        items.append(f"<dt>{name}</dt><dd>{definition}{where}</dd>")
    return '<dl class="osa-glossary">' + "".join(items) + "</dl>"


def glossary_section(ctx: BriefContext, sections: Mapping[str, Section]) -> Section:
    """Build the glossary of the brief's terms and the yardstick its likelihood words follow."""
    yardstick = sections["diversion"].values.get("yardstick") or {}
    terms = glossary_terms()
    markdown = _(
        "Likelihood words follow one yardstick everywhere in the brief, the {yardstick}: a "
        "word is given to a probability inside its range, and a probability in a gap between "
        "two ranges takes the nearer one. Confidence (high, moderate, low) describes the "
        "evidence, not the event."
    ).format(yardstick=tr(yardstick.get("name", "UK PHIA Probability Yardstick")))
    return Section(
        key="glossary",
        title=_("Annex: glossary and probability yardstick"),
        markdown=markdown,
        html=glossary_html(terms),
        tables=[(_("Probability yardstick"), yardstick_table(yardstick))],
        values={"terms": [t["term"] for t in terms], "yardstick": yardstick.get("terms")},
    )

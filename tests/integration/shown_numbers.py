"""Check that every number a brief section shows is also in its machine-readable values.

Shared by the mirror tests of the brief sections (not a test module itself).
"""

from __future__ import annotations

import re

from osa_analysis.core.files import jsonable

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?![\w])")


def _flatten(value, numbers: list[float], texts: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            texts.append(str(k))  # keys count too (years of a series, distances)
            _flatten(v, numbers, texts)
    elif isinstance(value, list | tuple):
        for v in value:
            _flatten(v, numbers, texts)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        numbers.append(float(value))
    elif isinstance(value, str):
        texts.append(value)


def numbers_not_in_values(text: str, values: dict, *, percent_shares: bool = False) -> list[str]:
    """Numbers (and ISO dates) in ``text`` that appear nowhere in ``values``.

    A number matches when a value agrees after rounding to the number's decimals (thousands
    separators and sign ignored), or when it appears verbatim inside a text value (storm ids,
    method versions, dates). With ``percent_shares`` a percentage may be a share × 100.
    """
    numbers: list[float] = []
    texts: list[str] = []
    _flatten(jsonable(values), numbers, texts)
    if percent_shares:
        numbers += [100 * n for n in numbers]
    blob = "\n".join(texts)
    missing = [d for d in _DATE.findall(text) if d not in blob]
    for token in _NUMBER.findall(_DATE.sub(" ", text)):
        plain = token.replace(",", "")
        if any(re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", blob) for t in {plain, token}):
            continue
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        tolerance = 0.5 * 10**-decimals + 1e-9
        if not any(abs(abs(n) - float(plain)) <= tolerance for n in numbers):
            missing.append(token)
    return missing


def figure_text(fig) -> str:
    """Titles, axis labels, legends and free text of a figure (not tick labels)."""
    parts = [fig.get_suptitle(), *(t.get_text() for t in fig.texts)]
    for legend in fig.legends:
        parts += [t.get_text() for t in legend.get_texts()]
    for ax in fig.axes:
        parts += [ax.get_title(loc) for loc in ("left", "center", "right")]
        parts += [ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
        if ax.get_legend() is not None:
            parts += [t.get_text() for t in ax.get_legend().get_texts()]
    return "\n".join(parts)


def shown_text(section) -> str:
    """Everything a section shows: text, tables, figure text and caveats."""
    tables = "\n".join(cap + "\n" + df.to_string(index=False) for cap, df in section.tables)
    figures = "\n".join(cap + "\n" + figure_text(fig) for cap, fig in section.figures)
    return "\n".join([section.markdown, tables, figures, *section.caveats])

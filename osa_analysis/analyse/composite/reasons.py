"""Why an indicator value or a composite is missing: the wording of every reason, in one place.

The analysis writes its reasons (``note`` of the panel, ``missing_reason`` of the indicator
table and of the scores, kept as written in ``summary.json``) from these templates, in
English. The brief reads a reason back into its template and fields (:func:`parse_reason`)
and shows the template's translation (:mod:`osa_analysis.brief.composite`): the templates
are marked for the message catalog (:func:`~osa_analysis.core.i18n.N_`), never translated
here.
"""

from __future__ import annotations

import re
from functools import cache

from osa_analysis.core.i18n import N_

LANDLOCKED = N_("{name} is landlocked: no coast and no EEZ (not applicable)")
NO_EEZ_POLYGON = N_("no EEZ polygon for {name} in the approximate EEZ (Natural Earth 1:10m)")
NO_COASTLINE = N_("no coastline length for {name} (Natural Earth 1:50m)")
NO_EEZ_AREA = N_("no EEZ area for {name}")
NOT_UCDP_STATE = N_("{name} is not in UCDP's list of independent states (Gleditsch–Ward)")
NOT_UCDP_STATE_OR_POPULATION = N_(
    "{name} is not in UCDP's list of independent states or has no World Bank population"
)
NO_WGI = N_("WGI has no estimate for {name}")
NO_VDEM = N_("V-Dem does not cover {name}")
NO_MILEX = N_("the World Bank (SIPRI) publishes no military-expenditure share for {name}")
NOT_LITTORAL = N_(
    "{name} is not a South China Sea littoral state and SCSDI covers only that sea (not applicable)"
)
NO_SCSDI = N_("no SCSDI coverage for {name}")
NO_DATA = N_("no data")
"""Reasons of the panel (:func:`~osa_analysis.analyse.composite.panel.missing_reason`)."""

NO_DATA_UP_TO = N_("no data up to {year}")
SOURCE_ENDED = N_("the source ends in {latest_year}, more than {lag} years before {year}")
NO_VALUE_UP_TO = N_("no value up to {year}")
OLDER_THAN_LOOKBACK = N_(
    "latest value is from {year}, older than the {lookback}-year look-back from {latest_year}"
)
NO_VALUE_FOR = N_("no value for {latest_year} (latest {year})")
"""Reasons of the indicator table at a date (:mod:`~osa_analysis.analyse.composite.table`)."""

NOT_IN_DATA = N_("{name} is not in the composite's data")
NO_INDICATOR_IN = N_("no indicator available in: {dimensions}")
"""Reasons of a country without a composite (:mod:`~osa_analysis.analyse.composite.scores`);
``{dimensions}``: the dimensions' labels joined by :data:`LIST_SEPARATOR`."""

LIST_SEPARATOR = ", "
"""How :data:`NO_INDICATOR_IN` joins the labels of the dimensions."""

TEMPLATES = (
    LANDLOCKED,
    NO_EEZ_POLYGON,
    NO_COASTLINE,
    NO_EEZ_AREA,
    NOT_UCDP_STATE,
    NOT_UCDP_STATE_OR_POPULATION,
    NO_WGI,
    NO_VDEM,
    NO_MILEX,
    NOT_LITTORAL,
    NO_SCSDI,
    NO_DATA,
    NO_DATA_UP_TO,
    SOURCE_ENDED,
    NO_VALUE_UP_TO,
    OLDER_THAN_LOOKBACK,
    NO_VALUE_FOR,
    NOT_IN_DATA,
    NO_INDICATOR_IN,
)
"""Every reason the analysis writes."""

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts, end = [], 0
    for m in _FIELD.finditer(template):
        parts += [re.escape(template[end : m.start()]), f"(?P<{m.group(1)}>.+?)"]
        end = m.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


def parse_reason(text: str) -> tuple[str, dict[str, str]] | None:
    """Return the template a reason was written from and its fields (None if none fits).

    ``template.format(**fields)`` gives ``text`` back.

    >>> parse_reason("no value for 2024 (latest 2019)")
    ('no value for {latest_year} (latest {year})', {'latest_year': '2024', 'year': '2019'})
    """
    for template in TEMPLATES:
        m = _pattern(template).fullmatch(text)
        if m is not None:
            return template, m.groupdict()
    return None

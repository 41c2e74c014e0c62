"""Country risk briefs: the content of each section, computed by the package.

The notebook ``notebooks/country_brief.py`` only calls these functions. Each section
builder takes a :class:`~osa_analysis.brief.context.BriefContext` and returns a
:class:`~osa_analysis.brief.section.Section`: its text, figures, tables and the values it
shows, which also go to the brief's ``summary.json``.
"""
